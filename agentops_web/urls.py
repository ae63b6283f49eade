from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from accounts.permissions import admin_login, admin_permission
from factors import views as factor_views
from opendata.api import api

admin.site.site_header = "12-Factor AgentOps administration"
admin.site.site_title = "agentops-web admin"
# Into the admin only through allauth's sign-in (two-factor included), never a password alone.
admin.site.login = admin_login(admin.site.login)
admin.site.has_permission = admin_permission(admin.site.has_permission)

urlpatterns = [
    path("", factor_views.home, name="home"),
    path("factors/", include("factors.urls")),
    path("maturity/", factor_views.maturity_dashboard, name="maturity"),
    path("maturity/snapshots/<int:pk>/", factor_views.snapshot_detail, name="snapshot_detail"),
    path("", include("cases.urls")),
    path("", include("opendata.urls")),
    path("api/", api.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("community.urls")),
    # allauth's sign-in, answering a lockout with 429 and Retry-After (accounts/views.py).
    path("accounts/login/", account_views.LoginView.as_view(), name="account_login"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

# allauth answers its rate-limited requests with this (our 429 page, with Retry-After).
handler429 = "agentops_web.ratelimit.allauth_429"
# Database errors anywhere in a request answer the friendly 503 page; others Django's 500.
handler500 = "agentops_web.errors.server_error"

from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from accounts.permissions import admin_login, admin_permission
from agentops_web.health import healthz
from factorpages import views as factor_views
from factorpages import views_measures as measure_views
from opendata.api import api, api_urlpatterns

admin.site.site_header = "12-Factor AgentOps administration"
admin.site.site_title = "agentops-web admin"
# Into the admin only through allauth's sign-in (two-factor included), never a password alone.
admin.site.login = admin_login(admin.site.login)
admin.site.has_permission = admin_permission(admin.site.has_permission)

urlpatterns = [
    # For load balancers: database and cache, JSON, never cached (agentops_web/health.py).
    path("healthz", healthz, name="healthz"),
    path("", factor_views.home, name="home"),
    path("factors/", include("factorpages.urls")),  # namespace "factors"
    path("maturity/", factor_views.maturity_dashboard, name="maturity"),
    path("maturity/decide/", factor_views.maturity_decide, name="maturity_decide"),
    path("maturity/measures/", measure_views.measure_list, name="maturity_measures"),
    path("maturity/snapshots/<int:pk>/", factor_views.snapshot_detail, name="snapshot_detail"),
    path("", include("cases.urls")),
    path("", include("failuremodes.urls")),
    path("", include("opendata.urls")),
    # The JSON API: /api/v1/ is its address; /api/ answers the same (links point to /api/v1/).
    path("api/v1/", include((api_urlpatterns(), "ninja"), namespace=api.urls_namespace)),
    path("api/", include((api_urlpatterns(), "ninja"), namespace="api_unversioned")),
    path("accounts/", include("accounts.urls")),
    path("", include("community.urls")),
    # allauth's sign-in, answering a lockout with 429 and Retry-After (accounts/views.py).
    path("accounts/login/", account_views.LoginView.as_view(), name="account_login"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("outbox.urls")),  # /dev/outbox/: development only (404 unless DEBUG)
]

# allauth answers its rate-limited requests with this (our 429 page, with Retry-After).
handler429 = "common.ratelimit.allauth_429"
# Error pages in the site's layout (JSON under /api/), never reading the request body again;
# database errors anywhere in a request answer the friendly 503 page (agentops_web/errors.py).
handler400 = "agentops_web.errors.bad_request"
handler403 = "agentops_web.errors.permission_denied"
handler404 = "agentops_web.errors.page_not_found"
handler500 = "agentops_web.errors.server_error"

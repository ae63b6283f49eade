from django.contrib import admin
from django.urls import include, path

from factors import views as factor_views

admin.site.site_header = "12-Factor AgentOps administration"
admin.site.site_title = "agentops-web admin"

urlpatterns = [
    path("", factor_views.home, name="home"),
    path("factors/", include("factors.urls")),
    path("maturity/", factor_views.maturity_dashboard, name="maturity"),
    path("", include("cases.urls")),
    path("", include("community.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

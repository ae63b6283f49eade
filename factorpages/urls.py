from django.urls import path

from . import views

app_name = "factors"

urlpatterns = [
    path("", views.factor_list, name="list"),
    path("framework/promote/", views.framework_promote_view, name="framework_promote"),
    path("framework/demote/", views.framework_demote_view, name="framework_demote"),
    path("<slug:slug>/", views.factor_detail, name="detail"),
    path("<slug:slug>/promote/", views.factor_promote_view, name="promote"),
    path("<slug:slug>/demote/", views.factor_demote_view, name="demote"),
    path("<slug:slug>/evidence/<str:measure>/", views.factor_evidence, name="evidence"),
    path(
        "<slug:slug>/domains/<slug:domain_slug>/",
        views.factor_domain_evidence,
        name="domain_evidence",
    ),
]

from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("case-studies/", views.casestudy_list, name="casestudy_list"),
    path("case-studies/<slug:slug>/", views.casestudy_detail, name="casestudy_detail"),
    path("adaptations/", views.adaptation_list, name="adaptation_list"),
    path("adaptations/<slug:slug>/", views.adaptation_detail, name="adaptation_detail"),
    path("failures/", views.failure_list, name="failure_list"),
    path("failures/<slug:slug>/", views.failure_detail, name="failure_detail"),
    path("domains/", views.domain_list, name="domain_list"),
    path("domains/<slug:slug>/", views.domain_detail, name="domain_detail"),
    path("search/", views.search_all, name="search"),
    path("submit/", views.submit, name="submit"),
]

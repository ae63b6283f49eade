from django.urls import path

from . import views

app_name = "failuremodes"

urlpatterns = [
    path("failure-modes/", views.mode_list, name="list"),
    path("failure-modes/<slug:slug>/", views.mode_detail, name="detail"),
    # Maintainers only (accounts.permissions.maintainer_required).
    path("review/failure-modes/", views.manage_list, name="manage"),
    path("review/failure-modes/new/", views.mode_create, name="create"),
    path("review/failure-modes/<slug:slug>/", views.mode_edit, name="edit"),
    path("review/failure-modes/<slug:slug>/addressed/", views.mode_addressed, name="addressed"),
    path("review/failure-modes/<slug:slug>/reports/", views.mode_reports, name="reports"),
]

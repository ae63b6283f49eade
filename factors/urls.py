from django.urls import path

from . import views

app_name = "factors"

urlpatterns = [
    path("", views.factor_list, name="list"),
    path("<slug:slug>/", views.factor_detail, name="detail"),
]

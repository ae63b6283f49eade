from django.urls import path

from . import views

app_name = "outbox"

urlpatterns = [
    path("dev/outbox/", views.dev_outbox, name="dev_outbox"),
]

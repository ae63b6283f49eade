from django.urls import path, register_converter

from . import views, views_review, views_submit
from .kinds import KindConverter

app_name = "cases"

register_converter(KindConverter, "kind")

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
]

# --- Authoring and review workflow (cases/views_submit.py, cases/views_review.py) ---
urlpatterns += [
    path("submit/", views_submit.submit, name="submit"),
    path("submit/<kind:kind>/", views_submit.submission_create, name="submission_create"),
    path("submissions/", views_submit.my_submissions, name="my_submissions"),
    path(
        "submissions/<kind:kind>/<int:pk>/",
        views_submit.submission_detail,
        name="submission_detail",
    ),
    path(
        "submissions/<kind:kind>/<int:pk>/edit/",
        views_submit.submission_edit,
        name="submission_edit",
    ),
    path(
        "submissions/<kind:kind>/<int:pk>/withdraw/",
        views_submit.submission_withdraw,
        name="submission_withdraw",
    ),
    path(
        "submissions/<kind:kind>/<int:pk>/revisions/",
        views_submit.submission_revisions,
        name="submission_revisions",
    ),
    path("review/", views_review.review_queue, name="review_queue"),
    path("review/<kind:kind>/<int:pk>/", views_review.review_item, name="review_item"),
]

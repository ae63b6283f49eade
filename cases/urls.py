from django.urls import path, register_converter

from . import views, views_review, views_submit
from .kinds import KINDS, KindConverter

app_name = "cases"

register_converter(KindConverter, "kind")

# Each kind's public list and detail: /case-studies/, /case-studies/<slug>/, named
# cases:casestudy_list and cases:casestudy_detail (from the kind's model).
urlpatterns = []
for _kind in KINDS.values():
    urlpatterns += [
        path(
            f"{_kind.list_path}/",
            views.evidence_list,
            {"kind": _kind.key},
            name=f"{_kind.model.url_name}_list",
        ),
        path(
            f"{_kind.list_path}/<slug:slug>/",
            views.evidence_detail,
            {"kind": _kind.key},
            name=f"{_kind.model.url_name}_detail",
        ),
    ]
urlpatterns += [
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
        "submissions/<kind:kind>/<int:pk>/reconfirm/",
        views_submit.submission_reconfirm,
        name="submission_reconfirm",
    ),
    path(
        "submissions/<kind:kind>/<int:pk>/revisions/",
        views_submit.submission_revisions,
        name="submission_revisions",
    ),
    path("review/", views_review.review_queue, name="review_queue"),
    path("review/<kind:kind>/<int:pk>/", views_review.review_item, name="review_item"),
]

"""Who gets what on every authoring and review URL: anonymous, author, other member, maintainer."""

import pytest
from django.urls import reverse

from cases.models import State

LOGIN = "login"
ROLES = ("anonymous", "author", "other", "maintainer")

# Pages that are not about one item.
PAGES = {
    ("cases:submit", None): (200, 200, 200, 200),
    ("cases:submission_create", "case_study"): (LOGIN, 200, 200, 200),
    ("cases:submission_create", "adaptation"): (LOGIN, 200, 200, 200),
    ("cases:submission_create", "failure"): (LOGIN, 200, 200, 200),
    ("cases:my_submissions", None): (LOGIN, 200, 200, 200),
    ("cases:review_queue", None): (LOGIN, 403, 403, 200),
}

# Pages about the author's item, by the item's state. Others' drafts are 404 for everyone.
ITEM_PAGES = {
    ("submission_detail", State.DRAFT): (LOGIN, 200, 404, 404),
    ("submission_detail", State.SUBMITTED): (LOGIN, 200, 404, 200),
    ("submission_detail", State.PUBLISHED): (LOGIN, 200, 404, 200),
    ("submission_detail", State.WITHDRAWN): (LOGIN, 200, 404, 200),
    ("submission_edit", State.DRAFT): (LOGIN, 200, 404, 404),
    ("submission_edit", State.CHANGES_REQUESTED): (LOGIN, 200, 404, 403),
    ("submission_edit", State.SUBMITTED): (LOGIN, 302, 404, 403),
    ("submission_withdraw", State.DRAFT): (LOGIN, 200, 404, 404),
    ("submission_withdraw", State.SUBMITTED): (LOGIN, 200, 404, 404),
    ("submission_withdraw", State.PUBLISHED): (LOGIN, 302, 404, 404),
    ("submission_revisions", State.DRAFT): (LOGIN, 200, 404, 404),
    ("submission_revisions", State.SUBMITTED): (LOGIN, 200, 404, 200),
    ("review_item", State.DRAFT): (LOGIN, 403, 403, 404),
    ("review_item", State.SUBMITTED): (LOGIN, 403, 403, 200),
    ("review_item", State.PUBLISHED): (LOGIN, 403, 403, 200),
}


@pytest.fixture
def login_as(client, author, other, maintainer):
    def login(role):
        client.logout()
        if role != "anonymous":
            client.force_login({"author": author, "other": other, "maintainer": maintainer}[role])
        return client

    return login


def _check(response, expected, role):
    if expected == LOGIN:
        assert response.status_code == 302, role
        assert response.url.startswith(reverse("account_login")), role
    else:
        assert response.status_code == expected, role


@pytest.mark.parametrize(("name", "kind"), list(PAGES))
def test_pages(login_as, framework, name, kind):
    url = reverse(name, kwargs={"kind": kind} if kind else {})
    for role, expected in zip(ROLES, PAGES[(name, kind)], strict=True):
        _check(login_as(role).get(url), expected, role)


@pytest.mark.parametrize("kind", ["case_study", "adaptation", "failure"])
@pytest.mark.parametrize(("name", "state"), list(ITEM_PAGES))
def test_item_pages(login_as, make_item, kind, name, state):
    item = make_item(kind=kind, state=state)
    url = reverse(f"cases:{name}", kwargs={"kind": kind, "pk": item.pk})
    for role, expected in zip(ROLES, ITEM_PAGES[(name, state)], strict=True):
        _check(login_as(role).get(url), expected, role)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("submission_edit", {"title": "Taken over", "action": "save"}),
        ("submission_withdraw", {}),
        ("review_item", {"decision": "publish", "comment": "Sure."}),
    ],
)
@pytest.mark.parametrize("role_index", [0, 2], ids=["anonymous", "other"])
def test_posts_by_strangers_change_nothing(login_as, make_item, name, data, role_index):
    item = make_item(state=State.DRAFT if name != "review_item" else State.SUBMITTED, title="Kept")
    url = reverse(f"cases:{name}", kwargs={"kind": "case_study", "pk": item.pk})
    response = login_as(ROLES[role_index]).post(url, data)
    assert response.status_code in (302, 403, 404)
    if role_index == 2:
        assert response.status_code in (403, 404)
    item.refresh_from_db()
    assert (item.title, item.state) == (
        "Kept",
        State.DRAFT if name != "review_item" else "submitted",
    )
    assert not item.state_changes.exists()


def test_unknown_item_is_404(login_as, framework):
    client = login_as("maintainer")
    assert client.get("/submissions/case-study/999999/").status_code == 404
    assert client.get("/review/failure/999999/").status_code == 404
    assert client.get("/submissions/essay/1/").status_code == 404

"""Authoring and review pages run a fixed number of queries, whatever the data size."""

import pytest
from django.urls import reverse

from cases import services
from cases.models import State

KINDS = ("case_study", "adaptation", "failure")


def _fill(make_item, n, *, state, by=None):
    for i in range(n):
        item = make_item(kind=KINDS[i % 3], state=state, by=by, title=f"Item {state} {i}")
        item.state_changes.create(actor=item.author, from_state="", to_state=State.DRAFT)
        if state == State.CHANGES_REQUESTED:
            item.state_changes.create(
                actor=item.author, from_state="submitted", to_state=state, comment="More."
            )


@pytest.mark.parametrize("size", [3, 24])  # every kind at both sizes
def test_my_submissions_query_count_is_capped(
    client, make_item, author, size, django_assert_max_num_queries
):
    for state in (State.DRAFT, State.SUBMITTED, State.CHANGES_REQUESTED, State.PUBLISHED):
        _fill(make_item, size, state=state)
    client.force_login(author)
    # 12: one query per kind of evidence (four), and one reads the session (database-backed,
    # so a cache outage signs nobody out).
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cases:my_submissions"))
    assert response.content.decode().count('class="evidence-item"') == 4 * size


@pytest.mark.parametrize("size", [3, 24])
@pytest.mark.parametrize("query", [{}, {"kind": "case_study"}, {"factor": 1}])
def test_review_queue_query_count_is_capped(
    client, make_item, maintainer, size, query, django_assert_max_num_queries
):
    _fill(make_item, size, state=State.SUBMITTED)
    client.force_login(maintainer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cases:review_queue"), query)
    assert response.status_code == 200
    if not query:
        assert response.content.decode().count('class="evidence-item"') == size


@pytest.mark.parametrize("size", [2, 25])
@pytest.mark.parametrize("kind", KINDS)
def test_item_pages_query_count_is_capped(
    client, framework, make_item, author, maintainer, kind, size, django_assert_max_num_queries
):
    factors = [framework[n] for n in range(1, 13)][:size]
    item = make_item(kind=kind, state=State.DRAFT)
    if kind == "case_study":
        for factor in factors[1:]:
            item.applications.create(factor=factor, outcome="adapted", note="n")
        for i in range(size):
            item.quantified.create(metric=f"m{i}", before=i, after=i + 1)
    elif kind == "failure":
        item.factors.set(factors)
    for i in range(size):
        services.submission_update(item=item, actor=author, fields={"title": f"Title {i}"})
    services.submission_submit(item=item, actor=author)
    args = {"kind": kind, "pk": item.pk}
    client.force_login(author)
    for name in ("submission_detail", "submission_revisions", "submission_edit"):
        with django_assert_max_num_queries(11):
            client.get(reverse(f"cases:{name}", kwargs=args))
    client.force_login(maintainer)
    with django_assert_max_num_queries(11):
        assert client.get(reverse("cases:review_item", kwargs=args)).status_code == 200

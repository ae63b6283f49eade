"""Review pages: the queue (newest first by default, filters), the item and the decision."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseStudy, State

QUEUE = "/review/"


def review_url(item):
    return reverse("cases:review_item", kwargs={"kind": type(item).KIND, "pk": item.pk})


@pytest.fixture
def as_maintainer(client, maintainer):
    client.force_login(maintainer)
    return client


def test_queue_lists_submitted_items_of_every_kind_newest_first(as_maintainer, make_item):
    now = timezone.now()
    newest = make_item(state=State.SUBMITTED, title="Item Ceres", submitted_at=now)
    oldest = make_item(
        kind="failure", state=State.SUBMITTED, title="Item Atlas", submitted_at=now - timedelta(3)
    )
    middle = make_item(
        kind="adaptation",
        state=State.SUBMITTED,
        title="Item Borea",
        submitted_at=now - timedelta(1),
    )
    make_item(state=State.DRAFT, title="A draft")
    make_item(state=State.PUBLISHED, title="Done already")
    make_item(state=State.CHANGES_REQUESTED, title="With the author")

    response = as_maintainer.get(QUEUE)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Item Ceres") < html.index("Item Borea") < html.index("Item Atlas")
    for title in ("A draft", "Done already", "With the author"):
        assert title not in html
    for item in (newest, oldest, middle):
        assert review_url(item) in html
    assert "3 waiting" in html
    assert "newest first" in html

    # A plain GET form (no JavaScript) turns the order round; the choice stays selected.
    assert '<select name="sort"' in html
    html = as_maintainer.get(QUEUE, {"sort": "oldest"}).content.decode()
    assert html.index("Item Atlas") < html.index("Item Borea") < html.index("Item Ceres")
    assert '<option value="oldest" selected>' in html
    # The order survives an unknown filter, and pages keep it.
    html = as_maintainer.get(QUEUE, {"sort": "oldest", "factor": "x"}).content.decode()
    assert html.index("Item Atlas") < html.index("Item Ceres")


def test_queue_filters_by_kind_and_factor(as_maintainer, make_item, framework):
    case = make_item(state=State.SUBMITTED, title="Case on factor one")  # factor 1
    adaptation = make_item(kind="adaptation", state=State.SUBMITTED, title="Adapting two")
    failure = make_item(kind="failure", state=State.SUBMITTED, title="Failing three")

    html = as_maintainer.get(QUEUE, {"kind": "adaptation"}).content.decode()
    assert "Adapting two" in html and "Case on factor one" not in html
    assert "Failing three" not in html

    html = as_maintainer.get(QUEUE, {"factor": 3}).content.decode()
    assert "Failing three" in html
    assert "Adapting two" not in html and "Case on factor one" not in html

    html = as_maintainer.get(QUEUE, {"kind": "case_study", "factor": 1}).content.decode()
    assert "Case on factor one" in html and "Failing three" not in html

    html = as_maintainer.get(QUEUE, {"kind": "failure", "factor": 1}).content.decode()
    assert "Nothing waiting with these filters" in html
    assert review_url(case) not in html
    assert review_url(adaptation) not in html and review_url(failure) not in html


@pytest.mark.parametrize("query", [{"factor": 99}, {"factor": "x"}, {"kind": "essay"}])
def test_unknown_filters_are_a_message_not_an_error(as_maintainer, make_item, query):
    make_item(state=State.SUBMITTED, title="Still listed")
    response = as_maintainer.get(QUEUE, query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "That filter was not understood" in html
    assert "Still listed" in html


def test_queue_paginates(as_maintainer, make_item):
    for n in range(27):
        make_item(state=State.SUBMITTED, title=f"Item {n:02}")
    first = as_maintainer.get(QUEUE).content.decode()
    assert "Page 1 of 2" in first
    second = as_maintainer.get(QUEUE, {"page": 2}).content.decode()
    assert second.count('class="evidence-item"') == 2


def test_item_view_shows_the_submission_history_and_decision_form(as_maintainer, make_item, author):
    item = make_item(state=State.SUBMITTED, context="The **context**.")
    from cases.models import StateChange

    StateChange.objects.create(item=item, actor=author, from_state="draft", to_state="submitted")
    html = as_maintainer.get(review_url(item)).content.decode()
    assert "<strong>context</strong>" in html
    assert "Worked as written" in html  # the factor application
    assert "Draft → Submitted" in html
    assert 'name="decision"' in html and 'name="comment"' in html
    assert (
        reverse("cases:submission_revisions", kwargs={"kind": "case_study", "pk": item.pk}) in html
    )


def test_publishing_from_the_page(
    as_maintainer, make_item, author, maintainer, django_capture_on_commit_callbacks
):
    item = make_item(state=State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_maintainer.post(
            review_url(item), {"decision": "publish", "comment": "Clear and useful."}
        )
    assert response.status_code == 302
    assert response.url == QUEUE
    item.refresh_from_db()
    assert item.state == State.PUBLISHED
    change = item.state_changes.last()
    assert (change.actor, change.comment) == (maintainer, "Clear and useful.")
    assert [m.to for m in mail.outbox] == [[author.email]]


def test_decision_without_comment_is_refused_next_to_the_field(as_maintainer, make_item):
    item = make_item(state=State.SUBMITTED)
    response = as_maintainer.post(review_url(item), {"decision": "reject", "comment": "  "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    item.refresh_from_db()
    assert item.state == State.SUBMITTED


def test_unknown_decision_is_refused(as_maintainer, make_item):
    item = make_item(state=State.SUBMITTED)
    response = as_maintainer.post(review_url(item), {"decision": "delete", "comment": "Bye"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    item.refresh_from_db()
    assert item.state == State.SUBMITTED


def test_second_maintainer_gets_already_reviewed(client, make_item, maintainer, second_maintainer):
    item = make_item(state=State.SUBMITTED)
    client.force_login(maintainer)
    client.post(review_url(item), {"decision": "publish", "comment": "Yes."})
    client.force_login(second_maintainer)
    response = client.post(review_url(item), {"decision": "reject", "comment": "No."})
    assert response.status_code == 409
    assert "already reviewed" in response.content.decode()
    item.refresh_from_db()
    assert item.state == State.PUBLISHED
    assert item.state_changes.filter(from_state=State.SUBMITTED).count() == 1


def test_maintainer_cannot_review_own_item_on_the_page(as_maintainer, make_item, maintainer):
    item = make_item(state=State.SUBMITTED, by=maintainer)
    html = as_maintainer.get(review_url(item)).content.decode()
    assert "another maintainer must review it" in html
    assert 'name="decision"' not in html
    response = as_maintainer.post(review_url(item), {"decision": "publish", "comment": "Me!"})
    assert response.status_code == 403
    assert "review your own submission" in response.content.decode()
    item.refresh_from_db()
    assert item.state == State.SUBMITTED


def test_author_posting_publish_is_refused(client, make_item, author):
    item = make_item(state=State.SUBMITTED)
    client.force_login(author)
    response = client.post(review_url(item), {"decision": "publish", "comment": "Mine is great"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.state == State.SUBMITTED
    assert not CaseStudy.objects.published().exists()


def test_maintainers_cannot_see_others_drafts(as_maintainer, make_item):
    item = make_item(state=State.DRAFT)
    assert as_maintainer.get(review_url(item)).status_code == 404


def test_navigation_links_for_members_and_maintainers(client, member, maintainer, framework):
    client.force_login(member)
    html = client.get("/").content.decode()
    assert ">My submissions</a>" in html and ">Review queue</a>" not in html
    client.force_login(maintainer)
    html = client.get("/").content.decode()
    assert ">My submissions</a>" in html and ">Review queue</a>" in html

"""Maintainers keep failure modes through the site: create, edit, link reports, mark
addressed, and pick a mode while reviewing a failure report. Everyone else is refused."""

import re

import pytest
from django.urls import reverse

from cases.models import Revision, Severity, State
from common.errors import ServiceError
from failuremodes import services
from failuremodes.models import FailureMode
from tests.factories import FailureReportFactory, UserFactory


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def as_maintainer(client, maintainer):
    client.force_login(maintainer)
    client.user = maintainer
    return client


def review_url(item):
    return reverse("cases:review_item", kwargs={"kind": "failure", "pk": item.pk})


def test_a_maintainer_creates_and_edits_a_mode_and_each_edit_is_recorded(
    as_maintainer, maintainer, framework
):
    response = as_maintainer.post(
        reverse("failuremodes:create"),
        {"title": "Runaway loops", "what_happens": "Agents *loop*.", "detection": "",
         "prevention": "Budgets.", "factors": [framework[1].pk, framework[3].pk]},
    )  # fmt: skip
    mode = FailureMode.objects.get()
    assert response.status_code == 302 and response["Location"] == mode.get_manage_url()
    assert mode.what_happens_html == "<p>Agents <em>loop</em>.</p>"
    assert sorted(f.number for f in mode.factors.all()) == [1, 3]
    assert mode.created_by == maintainer

    response = as_maintainer.post(
        mode.get_manage_url(),
        {"title": "Runaway agent loops", "what_happens": "<script>x</script>Loops.",
         "detection": "Alerts.", "prevention": "Budgets.", "factors": [framework[1].pk]},
    )  # fmt: skip
    assert response.status_code == 302
    mode.refresh_from_db()
    assert mode.title == "Runaway agent loops" and "<script>" not in mode.what_happens_html
    revisions = list(mode.revisions.order_by("number"))
    assert [(r.number, r.author, r.data["title"]) for r in revisions] == [
        (1, maintainer, "Runaway loops"),
        (2, maintainer, "Runaway agent loops"),
    ]
    assert revisions[0].data["factors"] == [1, 3] and revisions[1].data["factors"] == [1]
    text = _text(as_maintainer.get(mode.get_manage_url()).content.decode())
    assert "Version 2:" in text and "Version 1:" in text


def test_a_bad_title_is_shown_beside_the_field_and_the_text_is_kept(as_maintainer, framework):
    response = as_maintainer.post(
        reverse("failuremodes:create"), {"title": "", "what_happens": "Kept text."}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "This field is required." in html and "Kept text." in html
    assert not FailureMode.objects.exists()


def test_linking_and_unlinking_reports_and_the_search_finds_published_ones(
    as_maintainer, framework
):
    mode = FailureMode.objects.create(title="Runaway loops")
    report = FailureReportFactory(title="Agent loop at the bank", factors=[framework[1]])
    FailureReportFactory(title="Agent loop draft", state=State.DRAFT)
    html = as_maintainer.get(mode.get_manage_url(), {"q": "loop"}).content.decode()
    assert "Agent loop at the bank" in html and "Agent loop draft" not in html

    url = reverse("failuremodes:reports", args=[mode.slug])
    assert as_maintainer.post(url, {"report": report.pk, "action": "add"}).status_code == 302
    assert list(mode.reports.all()) == [report]
    assert as_maintainer.get(mode.get_absolute_url()).status_code == 200  # public now
    assert as_maintainer.post(url, {"report": report.pk, "action": "remove"}).status_code == 302
    assert not mode.reports.exists()
    assert mode.revisions.count() == 2
    # Someone's draft answers 404, as everywhere.
    draft = FailureReportFactory(state=State.DRAFT)
    assert as_maintainer.post(url, {"report": draft.pk, "action": "add"}).status_code == 404


def test_marking_addressed_needs_a_reason_and_an_adaptation_must_be_published(
    as_maintainer, framework
):
    from tests.factories import AdaptationFactory

    mode = FailureMode.objects.create(title="Runaway loops")
    url = reverse("failuremodes:addressed", args=[mode.slug])
    response = as_maintainer.post(url, {"addressed": "on"})
    assert response.status_code == 400
    assert "Say what addresses it" in response.content.decode()
    draft = AdaptationFactory(factor=framework[1], state=State.DRAFT)
    response = as_maintainer.post(url, {"addressed": "on", "adaptation": draft.slug})
    assert response.status_code == 400
    assert "No published adaptation has that address" in response.content.decode()
    mode.refresh_from_db()
    assert mode.addressed_at is None

    published = AdaptationFactory(factor=framework[1])
    full_url = f"https://example.org{published.get_absolute_url()}"
    assert as_maintainer.post(url, {"addressed": "on", "adaptation": full_url}).status_code == 302
    mode.refresh_from_db()
    assert mode.addressed_by == published and mode.is_addressed
    assert as_maintainer.post(url, {}).status_code == 302  # open again
    mode.refresh_from_db()
    assert not mode.is_addressed and mode.addressed_by is None
    assert [r.data["addressed_by"] for r in mode.revisions.order_by("number")] == [
        published.slug,
        None,
    ]


def test_services_refuse_anyone_but_a_maintainer(framework):
    member = UserFactory()
    with pytest.raises(ServiceError):
        services.failure_mode_create(actor=member, title="Nope")
    mode = FailureMode.objects.create(title="Runaway loops")
    report = FailureReportFactory()
    for call in (
        lambda: services.failure_mode_update(mode=mode, actor=member, title="X"),
        lambda: services.failure_mode_link(mode=mode, actor=member, report=report),
        lambda: services.failure_mode_unlink(mode=mode, actor=member, report=report),
        lambda: services.failure_mode_set_addressed(
            mode=mode, actor=member, addressed=True, refinement="x"
        ),
    ):
        with pytest.raises(ServiceError):
            call()
    assert not Revision.objects.exists()


@pytest.mark.parametrize("who", ["member", "author"])
def test_collaborators_cannot_edit_through_the_site(client, framework, who):
    report = FailureReportFactory()
    user = report.author if who == "author" else UserFactory()
    client.force_login(user)
    mode = FailureMode.objects.create(title="Runaway loops")
    mode.reports.add(report)
    for url, data in [
        (reverse("failuremodes:create"), {"title": "x"}),
        (mode.get_manage_url(), {"title": "x"}),
        (reverse("failuremodes:addressed", args=[mode.slug]), {"refinement": "x"}),
        (reverse("failuremodes:reports", args=[mode.slug]), {"report": report.pk}),
    ]:
        assert client.post(url, {**data, "action": "remove"}).status_code == 403
    mode.refresh_from_db()
    assert mode.title == "Runaway loops" and mode.reports.count() == 1


# --- the review page ---------------------------------------------------------------------


@pytest.fixture
def under_review(framework):
    loops = FailureMode.objects.create(title="Runaway loops")
    earlier = FailureReportFactory(
        title="Retry loop exhausted the token budget", factors=[framework[1]]
    )
    loops.reports.add(earlier)
    FailureReportFactory(
        title="Unrelated outage of the vector store", symptom="The index was down."
    )
    FailureReportFactory(title="Retry loop in a draft", state=State.DRAFT)
    item = FailureReportFactory(
        title="Endless retry loop on the billing agent",
        state=State.SUBMITTED,
        severity=Severity.CRITICAL,
        factors=[framework[2]],
    )
    return item, loops, earlier


def test_the_review_page_suggests_similar_published_reports_with_their_modes(
    as_maintainer, under_review
):
    item, loops, earlier = under_review
    text = _text(as_maintainer.get(review_url(item)).content.decode())
    assert "Similar published failure reports" in text
    assert "Retry loop exhausted the token budget" in text
    assert "in Runaway loops" in text
    assert "Unrelated outage" not in text and "Retry loop in a draft" not in text
    # The best match first: the title shares "retry" and "loop".
    similar = text[text.index("Similar published failure reports") :]
    assert similar.index("Retry loop exhausted") < similar.index("History")
    assert "Failure mode it joins" in text


def test_publishing_with_a_picked_mode_puts_the_report_in_it(as_maintainer, under_review):
    item, loops, _earlier = under_review
    response = as_maintainer.post(
        review_url(item),
        {"decision": "publish", "comment": "Thanks.", "mode-mode": loops.pk},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == State.PUBLISHED
    assert set(loops.reports.all()) == {item, _earlier}


def test_publishing_can_start_a_new_mode_from_the_report(as_maintainer, maintainer, under_review):
    item, loops, _earlier = under_review
    response = as_maintainer.post(
        review_url(item),
        {"decision": "publish", "comment": "Thanks.", "mode-new_mode_title": "Billing retries"},
    )
    assert response.status_code == 302
    new = FailureMode.objects.get(title="Billing retries")
    assert list(new.reports.all()) == [item]
    assert [f.number for f in new.factors.all()] == [2]
    assert new.prevention == item.prevention and new.created_by == maintainer


def test_other_decisions_leave_modes_alone(as_maintainer, under_review):
    item, loops, _earlier = under_review
    response = as_maintainer.post(
        review_url(item),
        {"decision": "request_changes", "comment": "More please.", "mode-mode": loops.pk},
    )
    assert response.status_code == 302
    assert item not in loops.reports.all()


def test_picking_a_mode_and_a_new_title_is_refused_and_nothing_is_decided(
    as_maintainer, under_review
):
    item, loops, _earlier = under_review
    response = as_maintainer.post(
        review_url(item),
        {"decision": "publish", "comment": "Thanks.", "mode-mode": loops.pk,
         "mode-new_mode_title": "Another"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "not both" in response.content.decode()
    item.refresh_from_db()
    assert item.state == State.SUBMITTED and FailureMode.objects.count() == 1


def test_the_review_page_runs_a_fixed_number_of_queries(
    as_maintainer, under_review, framework, django_assert_max_num_queries
):
    item, loops, _earlier = under_review
    as_maintainer.get(review_url(item))  # warm: content types are cached after the first
    counts = []
    for extra in (0, 12):
        for n in range(extra):
            report = FailureReportFactory(title=f"Retry loop number {n}", factors=[framework[1]])
            FailureMode.objects.create(title=f"Mode {n}").reports.add(report)
        with django_assert_max_num_queries(40) as ctx:
            assert as_maintainer.get(review_url(item)).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_every_change_moves_the_page_cache_generation(maintainer, framework):
    from pagecache.generation import generation_current

    seen = [generation_current()]

    def moved() -> bool:
        now = generation_current()
        changed, seen[0] = now != seen[0], now
        return changed

    mode = services.failure_mode_create(actor=maintainer, title="Runaway loops")
    assert moved()
    report = FailureReportFactory()
    moved()
    services.failure_mode_link(mode=mode, actor=maintainer, report=report)
    assert moved()
    services.failure_mode_set_addressed(
        mode=mode, actor=maintainer, addressed=True, refinement="Budgets."
    )
    assert moved()
    services.failure_mode_unlink(mode=mode, actor=maintainer, report=report)
    assert moved()


@pytest.mark.parametrize("page", ["manage", "edit", "edit_search"])
def test_maintainer_pages_run_a_fixed_number_of_queries(
    as_maintainer, framework, django_assert_max_num_queries, page
):
    mode = FailureMode.objects.create(title="Runaway loops")
    urls = {
        "manage": (reverse("failuremodes:manage"), {}),
        "edit": (mode.get_manage_url(), {}),
        "edit_search": (mode.get_manage_url(), {"q": "loop"}),
    }
    counts = []
    for extra in (1, 12):
        for n in range(extra):
            report = FailureReportFactory(title=f"Agent loop {n}", factors=[framework[1]])
            mode.reports.add(report)
            FailureReportFactory(title=f"Another loop {n}", factors=[framework[2]])
            other = FailureMode.objects.create(title=f"Mode {n}")
            other.reports.add(report)
            services.failure_mode_update(mode=mode, actor=as_maintainer.user, title=f"Loops {n}")
        mode.refresh_from_db()
        url, params = urls[page]
        url = reverse("failuremodes:manage") if page == "manage" else mode.get_manage_url()
        with django_assert_max_num_queries(20) as ctx:
            assert as_maintainer.get(url, params).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]

"""The review workflow's services: the state machine, its rules, revisions, email, races."""

import pytest
from django.core import mail
from django.db import transaction

from cases import services, workflow
from cases.models import CaseStudy, FailureReport, Revision, State, StateChange
from cases.workflow import (
    AUTHOR,
    DECISIONS,
    TRANSITION_TABLE,
    TRANSITIONS,
    Action,
    AlreadyReviewed,
    Incomplete,
    NotPermitted,
    WorkflowError,
)
from tests.factories import UserFactory

ALL_PAIRS = [(state, action) for state in State.values for action in Action.values]
ALLOWED = [(t.source, t.action) for t in TRANSITIONS]
REFUSED = [pair for pair in ALL_PAIRS if pair not in TRANSITION_TABLE]


def test_the_table_covers_the_documented_life_cycle():
    assert len(ALLOWED) == len(set(ALLOWED)) == 8
    assert len(REFUSED) == len(ALL_PAIRS) - 8
    # Nothing leaves published, rejected or withdrawn.
    assert not [t for t in TRANSITIONS if t.source in ("published", "rejected", "withdrawn")]
    # Decisions always need a comment.
    assert all(t.comment_required for t in TRANSITIONS if t.action in DECISIONS)


def _act(item, actor, action):
    return services.submission_act(item=item, actor=actor, action=action, comment="Reasoned.")


@pytest.mark.parametrize(("state", "action"), ALLOWED)
def test_every_allowed_transition_moves_and_is_recorded(
    state, action, make_item, author, maintainer
):
    item = make_item(state=state)
    transition = TRANSITION_TABLE[(state, action)]
    actor = author if transition.by == AUTHOR else maintainer
    before = StateChange.objects.count()

    moved = _act(item, actor, action)

    item.refresh_from_db()
    assert item.state == moved.state == transition.target
    assert StateChange.objects.count() == before + 1
    change = item.state_changes.last()
    assert (change.actor, change.from_state, change.to_state) == (actor, state, transition.target)
    if transition.comment_required:
        assert change.comment == "Reasoned."
    if transition.target == State.SUBMITTED:
        assert item.submitted_at is not None
    if transition.target == State.PUBLISHED:
        assert item.published_at is not None
        assert CaseStudy.objects.published().filter(pk=item.pk).exists()


@pytest.mark.parametrize(("state", "action"), ALLOWED)
def test_every_allowed_transition_is_refused_to_the_wrong_person(
    state, action, make_item, author, other, maintainer
):
    item = make_item(state=state)
    transition = TRANSITION_TABLE[(state, action)]
    # Author moves: another member or a maintainer may not. Decisions: the author may not,
    # nor a plain member.
    wrong = [other, maintainer] if transition.by == AUTHOR else [author, other]
    for actor in wrong:
        with pytest.raises(NotPermitted):
            _act(item, actor, action)
    item.refresh_from_db()
    assert item.state == state
    assert not item.state_changes.exists()


@pytest.mark.parametrize(("state", "action"), REFUSED)
def test_every_refused_transition_changes_nothing(state, action, make_item, author, maintainer):
    item = make_item(state=state)
    before = StateChange.objects.count()
    for actor in (author, maintainer):
        with pytest.raises(WorkflowError) as refused:
            _act(item, actor, action)
        assert refused.value.message  # a sentence for the person, not a traceback
    item.refresh_from_db()
    assert item.state == state
    assert StateChange.objects.count() == before


@pytest.mark.parametrize("kind", ["case_study", "adaptation", "failure"])
def test_each_kind_goes_from_draft_to_published(kind, make_item, author, maintainer):
    item = make_item(kind=kind)
    item = services.submission_submit(item=item, actor=author)
    item = services.submission_publish(item=item, actor=maintainer, comment="Thank you.")
    assert type(item).objects.published().filter(pk=item.pk).exists()
    assert [c.to_state for c in item.state_changes.all()] == ["submitted", "published"]


def test_changes_requested_then_resubmitted_then_published(make_item, author, maintainer):
    item = make_item(state=State.SUBMITTED)
    services.submission_request_changes(item=item, actor=maintainer, comment="Add numbers.")
    services.submission_update(item=item, actor=author, fields={"results": "Incidents fell."})
    services.submission_submit(item=item, actor=author)
    services.submission_publish(item=item, actor=maintainer, comment="Good now.")
    item.refresh_from_db()
    assert item.state == State.PUBLISHED
    assert item.results_html == "<p>Incidents fell.</p>"
    assert [(c.from_state, c.to_state) for c in item.state_changes.all()] == [
        ("submitted", "changes_requested"),
        ("changes_requested", "submitted"),
        ("submitted", "published"),
    ]


@pytest.mark.parametrize("action", [a.value for a in DECISIONS])
@pytest.mark.parametrize("comment", ["", "   \n "])
def test_decisions_need_a_comment(action, comment, make_item, maintainer):
    item = make_item(state=State.SUBMITTED)
    with pytest.raises(WorkflowError, match="comment"):
        services.submission_act(item=item, actor=maintainer, action=action, comment=comment)
    item.refresh_from_db()
    assert item.state == State.SUBMITTED


@pytest.mark.parametrize("action", [a.value for a in DECISIONS])
def test_maintainer_cannot_review_own_submission(action, make_item, maintainer):
    item = make_item(state=State.SUBMITTED, by=maintainer)
    with pytest.raises(NotPermitted, match="your own"):
        services.submission_act(item=item, actor=maintainer, action=action, comment="Fine.")
    item.refresh_from_db()
    assert item.state == State.SUBMITTED


def test_only_verified_users_create_or_submit(framework, domain):
    unverified = UserFactory(verified=False)
    with pytest.raises(NotPermitted, match="verify"):
        services.submission_create_draft(
            kind="adaptation",
            author=unverified,
            fields={"title": "T", "domain": domain, "factor": framework[1]},
        )
    assert not StateChange.objects.exists()


def test_unverified_author_cannot_submit_an_existing_draft(make_item):
    item = make_item(by=UserFactory(verified=False))
    with pytest.raises(NotPermitted, match="verify"):
        services.submission_submit(item=item, actor=item.author)
    item.refresh_from_db()
    assert item.state == State.DRAFT


def test_half_filled_draft_can_be_saved_but_not_submitted(framework, author, domain):
    item = services.submission_create_draft(
        kind="case_study", author=author, fields={"title": "Half done", "domain": domain}
    )
    assert item.state == State.DRAFT
    assert item.state_changes.get().to_state == State.DRAFT
    with pytest.raises(Incomplete) as refused:
        services.submission_submit(item=item, actor=author)
    assert {"summary", "context", "factors"} <= set(refused.value.missing)
    item.refresh_from_db()
    assert item.state == State.DRAFT
    assert item.submitted_at is None


def test_role_credit_needs_a_role_to_submit(make_item, author):
    item = make_item(consent="role", attribution_role="")
    with pytest.raises(Incomplete, match="attribution role"):
        services.submission_submit(item=item, actor=author)


def test_submitted_items_are_frozen_and_others_cannot_edit(make_item, author, other):
    draft = make_item()
    with pytest.raises(NotPermitted):
        services.submission_update(item=draft, actor=other, fields={"title": "Mine now"})
    for state in (State.SUBMITTED, State.PUBLISHED, State.REJECTED, State.WITHDRAWN):
        item = make_item(state=state, title=f"Kept {state}")
        with pytest.raises(NotPermitted):
            services.submission_update(item=item, actor=author, fields={"title": "Changed"})
        item.refresh_from_db()
        assert item.title == f"Kept {state}"
        assert not item.revisions.exists()


def test_each_edit_keeps_the_previous_version_numbered_per_item(framework, make_item, author):
    item = make_item(title="First title", context="First *context*.")
    other_item = make_item(title="Unrelated")
    services.submission_update(
        item=item,
        actor=author,
        fields={"title": "Second title"},
        applications=[{"factor": framework[5], "outcome": "failed", "note": "Too slow."}],
        quantified=[{"metric": "MTTR", "before": 60, "after": 15, "unit": "minutes"}],
    )
    services.submission_update(item=item, actor=author, fields={"context": "Third context."})
    services.submission_update(item=other_item, actor=author, fields={"title": "Other 2"})

    revisions = list(item.revisions.order_by("number"))
    assert [r.number for r in revisions] == [1, 2]
    first, second = (r.data for r in revisions)
    assert first["title"] == "First title"
    assert first["context"] == "First *context*."
    assert [a["factor"] for a in first["applications"]] == [framework[1].pk]
    assert first["quantified"] == []
    assert second["title"] == "Second title"
    assert second["applications"][0]["outcome"] == "failed"
    assert second["quantified"][0]["metric"] == "MTTR"
    assert all(r.author == author for r in revisions)
    assert other_item.revisions.get().number == 1
    item.refresh_from_db()
    assert item.context_html == "<p>Third context.</p>"


def test_an_edit_that_changes_nothing_keeps_no_revision(make_item, author):
    item = make_item(title="Same")
    services.submission_update(item=item, actor=author, fields={"title": "Same"})
    assert not Revision.objects.exists()


def test_failure_report_factors_are_kept_in_revisions(framework, make_item, author):
    item = make_item(kind="failure")
    services.submission_update(item=item, actor=author, fields={}, factors=[framework[9]])
    assert item.revisions.get().data["factors"][0]["factor"] == framework[3].pk
    assert list(FailureReport.objects.get(pk=item.pk).factors.all()) == [framework[9]]


def test_withdrawn_and_rejected_items_are_kept(make_item, author, maintainer):
    withdrawn = services.submission_withdraw(item=make_item(state=State.SUBMITTED), actor=author)
    rejected = services.submission_reject(
        item=make_item(state=State.SUBMITTED), actor=maintainer, comment="Out of scope."
    )
    assert CaseStudy.objects.filter(pk__in=[withdrawn.pk, rejected.pk]).count() == 2
    assert not CaseStudy.objects.published().exists()


# --- email, after commit only ------------------------------------------------------------------


def test_submission_emails_maintainers_but_not_the_author_after_commit(
    make_item, maintainer, second_maintainer, django_capture_on_commit_callbacks
):
    item = make_item(by=maintainer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.submission_submit(item=item, actor=maintainer)
        assert mail.outbox == []  # nothing before the commit
    with django_capture_on_commit_callbacks(execute=True):  # the commit, then the worker
        for callback in callbacks:
            callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [second_maintainer.email]
    assert item.title in message.subject
    assert f"/review/case-study/{item.pk}/" in message.body


def test_resubmission_says_so(make_item, author, maintainer, django_capture_on_commit_callbacks):
    item = make_item(state=State.CHANGES_REQUESTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_submit(item=item, actor=author)
    assert mail.outbox[0].subject.startswith("[12-Factor AgentOps] Resubmitted")
    assert mail.outbox[0].to == [maintainer.email]


@pytest.mark.parametrize(
    ("service", "words"),
    [
        (services.submission_publish, "is published"),
        (services.submission_request_changes, "needs changes"),
        (services.submission_reject, "was not accepted"),
    ],
)
def test_each_decision_emails_the_author_with_the_comment(
    service, words, make_item, author, maintainer, django_capture_on_commit_callbacks
):
    item = make_item(state=State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        service(item=item, actor=maintainer, comment="Please add the <b>numbers</b> & units.")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [author.email]
    assert words in message.subject
    assert "Please add the <b>numbers</b> & units." in message.body  # plain text, not escaped


def test_no_email_when_the_transaction_rolls_back(
    make_item, author, maintainer, django_capture_on_commit_callbacks
):
    item = make_item()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                services.submission_submit(item=item, actor=author)
                raise RuntimeError("something later failed")
    assert callbacks == []
    assert mail.outbox == []
    item.refresh_from_db()
    assert item.state == State.DRAFT
    assert not item.state_changes.exists()


def test_a_mail_outage_does_not_undo_the_decision(
    make_item, author, maintainer, settings, django_capture_on_commit_callbacks
):
    from outbox.models import EmailStatus, OutgoingEmail

    settings.MAILERS = {"default": {"BACKEND": "tests.cases.broken_mail.Backend"}}
    item = make_item(state=State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_publish(item=item, actor=maintainer, comment="Good.")
    item.refresh_from_db()
    assert item.state == State.PUBLISHED
    # Tried EMAIL_MAX_ATTEMPTS times by the worker, then recorded as failed, never lost.
    [email] = OutgoingEmail.objects.all()
    assert email.to == [author.email] and email.status == EmailStatus.FAILED
    assert email.attempts == settings.EMAIL_MAX_ATTEMPTS
    assert "mail server down" in email.last_error


# --- two maintainers at once ---------------------------------------------------------------


def test_second_decision_on_a_stale_page_is_refused_with_a_clear_message(
    make_item, maintainer, second_maintainer
):
    item = make_item(state=State.SUBMITTED)
    stale = CaseStudy.objects.get(pk=item.pk)  # what the second maintainer's page loaded
    services.submission_publish(item=item, actor=maintainer, comment="Publish.")
    with pytest.raises(AlreadyReviewed) as refused:
        services.submission_reject(item=stale, actor=second_maintainer, comment="Reject.")
    assert "already reviewed" in refused.value.message
    item.refresh_from_db()
    assert item.state == State.PUBLISHED
    decisions = item.state_changes.filter(from_state=State.SUBMITTED)
    assert [(c.to_state, c.actor) for c in decisions] == [("published", maintainer)]


def test_author_withdrawing_while_reviewed_wins_or_loses_cleanly(make_item, author, maintainer):
    item = make_item(state=State.SUBMITTED)
    stale = CaseStudy.objects.get(pk=item.pk)
    services.submission_withdraw(item=item, actor=author)
    with pytest.raises(AlreadyReviewed):
        services.submission_publish(item=stale, actor=maintainer, comment="Too late.")
    assert not CaseStudy.objects.published().exists()


def test_double_submit_is_refused_without_a_second_transition(make_item, author):
    item = make_item()
    services.submission_submit(item=item, actor=author)
    with pytest.raises(WorkflowError):
        services.submission_submit(item=item, actor=author)
    assert item.state_changes.filter(to_state=State.SUBMITTED).count() == 1


def test_transitions_for_offers_only_what_the_person_may_do(make_item, author, other, maintainer):
    item = make_item(state=State.SUBMITTED)
    assert [t.action for t in workflow.transitions_for(item, author)] == ["withdraw"]
    assert workflow.transitions_for(item, other) == []
    assert {t.action for t in workflow.transitions_for(item, maintainer)} == set(DECISIONS)
    own = make_item(state=State.SUBMITTED, by=maintainer)
    assert [t.action for t in workflow.transitions_for(own, maintainer)] == ["withdraw"]


@pytest.mark.django_db(transaction=True)
def test_two_maintainers_deciding_at_the_same_moment(make_item, maintainer, second_maintainer):
    """Real concurrency: two threads, two connections, one row lock. One decision wins."""
    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers itself; the row lock is PostgreSQL's")
    import threading

    from django.db import connections

    item = make_item(state=State.SUBMITTED)
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(actor, service, comment):
        try:
            page_item = CaseStudy.objects.get(pk=item.pk)  # both pages show "submitted"
            barrier.wait(timeout=10)
            service(item=page_item, actor=actor, comment=comment)
            outcomes.append("decided")
        except AlreadyReviewed as refused:
            outcomes.append(refused.message)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(maintainer, services.submission_publish, "Yes.")),
        threading.Thread(
            target=decide, args=(second_maintainer, services.submission_reject, "No.")
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcomes.count("decided") == 1
    assert len(outcomes) == 2
    assert "already reviewed" in next(o for o in outcomes if o != "decided")
    item.refresh_from_db()
    assert item.state in (State.PUBLISHED, State.REJECTED)
    assert item.state_changes.filter(from_state=State.SUBMITTED).count() == 1

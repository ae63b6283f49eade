"""Invalidation that fits: writes no anonymous visitor can see leave the cached pages alone.

Every model is placed on one side deliberately: a new model fails
`test_every_model_is_placed_deliberately` until it is added here (and, if it never shows on
a public page, to settings.PAGE_CACHE_IGNORED_MODELS).
"""

import pytest
from django.apps import apps
from django.utils import timezone

from cases import services
from cases.models import FactorApplication, QuantifiedResult, Revision, State, StateChange
from community.models import Follow, Notification
from pagecache.generation import generation_current
from pagecache.signals import side_of
from tests.factories import CaseStudyFactory, FailureReportFactory, UserFactory

NEVER = "never"
ALWAYS = "always"
WHEN_PUBLISHED = "when published"
WHEN_ITEM_PUBLISHED = "when its item is published"
WHEN_DECISION = "when it records a decision"

SIDES = {
    # Never on a public page.
    "sessions.session": NEVER,
    "admin.logentry": NEVER,
    "pagecache.generation": NEVER,
    "community.notification": NEVER,
    "community.follow": NEVER,
    "community.flag": NEVER,
    "cases.revision": NEVER,
    "cases.formtoken": NEVER,  # a submitted form's one-time token, never shown
    "outbox.outgoingemail": NEVER,  # the email queue
    "django_tasks_database.dbtaskresult": NEVER,  # task rows
    "mfa.authenticator": NEVER,
    "account.emailaddress": NEVER,
    "account.emailconfirmation": NEVER,
    # On public pages, but written just before the bump of the change they record
    # (factors/history.py), so they need none of their own.
    "factors.maturitysnapshot": NEVER,
    "factors.factorsnapshot": NEVER,
    # Sometimes: evidence, its parts and its recorded steps.
    "cases.casestudy": WHEN_PUBLISHED,
    "cases.adaptation": WHEN_PUBLISHED,
    "cases.failurereport": WHEN_PUBLISHED,
    "cases.referenceimplementation": WHEN_PUBLISHED,
    "cases.factorapplication": WHEN_ITEM_PUBLISHED,
    "cases.quantifiedresult": WHEN_ITEM_PUBLISHED,
    "cases.failurereport_factors": WHEN_ITEM_PUBLISHED,
    "cases.factorimplementation": WHEN_ITEM_PUBLISHED,
    "cases.statechange": WHEN_DECISION,
    # Always (when in doubt, a model belongs here).
    "auth.permission": ALWAYS,
    "auth.group_permissions": ALWAYS,
    "auth.group": ALWAYS,  # maintainers are a group: their badge is public
    "contenttypes.contenttype": ALWAYS,
    "accounts.user_groups": ALWAYS,
    "accounts.user_user_permissions": ALWAYS,
    "accounts.user": ALWAYS,  # public names (a save of last_login alone is ignored)
    "factors.phase": ALWAYS,
    "factors.factor": ALWAYS,
    "factors.framework": ALWAYS,
    "factors.phasechange": ALWAYS,
    "factors.criterion": ALWAYS,
    "cases.domain": ALWAYS,
    "cases.organization": ALWAYS,
    "cases.metric": ALWAYS,  # the metric vocabulary: names and definitions on factor pages
    "community.thread": ALWAYS,
    "community.threadstatuschange": ALWAYS,
    "community.reply": ALWAYS,
    "community.replyrevision": ALWAYS,
    "community.profile": ALWAYS,
    "opendata.carriedactivity": ALWAYS,  # the activity measures (an import also bumps)
    # Failure modes: on public pages (their list and page, the factor's and each report's
    # page); maintainers' edits are rare, so every write bumps.
    "failuremodes.failuremode": ALWAYS,
    "failuremodes.failuremode_factors": ALWAYS,
    "failuremodes.failuremode_reports": ALWAYS,
    "cases.confirmation": ALWAYS,  # a re-confirmation: the item is fresh again (it also bumps)
}


def test_every_model_is_placed_deliberately():
    placed = {
        model._meta.label_lower: side_of(model)
        for model in apps.get_models(include_auto_created=True)
    }
    assert placed == SIDES


@pytest.fixture
def bumps():
    """bumps() -> how many times the generation moved since the last call."""
    seen = [generation_current()]

    def count():
        now = generation_current()
        moved, seen[0] = now - seen[0], now
        return moved

    return count


def test_a_draft_saved_submitted_and_sent_back_leaves_the_pages_alone(framework, bumps, maintainer):
    from tests.factories import DomainFactory

    author = UserFactory()
    domain = DomainFactory(name="Retail")
    bumps()
    draft = services.submission_create_draft(
        kind="case_study",
        author=author,
        fields={
            "domain": domain,
            "title": "A draft nobody sees",
            "summary": "Not yet.",
            "context": "A shop.",
            "approach": "Budgets.",
            "results": "Fewer pages.",
            "lessons": "Start small.",
        },
        applications=[{"factor": framework[1], "outcome": "worked", "note": ""}],
        quantified=[{"metric": "pages", "before": 3, "after": 1, "unit": ""}],
    )
    draft = services.submission_update(
        item=draft,
        actor=author,
        fields={"summary": "Still not."},
        applications=[{"factor": framework[2], "outcome": "failed", "note": "Noisy."}],
    )
    assert Revision.objects.filter(object_id=draft.pk).exists()
    services.submission_submit(item=draft, actor=author)
    assert bumps() == 0
    # A review decision moves the health page's review latency: that one bumps.
    services.submission_request_changes(item=draft, actor=maintainer, comment="More, please.")
    assert bumps() >= 1


def test_publishing_editing_and_hiding_published_evidence_bump(framework, bumps):
    item = CaseStudyFactory(state=State.SUBMITTED)
    bumps()
    item.state = State.PUBLISHED
    item.published_at = timezone.now()
    item.save()
    assert bumps() == 1
    item.title = "A better title"
    item.save()
    assert bumps() == 1
    item.hidden_at = timezone.now()
    item.save()
    assert bumps() == 1  # it was public before the save
    item.title = "Hidden and edited"
    item.save()
    assert bumps() == 0  # not public before or after


def test_parts_of_evidence_bump_only_when_the_item_is_published(framework, bumps):
    draft = CaseStudyFactory(state=State.DRAFT)
    published = CaseStudyFactory(state=State.PUBLISHED, published_at=timezone.now())
    bumps()
    FactorApplication.objects.create(case_study=draft, factor=framework[3], outcome="worked")
    QuantifiedResult.objects.create(case_study=draft, metric="m", before=1, after=2)
    draft.applications.all().delete()
    assert bumps() == 0
    FactorApplication.objects.create(case_study=published, factor=framework[3], outcome="worked")
    assert bumps() == 1
    QuantifiedResult.objects.create(case_study=published, metric="m", before=1, after=2)
    assert bumps() == 1

    report = FailureReportFactory(state=State.DRAFT)
    bumps()
    report.factors.add(framework[4])
    assert bumps() == 0
    shown = FailureReportFactory(state=State.PUBLISHED, published_at=timezone.now())
    bumps()
    shown.factors.add(framework[4])
    assert bumps() == 1


def test_recorded_steps_bump_only_for_decisions_and_leaving_publication(framework, bumps):
    item = CaseStudyFactory(state=State.DRAFT)
    bumps()
    StateChange.objects.create(item=item, from_state="", to_state=State.DRAFT)
    StateChange.objects.create(item=item, from_state=State.DRAFT, to_state=State.SUBMITTED)
    assert bumps() == 0
    StateChange.objects.create(item=item, from_state=State.SUBMITTED, to_state=State.REJECTED)
    assert bumps() == 1
    StateChange.objects.create(item=item, from_state=State.PUBLISHED, to_state=State.WITHDRAWN)
    assert bumps() == 1


def test_inbox_follows_and_email_confirmations_leave_the_pages_alone(framework, bumps):
    from allauth.account.models import EmailAddress

    member = UserFactory()
    bumps()
    note = Notification.objects.create(recipient=member, kind="decision", subject="Hello")
    note.read_at = timezone.now()
    note.save()
    Follow.objects.create(user=member, factor=framework[1])
    address = EmailAddress.objects.create(user=member, email="second@example.org")
    address.verified = True
    address.save()
    assert bumps() == 0

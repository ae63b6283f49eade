"""The community wired into the evidence workflow and the maturity measures."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from cases import services as workflow
from cases.models import State
from community.models import Notification, NotificationKind, NotifyChoice, Profile, Thread
from community.services import follow_toggle
from factors.measuring import measure_factors, measure_framework
from factors.models import Factor
from factors.services import factor_demote, factor_promote
from tests.factories import CaseStudyFactory, ReplyFactory, ThreadFactory, UserFactory


def test_a_decision_goes_to_the_inbox_and_email_with_unsubscribe(
    framework, member, maintainer, django_capture_on_commit_callbacks
):
    item = CaseStudyFactory(
        author=member, state=State.SUBMITTED, applied=[(framework[1], "worked")]
    )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submission_request_changes(item=item, actor=maintainer, comment="Add numbers")
    n = Notification.objects.get(recipient=member)
    assert n.kind == NotificationKind.DECISION
    assert "needs changes" in n.subject and "Add numbers" in n.body
    assert n.url.endswith(f"/{item.pk}/")
    [message] = mail.outbox
    assert message.to == [member.email] and "Add numbers" in message.body
    assert message.subject.startswith("[12-Factor AgentOps] ")
    assert message.subject.count("[12-Factor AgentOps]") == 1
    assert "/unsubscribe/" in message.extra_headers["List-Unsubscribe"]


def test_a_decision_respects_the_inbox_only_choice(
    framework, member, maintainer, django_capture_on_commit_callbacks
):
    Profile.objects.create(user=member, notify_decision=NotifyChoice.INBOX)
    item = CaseStudyFactory(author=member, state=State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submission_reject(item=item, actor=maintainer, comment="Out of scope")
    assert Notification.objects.filter(recipient=member, kind="decision").count() == 1
    assert mail.outbox == []


def test_a_mail_outage_keeps_the_decision_in_the_inbox(
    framework, member, maintainer, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = {"default": {"BACKEND": "tests.cases.broken_mail.Backend"}}
    item = CaseStudyFactory(author=member, state=State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submission_publish(item=item, actor=maintainer, comment="Good")
    assert Notification.objects.filter(recipient=member, kind="decision").exists()


def test_publishing_tells_followers_of_the_domain_and_factors(
    framework, member, maintainer, django_capture_on_commit_callbacks
):
    item = CaseStudyFactory(
        author=member, state=State.SUBMITTED, applied=[(framework[5], "worked")]
    )
    by_domain, by_factor, neither = UserFactory(), UserFactory(), UserFactory()
    follow_toggle(user=by_domain, domain=item.domain, follow=True)
    follow_toggle(user=by_factor, factor=framework[5], follow=True)
    follow_toggle(user=neither, factor=framework[6], follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submission_publish(item=item, actor=maintainer, comment="Good")
    followers = set(
        Notification.objects.filter(kind=NotificationKind.FOLLOWING).values_list(
            "recipient", flat=True
        )
    )
    assert followers == {by_domain.pk, by_factor.pk}


def test_promotion_and_demotion_tell_the_factors_followers_after_commit(
    framework, member, maintainer, django_capture_on_commit_callbacks
):
    factor = framework[9]
    follow_toggle(user=member, factor=factor, follow=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        factor_promote(
            factor=factor,
            by=maintainer,
            rationale="Ready",
            override=True,
            override_reason="Testing the notification",
        )
        assert not Notification.objects.exists()  # nothing before the commit
    for callback in callbacks:
        callback()
    n = Notification.objects.get(recipient=member)
    assert n.kind == NotificationKind.PHASE and "Beta" in n.subject
    with django_capture_on_commit_callbacks(execute=True):
        factor_demote(factor=Factor.objects.get(pk=factor.pk), by=maintainer, reason="Too soon")
    assert Notification.objects.filter(recipient=member, kind="phase").count() == 2


def test_open_challenges_measure_counts_open_visible_challenges(framework, maintainer):
    f1, f2 = framework[1], framework[2]
    ThreadFactory(factor=f1, kind="challenge")
    ThreadFactory(factor=f1, kind="challenge")
    ThreadFactory(factor=f1, kind="question")
    ThreadFactory(factor=f1, kind="challenge", hidden_at=timezone.now(), hidden_reason="spam")
    closed = ThreadFactory(factor=f1, kind="challenge")
    Thread.objects.filter(pk=closed.pk).update(status="declined", decided_at=timezone.now())
    ThreadFactory(factor=f2, kind="challenge")
    values = measure_factors([f1.pk, f2.pk, framework[3].pk], keys=["open_challenges"])
    assert values == {
        f1.pk: {"open_challenges": 2},
        f2.pk: {"open_challenges": 1},
        framework[3].pk: {"open_challenges": 0},
    }
    assert measure_framework(keys=["open_challenges"]) == {"open_challenges": 3}


def test_feedback_authors_in_the_window_are_engaged_members(framework, settings):
    settings.ACTIVITY_WINDOW_DAYS = 30
    base = measure_framework(keys=["engaged_members"])["engaged_members"]
    thread = ThreadFactory(factor=framework[1])
    ReplyFactory(thread=thread)
    ReplyFactory(thread=thread, author=thread.author)  # counted once
    old = ThreadFactory(factor=framework[1])
    Thread.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    hidden = ThreadFactory(factor=framework[1], hidden_at=timezone.now())
    assert hidden.author_id
    assert measure_framework(keys=["engaged_members"])["engaged_members"] == base + 2

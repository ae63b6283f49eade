import re

import pytest
from django.core import mail, signing
from django.urls import reverse

from community.models import Notification, NotificationKind, NotifyChoice, Profile
from community.notifications import (
    notify,
    notify_evidence_published,
    notify_phase_change,
    notify_submission_decided,
    unsubscribe_token,
)
from community.services import (
    follow_toggle,
    notification_emails_on,
    reply_create,
    thread_decide,
)
from factors.models import Phase, PhaseChange
from tests.factories import CaseStudyFactory, ReplyFactory, UserFactory


def _unsubscribe_path(message):
    return re.search(r"http://testserver(/unsubscribe/\S+/)", message.body).group(1)


def test_reply_notifies_thread_participants_by_inbox_and_email(
    thread, author, member, django_capture_on_commit_callbacks
):
    earlier = ReplyFactory(thread=thread).author
    with django_capture_on_commit_callbacks(execute=True):
        reply_create(thread=thread, author=member, body="I disagree")
    got = {n.recipient for n in Notification.objects.all()}
    assert got == {author, earlier}  # never the person who replied
    assert {n.kind for n in Notification.objects.all()} == {NotificationKind.REPLY}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([author.email, earlier.email])
    message = mail.outbox[0]
    assert "I disagree" in message.body
    path = _unsubscribe_path(message)
    assert message.extra_headers["List-Unsubscribe"] == f"<http://testserver{path}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_maintainer_reply_and_decision_are_maintainer_comments(
    thread, author, maintainer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reply_create(thread=thread, author=maintainer, body="Please add numbers")
        thread_decide(thread=thread, actor=maintainer, status="resolved", reason="Answered")
    kinds = list(Notification.objects.filter(recipient=author).values_list("kind", flat=True))
    assert kinds == [NotificationKind.COMMENT, NotificationKind.COMMENT]
    assert "marked resolved" in Notification.objects.first().subject


def test_preferences_inbox_only_and_off(thread, author, member, django_capture_on_commit_callbacks):
    Profile.objects.create(user=author, notify_reply=NotifyChoice.INBOX)
    with django_capture_on_commit_callbacks(execute=True):
        reply_create(thread=thread, author=member, body="One")
    assert Notification.objects.filter(recipient=author).count() == 1
    assert mail.outbox == []
    Profile.objects.filter(user=author).update(notify_reply=NotifyChoice.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        reply_create(thread=thread, author=member, body="Two")
    assert Notification.objects.filter(recipient=author).count() == 1
    assert mail.outbox == []


def test_email_is_rate_limited_per_user_and_the_rest_goes_to_the_inbox(
    db, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATION_EMAILS_PER_HOUR = 3
    person, other = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(5):
            notify(recipients=[person], kind="reply", subject=f"Reply {i}")
        notify(recipients=[other], kind="reply", subject="Other")
    assert [m.subject.rsplit(" ", 1)[-1] for m in mail.outbox if m.to == [person.email]] == [
        "0",
        "1",
        "2",
    ]
    assert [m.to for m in mail.outbox].count([other.email]) == 1  # limit is per person
    inbox = Notification.objects.filter(recipient=person)
    assert inbox.count() == 5
    assert inbox.filter(email_held=True).count() == 2
    assert inbox.filter(emailed_at__isnull=False).count() == 3


def test_phase_change_hook_tells_followers(
    framework, member, maintainer, django_capture_on_commit_callbacks
):
    factor = framework[4]
    follow_toggle(user=member, factor=factor, follow=True)
    beta = Phase.objects.get(slug="beta")
    change = PhaseChange.objects.create(
        factor=factor,
        from_phase=factor.phase,
        to_phase=beta,
        rationale="Evidence held",
        changed_by=maintainer,
    )
    with django_capture_on_commit_callbacks(execute=True):
        notify_phase_change(factor, change)
    n = Notification.objects.get()
    assert n.recipient == member and n.kind == NotificationKind.PHASE
    assert "Beta" in n.subject and n.url == factor.get_absolute_url()
    assert mail.outbox[0].to == [member.email]


def test_decision_and_evidence_hooks(framework, member, django_capture_on_commit_callbacks):
    item = CaseStudyFactory(author=member, applied=[(framework[1], "worked")])
    follower = UserFactory()
    follow_toggle(user=follower, domain=item.domain, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        notify_submission_decided(item=item, decision="published", comment="Well done")
        notify_evidence_published(item=item)
    assert Notification.objects.get(recipient=member).kind == NotificationKind.DECISION
    assert Notification.objects.get(recipient=follower).kind == NotificationKind.FOLLOWING
    # Following defaults to the inbox only: one email, the decision.
    assert [m.to for m in mail.outbox] == [[member.email]]


def test_one_click_unsubscribe_then_reuse_is_idempotent(
    client, db, django_capture_on_commit_callbacks
):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[person], kind="reply", subject="Hi")
    path = _unsubscribe_path(mail.outbox[0])
    response = client.post(path)  # not signed in: the link alone is enough
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert Profile.objects.get(user=person).notify_reply == NotifyChoice.INBOX
    again = client.post(path)
    assert again.status_code == 200 and "already unsubscribed" in again.content.decode()
    # Still in the inbox, but no more email.
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[person], kind="reply", subject="Hi again")
    assert len(mail.outbox) == 1 and Notification.objects.count() == 2


def test_following_the_link_only_shows_a_button_so_a_mail_scanner_unsubscribes_nobody(
    db, django_capture_on_commit_callbacks
):
    from django.test import Client

    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[person], kind="reply", subject="Hi")
    path = _unsubscribe_path(mail.outbox[0])
    scanner = Client(enforce_csrf_checks=True)  # no cookie, no session: a link checker
    for _ in range(2):
        assert scanner.head(path).status_code == 200
        page = scanner.get(path)
        assert page.status_code == 200
        assert notification_emails_on(user=person, kind="reply")  # nothing changed
    html = page.content.decode()
    assert "Stop these emails?" in html
    assert f'<form method="post" action="{path}">' in html
    assert "Unsubscribe from these emails</button>" in html
    # The button on that page (a POST without CSRF cookie, the token authorizes) acts.
    done = scanner.post(path)
    assert done.status_code == 200 and "You are unsubscribed" in done.content.decode()
    assert not notification_emails_on(user=person, kind="reply")
    assert "is already off" in scanner.get(path).content.decode()


def test_rfc8058_one_click_post_without_csrf(db):
    from django.test import Client

    person = UserFactory()
    client = Client(enforce_csrf_checks=True)
    token = unsubscribe_token(user=person, kind="phase")
    response = client.post(
        reverse("community:unsubscribe", args=[token]), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert Profile.objects.get(user=person).notify_phase == NotifyChoice.INBOX


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-3] + ("aaa" if not t.endswith("aaa") else "bbb"),
        lambda t: t[:10],
        lambda t: signing.dumps({"u": 1, "k": "reply"}, salt="something else"),
        lambda t: signing.dumps({"u": 1, "k": "nonsense"}, salt="community.unsubscribe"),
        lambda t: "garbage",
    ],
)
def test_tampered_unsubscribe_link_is_a_clear_error_and_changes_nothing(client, db, mangle):
    person = UserFactory()
    token = mangle(unsubscribe_token(user=person, kind="reply"))
    for send in (client.get, client.post):
        response = send(reverse("community:unsubscribe", args=[token]))
        assert response.status_code == 400
        assert "This unsubscribe link is not valid" in response.content.decode()
    assert not Profile.objects.filter(notify_reply=NotifyChoice.INBOX).exists()


def test_resubscribe_undoes(client, db):
    person = UserFactory()
    token = unsubscribe_token(user=person, kind="decision")
    client.post(reverse("community:unsubscribe", args=[token]))
    assert Profile.objects.get(user=person).notify_decision == NotifyChoice.INBOX
    client.post(reverse("community:resubscribe", args=[token]))
    assert Profile.objects.get(user=person).notify_decision == NotifyChoice.EMAIL


def test_inbox_lists_counts_and_marks_read(client, member):
    for i in range(3):
        notify(recipients=[member], kind="reply", subject=f"Message {i}", url="/feedback/")
    other = UserFactory()
    notify(recipients=[other], kind="reply", subject="Not yours")
    client.force_login(member)
    html = client.get(reverse("community:inbox")).content.decode()
    assert "Message 0" in html and "Not yours" not in html
    assert '<span class="badge">3<span class="visually-hidden"> unread</span>' in html
    first = Notification.objects.filter(recipient=member).first()
    client.post(reverse("community:inbox_mark_read"), {"notification": first.pk})
    assert Notification.objects.filter(recipient=member).unread().count() == 2
    # Someone else's notification cannot be marked through this form.
    client.post(
        reverse("community:inbox_mark_read"),
        {"notification": Notification.objects.get(recipient=other).pk},
    )
    assert Notification.objects.get(recipient=other).read_at is None
    client.post(reverse("community:inbox_mark_read"), {"notification": "x"})
    client.post(reverse("community:inbox_mark_read"), {"all": "1"})
    assert not Notification.objects.filter(recipient=member).unread().exists()
    html = client.get(reverse("community:inbox")).content.decode()
    assert 'class="badge"' not in html


def test_unsubscribe_link_of_a_deleted_account_says_so(client, db):
    from community.services import user_delete_account

    person = UserFactory()
    token = unsubscribe_token(user=person, kind="reply")
    user_delete_account(user=person)
    response = client.get(reverse("community:unsubscribe", args=[token]))
    assert response.status_code == 400
    assert "no longer exists" in response.content.decode()


def test_flag_link_on_published_evidence_for_signed_in_people(client, framework, member):
    item = CaseStudyFactory()
    flag_url = reverse("community:flag", args=["case_study", item.pk])
    assert flag_url not in client.get(item.get_absolute_url()).content.decode()
    client.force_login(member)
    assert flag_url in client.get(item.get_absolute_url()).content.decode()


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, member):
    [n] = notify(recipients=[member], kind="reply", subject="Go", url="/feedback/")
    [bad] = notify(recipients=[member], kind="reply", subject="Away", url="https://evil.example/")
    client.force_login(member)
    response = client.get(reverse("community:inbox_open", args=[n.pk]))
    assert response.status_code == 302 and response.url == "/feedback/"
    n.refresh_from_db()
    assert n.read_at is not None
    # Never sent off-site, whatever the stored address.
    response = client.get(reverse("community:inbox_open", args=[bad.pk]))
    assert response.url == reverse("community:inbox")

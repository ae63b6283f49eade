"""Email leaves the request: stored, queued on commit, sent by the worker's task in batches,
retried, recorded; readable in development; links on the address the site is served on."""

import io
import re

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse

from cases.models import State
from community.models import Follow, Notification
from outbox.backends import ReadableConsoleBackend
from outbox.models import EmailStatus, OutgoingEmail
from outbox.services import email_deliver, email_queue, email_requeue
from tests.factories import CaseStudyFactory, ThreadFactory, UserFactory
from tests.outbox import counting_mail

LONG_LINK = "http://127.0.0.1:8400/accounts/password/reset/key/" + "k" * 90 + "/"


def _messages(n, **kwargs):
    return [
        EmailMessage(subject=f"Note {i}", body=f"Hello {i}", to=[f"p{i}@example.org"], **kwargs)
        for i in range(n)
    ]


# --- off the request path -------------------------------------------------------------------


def test_publishing_to_40_followers_sends_nothing_in_the_request_and_one_batch_after(
    client, framework, maintainer, settings, django_capture_on_commit_callbacks
):
    """The issue's measurement: 41 emails inside the maintainer's request. Now the request
    only stores them; the worker sends them over one connection."""
    settings.MAILERS = {"default": {"BACKEND": "tests.outbox.counting_mail.CountingBackend"}}
    counting_mail.opened.clear()
    item = CaseStudyFactory(state=State.SUBMITTED)
    followers = [UserFactory() for _ in range(40)]
    Follow.objects.bulk_create(Follow(user=u, domain=item.domain) for u in followers)
    from community.models import NotifyChoice, Profile

    Profile.objects.bulk_create(
        Profile(user=u, notify_following=NotifyChoice.EMAIL) for u in followers
    )
    client.force_login(maintainer)
    url = reverse("cases:review_item", kwargs={"kind": "case_study", "pk": item.pk})
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            url, {"decision": "publish", "comment": "Good."}, HTTP_HOST="127.0.0.1:8400"
        )
    assert response.status_code == 302
    assert mail.outbox == [] and counting_mail.opened == []  # nothing sent in the request
    assert not Notification.objects.exists()  # nor the 41 inbox entries made: the worker will
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:  # the commit: notifications stored, the batch enqueued
            callback()
    assert len(mail.outbox) == 41
    assert counting_mail.opened == [1, 1]  # the followers' batch, and the author's decision
    assert OutgoingEmail.objects.filter(status=EmailStatus.SENT).count() == 41
    # Made by the worker, the links still name the address the maintainer used.
    assert all("http://127.0.0.1:8400/" in m.body and ":8000" not in m.body for m in mail.outbox)


def test_a_rolled_back_change_stores_and_sends_nothing(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                email_queue(_messages(2))
                raise RuntimeError("later failure")
    assert not OutgoingEmail.objects.exists() and mail.outbox == []


def test_several_emails_go_over_one_connection(db, settings, django_capture_on_commit_callbacks):
    settings.MAILERS = {"default": {"BACKEND": "tests.outbox.counting_mail.CountingBackend"}}
    counting_mail.opened.clear()
    with django_capture_on_commit_callbacks(execute=True):
        email_queue(_messages(5))
    assert [m.subject for m in mail.outbox] == [f"Note {i}" for i in range(5)]
    assert counting_mail.opened == [1]


def test_an_email_is_sent_once_even_if_its_task_runs_twice(db):
    [row] = OutgoingEmail.objects.bulk_create(
        [OutgoingEmail(from_email="a@example.org", to=["b@example.org"], subject="Once")]
    )
    email_deliver([row.pk])
    email_deliver([row.pk])
    assert len(mail.outbox) == 1


# --- failures: retried, then recorded; never lost, never a 500 ---------------------------


def test_a_server_away_once_is_retried_and_the_email_goes_out(
    db, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = {"default": {"BACKEND": "tests.outbox.counting_mail.DownOnce"}}
    counting_mail.DownOnce.calls = 0
    with django_capture_on_commit_callbacks(execute=True):
        email_queue(_messages(2))
    assert len(mail.outbox) == 2
    rows = OutgoingEmail.objects.all()
    assert {(r.status, r.attempts) for r in rows} == {(EmailStatus.SENT, 2)}


def test_a_server_that_stays_away_is_recorded_as_failed_after_the_last_attempt(
    db, settings, django_capture_on_commit_callbacks, caplog
):
    settings.MAILERS = {"default": {"BACKEND": "tests.cases.broken_mail.Backend"}}
    settings.EMAIL_MAX_ATTEMPTS = 3
    with django_capture_on_commit_callbacks(execute=True):
        email_queue(_messages(1))
    [row] = OutgoingEmail.objects.all()
    assert row.status == EmailStatus.FAILED and row.attempts == 3
    assert row.last_error == "ConnectionRefusedError: mail server down"
    assert "failed for good" in caplog.text


def test_a_refused_address_does_not_hold_up_the_others(
    db, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = {"default": {"BACKEND": "tests.outbox.counting_mail.RefusesSecondRecipient"}}
    settings.EMAIL_MAX_ATTEMPTS = 1
    messages = _messages(3)
    messages[1].to = ["refused@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        email_queue(messages)
    assert [m.subject for m in mail.outbox] == ["Note 0", "Note 2"]
    assert OutgoingEmail.objects.get(to=["refused@example.org"]).status == EmailStatus.FAILED


def test_a_message_that_cannot_be_built_fails_at_once_and_the_rest_go(
    db, django_capture_on_commit_callbacks
):
    messages = _messages(2)
    messages[0].extra_headers["X-Bad"] = "a"  # made bad below, after the queue's clean-up
    with django_capture_on_commit_callbacks(execute=True):
        rows = email_queue(messages)
        OutgoingEmail.objects.filter(pk=rows[0].pk).update(headers={"X-Bad": "a\r\nBcc: x@y.z"})
    bad = OutgoingEmail.objects.get(pk=rows[0].pk)
    assert bad.status == EmailStatus.FAILED and bad.attempts == 1
    assert "ValueError" in bad.last_error
    assert [m.subject for m in mail.outbox] == ["Note 1"]


def test_the_queue_makes_subjects_and_headers_one_line(db, django_capture_on_commit_callbacks):
    [message] = _messages(1)
    message.subject = "Title\r\nBcc: everyone@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        email_queue([message])
    assert mail.outbox[0].subject == "Title Bcc: everyone@example.org"
    assert mail.outbox[0].bcc == []


def test_emails_whose_task_was_lost_are_queued_again(db, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    rows = email_queue(_messages(2))  # no commit callback ran: the task never got enqueued
    OutgoingEmail.objects.filter(pk__in=[r.pk for r in rows]).update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert email_requeue() == 2
    assert len(mail.outbox) == 2


def test_failed_emails_are_listed_in_the_admin_and_can_be_sent_again(
    client, db, settings, django_capture_on_commit_callbacks
):
    from accounts.services import user_grant_maintainer

    settings.MAILERS = {"default": {"BACKEND": "tests.cases.broken_mail.Backend"}}
    settings.EMAIL_MAX_ATTEMPTS = 1
    settings.MAINTAINER_REQUIRE_MFA = False
    with django_capture_on_commit_callbacks(execute=True):
        [row] = email_queue(_messages(1))
    admin = user_grant_maintainer(user=UserFactory(is_staff=True, is_superuser=True))
    client.force_login(admin)
    listing = client.get(reverse("admin:outbox_outgoingemail_changelist") + "?status=failed")
    assert listing.status_code == 200 and "Note 0" in listing.content.decode()
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:outbox_outgoingemail_changelist"),
            {"action": "send_again", "_selected_action": [row.pk]},
        )
    row.refresh_from_db()
    assert row.status == EmailStatus.SENT and len(mail.outbox) == 1


# --- every email goes this way -------------------------------------------------------------


def test_allauth_email_is_queued_too(client, db, django_capture_on_commit_callbacks):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(reverse("account_reset_password"), {"email": person.email})
    assert callbacks, "the reset email waits for the commit"
    [row] = OutgoingEmail.objects.all()
    assert row.to == [person.email] and row.status == EmailStatus.SENT
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_new_submission_emails_go_through_notify_with_preferences_inbox_and_limit(
    make_item_for_notify, settings, django_capture_on_commit_callbacks
):
    from cases import services
    from community.models import NotifyChoice, Profile

    item, author, first, second = make_item_for_notify
    Profile.objects.create(user=second, notify_review=NotifyChoice.INBOX)
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_submit(item=item, actor=author)
    assert [m.to for m in mail.outbox] == [[first.email]]
    assert "review" in Notification.objects.get(recipient=second).kind
    assert Notification.objects.filter(kind="review").count() == 2
    # The hourly limit applies to them too.
    settings.NOTIFICATION_EMAILS_PER_HOUR = 1
    item.refresh_from_db()
    from cases.models import CaseStudy

    CaseStudy.objects.filter(pk=item.pk).update(state=State.DRAFT)
    item.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_submit(item=item, actor=author)
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(recipient=first, email_held=True).count() == 1


@pytest.fixture
def make_item_for_notify(framework):
    from accounts.services import user_grant_maintainer

    author = UserFactory()
    first = user_grant_maintainer(user=UserFactory())
    second = user_grant_maintainer(user=UserFactory())
    item = CaseStudyFactory(author=author, state=State.DRAFT, applied=[(framework[1], "worked")])
    return item, author, first, second


# --- development: readable email, the outbox page ------------------------------------------


def test_development_console_prints_links_whole_where_djangos_splits_them(db):
    message = EmailMessage(
        subject="Reset your password — now",
        body=f"Hello — click:\n{LONG_LINK}\n",
        to=["p@example.org"],
        headers={"List-Unsubscribe": "<http://127.0.0.1:8400/unsubscribe/x/>"},
    )
    from django.core.mail.backends.console import EmailBackend as DjangoConsole

    django_stream = io.StringIO()
    DjangoConsole(stream=django_stream).send_messages([message])
    assert LONG_LINK not in django_stream.getvalue()  # the bug: quoted-printable splits it
    stream = io.StringIO()
    ReadableConsoleBackend(stream=stream).send_messages([message])
    printed = stream.getvalue()
    assert LONG_LINK in printed.splitlines()
    assert "Subject: Reset your password — now" in printed
    assert "List-Unsubscribe: <http://127.0.0.1:8400/unsubscribe/x/>" in printed


def test_the_development_outbox_lists_emails_with_clickable_links(
    client, db, settings, django_capture_on_commit_callbacks
):
    settings.DEBUG = True
    settings.EMAIL_KEEP_SENT_BODIES = True
    with django_capture_on_commit_callbacks(execute=True):
        email_queue([EmailMessage(subject="Confirm", body=f"Go: {LONG_LINK}", to=["p@x.org"])])
    html = client.get(reverse("outbox:dev_outbox")).content.decode()
    assert "Confirm" in html and "p@x.org" in html
    assert f'<a href="{LONG_LINK}" rel="nofollow">{LONG_LINK}</a>' in html


def test_the_outbox_page_does_not_exist_outside_development(client, db, settings):
    settings.DEBUG = False
    assert client.get("/dev/outbox/").status_code == 404


def test_production_does_not_keep_the_text_of_sent_email(
    db, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_KEEP_SENT_BODIES = False
    with django_capture_on_commit_callbacks(execute=True):
        [row] = email_queue([EmailMessage(subject="Reset", body=LONG_LINK, to=["p@x.org"])])
    row.refresh_from_db()
    assert row.status == EmailStatus.SENT and row.body == "" and row.subject == "Reset"


# --- links name the address the site is served on -------------------------------------------


def test_email_composed_in_a_request_links_to_the_address_it_came_to(
    client, framework, member, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://127.0.0.1:8000"
    thread = ThreadFactory(factor=framework[3])
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("community:thread_reply", args=[thread.pk]),
            {"body": "Agreed"},
            HTTP_HOST="127.0.0.1:8400",
        )
    [message] = mail.outbox
    links = re.findall(r"https?://[^\s>]+", message.body)
    assert links and all(link.startswith("http://127.0.0.1:8400/") for link in links)
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://127.0.0.1:8400/")


def test_email_composed_outside_a_request_uses_site_url(db, settings):
    from community.notifications import notify

    settings.SITE_URL = "http://127.0.0.1:8400"
    person = UserFactory()
    with transaction.atomic():
        notify(recipients=[person], kind="reply", subject="Hi", url="/feedback/")
    [row] = OutgoingEmail.objects.all()
    assert "http://127.0.0.1:8400/feedback/" in row.body and ":8000" not in row.body


def test_citations_and_badge_addresses_use_the_address_served_on(client, framework, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    item = CaseStudyFactory(state=State.PUBLISHED)
    page = client.get(item.get_absolute_url(), HTTP_HOST="localhost:8400").content.decode()
    assert f"http://localhost:8400{item.get_absolute_url()}" in page
    assert "127.0.0.1:8000" not in page
    data = client.get(reverse("opendata:open_data"), HTTP_HOST="localhost:8400").content.decode()
    assert "http://localhost:8400/badge" in data or "http://localhost:8400/" in data
    assert "127.0.0.1:8000" not in data


def test_site_url_follows_port_when_not_set():
    from tests.test_settings import run_django

    result = run_django(
        "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)",
        PORT="8400",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "http://127.0.0.1:8400"


def test_sending_email_leaves_cached_pages_alone(db, django_capture_on_commit_callbacks):
    """The worker writes queue and task rows all day: no public page goes stale for it."""
    from pagecache.generation import generation_current

    before = generation_current()
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            email_queue(_messages(3))
    assert len(mail.outbox) == 3
    assert generation_current() == before

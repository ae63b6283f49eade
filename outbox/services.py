"""Queue email on commit; deliver it in the worker over one connection, retrying failures."""

import logging
import smtplib
from collections.abc import Iterable
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import get_random_string

from .models import EmailStatus, OutgoingEmail

logger = logging.getLogger(__name__)

# Never more in one task (and one SMTP session) than this; a larger batch is split.
BATCH_SIZE = 100


def one_line(text: str) -> str:
    """Text safe for a mail header: every run of whitespace (CR and LF included) is one space."""
    return " ".join(str(text).split())


def email_queue(messages: Iterable[EmailMessage]) -> list[OutgoingEmail]:
    """Store the messages and send them from the task worker once the transaction commits.

    Call it inside the transaction that made the change: a change that rolls back sends
    nothing. Never sends anything itself, so it never slows or fails a request.
    """
    rows = []
    for message in messages:
        if message.attachments:
            raise ValueError("Queued email does not carry attachments.")
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = str(content)
        rows.append(
            OutgoingEmail(
                from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
                to=list(message.to),
                cc=list(message.cc),
                bcc=list(message.bcc),
                reply_to=list(message.reply_to),
                subject=one_line(message.subject),
                body=str(message.body),
                html_body=html,
                headers={str(k): one_line(v) for k, v in message.extra_headers.items()},
            )
        )
    if not rows:
        return []
    with transaction.atomic():
        created = OutgoingEmail.objects.bulk_create(rows)  # pagecache: on no public page
        ids = [row.pk for row in created]
        for start in range(0, len(ids), BATCH_SIZE):
            transaction.on_commit(partial(_enqueue, ids[start : start + BATCH_SIZE]))
    return created


def _enqueue(ids: list[int], run_after=None) -> None:
    from .tasks import send_emails

    task = send_emails
    if run_after is not None and task.get_backend().supports_defer:
        task = task.using(run_after=run_after)
    try:
        task.enqueue(ids)
    except Exception:  # the rows stay queued: `manage.py outbox_requeue` enqueues them again
        logger.exception("Could not enqueue %d emails (ids %s); they stay queued", len(ids), ids)


def as_message(row: OutgoingEmail) -> EmailMessage:
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body,
        from_email=row.from_email,
        to=row.to,
        cc=row.cc,
        bcc=row.bcc,
        reply_to=row.reply_to,
        headers=row.headers,
    )
    if row.html_body:
        message.attach_alternative(row.html_body, "text/html")
    message.message()  # a bad header raises here (ValueError), before anything is sent
    return message


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the n-th failed attempt: 1, 4, 16, 64 minutes..., at most 6 hours."""
    return timedelta(seconds=min(settings.EMAIL_RETRY_SECONDS * 4 ** (attempts - 1), 6 * 3600))


def email_deliver(ids: list[int]) -> dict:
    """Send the queued emails among `ids` over one connection; the worker's task calls this.

    Each email is sent at most once (claimed first). A temporary failure (the server away,
    a timeout: OSError, smtplib's errors included) queues the email again with a delay until
    EMAIL_MAX_ATTEMPTS; a message that cannot be built (a bad header) fails at once. Every
    failure is recorded on the row with its error. Returns counts by outcome.
    """
    claim = get_random_string(32)
    now = timezone.now()
    queued = OutgoingEmail.objects.filter(pk__in=ids, status=EmailStatus.QUEUED)
    queued.update(  # pagecache: the queue is on no public page (PAGE_CACHE_IGNORED_MODELS)
        status=EmailStatus.SENDING, claim=claim, attempts=F("attempts") + 1, last_attempt_at=now
    )
    claimed = OutgoingEmail.objects.filter(claim=claim, status=EmailStatus.SENDING)
    rows = list(claimed.order_by("pk"))
    counts = {"sent": 0, "retry": 0, "failed": 0}
    if not rows:
        return counts
    connection = mailers.default
    pending = list(rows)
    try:
        connection.open()
        while pending:
            row = pending[0]
            try:
                message = as_message(row)
            except Exception as error:  # cannot be sent as it is: retrying will not help
                _fail(row, error, counts)
                pending.pop(0)
                continue
            try:
                connection.send_messages([message])
            except smtplib.SMTPRecipientsRefused as error:  # this address only
                _retry_or_fail(row, error, counts)
                pending.pop(0)
                continue
            _sent(row, counts)
            pending.pop(0)
    except Exception as error:  # the connection failed: all not yet sent wait for a retry
        for row in pending:
            _retry_or_fail(row, error, counts)
    finally:
        try:
            connection.close()
        except Exception:
            logger.warning("Closing the mail connection failed", exc_info=True)
    retry = [row for row in rows if row.status == EmailStatus.QUEUED]
    if retry:
        _enqueue([row.pk for row in retry], run_after=min(r.next_attempt_at for r in retry))
    _prune()
    return counts


def _sent(row: OutgoingEmail, counts: dict) -> None:
    row.status = EmailStatus.SENT
    row.sent_at = timezone.now()
    row.claim = ""
    row.last_error = ""
    fields = ["status", "sent_at", "claim", "last_error"]
    if not settings.EMAIL_KEEP_SENT_BODIES:  # a sent reset link is not kept in the database
        row.body = row.html_body = ""
        fields += ["body", "html_body"]
    row.save(update_fields=fields)
    counts["sent"] += 1


def _fail(row: OutgoingEmail, error: BaseException, counts: dict) -> None:
    row.status = EmailStatus.FAILED
    row.claim = ""
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    row.save(update_fields=["status", "claim", "last_error"])
    counts["failed"] += 1
    logger.error("Email %s to %s failed for good: %s", row.pk, row.to, row.last_error)


def _retry_or_fail(row: OutgoingEmail, error: BaseException, counts: dict) -> None:
    if row.attempts >= settings.EMAIL_MAX_ATTEMPTS:
        _fail(row, error, counts)
        return
    row.status = EmailStatus.QUEUED
    row.claim = ""
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    row.next_attempt_at = timezone.now() + retry_delay(row.attempts)
    row.save(update_fields=["status", "claim", "last_error", "next_attempt_at"])
    counts["retry"] += 1
    logger.warning(
        "Email %s to %s failed (attempt %d of %d), retried at %s: %s",
        row.pk,
        row.to,
        row.attempts,
        settings.EMAIL_MAX_ATTEMPTS,
        row.next_attempt_at,
        row.last_error,
    )


def _prune() -> None:
    """Forget sent emails after EMAIL_KEEP_SENT_DAYS (failed ones stay until an admin acts)."""
    cutoff = timezone.now() - timedelta(days=settings.EMAIL_KEEP_SENT_DAYS)
    OutgoingEmail.objects.filter(status=EmailStatus.SENT, sent_at__lt=cutoff).delete()


def email_requeue(*, older_than: timedelta = timedelta(minutes=15)) -> int:
    """Queue again what has waited too long: an email whose task was lost (the process died
    between the commit and the enqueue) or whose worker died while sending it."""
    cutoff = timezone.now() - older_than
    stuck = OutgoingEmail.objects.filter(
        Q(status=EmailStatus.QUEUED, next_attempt_at__isnull=True, created_at__lt=cutoff)
        | Q(status=EmailStatus.QUEUED, next_attempt_at__lt=cutoff)
        | Q(status=EmailStatus.SENDING, last_attempt_at__lt=cutoff)
    )
    ids = list(stuck.values_list("pk", flat=True))
    return email_send_again(ids)


def email_send_again(ids: list[int]) -> int:
    """Queue these emails (failed or stuck ones, never sent ones) for the worker again."""
    ids = list(
        OutgoingEmail.objects.filter(pk__in=ids)
        .exclude(status=EmailStatus.SENT)
        .values_list("pk", flat=True)
    )
    OutgoingEmail.objects.filter(pk__in=ids).update(  # pagecache: on no public page
        status=EmailStatus.QUEUED, claim="", attempts=0, next_attempt_at=None
    )
    for start in range(0, len(ids), BATCH_SIZE):
        transaction.on_commit(partial(_enqueue, ids[start : start + BATCH_SIZE]))
    return len(ids)

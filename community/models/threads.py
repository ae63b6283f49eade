"""Feedback threads on a factor, their replies, the earlier text of an edited reply, and the
recorded decisions on a thread.

Threads and replies are never deleted: maintainers decide them (resolved, accepted,
declined, with the reason recorded) or hide them (hidden, with the reason recorded).
Markdown is rendered and sanitized once, on save, into `body_html`.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse

from common.markdown import render_markdown
from common.validators import validate_single_line
from factors.models import Factor

FORMER_MEMBER = "a former member"


class ThreadKind(models.TextChoices):
    CHALLENGE = "challenge", "Challenge"
    QUESTION = "question", "Question"
    REFINEMENT = "refinement", "Refinement"
    SUPPORT = "support", "Support"


KIND_HELP = {
    ThreadKind.CHALLENGE: "This does not hold in my context.",
    ThreadKind.QUESTION: "Something is unclear.",
    ThreadKind.REFINEMENT: "A proposed change to the factor.",
    ThreadKind.SUPPORT: "This worked for us; here is why.",
}


class ThreadStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class ThreadQuerySet(models.QuerySet):
    def visible(self):
        """What the public sees: not hidden by a maintainer."""
        return self.filter(hidden_at__isnull=True)

    def open(self):
        return self.visible().filter(status=ThreadStatus.OPEN)

    def challenges(self):
        return self.filter(kind=ThreadKind.CHALLENGE)

    def for_list(self):
        return (
            self.select_related("factor", "author")
            .annotate(
                reply_count=models.Count("replies", filter=Q(replies__hidden_at__isnull=True))
            )
            .order_by("-last_activity_at", "-pk")
        )


class Contribution:
    """What a thread and a reply share (mixed in before models.Model): a Markdown `body` rendered
    and sanitized into `body_html` on save, an `author` who may have left, and moderation's
    `hidden_at`."""

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def author_name(self) -> str:
        return self.author.public_name if self.author else FORMER_MEMBER


class Thread(Contribution, models.Model):
    """Feedback on one factor: a challenge, a question, a proposed refinement or support."""

    factor = models.ForeignKey(Factor, on_delete=models.PROTECT, related_name="threads")
    kind = models.CharField(max_length=20, choices=ThreadKind.choices)
    title = models.CharField(max_length=200, validators=[validate_single_line])
    body = models.TextField(help_text="Markdown.")
    body_html = models.TextField(blank=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_threads",
    )
    evidence_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    evidence_id = models.PositiveBigIntegerField(null=True, blank=True)
    evidence = GenericForeignKey("evidence_type", "evidence_id")
    status = models.CharField(
        max_length=20, choices=ThreadStatus.choices, default=ThreadStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField(auto_now_add=True)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-last_activity_at", "-pk"]
        indexes = [
            models.Index(fields=["factor", "status"], name="thread_factor_status"),
            models.Index(fields=["status", "kind"], name="thread_status_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ThreadKind.values), name="thread_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ThreadStatus.values), name="thread_status_known"
            ),
            models.CheckConstraint(
                condition=Q(status=ThreadStatus.OPEN) | Q(decided_at__isnull=False),
                name="thread_decision_has_date",
            ),
            models.CheckConstraint(
                condition=Q(evidence_type__isnull=True, evidence_id__isnull=True)
                | Q(evidence_type__isnull=False, evidence_id__isnull=False),
                name="thread_evidence_both_or_neither",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("community:thread_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == ThreadStatus.OPEN


class ThreadStatusChange(models.Model):
    """A recorded decision on a thread: who, when, from → to, and why."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="status_changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=20, choices=ThreadStatus.choices)
    to_status = models.CharField(max_length=20, choices=ThreadStatus.choices)
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"

    def get_absolute_url(self):
        return self.thread.get_absolute_url()


class ReplyQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(hidden_at__isnull=True, thread__hidden_at__isnull=True)


class Reply(Contribution, models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_replies",
    )
    by_maintainer = models.BooleanField(
        default=False, help_text="Written by a maintainer (at the time of writing)."
    )
    body = models.TextField(help_text="Markdown.")
    body_html = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.TextField(blank=True)

    objects = ReplyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "replies"

    def __str__(self):
        return f"Reply by {self.author_name} on {self.thread}"

    def get_absolute_url(self):
        return reverse("community:thread_detail", args=[self.thread_id]) + f"#reply-{self.pk}"

    @property
    def title(self) -> str:
        return f"Reply on “{self.thread.title}”"


class ReplyRevision(models.Model):
    """The text of a reply as it was before an edit."""

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Earlier text of {self.reply}"

    def get_absolute_url(self):
        return self.reply.get_absolute_url()

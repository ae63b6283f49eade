"""The on-site inbox: one notification a message, of one kind."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse


class NotificationKind(models.TextChoices):
    DECISION = "decision", "Decisions on my submissions"
    COMMENT = "comment", "Maintainers' comments on my submissions and threads"
    REPLY = "reply", "Replies in threads I am in"
    PHASE = "phase", "Phase changes of factors I follow"
    FOLLOWING = "following", "New threads and evidence on factors and domains I follow"
    REVIEW = "review", "Submissions waiting for review (maintainers)"
    REMINDER = "reminder", "Reminders to re-confirm my ageing evidence"


# Kinds only maintainers hear about (the settings page shows them only to maintainers).
MAINTAINER_KINDS = frozenset({NotificationKind.REVIEW})


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message in a member's on-site inbox; it may also have gone out by email."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was sent by email, if it was."
    )
    email_held = models.BooleanField(
        default=False, help_text="Not emailed because the hourly email limit was reached."
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "emailed_at"], name="notification_emailed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=NotificationKind.values), name="notification_kind_known"
            ),
        ]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return self.url or reverse("community:inbox")

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

"""The record kept beside each submission: its steps through review, its re-confirmations, its
earlier versions, and the one-time tokens of the forms that made it."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .base import State


class StateChange(models.Model):
    """One recorded step in a submission's life: who moved it, when, from → to, and why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_state = models.CharField(max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=State.choices)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self):
        return f"{self.from_state or '—'} → {self.to_state}"


class Confirmation(models.Model):
    """One re-confirmation of published evidence: who said it still holds, and when.

    The item's `confirmed_at` is the latest one; every one is kept here."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the item was last confirmed before this one (its publication or the previous one).
    previously_confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self):
        return f"re-confirmed {self.created_at:%Y-%m-%d}"


class Revision(models.Model):
    """A saved earlier version of a submission, kept each time it is edited."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(help_text="The submission's fields as they were.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "number"], name="revision_unique_number"
            )
        ]

    def __str__(self):
        return f"revision {self.number}"


class FormToken(models.Model):
    """The one-time token of a "new item" form, kept with the item it made.

    A form sent twice (a double-click, or sent again after an error page) carries the same
    token: the unique constraint lets only one item be made, and the second sending answers
    with the item already saved. Stored in the same transaction as the item, so it holds when
    the session could not be saved (the database was away) or was lost.
    """

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    content_type = models.ForeignKey(ContentType, null=True, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(null=True)
    item = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["author", "token"], name="formtoken_unique_per_author")
        ]

    def __str__(self):
        return f"form {self.token}"

    def get_absolute_url(self):
        item = self.item
        if item is None:
            return reverse("cases:my_submissions")
        return reverse("cases:submission_detail", kwargs={"kind": type(item).KIND, "pk": item.pk})

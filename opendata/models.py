"""What an imported snapshot carries that no imported row can hold: past activity.

The activity measures count people (authors of evidence published within the activity
window; people who submitted, reviewed or gave feedback within it). A snapshot names no one
who chose role or anonymous credit and carries no accounts, state changes or feedback, so
the imported rows cannot be counted as on the source site. The snapshot carries instead,
for each such person, only the time of their latest activity (no key, no link to any item):
exactly what the count over a window ending now needs. Each carried person is a
placeholder account that cannot sign in, so the measures count them in their usual single
query. See opendata/carried.py.
"""

from django.conf import settings
from django.db import models


class CarriedActivity(models.Model):
    class Kind(models.TextChoices):
        COLLABORATOR = "collaborator", "Author of published evidence"
        ENGAGED = "engaged", "Engaged member"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
        help_text="A placeholder account standing for the person (cannot sign in).",
    )  # fmt: skip
    at = models.DateTimeField(help_text="The person's latest activity on the source site.")

    class Meta:
        ordering = ["kind", "-at"]
        indexes = [models.Index(fields=["kind", "at"], name="carriedactivity_kind_at")]
        verbose_name_plural = "carried activity"

    def __str__(self):
        return f"{self.get_kind_display()} active {self.at:%Y-%m-%d}"

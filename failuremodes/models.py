"""Failure modes: named groups of published failure reports, kept by maintainers.

Like an incident database groups reports into incidents, a failure mode names what
keeps going wrong across domains and organizations: what happens, how it is detected,
how it is prevented, and the factors concerned. It is a small app of its own (not a
fifth kind of evidence in cases): it has no author, no submit → review → publish life
cycle and no consent; maintainers write it, and it only groups evidence that went
through review.

- A mode is *public* when at least one of its reports is published and not hidden; only
  those reports are shown or counted. A mode whose reports are all drafts, under review,
  rejected, withdrawn or hidden is seen by maintainers only.
- A mode is *addressed* when a maintainer marked it so (`addressed_at`) with a reason:
  a published adaptation (`addressed_by`) or a refinement of the factor (`refinement`).
  An addressed mode whose only reason is an adaptation that is no longer public counts
  as open again. Otherwise it is *open*.
- Its severity is derived, never stored: the highest severity among its published
  reports (a report published later can raise it; hiding one can lower it).

Markdown fields are rendered and sanitized on save into `<field>_html`, like evidence.
Every save through failuremodes/services.py records a cases.Revision (who, when, what).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from cases.models import (
    Adaptation,
    FailureReport,
    Revision,
    Severity,
    save_rendered,
)
from common.validators import validate_single_line
from factors.models import Factor

# Severities from the highest down: a mode's severity is the first its reports reach.
SEVERITY_ORDER = [Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW]
SEVERE = (Severity.CRITICAL, Severity.HIGH)


def published_reports():
    return FailureReport.objects.published()


class FailureModeQuerySet(models.QuerySet):
    def public(self, reports=None):
        """Modes with at least one published, visible report (one of `reports`, a queryset
        of published reports, when given: e.g. those confirmed within the ageing window)."""
        reports = published_reports() if reports is None else reports
        return self.filter(
            Exists(
                FailureMode.reports.through.objects.filter(
                    failuremode=OuterRef("pk"), failurereport__in=reports.values("pk")
                )
            )
        )

    def addressed(self):
        return self.filter(addressed_q())

    def open(self):
        return self.exclude(addressed_q())

    def severe(self, reports=None):
        """Modes with a published report of high or critical severity (one of `reports`,
        as in public())."""
        reports = published_reports() if reports is None else reports
        return self.filter(
            Exists(
                FailureMode.reports.through.objects.filter(
                    failuremode=OuterRef("pk"),
                    failurereport__in=reports.filter(severity__in=SEVERE).values("pk"),
                )
            )
        )


def addressed_q(prefix: str = "") -> Q:
    """Marked addressed, with a reason that still holds: a refinement written, or an
    adaptation that is published and not hidden."""
    p = prefix
    return Q(**{f"{p}addressed_at__isnull": False}) & (
        ~Q(**{f"{p}refinement": ""})
        | Q(**{f"{p}addressed_by__in": Adaptation.objects.published().values("pk")})
    )


class FailureMode(models.Model):
    markdown_fields = ("what_happens", "detection", "prevention", "refinement")

    title = models.CharField(max_length=200, validators=[validate_single_line])
    slug = models.SlugField(max_length=90, unique=True)
    what_happens = models.TextField(blank=True, help_text="What goes wrong, in general. Markdown.")
    what_happens_html = models.TextField(blank=True, editable=False)
    detection = models.TextField(blank=True, help_text="How it is detected. Markdown.")
    detection_html = models.TextField(blank=True, editable=False)
    prevention = models.TextField(blank=True, help_text="How it is prevented. Markdown.")
    prevention_html = models.TextField(blank=True, editable=False)
    factors = models.ManyToManyField(Factor, related_name="failure_modes", blank=True)
    reports = models.ManyToManyField(FailureReport, related_name="failure_modes", blank=True)
    addressed_by = models.ForeignKey(
        Adaptation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="addressed_failure_modes",
        help_text="The published adaptation that addresses it.",
    )
    refinement = models.TextField(
        "refinement of the factor",
        blank=True,
        help_text="How the factor was refined so that this no longer happens. Markdown.",
    )
    refinement_html = models.TextField(blank=True, editable=False)
    addressed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    is_demo = models.BooleanField(default=False, help_text="Made by seed_demo; not real.")

    revisions = GenericRelation(Revision)

    objects = FailureModeQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        save_rendered(self, lambda: super(FailureMode, self).save(*args, **kwargs))

    def get_absolute_url(self):
        return reverse("failuremodes:detail", args=[self.slug])

    def get_manage_url(self):
        return reverse("failuremodes:edit", args=[self.slug])

    @property
    def marked_addressed(self) -> bool:
        return self.addressed_at is not None

    @property
    def is_addressed(self) -> bool:
        """Marked addressed with a reason that still holds (addressed_q() in Python).
        Load addressed_by with the mode (select_related) to run no query."""
        if self.addressed_at is None:
            return False
        if self.refinement.strip():
            return True
        return self.addressed_by is not None and self.addressed_by.is_published


def highest_severity(severities) -> str:
    """The highest of some severities ("" when there are none)."""
    present = set(severities)
    return next((s.value for s in SEVERITY_ORDER if s in present), "")

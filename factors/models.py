from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from common.markdown import render_markdown

from .measures import (
    AT_LEAST,
    AT_MOST,
    COMPARATOR_CHOICES,
    FACTOR,
    FACTOR_ONLY_MEASURES,
    FRAMEWORK,
    FRAMEWORK_ONLY_MEASURES,
    MEASURE_CHOICES,
    MEASURES,
    counts_ageing_evidence,
    criterion_text,
)

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


class Tier(models.TextChoices):
    FOUNDATION = "foundation", "Foundation"
    OPERATIONS = "operations", "Operations"
    IMPROVEMENT = "improvement", "Improvement"


class PhaseQuerySet(models.QuerySet):
    def first_phase(self):
        return self.order_by("order").first()


class Phase(models.Model):
    """A maturity phase: Alpha, Beta, V1.0. Its criteria are what must hold to leave it."""

    name = models.CharField(max_length=40, unique=True)
    slug = models.SlugField(max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(unique=True)
    description = models.TextField(blank=True)

    objects = PhaseQuerySet.as_manager()

    class Meta:
        ordering = ["order"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("factors:list") + f"#phase-{self.slug}"


class FactorQuerySet(models.QuerySet):
    def with_phase(self):
        return self.select_related("phase")


class Factor(models.Model):
    number = models.PositiveSmallIntegerField(unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=120)
    tier = models.CharField(max_length=20, choices=Tier.choices)
    summary = models.CharField(max_length=300, help_text="One line, plain text.")
    body = models.TextField(blank=True, help_text="Markdown.")
    body_html = models.TextField(blank=True, editable=False)
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="factors")

    objects = FactorQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=12), name="factor_number_1_to_12"
            ),
        ]

    def __str__(self):
        return f"{self.roman}. {self.title}"

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("factors:detail", args=[self.slug])

    @property
    def roman(self) -> str:
        return ROMAN[self.number - 1] if 1 <= self.number <= 12 else str(self.number)


class Framework(models.Model):
    """The framework as a whole (one row): its current phase."""

    name = models.CharField(max_length=120, default="12-Factor AgentOps")
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="+")
    classification_min_domains = models.PositiveSmallIntegerField(
        "domains needed to classify a factor",
        default=3,
        help_text="A factor is universal so far when it worked as written in at least this many "
        "domains (context-specific: worked there, some only with adaptation); with fewer it "
        "stays unproven.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(classification_min_domains__gte=1),
                name="framework_classification_min_domains_gte_1",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.phase})"

    def get_absolute_url(self):
        return reverse("home")


class PhaseChange(models.Model):
    """A recorded move of a factor (or, with no factor, the framework) between phases."""

    factor = models.ForeignKey(
        Factor, null=True, blank=True, on_delete=models.CASCADE, related_name="phase_changes"
    )
    from_phase = models.ForeignKey(
        Phase, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="+")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    rationale = models.TextField()
    override = models.BooleanField(
        default=False, help_text="Promoted although some criteria did not hold."
    )
    override_reason = models.TextField(
        blank=True, help_text="Why the maintainer promoted although criteria did not hold."
    )
    unmet_criteria = models.JSONField(
        default=list, blank=True, help_text="Criteria that did not hold at the time, if any."
    )
    snapshot = models.ForeignKey(
        "MaturitySnapshot",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="phase_changes",
        help_text="The figures the maintainer saw when deciding.",
    )
    shown = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the maintainer was shown before confirming a promotion: the factor's "
        "row of the promotion ranking and what the promotion would change (factors/decision.py).",
    )

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        subject = self.factor or "Framework"
        return f"{subject}: {self.from_phase or '—'} → {self.to_phase}"

    def get_absolute_url(self):
        return self.factor.get_absolute_url() if self.factor else reverse("home")


class Scope(models.TextChoices):
    FACTOR = FACTOR, "Per factor"
    FRAMEWORK = FRAMEWORK, "Framework"


class Comparator(models.TextChoices):
    AT_LEAST = AT_LEAST, "At least"
    AT_MOST = AT_MOST, "At most"


class Criterion(models.Model):
    """A threshold on a measure that must hold to leave a phase.

    Its text is worded from measure, comparator and threshold (`text`), never stored.
    """

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="criteria")
    scope = models.CharField(max_length=20, choices=Scope.choices)
    measure = models.CharField(max_length=40, choices=MEASURE_CHOICES)
    comparator = models.CharField(
        max_length=10,
        choices=COMPARATOR_CHOICES,
        default=AT_LEAST,
        help_text="Whether the measure must be at least or at most the threshold.",
    )
    threshold = models.PositiveIntegerField(
        help_text="At least 1 for an 'at least' criterion; 0 allowed for 'at most' (none)."
    )
    fresh_only = models.BooleanField(
        "count only evidence confirmed within the ageing window",
        default=False,
        help_text="Count only evidence published or re-confirmed by its author within the "
        "last EVIDENCE_AGEING_MONTHS months (18 by default); older evidence then no longer "
        "counts towards it.",
    )

    class Meta:
        ordering = ["phase__order", "scope", "pk"]
        verbose_name_plural = "criteria"
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold__gte=1) | Q(comparator=AT_MOST),
                name="criterion_threshold_fits_comparator",
            ),
            models.CheckConstraint(
                condition=Q(comparator__in=[AT_LEAST, AT_MOST]), name="criterion_comparator_known"
            ),
            models.CheckConstraint(
                condition=Q(scope=FACTOR) | ~Q(measure__in=FACTOR_ONLY_MEASURES),
                name="criterion_factor_measure_per_factor",
            ),
            models.CheckConstraint(
                condition=Q(measure__in=list(MEASURES)), name="criterion_measure_known"
            ),
            models.CheckConstraint(
                condition=Q(scope__in=[FACTOR, FRAMEWORK]), name="criterion_scope_known"
            ),
            models.CheckConstraint(
                condition=Q(scope=FRAMEWORK) | ~Q(measure__in=FRAMEWORK_ONLY_MEASURES),
                name="criterion_measure_fits_scope",
            ),
            models.UniqueConstraint(
                fields=["phase", "scope", "measure"], name="criterion_unique_per_phase_scope"
            ),
        ]

    def __str__(self):
        return self.text

    def get_absolute_url(self):
        return self.phase.get_absolute_url()

    def clean(self):
        super().clean()
        if self.fresh_only and not counts_ageing_evidence(self.measure):
            label = MEASURES[self.measure].label
            raise ValidationError(
                {
                    "fresh_only": f"“{label}” does not count published evidence, which is what "
                    "ages: it cannot count only evidence confirmed within the ageing window. "
                    "Untick this box."
                }
            )

    @property
    def text(self) -> str:
        """The criterion in words, e.g. "At least 3 domains where it worked"."""
        return criterion_text(
            self.measure,
            self.comparator,
            self.threshold if self.threshold is not None else 0,
            scope=self.scope,
            phase_name=self.phase.name if self.phase_id else "",
            fresh_months=self.fresh_months,
        )

    @property
    def fresh_months(self) -> int:
        """The ageing window it counts within, in months (0: it counts all evidence)."""
        if not self.fresh_only or not counts_ageing_evidence(self.measure):
            return 0
        return settings.EVIDENCE_AGEING_MONTHS

    @property
    def description(self) -> str:
        return self.text

    @property
    def measure_definition(self) -> str:
        return MEASURES[self.measure].definition_for(self.scope)


class MaturitySnapshotQuerySet(models.QuerySet):
    def latest_by(self, moment):
        """The snapshot in force at `moment`: the last one taken at or before it."""
        return self.filter(taken_at__lte=moment).order_by("-taken_at", "-pk").first()


class MaturitySnapshot(models.Model):
    """Every measure, verdict input and phase, as the site showed them at one moment.

    Recorded on commit of each change that can move a measure (factors/history.py), and
    before each promotion or demotion (the figures the maintainer saw). `data` holds plain
    values only, so a snapshot reads the same whatever later happens to the evidence.
    """

    taken_at = models.DateTimeField(default=timezone.now, db_index=True)
    reason = models.CharField(max_length=120, blank=True)
    digest = models.CharField(max_length=64, help_text="SHA-256 of data, to skip repeats.")
    data = models.JSONField()

    objects = MaturitySnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-taken_at", "-pk"]
        get_latest_by = ["taken_at", "pk"]

    def __str__(self):
        return f"Maturity snapshot of {self.taken_at:%Y-%m-%d %H:%M} UTC"

    def get_absolute_url(self):
        return reverse("snapshot_detail", args=[self.pk])


class FactorSnapshot(models.Model):
    """One factor's phase and measures within a MaturitySnapshot (its history is one query)."""

    snapshot = models.ForeignKey(
        MaturitySnapshot, on_delete=models.CASCADE, related_name="factor_rows"
    )
    factor = models.ForeignKey(Factor, on_delete=models.CASCADE, related_name="snapshots")
    phase = models.CharField(max_length=40, help_text="The factor's phase (slug) at the time.")
    measures = models.JSONField(default=dict)

    class Meta:
        ordering = ["snapshot", "factor__number"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "factor"], name="factor_snapshot_unique"),
        ]

    def __str__(self):
        return f"{self.factor} in {self.snapshot}"

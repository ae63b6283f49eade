"""Case studies: how a team applied several factors, how each went, and the numbers."""

from decimal import Decimal

from django.db import models
from django.db.models import Prefetch
from django.utils.html import escape

from common.validators import validate_single_line
from factors.models import Factor

from .. import improvement
from ..revision_diff import number
from .base import Deployment, Outcome, html_field, markdown_field, prefetch_once
from .submission import Submission


class CaseStudy(Submission):
    KIND = "case_study"
    plural_key = "case_studies"
    kind_label = "Case study"
    kind_plural = "case studies"
    kind_description = (
        "How your team applied several factors in a real deployment, how each one went, "
        "and what changed, with numbers where you have them."
    )
    list_path = "case-studies"
    url_name = "casestudy"
    markdown_fields = ("context", "approach", "results", "lessons")
    summary_fields = ("summary",)
    required_on_submit = (
        "title",
        "domain",
        "summary",
        "deployment",
        "context",
        "approach",
        "results",
        "lessons",
        "consent",
    )
    export_fields = ("summary", "deployment", "duration_months", "team_size", *markdown_fields)
    feed_field = "summary"
    factor_path = "applications__factor"
    outcome_path = "applications__outcome"
    filter_params = {"deployment": Deployment}

    summary = models.CharField(max_length=500, blank=True, help_text="Two or three sentences.")
    # Blank in a draft whose author has not said yet (the form presets nothing); needed to submit.
    deployment = models.CharField(
        max_length=20, choices=Deployment.choices, default=Deployment.PILOT, blank=True
    )
    duration_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How long the work has run, in months."
    )
    team_size = models.PositiveSmallIntegerField(null=True, blank=True)
    context = markdown_field(
        "Context and constraints: the setting, the agents, what made it hard. Markdown."
    )
    context_html = html_field()
    approach = markdown_field("What was done, factor by factor. Markdown.")
    approach_html = html_field()
    results = markdown_field("What changed. Markdown; add numbers as quantified results below.")
    results_html = html_field()
    lessons = markdown_field("What you would tell the next team. Markdown.")
    lessons_html = html_field()
    factors = models.ManyToManyField(
        Factor, through="FactorApplication", related_name="case_studies"
    )

    class Meta(Submission.Meta):
        verbose_name_plural = "case studies"
        indexes = [models.Index(fields=["state", "published_at"], name="casestudy_state_pub")]

    @property
    def feed_description(self) -> str:
        return escape(self.summary) if self.summary else self.context_html

    @classmethod
    def with_list_relations(cls, qs):
        return prefetch_once(
            super().with_list_relations(qs),
            Prefetch("applications", FactorApplication.objects.select_related("factor")),
        )

    @classmethod
    def with_detail_relations(cls, qs):
        return prefetch_once(
            cls.with_list_relations(qs),
            Prefetch("quantified", QuantifiedResult.objects.select_related("standard_metric")),
        )

    @classmethod
    def with_public_relations(cls, qs):
        return prefetch_once(
            cls.with_detail_relations(qs),
            # The other kinds' modules import this one: reach them through the relations.
            Prefetch(
                "adaptations",
                cls.related_model_objects("adaptations").published().select_related("factor"),
            ),
            Prefetch("failure_reports", cls.related_model_objects("failure_reports").published()),
        )

    def factor_list(self) -> list:
        return [a.factor for a in self.applications.all()]

    csv_columns = (
        "deployment",
        "duration_months",
        "team_size",
        "factors",
        "quantified_results",
        "summary",
    )

    def csv_values(self, absolute) -> list:
        factors = "; ".join(f"{a.factor.roman} {a.outcome}" for a in self.applications.all())
        return [
            self.deployment,
            self.duration_months,
            self.team_size,
            factors,
            len(self.quantified.all()),
            self.summary,
        ]

    def export_related(self, published_case_studies: dict[int, str]) -> dict:
        return {
            "applications": [
                {"factor": a.factor.number, "outcome": a.outcome, "note": a.note}
                for a in self.applications.all()
            ],
            "quantified": [
                {"metric": q.metric, "metric_slug": _metric_slug(q), "before": str(q.before),
                 "after": str(q.after), "unit": q.unit}
                for q in self.quantified.all()
            ],
        }  # fmt: skip

    def import_related_after_save(self, data: dict, *, factors: dict) -> None:
        self.applications.all().delete()
        self.quantified.all().delete()
        FactorApplication.objects.bulk_create(  # pagecache: snapshot_import bumps
            FactorApplication(case_study=self, factor=factors[a["factor"]], outcome=a["outcome"],
                              note=a.get("note", ""))
            for a in data["applications"]
        )  # fmt: skip
        metrics = {m.slug: m for m in Metric.objects.all()} if data["quantified"] else {}
        QuantifiedResult.objects.bulk_create(  # pagecache: snapshot_import bumps
            QuantifiedResult(case_study=self, metric=q["metric"], before=Decimal(q["before"]),
                             after=Decimal(q["after"]), unit=q.get("unit", ""),
                             standard_metric=metrics.get(q.get("metric_slug")))
            for q in data["quantified"]
        )  # fmt: skip

    def missing_related(self) -> list[str]:
        return [] if self.applications.exists() else ["factors"]

    def related_snapshot(self) -> dict:
        return {
            "applications": [
                {
                    "factor": a.factor_id,
                    "factor_label": str(a.factor),
                    "outcome": a.outcome,
                    "note": a.note,
                }
                for a in self.applications.select_related("factor").order_by("factor__number")
            ],
            "quantified": [
                {
                    "metric": q.metric,
                    "metric_slug": _metric_slug(q),
                    "before": str(q.before),
                    "after": str(q.after),
                    "unit": q.unit,
                }
                for q in self.quantified.select_related("standard_metric").order_by("pk")
            ],  # fmt: skip
        }

    @classmethod
    def related_revision_fields(cls, data: dict) -> list[tuple[str, str]]:
        fields = []
        if "applications" in data:
            text = "\n".join(
                f"{a['factor_label']}: {Outcome(a['outcome']).label}"
                + (f" — {a['note']}" if a["note"] else "")
                for a in data["applications"]
            )
            fields.append(("Factors applied", text))
        if "quantified" in data:
            text = "\n".join(
                f"{q['metric']}"
                + _metric_tag(q)
                + f": {number(q['before'])} → {number(q['after'])} {q['unit']}".rstrip()
                for q in data["quantified"]
            )
            fields.append(("Quantified results", text))
        return fields

    def set_related(self, *, applications=None, quantified=None, **related) -> None:
        if applications is not None:
            self.applications.all().delete()
            FactorApplication.objects.bulk_create(  # pagecache: services._set_related bumps
                FactorApplication(
                    case_study=self,
                    factor=row["factor"],
                    outcome=row["outcome"],
                    note=row.get("note", ""),
                )
                for row in applications
            )
        if quantified is not None:
            self.quantified.all().delete()
            QuantifiedResult.objects.bulk_create(  # pagecache: services._set_related bumps
                QuantifiedResult(
                    case_study=self,
                    standard_metric=row.get("standard_metric"),
                    metric=row["metric"],
                    before=row["before"],
                    after=row["after"],
                    unit=row.get("unit", ""),
                )
                for row in quantified
            )


def _metric_tag(row: dict) -> str:
    """A revision's result, tagged with its vocabulary metric or "other" (revisions kept before
    the vocabulary carry neither)."""
    if "metric_slug" not in row:
        return ""
    return f" [{row['metric_slug'] or 'other'}]"


def _metric_slug(result) -> str | None:
    return result.standard_metric.slug if result.standard_metric_id else None


class FactorApplication(models.Model):
    """How a case study applied one factor, and how it went."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="applications")
    factor = models.ForeignKey(Factor, on_delete=models.PROTECT, related_name="applications")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    note = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["factor__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["case_study", "factor"], name="application_unique_factor"
            )
        ]

    def __str__(self):
        return f"{self.factor} — {self.get_outcome_display()}"

    def get_absolute_url(self):
        return self.case_study.get_absolute_url()


class Better(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class Metric(models.Model):
    """One metric of the vocabulary that maintainers keep (in the admin): quantified results
    that name it can be added up across case studies (cases/improvement.py). A result that
    names none is "other": shown, never aggregated."""

    name = models.CharField(max_length=120, unique=True, validators=[validate_single_line])
    slug = models.SlugField(max_length=60, unique=True)
    unit = models.CharField(
        max_length=60, blank=True, help_text="The usual unit, e.g. “minutes” (results may vary)."
    )
    better = models.CharField(
        max_length=10, choices=Better.choices, help_text="Which direction is an improvement."
    )
    definition = models.TextField(
        max_length=1000, help_text="What is measured, shown on the site. Plain text."
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first.")

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class QuantifiedResult(models.Model):
    """A number before and after. `metric` is the metric as the author named it (kept as
    written, always); `standard_metric` is the vocabulary metric it reports, or null for
    "other" (shown, never aggregated)."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="quantified")
    standard_metric = models.ForeignKey(
        Metric, null=True, blank=True, on_delete=models.PROTECT, related_name="results"
    )
    metric = models.CharField(max_length=120)
    before = models.DecimalField(max_digits=14, decimal_places=3)
    after = models.DecimalField(max_digits=14, decimal_places=3)
    unit = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.metric}: {self.before} → {self.after} {self.unit}".strip()

    def get_absolute_url(self):
        return self.case_study.get_absolute_url()

    @property
    def metric_name(self) -> str:
        """The vocabulary metric's name, or the author's own words for "other"."""
        return self.standard_metric.name if self.standard_metric_id else self.metric

    @property
    def direction(self):
        """Improved, worsened or unchanged by the metric's better direction; None for other."""
        if not self.standard_metric_id:
            return None
        return improvement.direction(self.before, self.after, self.standard_metric.better)

    @property
    def relative_change(self):
        return improvement.relative_change(self.before, self.after)

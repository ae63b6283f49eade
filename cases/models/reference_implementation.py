"""Reference implementations: code or documentation that puts factors into practice."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.html import escape

from factors.models import Factor

from .base import html_field, markdown_field, prefetch_once
from .submission import Submission

https_only = URLValidator(
    schemes=["https"],
    message="Give a full https:// address (http and other schemes are not accepted).",
    code="https_only",  # its own code: a form's generic "Enter a valid URL." must not replace it
)


class ReferenceImplementation(Submission):
    """Code or documentation that puts factors into practice, with where it lives."""

    KIND = "reference_implementation"
    plural_key = "reference_implementations"
    kind_label = "Reference implementation"
    kind_plural = "reference implementations"
    kind_description = (
        "Code or documentation that puts one or more factors into practice: where it lives, "
        "its licence, which factors it implements and how."
    )
    list_path = "reference-implementations"
    url_name = "reference_implementation"
    markdown_fields = ("description",)
    summary_fields = ("summary",)
    required_on_submit = ("title", "domain", "url", "licence", "summary", "description", "consent")
    export_fields = ("url", "licence", "maintained", "summary", "description")
    feed_field = "summary"
    factor_path = "implementations__factor"
    csv_columns = ("repository_url", "licence", "maintained", "last_checked", "factors", "summary")

    url = models.URLField(
        "repository or documentation URL",
        max_length=500,
        blank=True,
        validators=[https_only],
        help_text="Where it lives: a repository or its documentation. https:// only.",
    )
    licence = models.CharField(
        max_length=100,
        blank=True,
        help_text='Its licence, ideally an SPDX identifier, e.g. "Apache-2.0" or "MIT".',
    )
    maintained = models.BooleanField(
        "actively maintained", default=True, help_text="Is someone still looking after it?"
    )
    last_checked = models.DateField(
        null=True, blank=True, help_text="When someone last checked that it works as described."
    )
    summary = models.CharField(max_length=500, blank=True, help_text="Two or three sentences.")
    description = markdown_field(
        "What it is, how it puts the factors into practice, how to use it. Markdown."
    )
    description_html = html_field()
    factors = models.ManyToManyField(
        Factor, through="FactorImplementation", related_name="reference_implementations"
    )

    class Meta(Submission.Meta):
        indexes = [models.Index(fields=["state", "published_at"], name="refimpl_state_pub")]

    def clean(self):
        super().clean()
        if self.last_checked and self.last_checked > timezone.localdate():
            raise ValidationError({"last_checked": "Give a date that is not in the future."})

    @property
    def feed_description(self) -> str:
        return escape(self.summary) if self.summary else self.description_html

    @property
    def short_note(self) -> str:
        return "maintained" if self.maintained else "no longer maintained"

    @classmethod
    def with_list_relations(cls, qs):
        return prefetch_once(
            super().with_list_relations(qs),
            Prefetch("implementations", FactorImplementation.objects.select_related("factor")),
        )

    def factor_list(self) -> list:
        return [i.factor for i in self.implementations.all()]

    def missing_related(self) -> list[str]:
        return [] if self.implementations.exists() else ["factors"]

    def related_snapshot(self) -> dict:
        return {
            "implementations": [
                {"factor": i.factor_id, "factor_label": str(i.factor), "note": i.note}
                for i in self.implementations.select_related("factor").order_by("factor__number")
            ]
        }

    @classmethod
    def related_revision_fields(cls, data: dict) -> list[tuple[str, str]]:
        if "implementations" not in data:
            return []
        text = "\n".join(
            i["factor_label"] + (f" — {i['note']}" if i["note"] else "")
            for i in data["implementations"]
        )
        return [("Factors implemented", text)]

    def set_related(self, *, implementations=None, **related) -> None:
        if implementations is not None:
            self.implementations.all().delete()
            FactorImplementation.objects.bulk_create(  # pagecache: services._set_related bumps
                FactorImplementation(
                    reference_implementation=self, factor=row["factor"], note=row.get("note", "")
                )
                for row in implementations
            )

    def csv_values(self, absolute) -> list:
        return [
            self.url,
            self.licence,
            self.maintained,
            self.last_checked,
            "; ".join(f"{i.factor.roman} {i.factor.title}" for i in self.implementations.all()),
            self.summary,
        ]

    def export_related(self, published_case_studies: dict[int, str]) -> dict:
        return {
            "last_checked": self.last_checked.isoformat() if self.last_checked else None,
            "implementations": [
                {"factor": i.factor.number, "note": i.note} for i in self.implementations.all()
            ],
        }

    def import_related(self, data: dict, *, factors: dict, case_studies: dict) -> dict:
        checked = data.get("last_checked")
        return {"last_checked": date.fromisoformat(checked) if checked else None}

    def import_related_after_save(self, data: dict, *, factors: dict) -> None:
        self.implementations.all().delete()
        FactorImplementation.objects.bulk_create(  # pagecache: snapshot_import bumps
            FactorImplementation(
                reference_implementation=self, factor=factors[i["factor"]], note=i.get("note", "")
            )
            for i in data["implementations"]
        )


class FactorImplementation(models.Model):
    """How a reference implementation puts one factor into practice."""

    reference_implementation = models.ForeignKey(
        ReferenceImplementation, on_delete=models.CASCADE, related_name="implementations"
    )
    factor = models.ForeignKey(Factor, on_delete=models.PROTECT, related_name="implementations")
    note = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["factor__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["reference_implementation", "factor"], name="implementation_unique_factor"
            )
        ]

    def __str__(self):
        return str(self.factor)

    def get_absolute_url(self):
        return self.reference_implementation.get_absolute_url()

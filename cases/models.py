"""The evidence: domains, organizations, and the kinds of submission.

Case studies, adaptations and failure reports share one life cycle (see State and
cases/services.py). Markdown fields are rendered and sanitized once, on save, into
a matching `<field>_html` column; templates show only those.

What differs between the kinds lives on each kind's model: its names, its URLs, what
must be filled in to submit it, the related data its pages load, how it names factors,
what it exports. `SUBMISSION_MODELS` (the end of this file) lists the kinds; the registry
of cases/kinds.py, the URLs, filters, feeds, API, CSV and snapshot are derived from it.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify

from common.markdown import render_markdown
from common.validators import validate_single_line
from factors.models import Factor

from . import improvement
from .revision_diff import number


def unique_slug(model, text: str, *, max_length: int = 80, exclude_pk=None) -> str:
    """A readable slug from text, made unique within model by a numeric suffix."""
    base = slugify(text)[:max_length].strip("-") or "item"
    taken = set(
        model.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        suffix = f"-{n}"
        slug = f"{base[: max_length - len(suffix)]}{suffix}"
        n += 1
    return slug


def prefetch_once(qs, *lookups):
    """qs.prefetch_related(*lookups), leaving out lookups qs already prefetches: the kinds'
    relation hooks (with_list_relations, with_detail_relations …) build on each other and
    may be applied to a queryset that has some of them already."""
    seen = {getattr(lookup, "prefetch_to", lookup) for lookup in qs._prefetch_related_lookups}
    return qs.prefetch_related(
        *(lookup for lookup in lookups if getattr(lookup, "prefetch_to", lookup) not in seen)
    )


def save_rendered(instance, save) -> None:
    """Render `instance.markdown_fields` to their sanitized `<name>_html`, then save: as is when
    it has a slug, else with a fresh one from its title (save_with_unique_slug). Evidence and
    failure modes save this way."""
    for name in instance.markdown_fields:
        setattr(instance, f"{name}_html", render_markdown(getattr(instance, name)))
    if instance.slug:
        save()
    else:
        save_with_unique_slug(instance, instance.title, save)


def save_with_unique_slug(instance, text: str, save, *, attempts: int = 20) -> None:
    """Insert `instance` with a fresh slug from `text`, retrying on a slug collision.

    Checking for a free slug and inserting it are two steps: two people saving the same
    title at the same moment pick the same slug, and the second insert meets the unique
    constraint. Each try runs in a savepoint; on a collision the slug just taken is now
    visible (the other insert committed before ours failed), so the next try takes the next
    suffix. Any other integrity error is raised as is.
    """
    model = type(instance)
    for attempt in range(attempts):
        instance.slug = unique_slug(model, text)
        try:
            with transaction.atomic():
                save()
            return
        except IntegrityError:
            collided = model._default_manager.filter(slug=instance.slug).exists()
            instance.slug = ""
            if not collided or attempt == attempts - 1:
                raise


class Domain(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    is_demo = models.BooleanField(default=False, help_text="Made by seed_demo; not real.")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Domain, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("cases:domain_detail", args=[self.slug])


class SizeBand(models.TextChoices):
    SMALL = "small", "Small (under 50 people)"
    MEDIUM = "medium", "Medium (50–999 people)"
    LARGE = "large", "Large (1,000–9,999 people)"
    ENTERPRISE = "enterprise", "Enterprise (10,000+ people)"


class Organization(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="organizations")
    size_band = models.CharField(max_length=20, choices=SizeBand.choices, blank=True)
    anonymized = models.BooleanField(
        default=False, help_text='Shown as "a <domain> organization" instead of its name.'
    )
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "domain"], name="organization_unique_per_domain"
            )
        ]

    def __str__(self):
        return self.public_name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Organization, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        url = reverse("cases:domain_detail", args=[self.domain.slug])
        # The slug is made from the real name: an anonymized organization's link must not
        # carry it.
        return url if self.anonymized else f"{url}#org-{self.slug}"

    @property
    def public_name(self) -> str:
        if self.anonymized:
            article = "an" if self.domain.name[:1].lower() in "aeiou" else "a"
            return f"{article} {self.domain.name.lower()} organization"
        return self.name


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Consent(models.TextChoices):
    NAME = "name", "Attribute to me by name"
    ROLE = "role", "Attribute to my role only"
    ANONYMOUS = "anonymous", "Publish anonymously"


class Outcome(models.TextChoices):
    WORKED = "worked", "Worked as written"
    ADAPTED = "adapted", "Worked with adaptation"
    FAILED = "failed", "Failed"


class Severity(models.TextChoices):
    CRITICAL = "critical", "Critical"
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class Deployment(models.TextChoices):
    PRODUCTION = "production", "In production"
    PILOT = "pilot", "Pilot"


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


class SubmissionQuerySet(models.QuerySet):
    def published(self):
        """What the public sees and what maturity counts: published and not hidden."""
        return self.filter(state=State.PUBLISHED, hidden_at__isnull=True)

    def by_author(self, user):
        return self.filter(author=user)

    def visible_to(self, user):
        """Published items, plus the user's own; maintainers see everything but drafts of others."""
        if not user.is_authenticated:
            return self.published()
        if getattr(user, "is_maintainer", False):
            return self.filter(Q(author=user) | ~Q(state=State.DRAFT))
        return self.filter(Q(author=user) | Q(state=State.PUBLISHED, hidden_at__isnull=True))

    def managed_by(self, user):
        """Items whose workflow pages (history, revisions) this user may open: their own,
        and for maintainers every item past the draft stage."""
        if not user.is_authenticated:
            return self.none()
        if getattr(user, "is_maintainer", False):
            return self.filter(Q(author=user) | ~Q(state=State.DRAFT))
        return self.filter(author=user)

    def confirmed_since(self, cutoff):
        """Published items confirmed (published or re-confirmed) at or after `cutoff`."""
        return self.published().filter(Q(published_at__gte=cutoff) | Q(confirmed_at__gte=cutoff))

    def ageing(self, *, now=None):
        """Published items last confirmed before the ageing window (cases/ageing.py)."""
        from .ageing import ageing_cutoff

        cutoff = ageing_cutoff(now)
        return self.published().filter(published_at__lt=cutoff).exclude(confirmed_at__gte=cutoff)

    def awaiting_review(self):
        """The review queue: submitted items, oldest first."""
        return self.filter(state=State.SUBMITTED).order_by("submitted_at", "pk")


class Submission(models.Model):
    """What the kinds of evidence share: author, domain, life cycle, attribution.

    A kind declares what differs in the class attributes and methods below; nothing
    outside its model should need to ask which kind an item is.
    """

    # -- Names and addresses -----------------------------------------------------------
    KIND = ""  # the key: "case_study" (in URLs "case-study")
    plural_key = ""  # "case_studies": snapshot key, API list name, domain counts (n_…)
    kind_label = ""  # "Case study"
    kind_plural = ""  # "case studies"
    kind_description = ""  # what the submit page says about it
    list_path = ""  # "case-studies": /case-studies/, /case-studies.csv, /api/case-studies
    url_name = ""  # "casestudy": cases:casestudy_list, cases:casestudy_detail, opendata:…_csv
    # -- Content -----------------------------------------------------------------------------
    markdown_fields: tuple[str, ...] = ()
    summary_fields: tuple[str, ...] = ()  # plain text searched after the title (weight B)
    required_on_submit: tuple[str, ...] = ()  # what must be filled in before submitting
    draft_required: tuple[str, ...] = ("title", "domain")  # what even a draft needs
    export_fields: tuple[str, ...] = ()  # kind-specific plain fields in the snapshot
    feed_field = ""  # what a feed entry shows as its description
    # -- Factors -----------------------------------------------------------------------------
    factor_path = ""  # the lookup from an item to the factors it is about
    outcome_path = ""  # the lookup to the outcome per factor, for kinds that report one
    implied_outcome = ""  # otherwise, the outcome every item of the kind stands for
    # Filters of the evidence lists that apply to this kind only: {param: TextChoices}.
    filter_params: dict = {}

    title = models.CharField(max_length=200, validators=[validate_single_line])
    slug = models.SlugField(max_length=90, unique=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    consent = models.CharField(
        "publication consent", max_length=20, choices=Consent.choices, default=Consent.NAME
    )
    attribution_role = models.CharField(
        "your role",
        max_length=120,
        blank=True,
        help_text='Shown when you publish by role, e.g. "SRE lead at a regional hospital".',
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.TextField(blank=True)
    # Evidence that ages (cases/ageing.py): the latest re-confirmation (each one is kept as a
    # Confirmation), and when the author was last reminded that it is ageing (None: not since
    # its last confirmation; a re-confirmation clears it).
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_demo = models.BooleanField(default=False, help_text="Made by seed_demo; not real.")

    state_changes = GenericRelation(StateChange)
    revisions = GenericRelation(Revision)
    confirmations = GenericRelation("Confirmation")

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-published_at", "-created_at"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        save_rendered(self, lambda: super(Submission, self).save(*args, **kwargs))

    def get_absolute_url(self):
        return reverse(f"cases:{self.url_name}_detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.state == State.PUBLISHED and self.hidden_at is None

    @property
    def last_confirmed_at(self):
        """When it was last confirmed: published, or re-confirmed since (cases/ageing.py)."""
        from .ageing import last_confirmed

        return last_confirmed(self.published_at, self.confirmed_at)

    @property
    def ageing_months(self) -> int:
        return settings.EVIDENCE_AGEING_MONTHS

    @property
    def is_ageing(self) -> bool:
        """Published and not confirmed within settings.EVIDENCE_AGEING_MONTHS (no query)."""
        from .ageing import is_ageing

        return self.is_published and is_ageing(self.published_at, self.confirmed_at)

    @property
    def credit(self) -> str:
        """The author's credit as their consent allows."""
        if self.consent == Consent.ANONYMOUS or self.author is None:
            return "Anonymous" if self.consent == Consent.ANONYMOUS else "A former member"
        if self.consent == Consent.ROLE:
            return self.attribution_role or "A practitioner"
        return self.author.public_name

    # -- What each kind loads with it ---------------------------------------------------------
    @classmethod
    def with_list_relations(cls, qs):
        """What a row of the public list shows (and the review queue, the API, the CSV)."""
        return qs.select_related("domain", "organization__domain", "author")

    @classmethod
    def with_detail_relations(cls, qs):
        """What the item's own pages (workflow, public detail, API detail) show."""
        return cls.with_list_relations(qs)

    @classmethod
    def with_public_relations(cls, qs):
        """The public detail page: the detail relations, with links to published items only."""
        return cls.with_detail_relations(qs)

    @classmethod
    def with_open_data_relations(cls, qs):
        """Everything the open-data views (feeds, API, CSV, snapshot) read."""
        return cls.with_detail_relations(qs)

    # -- Factors ------------------------------------------------------------------------------
    def factor_list(self) -> list:
        """The factors this item is about (from prefetched data where there is some)."""
        return []

    @classmethod
    def factor_links(cls):
        """(rows linking items of this kind to factors, each with `factor_id`; the path from a
        row to its item, or "" when the row is the item itself), derived from factor_path."""
        field = cls._meta.get_field(cls.factor_path.split("__")[0])
        if field.many_to_one:
            return cls.objects.all(), ""
        if field.many_to_many:
            return field.remote_field.through.objects.all(), cls._meta.model_name
        return field.related_model.objects.all(), field.field.name

    @classmethod
    def published_factor_links(cls):
        """factor_links() of published items only."""
        links, item = cls.factor_links()
        if not item:
            return links.published(), item
        return links.filter(**{f"{item}__in": cls.objects.published()}), item

    @classmethod
    def filter_by_factor(cls, qs, *, factor=None, tier=None, outcome=None):
        """Items about `factor` (and/or a factor of `tier`) with `outcome`: all three describe
        one link between the item and a factor. Where the kind has no outcome per factor, an
        outcome other than its implied one gives nothing."""
        lookups = {}
        if factor is not None:
            lookups[cls.factor_path] = factor
        if tier:
            lookups[f"{cls.factor_path}__tier"] = tier
        if outcome and cls.outcome_path:
            lookups[cls.outcome_path] = outcome
        if lookups:
            qs = qs.filter(pk__in=cls.objects.filter(**lookups).values("pk"))
        if outcome and not cls.outcome_path and outcome != cls.implied_outcome:
            qs = qs.none()
        return qs

    # -- Related data kept with revisions -------------------------------------------------------
    def missing_related(self) -> list[str]:
        """Names of related data still needed to submit (e.g. "factors")."""
        return []

    def related_snapshot(self) -> dict:
        """Related data the author edits, as JSON data, for revisions."""
        return {}

    @classmethod
    def related_revision_fields(cls, data: dict) -> list[tuple[str, str]]:
        """A revision's related data as (label, plain text) pairs."""
        return []

    def set_related(self, **related) -> None:
        """Replace the related data the author edits (the keywords the kind's form gives)."""

    # -- Open data -------------------------------------------------------------------------------
    def published_case_study(self):
        """The linked case study, only if it is public too."""
        case = getattr(self, "case_study", None)
        return case if case is not None and case.is_published else None

    @property
    def feed_description(self) -> str:
        """HTML for a feed entry: a sanitized `_html` field as is, a plain-text one escaped
        (feed readers render it as markup)."""
        value = getattr(self, self.feed_field)
        return value if self.feed_field.endswith("_html") else escape(value)

    @property
    def short_note(self) -> str:
        """A few words shown after the title in short lists (e.g. "high severity")."""
        return ""

    # Kind-specific CSV columns (between the common ones and the credit) and their values;
    # `absolute` turns a path into a full URL.
    csv_columns: tuple[str, ...] = ()

    def csv_values(self, absolute) -> list:
        return []

    def _published_case_study_url(self, absolute) -> str:
        case = self.published_case_study()
        return absolute(case.get_absolute_url()) if case else ""

    # The snapshot: related data as JSON (factors by number, the linked case study by slug
    # when it is published), and loading it back.
    def export_related(self, published_case_studies: dict[int, str]) -> dict:
        return {}

    def import_related(self, data: dict, *, factors: dict, case_studies: dict) -> dict:
        """Field values for the item from its snapshot data (before it is saved)."""
        return {}

    def import_related_after_save(self, data: dict, *, factors: dict) -> None:
        """Related rows from the snapshot data (after the item is saved)."""


def _md(help_text=""):
    return models.TextField(blank=True, help_text=help_text)


def _html():
    return models.TextField(blank=True, editable=False)


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
    context = _md("Context and constraints: the setting, the agents, what made it hard. Markdown.")
    context_html = _html()
    approach = _md("What was done, factor by factor. Markdown.")
    approach_html = _html()
    results = _md("What changed. Markdown; add numbers as quantified results below.")
    results_html = _html()
    lessons = _md("What you would tell the next team. Markdown.")
    lessons_html = _html()
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
            Prefetch("adaptations", Adaptation.objects.published().select_related("factor")),
            Prefetch("failure_reports", FailureReport.objects.published()),
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


class Adaptation(Submission):
    KIND = "adaptation"
    plural_key = "adaptations"
    kind_label = "Adaptation"
    kind_plural = "adaptations"
    kind_description = (
        "One factor you had to change to fit your context: what you changed, why, and what "
        "happened."
    )
    list_path = "adaptations"
    url_name = "adaptation"
    markdown_fields = ("changes", "outcome")
    required_on_submit = ("title", "domain", "factor", "changes", "outcome", "consent")
    draft_required = ("title", "domain", "factor")
    export_fields = markdown_fields
    feed_field = "changes_html"
    factor_path = "factor"
    implied_outcome = Outcome.ADAPTED

    factor = models.ForeignKey(Factor, on_delete=models.PROTECT, related_name="adaptations")
    case_study = models.ForeignKey(
        CaseStudy, null=True, blank=True, on_delete=models.SET_NULL, related_name="adaptations"
    )
    changes = _md("What you changed in the factor, and why your context needed it. Markdown.")
    changes_html = _html()
    outcome = _md("What happened after the change. Markdown.")
    outcome_html = _html()

    class Meta(Submission.Meta):
        indexes = [models.Index(fields=["state", "published_at"], name="adaptation_state_pub")]

    @classmethod
    def with_list_relations(cls, qs):
        return super().with_list_relations(qs).select_related("factor")

    @classmethod
    def with_detail_relations(cls, qs):
        return cls.with_list_relations(qs).select_related("case_study")

    @classmethod
    def with_public_relations(cls, qs):
        return cls.with_detail_relations(qs).select_related("factor__phase")

    def factor_list(self) -> list:
        return [self.factor] if self.factor_id else []

    csv_columns = ("factor", "case_study")

    def csv_values(self, absolute) -> list:
        return [
            f"{self.factor.roman} {self.factor.title}",
            self._published_case_study_url(absolute),
        ]

    def export_related(self, published_case_studies: dict[int, str]) -> dict:
        return {
            "factor": self.factor.number,
            "case_study": published_case_studies.get(self.case_study_id),
        }

    def import_related(self, data: dict, *, factors: dict, case_studies: dict) -> dict:
        return {
            "factor": factors[data["factor"]],
            "case_study": case_studies.get(data["case_study"]),
        }


class FailureReport(Submission):
    KIND = "failure"
    plural_key = "failures"
    kind_label = "Failure report"
    kind_plural = "failure reports"
    kind_description = (
        "Something that went wrong: the symptom, its impact and root cause, how it was "
        "detected and what now prevents it."
    )
    list_path = "failures"
    url_name = "failure"
    markdown_fields = ("symptom", "impact", "root_cause", "detection", "prevention")
    required_on_submit = (
        "title",
        "domain",
        "severity",
        "symptom",
        "impact",
        "root_cause",
        "detection",
        "prevention",
        "consent",
    )
    export_fields = ("severity", *markdown_fields)
    feed_field = "symptom_html"
    factor_path = "factors"
    implied_outcome = Outcome.FAILED
    filter_params = {"severity": Severity}

    factors = models.ManyToManyField(Factor, related_name="failure_reports")
    case_study = models.ForeignKey(
        CaseStudy, null=True, blank=True, on_delete=models.SET_NULL, related_name="failure_reports"
    )
    severity = models.CharField(max_length=20, choices=Severity.choices, default=Severity.MEDIUM)
    symptom = _md("What was seen going wrong. Markdown.")
    symptom_html = _html()
    impact = _md("Who or what was affected, and how badly. Markdown.")
    impact_html = _html()
    root_cause = _md("Why it happened. Markdown.")
    root_cause_html = _html()
    detection = _md("How it was noticed. Markdown.")
    detection_html = _html()
    prevention = _md("What now prevents it. Markdown.")
    prevention_html = _html()

    class Meta(Submission.Meta):
        indexes = [models.Index(fields=["state", "published_at"], name="failure_state_pub")]

    @classmethod
    def with_list_relations(cls, qs):
        return super().with_list_relations(qs).prefetch_related("factors")

    @classmethod
    def with_detail_relations(cls, qs):
        return cls.with_list_relations(qs).select_related("case_study")

    @classmethod
    def with_public_relations(cls, qs):
        """…and the failure modes it is in (failuremodes), with what addresses them."""
        modes = cls._meta.get_field("failure_modes").related_model.objects
        return cls.with_detail_relations(qs).prefetch_related(
            Prefetch("failure_modes", modes.select_related("addressed_by").order_by("title"))
        )

    @property
    def short_note(self) -> str:
        return f"{self.get_severity_display().lower()} severity"

    def factor_list(self) -> list:
        return list(self.factors.all())

    csv_columns = ("severity", "factors", "case_study")

    def csv_values(self, absolute) -> list:
        return [
            self.severity,
            "; ".join(f"{f.roman} {f.title}" for f in self.factors.all()),
            self._published_case_study_url(absolute),
        ]

    def export_related(self, published_case_studies: dict[int, str]) -> dict:
        return {
            "factors": [f.number for f in self.factors.all()],
            "case_study": published_case_studies.get(self.case_study_id),
        }

    def import_related(self, data: dict, *, factors: dict, case_studies: dict) -> dict:
        return {"case_study": case_studies.get(data["case_study"])}

    def import_related_after_save(self, data: dict, *, factors: dict) -> None:
        self.factors.set([factors[n] for n in data["factors"]])

    def missing_related(self) -> list[str]:
        return [] if self.factors.exists() else ["factors"]

    def related_snapshot(self) -> dict:
        return {
            "factors": [
                {"factor": f.pk, "factor_label": str(f)} for f in self.factors.order_by("number")
            ]
        }

    @classmethod
    def related_revision_fields(cls, data: dict) -> list[tuple[str, str]]:
        if "factors" not in data:
            return []
        return [("Factors", "\n".join(f["factor_label"] for f in data["factors"]))]

    def set_related(self, *, factors=None, **related) -> None:
        if factors is not None:
            self.factors.set(list(factors))


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
    description = _md("What it is, how it puts the factors into practice, how to use it. Markdown.")
    description_html = _html()
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


SUBMISSION_MODELS = {
    m.KIND: m for m in (CaseStudy, Adaptation, FailureReport, ReferenceImplementation)
}


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

"""What every kind of evidence shares: the abstract Submission and its queryset."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.html import escape

from common.validators import validate_single_line

from .. import search
from ..ageing import ageing_cutoff, is_ageing, last_confirmed
from .base import Consent, State, save_rendered
from .places import Domain, Organization
from .review import Revision, StateChange


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
        cutoff = ageing_cutoff(now)
        return self.published().filter(published_at__lt=cutoff).exclude(confirmed_at__gte=cutoff)

    def filtered(self, *, domain=None, factor=None, tier="", outcome="", query="", sort="newest",
                 **own):  # fmt: skip
        """These items narrowed by the evidence filters, already validated (cases/filters.py
        FilterForm): a Domain, a Factor, a tier and an outcome (one link to a factor), search
        words (rows get `rank`), the kind's own filters (its model's filter_params), ordered
        by `sort` ("newest", "updated" or "relevance"; every ordering ends with -pk)."""
        qs = self
        if domain is not None:
            qs = qs.filter(domain=domain)
        if own:
            qs = qs.filter(**own)
        qs = self.model.filter_by_factor(qs, factor=factor, tier=tier, outcome=outcome)
        if query:
            qs = search.apply(qs, query)
        if sort == "relevance" and query:
            return qs.order_by("-rank", "-published_at", "-pk")
        if sort == "updated":
            return qs.order_by("-updated_at", "-pk")
        return qs.order_by("-published_at", "-pk")

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
        return last_confirmed(self.published_at, self.confirmed_at)

    @property
    def ageing_months(self) -> int:
        return settings.EVIDENCE_AGEING_MONTHS

    @property
    def is_ageing(self) -> bool:
        """Published and not confirmed within settings.EVIDENCE_AGEING_MONTHS (no query)."""
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

    @classmethod
    def related_model_objects(cls, name: str):
        """The manager of the model at the other end of relation `name`, for a model this one's
        module cannot import (its module imports this one's, e.g. a case study's adaptations)."""
        return cls._meta.get_field(name).related_model.objects

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

    # The snapshot: related data as JSON (factors by number, the linked case study by slug
    # when it is published), and loading it back.
    def export_related(self, published_case_studies: dict[int, str]) -> dict:
        return {}

    def import_related(self, data: dict, *, factors: dict, case_studies: dict) -> dict:
        """Field values for the item from its snapshot data (before it is saved)."""
        return {}

    def import_related_after_save(self, data: dict, *, factors: dict) -> None:
        """Related rows from the snapshot data (after the item is saved)."""


class FromCaseStudy:
    """For a kind that may name the case study it came from (its own nullable `case_study`
    foreign key): its pages load the case study, and open data names it only while it is public
    (by its address in CSV, by its slug in the snapshot). Put it before Submission in the bases.
    """

    @classmethod
    def with_detail_relations(cls, qs):
        return cls.with_list_relations(qs).select_related("case_study")

    def _published_case_study_url(self, absolute) -> str:
        case = self.published_case_study()
        return absolute(case.get_absolute_url()) if case else ""

    def export_related(self, published_case_studies: dict[int, str]) -> dict:
        return {"case_study": published_case_studies.get(self.case_study_id)}

    def import_related(self, data: dict, *, factors: dict, case_studies: dict) -> dict:
        return {"case_study": case_studies.get(data["case_study"])}

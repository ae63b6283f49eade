"""The evidence: domains, organizations, and the three kinds of submission.

Case studies, adaptations and failure reports share one life cycle (see State and
cases/services.py). Markdown fields are rendered and sanitized once, on save, into
a matching `<field>_html` column; templates show only those.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify

from common.validators import validate_single_line
from factors.models import Factor
from factors.text import render_markdown


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

    def awaiting_review(self):
        """The review queue: submitted items, oldest first."""
        return self.filter(state=State.SUBMITTED).order_by("submitted_at", "pk")


class Submission(models.Model):
    """What the three kinds of evidence share: author, domain, life cycle, attribution."""

    KIND = ""
    markdown_fields: tuple[str, ...] = ()

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
    is_demo = models.BooleanField(default=False, help_text="Made by seed_demo; not real.")

    state_changes = GenericRelation(StateChange)
    revisions = GenericRelation(Revision)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-published_at", "-created_at"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        for name in self.markdown_fields:
            setattr(self, f"{name}_html", render_markdown(getattr(self, name)))
        if self.slug:
            super().save(*args, **kwargs)
        else:
            save_with_unique_slug(
                self, self.title, lambda: super(Submission, self).save(*args, **kwargs)
            )

    @property
    def is_published(self) -> bool:
        return self.state == State.PUBLISHED and self.hidden_at is None

    @property
    def credit(self) -> str:
        """The author's credit as their consent allows."""
        if self.consent == Consent.ANONYMOUS or self.author is None:
            return "Anonymous" if self.consent == Consent.ANONYMOUS else "A former member"
        if self.consent == Consent.ROLE:
            return self.attribution_role or "A practitioner"
        return self.author.public_name


def _md(help_text=""):
    return models.TextField(blank=True, help_text=help_text)


def _html():
    return models.TextField(blank=True, editable=False)


class CaseStudy(Submission):
    KIND = "case_study"
    markdown_fields = ("context", "approach", "results", "lessons")

    summary = models.CharField(max_length=500, blank=True, help_text="Two or three sentences.")
    deployment = models.CharField(
        max_length=20, choices=Deployment.choices, default=Deployment.PILOT
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

    def get_absolute_url(self):
        return reverse("cases:casestudy_detail", args=[self.slug])


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


class QuantifiedResult(models.Model):
    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="quantified")
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


class Adaptation(Submission):
    KIND = "adaptation"
    markdown_fields = ("changes", "outcome")

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

    def get_absolute_url(self):
        return reverse("cases:adaptation_detail", args=[self.slug])


class FailureReport(Submission):
    KIND = "failure"
    markdown_fields = ("symptom", "impact", "root_cause", "detection", "prevention")

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

    def get_absolute_url(self):
        return reverse("cases:failure_detail", args=[self.slug])


SUBMISSION_MODELS = {m.KIND: m for m in (CaseStudy, Adaptation, FailureReport)}


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

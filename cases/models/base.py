"""What the evidence models share: slugs, saving rendered Markdown, the choices, field helpers."""

from django.db import IntegrityError, models, transaction
from django.utils.text import slugify

from common.markdown import render_markdown


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


def markdown_field(help_text=""):
    """A Markdown text the author writes; its sanitized HTML goes to a matching html_field."""
    return models.TextField(blank=True, help_text=help_text)


def html_field():
    """The rendered, sanitized HTML of a markdown_field (set on save, never edited)."""
    return models.TextField(blank=True, editable=False)

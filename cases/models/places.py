"""Where evidence comes from: domains and the organizations in them."""

from django.db import models
from django.urls import reverse

from .base import unique_slug


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

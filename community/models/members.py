"""What a member chose: a profile (what to show, how to hear from the site), and follows."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from cases.models import Domain
from factors.models import Factor


class NotifyChoice(models.TextChoices):
    EMAIL = "email", "Email and inbox"
    INBOX = "inbox", "Inbox only"
    OFF = "off", "Off"


class Profile(models.Model):
    """What a member chose to tell and show, and how they want to hear from the site."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="profile"
    )
    role = models.CharField(
        max_length=120, blank=True, help_text='For example "SRE lead" or "ML platform engineer".'
    )
    organization = models.CharField(max_length=120, blank=True)
    domain = models.ForeignKey(
        Domain, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    show_role = models.BooleanField("show my role on my profile", default=False)
    show_organization = models.BooleanField("show my organization on my profile", default=False)
    show_domain = models.BooleanField("show my domain on my profile", default=False)
    notify_decision = models.CharField(
        max_length=10, choices=NotifyChoice.choices, default=NotifyChoice.EMAIL
    )
    notify_comment = models.CharField(
        max_length=10, choices=NotifyChoice.choices, default=NotifyChoice.EMAIL
    )
    notify_reply = models.CharField(
        max_length=10, choices=NotifyChoice.choices, default=NotifyChoice.EMAIL
    )
    notify_phase = models.CharField(
        max_length=10, choices=NotifyChoice.choices, default=NotifyChoice.EMAIL
    )
    notify_following = models.CharField(
        max_length=10, choices=NotifyChoice.choices, default=NotifyChoice.INBOX
    )
    notify_review = models.CharField(
        max_length=10, choices=NotifyChoice.choices, default=NotifyChoice.EMAIL
    )
    notify_reminder = models.CharField(
        max_length=10, choices=NotifyChoice.choices, default=NotifyChoice.EMAIL
    )

    class Meta:
        ordering = ["user"]

    def __str__(self):
        return f"Profile of {self.user}"

    def get_absolute_url(self):
        return reverse("community:contributor_detail", args=[self.user_id])

    def choice_for(self, kind: str) -> str:
        return getattr(self, f"notify_{kind}")

    @property
    def public_role(self) -> str:
        return self.role if self.show_role else ""

    @property
    def public_organization(self) -> str:
        return self.organization if self.show_organization else ""

    @property
    def public_domain(self):
        return self.domain if self.show_domain else None


class Follow(models.Model):
    """A member follows a factor or a domain (exactly one of the two)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    factor = models.ForeignKey(
        Factor, null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    domain = models.ForeignKey(
        Domain, null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(factor__isnull=True, domain__isnull=False)
                | Q(factor__isnull=False, domain__isnull=True),
                name="follow_factor_xor_domain",
            ),
            models.UniqueConstraint(
                fields=["user", "factor"],
                condition=Q(factor__isnull=False),
                name="follow_factor_once",
            ),
            models.UniqueConstraint(
                fields=["user", "domain"],
                condition=Q(domain__isnull=False),
                name="follow_domain_once",
            ),
        ]

    def __str__(self):
        return f"{self.user} follows {self.factor or self.domain}"

    def get_absolute_url(self):
        return (self.factor or self.domain).get_absolute_url()

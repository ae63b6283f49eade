from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.urls import reverse

MAINTAINERS_GROUP = "Maintainers"


class UserManager(BaseUserManager):
    """Users are identified by email; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(
        max_length=80, blank=True, help_text="How your name appears on the site."
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.public_name

    @property
    def public_name(self) -> str:
        """The name shown to others: the chosen display name, else "Member <number>".

        Never a part of the email address: addresses are not shown to anyone."""
        return self.display_name or f"Member {self.pk}"

    @property
    def is_maintainer(self) -> bool:
        """Whether this person may review submissions and promote factors."""
        if not self.is_authenticated or not self.is_active:
            return False
        cached = getattr(self, "_is_maintainer", None)
        if cached is None:
            cached = self.is_superuser or self.groups.filter(name=MAINTAINERS_GROUP).exists()
            self._is_maintainer = cached
        return cached

    def get_absolute_url(self):
        return reverse("admin:accounts_user_change", args=[self.pk])

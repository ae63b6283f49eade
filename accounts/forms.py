"""allauth's sign-in and sign-up forms, with two edges closed (settings.ACCOUNT_FORMS).

- Sign-up does the same work whether or not the address already has an account, so its
  timing does not tell (allauth answers both alike, but only a new account hashed a password:
  0.04 s against 0.57 s).
- A sign-in refused by the lockout after repeated failures says so plainly, and how long to
  wait; the view answers it with 429 and `Retry-After` (accounts.views.LoginView).
"""

import math
import time
from datetime import timedelta

from allauth.account import app_settings as account_settings
from allauth.account.adapter import get_adapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.utils import timezone

LOCKOUT_CODE = "too_many_login_attempts"


DISPLAY_NAME_HELP = (
    "How the site names you: on what you publish under your name, and to the people who "
    "review or answer you. You can change it later in Settings."
)


def validate_display_name(value: str) -> None:
    """A display name is a name: never an email address (addresses are shown to no one)."""
    if "@" in value:
        raise forms.ValidationError(
            "Give a name rather than an email address: addresses are never shown on the site.",
            code="email_as_name",
        )


class SignupForm(AllauthSignupForm):
    """allauth's sign-up, asking also for the name the site shows (saved by
    accounts.adapter.AccountAdapter.save_user)."""

    display_name = forms.CharField(
        label="Your name",
        max_length=80,
        help_text=DISPLAY_NAME_HELP,
        validators=[validate_display_name],
        error_messages={
            "required": "Give the name the site should show for you, e.g. “Ada Lovelace”.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    field_order = ["email", "display_name", "password1", "password2"]

    def try_save(self, request):
        if self.account_already_exists:
            # No account is made (allauth emails the owner instead), but hash the password
            # anyway: a new account's dominant cost, so both answers take as long.
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)


def login_lockout_seconds(request, credentials: dict) -> int:
    """Seconds until allauth's "login_failed" limits let this sign-in be tried again.

    Read from allauth's own counters (newest-first timestamps per rate); if they cannot be
    read, the longest window of the limits, which is an upper bound.
    """
    from allauth.core.internal import ratelimit as allauth_ratelimit

    rates = allauth_ratelimit.parse_rates((account_settings.RATE_LIMITS or {}).get("login_failed"))
    longest = max((rate.duration for rate in rates), default=300)
    try:
        key = get_adapter(request)._get_login_attempts_cache_key(request, **credentials)
        now = time.time()
        wait = 0.0
        for rate in rates:
            cache_key = allauth_ratelimit.get_cache_key(
                request, app="allauth.account", action="login_failed", rate=rate, key=key
            )
            history = [ts for ts in cache.get(cache_key, []) if ts > now - rate.duration]
            if len(history) >= rate.amount:
                wait = max(wait, history[rate.amount - 1] + rate.duration - now)
    except Exception:  # noqa: BLE001 - allauth's internals moved, or the cache is away
        return math.ceil(longest)
    return max(1, math.ceil(wait)) if wait else math.ceil(longest)


def wait_in_words(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


class LoginForm(AllauthLoginForm):
    retry_after: int | None = None

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError as error:
            if not any(e.code == LOCKOUT_CODE for e in error.error_list):
                raise
            self.retry_after = login_lockout_seconds(self.request, self.user_credentials())
            at = timezone.now() + timedelta(seconds=self.retry_after)
            raise forms.ValidationError(
                "Signing in is paused after too many failed attempts for this email address "
                "or from your network, to protect the account. Please try again in "
                f"{wait_in_words(self.retry_after)} (after {at:%H:%M} UTC), or reset your "
                "password if you have forgotten it.",
                code=LOCKOUT_CODE,
            ) from None

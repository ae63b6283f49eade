from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site

from outbox.services import email_queue


class AccountAdapter(DefaultAccountAdapter):
    """allauth with its emails (confirmation, password reset, security notices) queued for the
    task worker like every other email, never sent inside the request; a new account keeps the
    display name asked on sign-up."""

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        email_queue([self.render_mail(template_prefix, email, ctx)])

    def save_user(self, request, user, form, commit=True):
        """The new account, with the name the sign-up form asked for."""
        name = (getattr(form, "cleaned_data", {}).get("display_name") or "").strip()
        if name:
            user.display_name = name
        return super().save_user(request, user, form, commit=commit)

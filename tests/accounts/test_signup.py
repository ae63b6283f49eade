import re

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User


@pytest.mark.django_db
def test_sign_up_verify_email_then_sign_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the commit, then the mail worker
        response = client.post(
            reverse("account_signup"),
            {
                "email": "ada@example.org",
                "display_name": "Ada Lovelace",
                "password1": "a long enough pass 42",
                "password2": "a long enough pass 42",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="ada@example.org")
    assert not user.emailaddress_set.get().verified

    # Unverified: signing in is refused until the address is confirmed.
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_login"),
            {"login": "ada@example.org", "password": "a long enough pass 42"},
        )
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) >= 1
    body = mail.outbox[-1].body
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    confirm = client.post("/" + path)
    assert confirm.status_code == 302
    assert user.emailaddress_set.get().verified

    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "ada@example.org", "password": "a long enough pass 42"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    # Signed in: the header shows the account links.
    assert "Sign out" in client.get("/").content.decode()


@pytest.mark.django_db
def test_sign_in_with_a_wrong_password_says_so_and_keeps_the_email(client, member):
    response = client.post(reverse("account_login"), {"login": member.email, "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "not correct" in html
    assert f'value="{member.email}"' in html


@pytest.mark.django_db
def test_grant_maintainer_command(member):
    assert not member.is_maintainer
    call_command("grant_maintainer", member.email, stdout=open("/dev/null", "w"))
    member = User.objects.get(pk=member.pk)
    assert member.is_maintainer and member.is_staff
    assert member.has_perm("factors.change_criterion")
    call_command("grant_maintainer", member.email, "--revoke", stdout=open("/dev/null", "w"))
    assert not User.objects.get(pk=member.pk).is_maintainer


@pytest.mark.django_db
def test_grant_maintainer_for_unknown_email_fails_clearly():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No account uses"):
        call_command("grant_maintainer", "nobody@example.org")


@pytest.mark.django_db
def test_account_pages_use_the_site_layout(client):
    html = client.get(reverse("account_login")).content.decode()
    assert '<main id="main"' in html and "12-Factor AgentOps" in html


class CountingHasher(MD5PasswordHasher):
    """The tests' fast hasher, counting the passwords it hashes."""

    encoded: list[str] = []

    def encode(self, password, salt):
        CountingHasher.encoded.append(password)
        return super().encode(password, salt)


@pytest.mark.django_db
def test_sign_up_does_the_same_work_whether_or_not_the_address_has_an_account(
    client, settings, member, django_capture_on_commit_callbacks
):
    """Sign-up timing must not tell whether an address is known: both answers hash the password
    (a new account's dominant cost), queue one email and lead to the same page."""
    from outbox.models import OutgoingEmail

    settings.PASSWORD_HASHERS = ["tests.accounts.test_signup.CountingHasher"]
    answers = {}
    for case, email in (("new", "new.person@example.org"), ("known", member.email)):
        CountingHasher.encoded.clear()
        queued = OutgoingEmail.objects.count()
        response = client.post(
            reverse("account_signup"),
            {
                "email": email,
                "display_name": "Ada Lovelace",
                "password1": "a long enough pass 42",
                "password2": "a long enough pass 42",
            },
        )
        client.logout()
        answers[case] = (response.status_code, response["Location"])
        assert CountingHasher.encoded == ["a long enough pass 42"], case
        assert OutgoingEmail.objects.count() == queued + 1, case  # one email queued either way
    assert answers["new"] == answers["known"]
    assert User.objects.filter(email=member.email).count() == 1

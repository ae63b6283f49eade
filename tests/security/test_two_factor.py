"""Maintainers need an authenticator app (TOTP) before they review or promote."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.urls_maintainer")]


def add_totp(user):
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )


def test_maintainer_without_two_factor_is_sent_to_the_explanation(client, settings, maintainer):
    settings.MAINTAINER_REQUIRE_MFA = True
    client.force_login(maintainer)
    response = client.get("/queue/?page=2")
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("accounts:two_factor_required") + "?next=%2Fqueue%2F%3Fpage%3D2"
    )
    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "Two-factor authentication is required for maintainers" in text
    assert f'href="{reverse("mfa_activate_totp")}"' in text
    assert 'href="/queue/?page=2"' in text
    # A form sent without two-factor is refused too, and nothing is done.
    assert client.post("/queue/").status_code == 302


def test_maintainer_with_an_authenticator_app_is_let_in(client, settings, maintainer):
    settings.MAINTAINER_REQUIRE_MFA = True
    add_totp(maintainer)
    client.force_login(maintainer)
    response = client.get("/queue/")
    assert response.status_code == 200
    assert response.content == b"the review queue"


def test_recovery_codes_alone_are_not_enough(client, settings, maintainer):
    settings.MAINTAINER_REQUIRE_MFA = True
    Authenticator.objects.create(
        user=maintainer, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "00" * 20}
    )
    client.force_login(maintainer)
    assert client.get("/queue/").status_code == 302


def test_setting_off_lets_maintainers_in_without_two_factor(client, settings, maintainer):
    settings.MAINTAINER_REQUIRE_MFA = False
    client.force_login(maintainer)
    assert client.get("/queue/").status_code == 200


def test_members_and_visitors_are_still_refused(client, settings, member):
    settings.MAINTAINER_REQUIRE_MFA = False
    assert client.get("/queue/").status_code == 302  # to sign in
    add_totp(member)
    client.force_login(member)
    assert client.get("/queue/").status_code == 403


def test_explanation_ignores_an_offsite_next(client, member):
    client.force_login(member)
    page = client.get(reverse("accounts:two_factor_required"), {"next": "https://evil.example/"})
    assert "evil.example" not in page.content.decode()


def test_totp_setup_page_renders_in_the_site_layout_with_its_qr_code(client, maintainer):
    client.force_login(maintainer)
    # allauth asks for the password again before changing two-factor settings.
    sent_back = client.get(reverse("mfa_activate_totp"))
    assert sent_back["Location"].startswith(reverse("account_reauthenticate"))
    again = {"password": "correct horse battery staple"}
    assert client.post(sent_back["Location"], again).status_code == 302
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'class="site-header"' in text
    assert 'src="data:image/svg+xml;base64,' in text  # allowed by img-src 'self' data:


def test_requirement_is_off_in_development_and_can_be_turned_off_in_production():
    """(On by default in production: see test_headers' production check.)"""
    from tests.test_settings import PROD_KEY, run_django

    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.MAINTAINER_REQUIRE_MFA)"
    )
    assert run_django(code).stdout.strip() == "False"
    forced = run_django(
        code,
        DEBUG="false",
        SECRET_KEY=PROD_KEY,
        SITE_URL="https://a.example",
        MAINTAINER_REQUIRE_MFA="false",
    )
    assert forced.stdout.strip() == "False"


@pytest.mark.urls("agentops_web.urls")
def test_the_admin_signs_in_only_through_allauth(client, maintainer):
    """The admin's own password form would skip the two-factor step: it is not used."""
    response = client.get(reverse("admin:login"), {"next": "/admin/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2F"
    posted = client.post(
        reverse("admin:login"),
        {"username": maintainer.email, "password": "correct horse battery staple"},
    )
    assert posted.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.urls("agentops_web.urls")
def test_staff_need_two_factor_for_the_admin_when_maintainers_do(client, settings, maintainer):
    settings.MAINTAINER_REQUIRE_MFA = True
    client.force_login(maintainer)
    response = client.get(reverse("admin:factors_criterion_changelist"), follow=True)
    assert response.redirect_chain[-1][0] == (
        reverse("accounts:two_factor_required") + "?next=%2Fadmin%2Ffactors%2Fcriterion%2F"
    )
    add_totp(maintainer)
    assert client.get(reverse("admin:factors_criterion_changelist")).status_code == 200
    settings.MAINTAINER_REQUIRE_MFA = False
    maintainer.authenticator_set.all().delete()
    assert client.get(reverse("admin:factors_criterion_changelist")).status_code == 200


@pytest.mark.urls("agentops_web.urls")
def test_members_signed_in_are_refused_by_the_admin(client, member):
    client.force_login(member)
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403

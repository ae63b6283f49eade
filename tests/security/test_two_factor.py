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


def test_requirement_is_on_in_production_and_off_in_development():
    from tests.test_settings import PROD_KEY, run_django

    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.MAINTAINER_REQUIRE_MFA)"
    )
    assert run_django(code).stdout.strip() == "False"
    prod = run_django(code, DEBUG="false", SECRET_KEY=PROD_KEY, SITE_URL="https://a.example")
    assert prod.stdout.strip() == "True", prod.stderr
    forced = run_django(
        code,
        DEBUG="false",
        SECRET_KEY=PROD_KEY,
        SITE_URL="https://a.example",
        MAINTAINER_REQUIRE_MFA="false",
    )
    assert forced.stdout.strip() == "False"

"""Security headers on every kind of response, and pages that need no inline code."""

import pytest
from django.urls import reverse

from tests.factories import CaseStudyFactory, UserFactory
from tests.security.inline import inline_code
from tests.test_settings import PROD_KEY, run_django

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def csp_directives(response) -> dict[str, set[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = set(values)
    return directives


def assert_strict_csp(response, path):
    assert "Content-Security-Policy" in response, path
    csp = csp_directives(response)
    assert csp["default-src"] == {"'self'"}, path
    assert csp["frame-ancestors"] == {"'none'"}, path
    assert csp["form-action"] == {"'self'"}, path
    assert csp["base-uri"] == {"'none'"}, path
    assert csp["object-src"] == {"'none'"}, path
    for directive in ("default-src", "script-src", "style-src"):
        values = csp.get(directive, set())
        for loose in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "https:"):
            assert loose not in values, f"{path}: {directive} allows {loose}"
    assert csp["img-src"] <= {"'self'", "data:"}, path


def assert_common_headers(response, path):
    assert response["X-Content-Type-Options"] == "nosniff", path
    assert response["Referrer-Policy"] == "same-origin", path
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", path


def assert_no_inline_code(response, path):
    found = inline_code(response.content.decode())
    assert not found, f"{path} needs inline code our CSP blocks: {found}"


@pytest.fixture
def sample(framework):
    item = CaseStudyFactory(applied=[(framework[1], "worked")])
    return {"factor": framework[1], "case": item}


def public_paths(sample):
    return [
        "/",
        reverse("factors:list"),
        sample["factor"].get_absolute_url(),
        reverse("cases:casestudy_list"),
        sample["case"].get_absolute_url(),
        reverse("cases:domain_detail", args=[sample["case"].domain.slug]),
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_reset_password"),
    ]


def test_public_pages_carry_the_headers_and_need_no_inline_code(client, sample):
    for path in public_paths(sample):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_strict_csp(response, path)
        assert_common_headers(response, path)
        assert response["X-Frame-Options"] == "DENY", path
        assert_no_inline_code(response, path)


def test_error_pages_carry_the_headers(client, sample):
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert_strict_csp(missing, "404")
    assert_common_headers(missing, "404")
    assert_no_inline_code(missing, "404")


def test_signed_in_account_and_two_factor_pages_need_no_inline_code(client, sample):
    user = UserFactory()
    client.force_login(user)
    reauth = client.get(reverse("mfa_activate_totp"))["Location"]
    client.post(reauth, {"password": PASSWORD})
    for name in ("account_change_password", "mfa_index", "mfa_activate_totp"):
        path = reverse(name)
        response = client.get(path)
        assert response.status_code == 200, path
        assert_strict_csp(response, path)
        assert_common_headers(response, path)
        assert_no_inline_code(response, path)
    path = reverse("accounts:two_factor_required")
    assert_no_inline_code(client.get(path), path)


def test_email_change_page_needs_no_inline_style_even_with_a_pending_address(client):
    """allauth's page hid a form with style="display: none"; ours uses the hidden attribute."""
    from allauth.account.models import EmailAddress

    user = UserFactory()
    EmailAddress.objects.create(user=user, email="new@example.org", verified=False, primary=False)
    client.force_login(user)
    response = client.get(reverse("account_email"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="pending-email"' in html
    assert_strict_csp(response, "email")
    assert_no_inline_code(response, "email")


def test_admin_pages_need_no_inline_code(client, sample):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    paths = [
        reverse("admin:index"),
        reverse("admin:factors_criterion_changelist"),
        reverse("admin:factors_criterion_add"),
        reverse("admin:cases_casestudy_change", args=[sample["case"].pk]),
        reverse("admin:accounts_user_change", args=[admin_user.pk]),
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_strict_csp(response, path)
        assert_common_headers(response, path)
        assert_no_inline_code(response, path)


def test_too_many_requests_page_carries_the_headers(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "1/h/ip"}
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup": "1/h/ip"}
    data = {
        "email": "x@example.org",
        "display_name": "Ada Lovelace",
        "password1": "a long pass 4242",
        "password2": "a long pass 4242",
    }
    client.post(reverse("account_signup"), data)
    client.logout()
    response = client.post(reverse("account_signup"), {**data, "email": "y@example.org"})
    assert response.status_code == 429
    assert_strict_csp(response, "429")
    assert_common_headers(response, "429")
    assert_no_inline_code(response, "429")


def test_static_files_carry_the_headers(client, settings):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    from django.test import Client

    response = Client().get("/static/css/site.css")
    assert response.status_code == 200
    assert_common_headers(response, "site.css")


PRODUCTION_CHECK = """
import django, json
django.setup()
from django.core.management import call_command
from django.test import Client, override_settings
from allauth.account.models import EmailAddress
from accounts.models import User

call_command("migrate", verbosity=0)
user = User.objects.create_user("m@example.org", "a long pass 4242")
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
from django.conf import settings
out = {"require_mfa": settings.MAINTAINER_REQUIRE_MFA}
# Without TLS: sent to https.
plain = Client().get("/accounts/login/")
out["plain"] = [plain.status_code, plain.get("Location")]
client = Client()
with override_settings(
    STORAGES={"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
):
    page = client.get("/accounts/login/", secure=True)
out["hsts"] = page.get("Strict-Transport-Security")
out["csp"] = page.get("Content-Security-Policy")
signed_in = client.post(
    "/accounts/login/", {"login": "m@example.org", "password": "a long pass 4242"}, secure=True
)
out["login"] = signed_in.status_code
out["cookies"] = {
    name: {"secure": bool(c["secure"]), "httponly": bool(c["httponly"]), "samesite": c["samesite"]}
    for name, c in client.cookies.items()
}
print(json.dumps(out))
"""


def test_production_mode_sends_hsts_and_secure_cookies_and_requires_two_factor():
    import json

    result = run_django(
        PRODUCTION_CHECK,
        DEBUG="false",
        SECRET_KEY=PROD_KEY,
        SITE_URL="https://testserver",
        DATABASE_URL="sqlite://:memory:",
        CACHE_URL="locmemcache://prod-check",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["plain"] == [301, "https://testserver/accounts/login/"]
    assert out["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert "default-src 'self'" in out["csp"]
    assert out["login"] == 302
    session, csrf = out["cookies"]["sessionid"], out["cookies"]["csrftoken"]
    assert session == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"
    assert out["require_mfa"] is True


def test_every_page_in_the_matrix_carries_the_headers_and_needs_no_inline_code(client, settings):
    """Every GET page of the site that answers 200 (as a maintainer with two-factor, who can
    see the most), from the authorization matrix: so new pages are covered as they come."""
    from tests.test_authorization_matrix import MATRIX, expected_answer

    settings.MAINTAINER_REQUIRE_MFA = True
    from tests.test_authorization_matrix import make_objects, make_people

    people = make_people()
    objects = make_objects(people)
    client.force_login(people["maintainer"])
    problems = []
    for name, cases in MATRIX.items():
        for case in cases:
            if expected_answer(case.expect["maintainer"], objects) != 200:
                continue
            path = reverse(name, kwargs=case.kwargs(objects) if case.kwargs else None)
            response = client.get(path)
            assert response.status_code == 200, path
            try:
                assert_common_headers(response, path)
                if response["Content-Type"].startswith("text/html"):
                    assert_strict_csp(response, path)
                    assert_no_inline_code(response, path)
            except AssertionError as problem:
                problems.append(str(problem))
    assert not problems, "\n".join(problems)

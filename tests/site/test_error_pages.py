"""400, 403, 404 and 500 answer pages in the site's layout; a request whose body cannot be
read answers 400 (or 413), never the server's bare "Internal Server Error"."""

import logging
from unittest import mock

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse

from agentops_web import errors

FORM = "application/x-www-form-urlencoded"


def assert_site_page(response, status, heading):
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    # The site's layout: its skip link, header, main landmark and footer.
    assert 'class="skip-link"' in html and 'id="main"' in html and "site-footer" in html
    assert heading in html
    for leak in ("Traceback", "Exception"):
        assert leak not in html


def csrf_client():
    """A browser-like client: CSRF enforced, with the token cookie from a first visit."""
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    client.get("/accounts/login/")
    return client, client.cookies["csrftoken"].value


@pytest.mark.parametrize(
    "content_type",
    [f"{FORM}; charset=utf-16", f"{FORM}; charset=latin-1", f"{FORM}; charset=iso-8859-15"],
)
def test_a_form_in_another_charset_answers_400_with_the_site_page(db, content_type):
    client, token = csrf_client()
    body = f"csrfmiddlewaretoken={token}&email=a%40example.org&password=x".encode()
    response = client.generic("POST", "/accounts/login/", body, content_type=content_type)
    assert_site_page(response, 400, "We could not read that request")


def test_a_signed_in_member_posting_a_bad_charset_gets_400_too(member):
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    client.force_login(member)
    client.get("/submit/")
    token = client.cookies["csrftoken"].value
    body = f"csrfmiddlewaretoken={token}&title=Hello".encode()
    response = client.generic(
        "POST",
        reverse("cases:submission_create", args=["case_study"]),
        body,
        content_type=f"{FORM}; charset=utf-16",
    )
    assert_site_page(response, 400, "We could not read that request")


def test_a_multipart_body_without_boundary_answers_400(db):
    client, token = csrf_client()
    response = client.generic(
        "POST", "/accounts/login/", b"--x\r\n\r\n", content_type="multipart/form-data"
    )
    assert_site_page(response, 400, "We could not read that request")


def test_a_broken_multipart_body_answers_4xx_with_the_site_page(db):
    client, token = csrf_client()
    response = client.generic(
        "POST",
        "/accounts/login/",
        b"this is not multipart at all",
        content_type="multipart/form-data; boundary=zzz",
    )
    # No token can be read from it: refused as a forged form, in the site's layout.
    assert_site_page(response, 403, "We could not check that this form came from our site")


def test_an_oversize_body_answers_413_with_the_site_page(db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client, token = csrf_client()
    body = f"csrfmiddlewaretoken={token}&email={'a' * 5000}".encode()
    response = client.generic("POST", "/accounts/login/", body, content_type=FORM)
    assert_site_page(response, 413, "more than we accept in one request")


def test_an_unknown_page_answers_404_in_the_layout_with_a_search_box(db):
    response = Client().get("/no/such/page/")
    assert_site_page(response, 404, "Page not found")
    assert 'role="search"' in response.content.decode()
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_a_forbidden_action_answers_403_in_the_layout(member):
    client = Client()
    client.force_login(member)
    response = client.get("/review/")
    assert_site_page(response, 403, "You are not allowed to do this")


def test_a_missing_csrf_token_answers_the_site_403_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"email": "a@example.org"})
    assert_site_page(response, 403, "We could not check that this form came from our site")


def _broken(*args, **kwargs):
    raise ConnectionError("the cache is down")


def test_the_500_page_renders_with_the_database_and_the_cache_down(rf):
    """Neither the database nor the cache is touched: a failure in either cannot fail the page."""
    db_down = mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=_broken)
    cache_down = mock.patch.multiple(
        LocMemCache, get=_broken, set=_broken, get_many=_broken, add=_broken, incr=_broken
    )
    request = rf.get("/factors/")
    with db_down, cache_down:
        try:
            raise ValueError("a bug")
        except ValueError:
            response = errors.server_error(request)
    assert_site_page(response, 500, "Something went wrong on our side")
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_a_bug_in_a_view_answers_the_500_page_with_the_request_id(db, caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        with mock.patch("factorpages.views.render", side_effect=ValueError("a bug")):
            response = client.get("/factors/", HTTP_X_REQUEST_ID="req-1234-abcd")
    assert_site_page(response, 500, "Something went wrong on our side")
    assert response["X-Request-ID"] == "req-1234-abcd"
    assert '<code class="request-id">req-1234-abcd</code>' in response.content.decode()
    assert any(getattr(r, "request_id", None) == "req-1234-abcd" for r in caplog.records)


def test_in_development_too_a_bad_charset_answers_the_400_page(db, settings):
    # Django's debug page would read the body again and fail again: a bare 500.
    settings.DEBUG = True
    client, token = csrf_client()
    body = f"csrfmiddlewaretoken={token}&email=a%40example.org".encode()
    response = client.generic(
        "POST", "/accounts/login/", body, content_type=f"{FORM}; charset=utf-16"
    )
    assert_site_page(response, 400, "We could not read that request")


def test_an_api_path_answers_json_errors_for_a_bad_body(db):
    response = Client().generic(
        "POST", "/api/v1/factors", b"a=1", content_type=f"{FORM}; charset=utf-16"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Bad request."}


def test_too_many_fields_answers_400_with_the_site_page(db, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    client, token = csrf_client()
    body = f"csrfmiddlewaretoken={token}&" + "&".join(f"f{i}=x" for i in range(200))
    response = client.generic("POST", "/accounts/login/", body.encode(), content_type=FORM)
    assert_site_page(response, 400, "We could not read that request")

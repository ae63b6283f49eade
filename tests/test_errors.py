"""A database outage answers a friendly 503 page with Retry-After, never a stack trace."""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from agentops_web import errors


def _database_down(exc=OperationalError):
    """Every query fails as it does when PostgreSQL is stopped."""
    return mock.patch.object(
        BaseDatabaseWrapper,
        "ensure_connection",
        side_effect=exc("connection refused: is the server running on 127.0.0.1:5432?"),
    )


def _assert_friendly_503(response):
    assert response.status_code == 503
    assert response["Retry-After"] == str(errors.RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "The site is briefly unavailable" in html
    assert "try again in 30 seconds" in html
    # In the site's layout, with nothing of the error's insides.
    assert 'class="skip-link"' in html and 'id="main"' in html
    for leak in ("Traceback", "connection refused", "127.0.0.1:5432", "OperationalError"):
        assert leak not in html


@pytest.mark.parametrize("exc", [OperationalError, InterfaceError])
def test_pages_answer_503_while_the_database_is_down(db, exc):
    client = Client(raise_request_exception=False)
    with _database_down(exc):
        response = client.get("/factors/")
    _assert_friendly_503(response)


def test_in_development_too_the_outage_gets_the_503_page_not_the_debug_page(db, settings):
    settings.DEBUG = True
    client = Client(raise_request_exception=False)
    with _database_down():
        response = client.get("/factors/")
    _assert_friendly_503(response)


def test_a_signed_in_visitor_gets_the_503_page_too(member):
    # The session and the user are looked up in the database: the page must not need them.
    client = Client(raise_request_exception=False)
    client.force_login(member)
    with _database_down():
        response = client.get("/")
    _assert_friendly_503(response)
    assert member.public_name not in response.content.decode()


def test_the_site_answers_normally_once_the_database_is_back(db):
    client = Client(raise_request_exception=False)
    with _database_down():
        assert client.get("/").status_code == 503
    assert client.get("/").status_code == 200


def test_database_errors_outside_views_answer_503_through_handler500(rf):
    # E.g. SessionMiddleware saving the session after the view: Django calls handler500.
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = errors.server_error(rf.get("/"))
    _assert_friendly_503(response)


def test_other_errors_still_answer_a_plain_500(rf):
    try:
        raise ValueError("a bug")
    except ValueError:
        response = errors.server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Retry-After" not in response

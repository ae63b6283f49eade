"""The page cache: what is served from it, to whom, and what is never stored."""

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import reverse

from factorpages import views
from pagecache.middleware import view_allowed
from tests.factories import CaseStudyFactory, DomainFactory


@pytest.fixture
def item(framework):
    return CaseStudyFactory(title="Budget guards at a bank", author__display_name="Ada Writer")


def test_second_anonymous_request_is_a_hit_with_the_same_page_and_headers(client, item):
    url = item.get_absolute_url()
    first = client.get(url)
    second = client.get(url)
    assert first["X-Cache"] == "miss"
    assert second["X-Cache"] == "hit"
    assert second.status_code == 200
    assert second.content == first.content
    assert "Budget guards at a bank" in second.content.decode()
    # The security headers made by the inner middleware come back with a hit.
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "default-src 'self'" in second["Content-Security-Policy"]
    assert second["X-Frame-Options"] == "DENY"
    assert second["Content-Type"].startswith("text/html")


def test_a_hit_runs_no_database_query(client, item, django_assert_num_queries):
    url = item.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(0):
        assert client.get(url)["X-Cache"] == "hit"


@pytest.mark.parametrize(
    "name,args",
    [
        ("home", []),
        ("factors:list", []),
        ("factors:detail", ["automated-tracking"]),
        ("cases:casestudy_list", []),
        ("cases:adaptation_list", []),
        ("cases:failure_list", []),
        ("cases:domain_list", []),
    ],
)
def test_public_pages_are_cached(client, framework, name, args):
    if args:
        args = [framework[1].slug]
    url = reverse(name, args=args)
    assert client.get(url)["X-Cache"] == "miss"
    assert client.get(url)["X-Cache"] == "hit"


def test_domain_page_is_cached(client, db):
    url = DomainFactory(name="Retail").get_absolute_url()
    assert client.get(url)["X-Cache"] == "miss"
    assert client.get(url)["X-Cache"] == "hit"


def test_query_string_order_does_not_matter_but_values_do(client, framework):
    CaseStudyFactory.create_batch(3)
    base = reverse("cases:casestudy_list")
    assert client.get(base + "?page=1&x=2")["X-Cache"] == "miss"
    assert client.get(base + "?x=2&page=1")["X-Cache"] == "hit"
    assert client.get(base + "?page=2&x=2")["X-Cache"] == "miss"
    assert client.get(base)["X-Cache"] == "miss"


def test_pages_outside_the_allowlist_are_never_cached(client, db):
    url = reverse("cases:submit")
    client.get(url)
    assert "X-Cache" not in client.get(url)
    login = reverse("account_login")
    client.get(login)
    assert "X-Cache" not in client.get(login)


def test_not_found_is_not_cached(client, framework):
    assert client.get("/case-studies/nothing-here/").status_code == 404
    response = client.get("/case-studies/nothing-here/")
    assert response.status_code == 404
    assert response.get("X-Cache") != "hit"


def test_a_page_appears_once_it_exists_even_after_a_cached_404(client, framework):
    assert client.get("/domains/retail/").status_code == 404
    DomainFactory(name="Retail")
    assert client.get("/domains/retail/").status_code == 200


def test_post_is_never_answered_from_the_cache(client, item):
    url = item.get_absolute_url()
    client.get(url)
    response = client.post(url)
    assert response.get("X-Cache") != "hit"


def test_signed_in_pages_are_personal_and_never_cached(client, item, member):
    url = item.get_absolute_url()
    client.get(url)  # an anonymous copy is in the cache now
    client.force_login(member)
    for _ in range(2):
        response = client.get(url)
        html = response.content.decode()
        assert "X-Cache" not in response
        assert member.public_name in html
        assert "Sign out" in html
        assert "Sign in" not in html


def test_a_signed_in_page_never_reaches_anonymous_visitors(client, item, member):
    url = item.get_absolute_url()
    client.force_login(member)
    client.get(url)
    client.get(url)
    client.logout()
    client.cookies.clear()
    for _ in range(2):
        html = client.get(url).content.decode()
        assert member.public_name not in html
        assert "Sign out" not in html
        assert "csrfmiddlewaretoken" not in html
        assert "Sign in" in html


def test_cached_pages_carry_no_csrf_token_or_personal_cookie(client, item):
    url = item.get_absolute_url()
    first = client.get(url)
    hit = client.get(url)
    assert hit["X-Cache"] == "hit"
    assert not hit.cookies
    assert "csrfmiddlewaretoken" not in first.content.decode()


def test_a_visitor_with_pending_messages_gets_a_fresh_page(client, item):
    url = item.get_absolute_url()
    client.get(url)
    # A message waiting in the cookie store (e.g. "Your draft was saved").
    storage = CookieStorage(HttpRequest())
    message = Message(constants.SUCCESS, "Thanks, your draft is saved.")
    client.cookies["messages"] = storage._encode([message])
    response = client.get(url)
    assert "X-Cache" not in response
    assert "Thanks, your draft is saved." in response.content.decode()


def test_a_session_cookie_bypasses_the_cache(client, item, settings):
    url = item.get_absolute_url()
    client.get(url)
    client.cookies[settings.SESSION_COOKIE_NAME] = "whatever"
    assert "X-Cache" not in client.get(url)


def test_the_csrf_cookie_alone_does_not_bypass_the_cache(client, item, settings):
    url = item.get_absolute_url()
    client.get(url)
    client.cookies[settings.CSRF_COOKIE_NAME] = "x" * 32
    assert client.get(url)["X-Cache"] == "hit"


def test_api_style_authorization_bypasses_the_cache(client, item):
    url = item.get_absolute_url()
    client.get(url)
    assert "X-Cache" not in client.get(url, headers={"Authorization": "Token abc"})


def test_a_response_that_sets_a_cookie_is_not_stored(client, framework, monkeypatch):
    real_render = views.render

    def render_with_cookie(*args, **kwargs):
        response = real_render(*args, **kwargs)
        response.set_cookie("tracking", "1")
        return response

    monkeypatch.setattr(views, "render", render_with_cookie)
    url = reverse("factors:list")
    assert client.get(url).cookies["tracking"].value == "1"
    client.cookies.clear()
    second = client.get(url)
    assert second["X-Cache"] == "miss"
    assert second.cookies["tracking"].value == "1"


def test_a_page_with_a_csrf_token_is_not_stored(client, framework, monkeypatch):
    engine = engines["django"]

    def render_a_form(request, template, context=None):
        return HttpResponse(engine.from_string("<form>{% csrf_token %}</form>").render({}, request))

    monkeypatch.setattr(views, "render", render_a_form)
    url = reverse("factors:list")
    first = client.get(url)
    assert "csrfmiddlewaretoken" in first.content.decode()
    second = client.get(url)
    assert second["X-Cache"] == "miss"


def test_a_private_response_is_not_stored(client, framework, monkeypatch):
    real_render = views.render

    def render_private(*args, **kwargs):
        response = real_render(*args, **kwargs)
        response["Cache-Control"] = "private"
        return response

    monkeypatch.setattr(views, "render", render_private)
    url = reverse("factors:list")
    client.get(url)
    assert client.get(url)["X-Cache"] == "miss"


@pytest.mark.parametrize(
    "view_name,namespace,allowed",
    [
        ("home", "", True),
        ("factors:list", "factors", True),
        ("cases:submit", "cases", False),
        ("api:v1:thing", "api:v1", True),
        ("apiary:x", "apiary", False),
    ],
)
def test_allowlist_matches_names_and_whole_namespaces(view_name, namespace, allowed):
    allowlist = frozenset({"home", "factors:list", "api:*"})
    assert view_allowed(view_name, namespace, allowlist) is allowed

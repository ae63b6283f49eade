"""robots.txt, sitemap.xml, and the title, description, canonical link and OpenGraph tags
that make shared links preview properly."""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    AdaptationFactory,
    CaseStudyFactory,
    DomainFactory,
    FailureReportFactory,
    ThreadFactory,
    UserFactory,
)

DRAFT = {"state": "draft", "submitted_at": None, "published_at": None}


@pytest.fixture
def site(framework):
    domain = DomainFactory(name="Banking")
    return {
        "factor": framework[4],
        "domain": domain,
        "case": CaseStudyFactory(domain=domain, title='Agents & "Ledgers" <at scale>'),
        "adaptation": AdaptationFactory(domain=domain, factor=framework[2]),
        "failure": FailureReportFactory(domain=domain, factors=[framework[3]]),
        "draft": CaseStudyFactory(domain=domain, title="Secret draft", **DRAFT),
        "submitted": CaseStudyFactory(domain=domain, title="In review", state="submitted"),
        "hidden": AdaptationFactory(
            factor=framework[2], title="Hidden one", hidden_at=timezone.now(), hidden_reason="Spam"
        ),
        "thread": ThreadFactory(factor=framework[1], author=UserFactory()),
        "mode": _mode(framework[3]),
    }


def _mode(factor):
    from failuremodes.models import FailureMode

    mode = FailureMode.objects.create(title="Runaway loops", what_happens="Agents loop.")
    mode.reports.add(FailureReportFactory(factors=[factor]))
    return mode


def test_robots_txt_keeps_crawlers_out_of_private_pages_and_names_the_sitemap(db):
    response = Client().get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/admin/", "/accounts/", "/submissions/", "/review/", "/inbox/", "/settings/"):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /" not in lines  # the public site stays open
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def sitemap_locations(client=None) -> list[str]:
    response = (client or Client()).get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return re.findall(r"<loc>(.*?)</loc>", response.content.decode())


def test_the_sitemap_lists_factors_domains_and_published_evidence_only(site):
    locations = sitemap_locations()
    base = "http://testserver"
    for expected in (
        "/",
        reverse("maturity"),
        site["factor"].get_absolute_url(),
        site["domain"].get_absolute_url(),
        site["case"].get_absolute_url(),
        site["adaptation"].get_absolute_url(),
        site["failure"].get_absolute_url(),
    ):
        assert base + expected in locations, expected
    for kept_out in ("draft", "submitted", "hidden"):
        assert base + site[kept_out].get_absolute_url() not in locations, kept_out
    assert len([url for url in locations if "/factors/" in url]) >= 12
    assert all(url.startswith(base) for url in locations)


def test_the_sitemap_costs_the_same_queries_at_any_size(site, django_assert_max_num_queries):
    client = Client()
    # Two per section (a count, the rows); the failure modes are the sixth.
    with django_assert_max_num_queries(12):
        sitemap_locations(client)
    for _ in range(10):
        CaseStudyFactory(domain=site["domain"])
        DomainFactory()
    with django_assert_max_num_queries(12):
        assert len(sitemap_locations(client)) >= 30


def test_robots_and_sitemap_are_served_from_the_page_cache(site):
    client = Client()
    for path in ("/robots.txt", "/sitemap.xml"):
        assert client.get(path)["X-Cache"] == "miss"
        assert client.get(path)["X-Cache"] == "hit"


def meta(html: str) -> dict[str, str]:
    found = {}
    for _attr, name, content in re.findall(
        r'<meta (name|property)="([^"]+)" content="([^"]*)"', html
    ):
        found[name] = unescape(content)
    canonical = re.search(r'<link rel="canonical" href="([^"]*)"', html)
    found["canonical"] = canonical and unescape(canonical.group(1))
    found["title"] = unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1))
    return found


def public_pages(s):
    return [
        "/",
        reverse("factors:list"),
        s["factor"].get_absolute_url(),
        reverse("factors:evidence", args=[s["factor"].slug, "domains"]),
        reverse("factors:domain_evidence", args=[s["factor"].slug, s["domain"].slug]),
        reverse("maturity"),
        reverse("cases:casestudy_list"),
        s["case"].get_absolute_url(),
        reverse("cases:adaptation_list"),
        s["adaptation"].get_absolute_url(),
        reverse("cases:failure_list"),
        s["failure"].get_absolute_url(),
        reverse("cases:domain_list"),
        s["domain"].get_absolute_url(),
        reverse("cases:search"),
        reverse("failuremodes:list"),
        s["mode"].get_absolute_url(),
        reverse("opendata:open_data"),
        reverse("community:thread_list"),
        s["thread"].get_absolute_url(),
        reverse("community:contributor_list"),
        reverse("community:contributor_detail", args=[s["thread"].author_id]),
        reverse("community:health"),
    ]


DEFAULT_DESCRIPTION = "Evidence from practitioners on running AI agents in production"


def test_every_public_page_has_its_own_title_description_canonical_and_opengraph(site):
    client = Client()
    descriptions = set()
    for path in public_pages(site):
        response = client.get(path + "?utm_source=x")
        assert response.status_code == 200, path
        tags = meta(response.content.decode())
        assert tags["canonical"] == f"http://testserver{path}", path  # no tracking query
        assert tags["og:url"] == tags["canonical"], path
        assert tags["og:site_name"] == "12-Factor AgentOps", path
        title = tags["title"].removesuffix(" · 12-Factor AgentOps")
        assert tags["og:title"] == title and title, path
        assert tags["og:description"] == " ".join(tags["description"].split()), path
        assert tags["description"].strip(), path
        if path != "/":
            assert DEFAULT_DESCRIPTION not in tags["description"], f"{path}: default description"
        descriptions.add(tags["description"])
    assert len(descriptions) >= len(public_pages(site)) - 1  # each page says what it is


def test_an_evidence_page_previews_as_an_article_with_its_own_words_escaped(site):
    html = Client().get(site["case"].get_absolute_url()).content.decode()
    tags = meta(html)
    assert tags["og:type"] == "article"
    assert tags["og:title"] == 'Agents & "Ledgers" <at scale>'
    assert tags["og:description"] == site["case"].summary
    # Escaped in the attribute: the title cannot break out of it.
    assert 'content="Agents &amp; &quot;Ledgers&quot; &lt;at scale&gt;"' in html


def test_a_later_page_of_a_list_keeps_its_page_number_in_the_canonical_link(site):
    html = Client().get(reverse("cases:casestudy_list") + "?page=2&sort=newest").content
    assert meta(html.decode())["canonical"].endswith("/case-studies/?page=2")

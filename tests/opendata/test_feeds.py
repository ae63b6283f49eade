import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tests.factories import AdaptationFactory, CaseStudyFactory, FailureReportFactory

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return [
        {
            "title": e.find(f"{ATOM}title").text,
            "link": e.find(f"{ATOM}link").get("href"),
            "author": e.find(f"{ATOM}author/{ATOM}name").text,
        }
        for e in root.iter(f"{ATOM}entry")
    ]


def test_latest_feed_lists_all_three_kinds_newest_first_with_links(client, evidence):
    items = entries(client.get(reverse("opendata:feed_latest")))
    assert [i["title"] for i in items] == [
        "Failure report: Runaway loop in claims triage",
        "Adaptation: Validation with a human in the loop",
        "Case study: Budgets for trading agents",
        "Case study: Tracing every agent run",
    ]
    assert items[0]["link"] == "http://testserver" + evidence["failure"].get_absolute_url()
    assert items[3]["link"] == "http://testserver" + evidence["cs1"].get_absolute_url()
    # Each entry's link opens the published item.
    for item in items:
        assert client.get(item["link"].removeprefix("http://testserver")).status_code == 200


def test_feed_credits_authors_as_their_consent_allows(client, evidence):
    by_title = {i["title"]: i["author"] for i in entries(client.get("/feeds/evidence.atom"))}
    assert by_title["Case study: Tracing every agent run"] == "Alice Example"
    assert by_title["Case study: Budgets for trading agents"] == "SRE lead at a bank"
    assert by_title["Adaptation: Validation with a human in the loop"] == "Anonymous"
    content = client.get("/feeds/evidence.atom").content.decode()
    assert "Bob Hidden" not in content
    assert "@example.org" not in content


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/evidence.atom",
        "/feeds/factors/automated-tracking.atom",
        "/feeds/domains/health-care.atom",
    ],
)
def test_feeds_never_show_unpublished_or_hidden_items(client, evidence, url):
    response = client.get(url)
    assert response.status_code == 200
    assert b"SECRET" not in response.content


def test_factor_feed_has_only_that_factors_evidence(client, evidence, framework):
    items = entries(client.get(reverse("opendata:feed_factor", args=[framework[4].slug])))
    assert [i["title"] for i in items] == [
        "Adaptation: Validation with a human in the loop",
        "Case study: Tracing every agent run",
    ]
    items = entries(client.get(reverse("opendata:feed_factor", args=[framework[11].slug])))
    assert [i["title"] for i in items] == ["Failure report: Runaway loop in claims triage"]
    assert entries(client.get(reverse("opendata:feed_factor", args=[framework[12].slug]))) == []


def test_domain_feed_has_only_that_domains_evidence(client, evidence):
    items = entries(client.get(reverse("opendata:feed_domain", args=["finance"])))
    assert [i["title"] for i in items] == [
        "Failure report: Runaway loop in claims triage",
        "Case study: Budgets for trading agents",
    ]


@pytest.mark.parametrize(
    "url", ["/feeds/factors/no-such-factor.atom", "/feeds/domains/no-such-domain.atom"]
)
def test_unknown_factor_or_domain_feed_is_404(client, framework, url):
    assert client.get(url).status_code == 404


def test_pages_advertise_the_feed(client, framework):
    html = client.get("/").content.decode()
    assert 'rel="alternate" type="application/atom+xml"' in html
    assert reverse("opendata:feed_latest") in html


@pytest.mark.parametrize("size", [2, 20])
def test_feed_query_count_does_not_grow_with_data(
    client, framework, size, django_assert_max_num_queries
):
    for _ in range(size):
        CaseStudyFactory(applied=[(framework[1], "worked"), (framework[2], "failed")])
        AdaptationFactory(factor=framework[1])
        FailureReportFactory(factors=[framework[1], framework[3]])
    for url in ("/feeds/evidence.atom", "/feeds/factors/automated-tracking.atom"):
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200


def test_factor_and_domain_pages_advertise_their_own_feed(client, evidence, framework):
    html = client.get(framework[4].get_absolute_url()).content.decode()
    assert 'href="/feeds/factors/continuous-validation.atom"' in html
    assert 'href="/feeds/evidence.atom"' in html
    html = client.get(evidence["finance"].get_absolute_url()).content.decode()
    assert 'href="/feeds/domains/finance.atom"' in html
    html = client.get("/case-studies/").content.decode()
    assert "/feeds/domains/" not in html and "/feeds/factors/" not in html


def test_a_plain_text_summary_is_never_markup_in_a_feed_reader(client, framework):
    """Atom's `type="html"` summary is decoded twice by a reader (XML, then HTML): a member's
    plain-text summary must arrive as text, never as an element with an event handler."""
    import html.parser

    CaseStudyFactory(
        title="Sneaky",
        summary='<img src=x onerror="alert(1)"> & <b>bold</b>',
        applied=[(framework[1], "worked")],
    )
    AdaptationFactory(
        title="Markdown",
        factor=framework[2],
        changes="We *changed* it. <img src=x onerror=alert(2)>",
    )
    root = ET.fromstring(client.get("/feeds/evidence.atom").content)

    class Tags(html.parser.HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags, self.attrs, self.text = [], [], ""

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            self.attrs.extend(name for name, _ in attrs)

        def handle_data(self, data):
            self.text += data

    rendered = {}
    for entry in root.iter(f"{ATOM}entry"):
        summary = entry.find(f"{ATOM}summary")
        assert summary.get("type") in ("html", "text", None)
        parser = Tags()
        parser.feed(summary.text if summary.get("type") == "html" else "")
        rendered[entry.find(f"{ATOM}title").text] = parser
    sneaky = rendered["Case study: Sneaky"]
    assert "img" not in sneaky.tags and "onerror" not in sneaky.attrs
    assert sneaky.text == '<img src=x onerror="alert(1)"> & <b>bold</b>'  # shown as typed
    markdown = rendered["Adaptation: Markdown"]
    assert "em" in markdown.tags  # sanitized Markdown stays HTML
    assert "onerror" not in markdown.attrs

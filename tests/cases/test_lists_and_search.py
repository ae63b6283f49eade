"""Public lists (filters, sorting, pagination, search) and the site-wide search page."""

import pytest
from django.db import connection
from django.urls import reverse

from cases import search
from cases.models import Outcome, Severity, State
from tests.factories import (
    AdaptationFactory,
    CaseStudyFactory,
    DomainFactory,
    FailureReportFactory,
)

LISTS = ["cases:casestudy_list", "cases:adaptation_list", "cases:failure_list"]


def text(response):
    return response.content.decode()


@pytest.fixture
def healthcare(db):
    return DomainFactory(name="Healthcare")


@pytest.mark.django_db
def test_lists_show_published_items_with_a_labelled_filter_form(client, framework, healthcare):
    CaseStudyFactory(title="Published triage study", domain=healthcare,
                     applied=[(framework[4], Outcome.ADAPTED)])  # fmt: skip
    CaseStudyFactory(title="Secret draft study", state=State.DRAFT)
    page = text(client.get(reverse("cases:casestudy_list")))
    assert "Published triage study" in page and "Secret draft study" not in page
    assert '<label for="id_domain">' in page and '<label for="id_q">' in page
    assert "IV</abbr> worked with adaptation" in page  # outcome as text, not colour alone
    assert "1 published case study" in page and "1 published case studies" not in page


@pytest.mark.django_db
def test_filters_are_shareable_get_urls(client, framework, healthcare):
    CaseStudyFactory(title="Health study", domain=healthcare)
    CaseStudyFactory(title="Other study")
    response = client.get(reverse("cases:casestudy_list"), {"domain": "healthcare"})
    assert response.status_code == 200
    assert "Health study" in text(response) and "Other study" not in text(response)
    assert '<option value="healthcare" selected>' in text(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "params", "message"),
    [
        ("cases:casestudy_list", {"domain": "atlantis"}, "No domain “atlantis”"),
        ("cases:casestudy_list", {"factor": "13"}, "No factor “13”"),
        ("cases:adaptation_list", {"tier": "gold"}, "Unknown tier “gold”"),
        ("cases:failure_list", {"severity": "apocalyptic"}, "Unknown severity"),
        ("cases:failure_list", {"outcome": "meh"}, "Unknown outcome"),
        ("cases:casestudy_list", {"severity": "high"}, "applies only to failure reports"),
        ("cases:adaptation_list", {"deployment": "pilot"}, "applies only to case studies"),
        ("cases:casestudy_list", {"sort": "random"}, "Unknown sort"),
    ],
)
def test_unknown_filter_values_answer_400_with_a_message_beside_the_field(
    client, framework, url, params, message
):
    CaseStudyFactory(title="Should not be listed on error")
    response = client.get(reverse(url), params)
    assert response.status_code == 400
    page = text(response)
    assert message in page and 'aria-invalid="true"' in page
    assert "Should not be listed on error" not in page


BAD_PAGES = [("-1", 1), ("0", 1), ("abc", 1), ("99999999999999999999", 2), ("9" * 5000, 1),
             ("%00", 1), ("2", 2), ("1.0", 1), ("", 1)]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("url", LISTS)
def test_bad_page_numbers_never_fail(client, framework, url):
    domain = DomainFactory()
    factory = {
        "cases:casestudy_list": CaseStudyFactory,
        "cases:adaptation_list": AdaptationFactory,
        "cases:failure_list": FailureReportFactory,
    }[url]
    extra = {"factor": framework[1]} if factory is AdaptationFactory else {}
    factory.create_batch(21, domain=domain, **extra)
    for page, expected in BAD_PAGES:
        response = client.get(reverse(url) + f"?page={page}")
        assert response.status_code == 200, page
        assert f"page {expected} of 2" in text(response), page


@pytest.mark.django_db
def test_pagination_links_keep_the_filters(client, framework, healthcare):
    CaseStudyFactory.create_batch(21, domain=healthcare)
    page = text(client.get(reverse("cases:casestudy_list"), {"domain": "healthcare"}))
    assert 'href="?domain=healthcare&amp;page=2"' in page


@pytest.mark.django_db
def test_search_ranks_title_matches_first_and_highlights(client, framework):
    CaseStudyFactory(title="Quarterly review", context="We set a token budget for every run.")
    CaseStudyFactory(title="Budget guardrails for agents", context="Plain words.")
    CaseStudyFactory(title="Unrelated", context="Nothing here.")
    response = client.get(reverse("cases:casestudy_list"), {"q": "budget"})
    page = text(response)
    assert response.status_code == 200
    assert page.index("Budget guardrails for agents") < page.index("Quarterly review")
    assert "Unrelated" not in page
    assert "<mark>budget</mark>" in page.lower()


@pytest.mark.django_db
def test_snippets_escape_everything_but_our_marks(client, framework):
    CaseStudyFactory(
        title="Escaping",
        context='<script>alert("x")</script> the budget <img src=x onerror=alert(1)> ok',
    )
    page = text(client.get(reverse("cases:casestudy_list"), {"q": "budget"}))
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page or "alert(&quot;x&quot;)" in page
    assert "<mark>budget</mark>" in page


@pytest.mark.django_db
def test_unpublished_never_leak_into_results_counts_or_snippets(client, framework):
    CaseStudyFactory(title="Public zebra study", context="zebra")
    for state in (State.DRAFT, State.SUBMITTED, State.CHANGES_REQUESTED, State.REJECTED,
                  State.WITHDRAWN):  # fmt: skip
        CaseStudyFactory(title=f"Hidden {state} zebra", context="zebra secretword", state=state)
        FailureReportFactory(title=f"Hidden failure {state}", symptom="zebra", state=state)
    CaseStudyFactory(title="Moderated zebra", context="zebra secretword",
                     hidden_at="2025-01-01T00:00Z")  # fmt: skip
    for url in (reverse("cases:casestudy_list"), reverse("cases:search")):
        page = text(client.get(url, {"q": "zebra"}))
        assert "Public zebra study" in page
        assert "Hidden" not in page and "Moderated" not in page and "secretword" not in page
    search_page = text(client.get(reverse("cases:search"), {"q": "zebra"}))
    assert "1 published item matches" in search_page
    page = text(client.get(reverse("cases:search"), {"q": "secretword"}))
    assert "0 published items match" in page
    assert "Hidden" not in page and "Moderated" not in page and "<mark>" not in page


MALFORMED = [
    '"unbalanced quote',
    "'",
    "budget & | ! ( ) :* <-> \\",
    "or and not",
    "-budget",
    "a" * 10_000,
    "bud\x00get",
    "\x00",
    "<script>alert(1)</script>",
    "%",
    "_",
    "💥 ünïcödé",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", [*LISTS, "cases:search"])
def test_malformed_searches_never_fail(client, framework, url):
    CaseStudyFactory(title="Budget study", context="budget")
    for q in MALFORMED:
        response = client.get(reverse(url), {"q": q})
        assert response.status_code == 200, q
        assert "<script>alert(1)</script>" not in text(response)


@pytest.mark.django_db
def test_long_queries_are_shortened_with_a_notice(client, framework):
    response = client.get(reverse("cases:casestudy_list"), {"q": "budget " * 2000})
    assert "shortened to its first 200 characters" in text(response)


@pytest.mark.django_db
def test_nul_bytes_are_dropped_from_the_query(client, framework):
    CaseStudyFactory(title="Budget study", context="budget")
    assert "Budget study" in text(client.get(reverse("cases:casestudy_list"), {"q": "bud\x00get"}))


@pytest.mark.django_db
def test_each_database_searches_its_own_way(client, framework):
    CaseStudyFactory(title="Runaway agents", context="The agents were looping all night.")
    CaseStudyFactory(title="Budget notes", context="A pilot that went well.")
    page = text(client.get(reverse("cases:casestudy_list"), {"q": "loops"}))
    if connection.vendor == "postgresql":
        assert search.is_postgres()
        # Stemming: "loops" finds "looping"; websearch syntax: phrases and exclusions.
        assert "Runaway agents" in page
        page = text(client.get(reverse("cases:casestudy_list"), {"q": '"looping all" -budget'}))
        assert "Runaway agents" in page and "Budget notes" not in page
        page = text(client.get(reverse("cases:casestudy_list"), {"q": "looping or pilot"}))
        assert "Runaway agents" in page and "Budget notes" in page
    else:
        assert not search.is_postgres()
        # Fallback: plain substring matching, every word must occur.
        assert "Runaway agents" not in page
        page = text(client.get(reverse("cases:casestudy_list"), {"q": "loop agents"}))
        assert "Runaway agents" in page and "Budget notes" not in page


@pytest.mark.django_db
def test_postgresql_search_uses_the_gin_index(framework):
    from django.contrib.postgres.search import SearchQuery

    from cases.filters import evidence_filter
    from cases.models import CaseStudy

    if connection.vendor != "postgresql":
        # SQLite has no search column: the fallback filters with LIKE.
        sql = str(evidence_filter("case_study", {"q": "budget"}).queryset.query)
        assert "LIKE" in sql and "search_vector" not in sql
        return
    CaseStudyFactory(title="Budget study")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    sq = SearchQuery("budget", search_type="websearch", config=search.CONFIG)
    matching = CaseStudy.objects.alias(v=search.vector(CaseStudy)).filter(v=sq)
    assert "casestudy_search_gin" in matching.explain()
    assert evidence_filter("case_study", {"q": "budget"}).queryset.exists()
    # The stored vector follows edits.
    CaseStudy.objects.update(title="Renamed entirely")
    assert not evidence_filter("case_study", {"q": "budget"}).queryset.exists()


@pytest.mark.django_db
def test_search_page_groups_results_by_kind_with_links_to_full_lists(client, framework):
    CaseStudyFactory(title="Retry storm study", context="retry")
    AdaptationFactory(title="Retry adaptation", factor=framework[1], changes="retry")
    FailureReportFactory.create_batch(6, symptom="retry storms")
    page = text(client.get(reverse("cases:search"), {"q": "retry"}))
    assert "Retry storm study" in page and "Retry adaptation" in page
    assert "8 published items match" in page
    assert f'href="{reverse("cases:failure_list")}?q=retry"' in page


@pytest.mark.django_db
def test_severity_and_outcome_filters_on_failure_list(client, framework):
    FailureReportFactory(title="Critical one", severity=Severity.CRITICAL)
    FailureReportFactory(title="Low one", severity=Severity.LOW)
    page = text(client.get(reverse("cases:failure_list"), {"severity": "critical"}))
    assert "Critical one" in page and "Low one" not in page
    assert "Critical severity" in page


def _make(framework, n, domain):
    for i in range(n):
        CaseStudyFactory(domain=domain, context="budget",
                         applied=[(framework[1 + i % 12], Outcome.WORKED)])  # fmt: skip
        AdaptationFactory(domain=domain, factor=framework[1 + i % 12], changes="budget")
        FailureReportFactory(domain=domain, symptom="budget", factors=[framework[1 + i % 12]])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "params", "cap"),
    [
        ("cases:casestudy_list", {}, 6),
        ("cases:casestudy_list", {"q": "budget", "domain": "healthcare", "tier": "foundation"}, 8),
        ("cases:adaptation_list", {"factor": "1", "sort": "updated"}, 7),
        ("cases:failure_list", {"q": "budget", "severity": "high"}, 7),
        ("cases:search", {"q": "budget"}, 8),
    ],
)
def test_query_count_is_fixed_at_two_sizes(
    client, framework, healthcare, django_assert_max_num_queries, url, params, cap
):
    _make(framework, 2, healthcare)
    with django_assert_max_num_queries(cap):
        assert client.get(reverse(url), params).status_code == 200
    _make(framework, 25, healthcare)
    with django_assert_max_num_queries(cap):
        assert client.get(reverse(url), params).status_code == 200


@pytest.mark.django_db
def test_snippets_show_text_without_markdown_markers(client, framework):
    CaseStudyFactory(
        title="Markers",
        context="What we tried:\n\n- a **budget** per run\n- [the guide](https://example.org)\n"
        "1. `budget` checks\n> quoted budget\n## Budget heading",
    )
    page = text(client.get(reverse("cases:casestudy_list"), {"q": "budget"}))
    snippet = page.split('<p class="snippet">', 1)[1].split("</p>", 1)[0]
    markers = ("- a", "- the", "**", "`", "[the guide]", "(https://", "1. ", "&gt; quoted", "## ")
    for marker in markers:
        assert marker not in snippet, marker
    assert "the guide" in snippet

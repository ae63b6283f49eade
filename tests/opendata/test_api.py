import json

import pytest
from django.utils import timezone

from tests.factories import AdaptationFactory, CaseStudyFactory, FailureReportFactory


def get(client, url, status=200, **params):
    response = client.get(url, params)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def slugs(data):
    return [item["slug"] for item in data["results"]]


def test_factors_have_phase_and_the_criteria_to_leave_it(client, framework):
    data = get(client, "/api/factors")
    assert [f["number"] for f in data] == list(range(1, 13))
    first = data[0]
    assert first["roman"] == "I"
    assert first["phase"] == {"slug": "alpha", "name": "Alpha", "order": 1}
    assert {c["measure"] for c in first["criteria"]} == {
        "domains",
        "failures_or_adaptations",
        "domains_failed",
    }
    no_failed = next(c for c in first["criteria"] if c["measure"] == "domains_failed")
    assert (no_failed["comparator"], no_failed["threshold"]) == ("at_most", 0)
    assert no_failed["description"] == "No domains where it only failed"
    assert all(c["phase"] == "alpha" and c["scope"] == "factor" for c in first["criteria"])
    assert first["badge_url"].endswith("/badges/factor/automated-tracking.svg")


def test_factor_by_slug_and_unknown_factor(client, framework):
    data = get(client, "/api/factors/continuous-validation")
    assert data["title"] == "Continuous Validation"
    assert "<strong>In practice</strong>" in data["body_html"]
    assert data["phase_history"] == []
    assert get(client, "/api/factors/nope", status=404) == {"detail": "Not found."}


def test_framework_endpoint_states_the_licence(client, framework):
    data = get(client, "/api/framework")
    assert data["phase"]["slug"] == "alpha"
    assert data["licence"] == "CC BY 4.0"
    assert all(c["scope"] == "framework" for c in data["criteria"])


def test_domains_count_only_published_evidence(client, evidence):
    data = {d["slug"]: d for d in get(client, "/api/domains")}
    assert data["health-care"]["case_studies"] == 1  # many unpublished ones are not counted
    assert data["health-care"]["adaptations"] == 1
    assert data["health-care"]["failures"] == 0
    assert data["health-care"]["factors_with_evidence"] == 2  # I and IV
    assert data["finance"]["factors_with_evidence"] == 2  # V and XI
    assert get(client, "/api/domains/finance")["failures"] == 1
    assert get(client, "/api/domains/nope", status=404)["detail"] == "Not found."


@pytest.mark.parametrize("url", ["/api/case-studies", "/api/adaptations", "/api/failures"])
def test_lists_serve_only_published_items(client, evidence, url):
    response = client.get(url, {"limit": 100})
    assert response.status_code == 200
    assert b"SECRET" not in response.content
    assert b"@example.org" not in response.content
    assert b"Bob Hidden" not in response.content


def test_unpublished_and_hidden_items_are_404(client, evidence):
    for item in evidence["secrets"]:
        prefix = {"case_study": "case-studies", "adaptation": "adaptations", "failure": "failures"}
        url = f"/api/{prefix[item.KIND]}/{item.slug}"
        assert client.get(url).status_code == 404, item.title


def test_case_study_detail(client, evidence):
    data = get(client, "/api/case-studies/tracing-every-agent-run")
    assert data["organization"] == "a health care organization"  # anonymized stays so
    assert "Secret Hospital" not in json.dumps(data)
    assert data["credit"] == "Alice Example"
    assert [(f["factor"]["number"], f["outcome"]) for f in data["factors"]] == [
        (1, "worked"),
        (4, "adapted"),
    ]
    assert data["context_html"] == "<p>The <em>context</em>.</p>"
    assert data["quantified"][0]["before"] == "9.000"


def test_adaptation_and_failure_detail_link_published_case_studies(client, evidence):
    assert get(client, "/api/adaptations/validation-with-a-human-in-the-loop")["case_study"] == (
        "tracing-every-agent-run"
    )
    data = get(client, "/api/failures/runaway-loop-in-claims-triage")
    assert data["case_study"] == "budgets-for-trading-agents"
    assert [f["number"] for f in data["factors"]] == [5, 11]
    assert data["severity"] == "critical"


def test_a_link_to_an_unpublished_case_study_is_not_revealed(client, evidence):
    secret = next(s for s in evidence["secrets"] if s.KIND == "case_study")
    failure = FailureReportFactory(title="Linked to a draft", case_study=secret)
    assert get(client, f"/api/failures/{failure.slug}")["case_study"] is None


def test_filters_match_the_lists(client, evidence, framework):
    assert slugs(get(client, "/api/case-studies", domain="finance")) == [
        "budgets-for-trading-agents"
    ]
    assert slugs(get(client, "/api/case-studies", factor="continuous-validation")) == [
        "tracing-every-agent-run"
    ]
    assert slugs(get(client, "/api/case-studies", factor="4")) == ["tracing-every-agent-run"]
    assert slugs(get(client, "/api/case-studies", deployment="pilot")) == [
        "budgets-for-trading-agents"
    ]
    assert slugs(get(client, "/api/case-studies", outcome="failed")) == [
        "budgets-for-trading-agents"
    ]
    assert slugs(get(client, "/api/case-studies", tier="operations")) == [
        "budgets-for-trading-agents"
    ]
    assert slugs(get(client, "/api/failures", severity="critical")) == [
        "runaway-loop-in-claims-triage"
    ]
    assert slugs(get(client, "/api/failures", severity="low")) == []
    assert slugs(get(client, "/api/adaptations", factor="automated-tracking")) == []
    assert slugs(get(client, "/api/case-studies", q="trading")) == ["budgets-for-trading-agents"]


@pytest.mark.parametrize(
    "url, params, param",
    [
        ("/api/failures", {"severity": "apocalyptic"}, "severity"),
        ("/api/case-studies", {"deployment": "moon"}, "deployment"),
        ("/api/case-studies", {"outcome": "meh"}, "outcome"),
        ("/api/case-studies", {"domain": "atlantis"}, "domain"),
        ("/api/adaptations", {"factor": "xiii"}, "factor"),
        ("/api/adaptations", {"factor": "99"}, "factor"),
        ("/api/failures", {"tier": "top"}, "tier"),
        ("/api/failures", {"sort": "random"}, "sort"),
        ("/api/case-studies", {"page": "-1"}, "page"),
        ("/api/case-studies", {"page": "0"}, "page"),
        ("/api/case-studies", {"page": "abc"}, "page"),
        ("/api/case-studies", {"page": "9" * 40}, "page"),
        ("/api/case-studies", {"limit": "0"}, "limit"),
        ("/api/case-studies", {"limit": "1000"}, "limit"),
        ("/api/adaptations", {"limit": "1.5"}, "limit"),
    ],
)
def test_bad_parameters_answer_400_naming_the_parameter(client, evidence, url, params, param):
    data = get(client, url, status=400, **params)
    assert [e["param"] for e in data["detail"]] == [param]
    assert data["detail"][0]["message"]


def test_several_bad_parameters_are_all_named(client, evidence):
    data = get(client, "/api/failures", status=400, severity="x", domain="y")
    assert {e["param"] for e in data["detail"]} == {"severity", "domain"}


@pytest.mark.parametrize(
    "url",
    ["/api/case-studies", "/api/adaptations", "/api/failures", "/api/reference-implementations"],
)
def test_every_list_names_a_bad_choice_and_an_unknown_domain_together(client, evidence, url):
    data = get(client, url, status=400, tier="x", domain="y")
    assert [e["param"] for e in data["detail"]] == ["tier", "domain"]


@pytest.mark.parametrize(
    "q", ['"unclosed', "a & b | !c", "title:*", "%_\\", "\x00null\x00", "' OR 1=1 --", "(((("]
)
def test_odd_search_strings_never_break(client, evidence, q):
    response = client.get("/api/case-studies", {"q": q})
    assert response.status_code == 200
    assert b"SECRET" not in response.content


def test_a_very_long_search_is_cut_with_a_notice(client, evidence):
    data = get(client, "/api/case-studies", q="trading " + "x" * 10_000)
    assert data["notices"]
    assert all("SECRET" not in item["title"] for item in data["results"])


def test_search_finds_words_in_bodies_too(client, evidence):
    assert slugs(get(client, "/api/failures", q="looped")) == ["runaway-loop-in-claims-triage"]


def test_pages_beyond_the_end_are_empty_not_errors(client, evidence):
    data = get(client, "/api/case-studies", page=999_999)
    assert data["results"] == [] and data["count"] == 2 and data["next"] is None


def test_pagination_is_stable_and_complete(client, framework):
    same_time = timezone.now()
    made = {CaseStudyFactory(published_at=same_time).slug for _ in range(7)}
    seen = []
    data = get(client, "/api/case-studies", limit=3)
    assert data["count"] == 7 and data["pages"] == 3
    while True:
        seen += slugs(data)
        if not data["next"]:
            break
        data = get(client, data["next"].removeprefix("http://testserver"))
    assert sorted(seen) == sorted(made) and len(seen) == 7
    # Asking again gives the same order.
    again = slugs(get(client, "/api/case-studies", limit=7))
    assert again == seen


def test_next_link_keeps_the_filters(client, framework):
    for _ in range(3):
        FailureReportFactory(severity="low")
    FailureReportFactory(severity="high")
    data = get(client, "/api/failures", severity="low", limit=2)
    assert "severity=low" in data["next"]
    second = get(client, data["next"].removeprefix("http://testserver"))
    assert second["count"] == 3 and len(second["results"]) == 1


def test_api_refuses_writes(client, evidence):
    assert client.post("/api/case-studies").status_code == 405
    assert client.delete("/api/case-studies/tracing-every-agent-run").status_code == 405


def test_openapi_schema_and_docs_are_served_from_this_site(client, framework):
    schema = get(client, "/api/openapi.json")
    assert "/api/v1/case-studies" in schema["paths"]
    assert "/api/v1/factors/{slug}" in schema["paths"]
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    # Our CSP applies: script only from this site, and no inline script to run.
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "<script>" not in html  # only src= scripts and a JSON data block
    # A way back to the site from the docs.
    assert '<a href="/">← 12-Factor AgentOps</a>' in html
    assert '<a href="/data/">Open data</a>' in html


@pytest.mark.parametrize("size", [2, 20])
@pytest.mark.parametrize(
    "url",
    [
        "/api/case-studies",
        "/api/adaptations",
        "/api/failures",
        "/api/domains",
        "/api/factors",
        "/api/case-studies?factor=automated-tracking&domain=domain-0&sort=updated",
        "/api/failures?tier=foundation&severity=high",
    ],
)
def test_api_query_count_does_not_grow_with_data(
    client, framework, size, url, django_assert_max_num_queries
):
    from tests.factories import DomainFactory, QuantifiedResultFactory

    DomainFactory(name="Domain 0")
    for _ in range(size):
        cs = CaseStudyFactory(applied=[(framework[1], "worked"), (framework[2], "failed")])
        QuantifiedResultFactory(case_study=cs)
        AdaptationFactory(factor=framework[1], case_study=cs)
        FailureReportFactory(factors=[framework[1], framework[3]], case_study=cs)
    # /api/factors also computes every factor's measures (factors.selectors.maturity_report).
    # /api/domains counts each kind of evidence (four): one query plus two per kind.
    # /api/factors: one more for quantified improvement, one for the failure modes' measure.
    cap = {"/api/factors": 14, "/api/domains": 9}.get(url, 8)
    with django_assert_max_num_queries(cap):
        assert client.get(url, {"limit": 100}).status_code == 200


@pytest.mark.parametrize("kind", ["case-studies", "adaptations", "failures", "factors", "domains"])
@pytest.mark.parametrize("slug", ["%00", "a%00b", "x" * 500, "%27%20OR%201%3D1", "..%2F..%2Fetc"])
def test_odd_slugs_are_404(client, evidence, kind, slug):
    assert client.get(f"/api/{kind}/{slug}").status_code == 404


def test_factors_carry_measures_and_eligibility_from_published_evidence(client, evidence):
    data = {f["number"]: f for f in get(client, "/api/factors")}
    factor4 = data[4]
    # Factor IV: one published case study (adapted) and one published adaptation, in Health
    # care; the unpublished adaptations of the fixture do not count.
    assert factor4["measures"]["case_studies"] == 1
    assert factor4["measures"]["domains"] == 1
    assert factor4["eligibility"]["phase"] == "alpha"
    assert factor4["eligibility"]["next_phase"] == "beta"
    assert factor4["eligibility"]["eligible"] is False
    domains = next(c for c in factor4["eligibility"]["criteria"] if c["measure"] == "domains")
    assert domains == {
        "measure": "domains",
        "comparator": "at_least",
        "description": "At least 3 domains where it worked",
        "threshold": 3,
        "value": 1,
        "met": False,
        "shortfall": 2,
    }
    assert factor4["classification"] == {
        "kind": "unproven",
        "label": "Unproven",
        "min_domains": 3,
        "domains_as_written": 0,
        "domains_adapted": 1,  # Health care
        "domains_mixed": 0,
        "domains_failed": 0,
    }
    detail = get(client, "/api/factors/continuous-validation")
    assert detail["measures"] == factor4["measures"]
    assert detail["classification"] == factor4["classification"]
    assert get(client, "/api/framework")["eligibility"]["phase"] == "alpha"

"""Universal or context-specific in the open data: each factor's outcome per domain in
/api/v1/factors/<slug> (domain_outcomes) and /domain-outcomes.csv, worked out by hand."""

import csv
import io

import pytest
from django.core.cache import cache
from django.utils import timezone

from cases.models import State
from tests.factories import (
    AdaptationFactory,
    CaseStudyFactory,
    DomainFactory,
    FailureReportFactory,
)


def csv_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.fixture
def outcomes(framework):
    """Factor IV in seven domains; only four have published, visible evidence about it.

    - Agriculture: a case study applied it as written            -> as_written
    - Banking: a published adaptation of it                      -> adapted
    - Cargo: worked as written in one case study, a failure report -> mixed
    - Dairy: only a failure report                               -> failed
    - Energy (draft), Forestry (rejected), Gaming (withdrawn failure report) and Harbours
      (hidden case study) count for nothing.
    Contested: it failed in Dairy with nothing there showing it working.
    """
    f = framework[4]
    d = {name: DomainFactory(name=name) for name in ("Agriculture", "Banking", "Cargo", "Dairy")}
    CaseStudyFactory(domain=d["Agriculture"], applied=[(f, "worked")])
    AdaptationFactory(domain=d["Banking"], factor=f)
    CaseStudyFactory(domain=d["Cargo"], applied=[(f, "worked")])
    FailureReportFactory(domain=d["Cargo"], factors=[f])
    FailureReportFactory(domain=d["Dairy"], factors=[f])
    CaseStudyFactory(
        domain=DomainFactory(name="Energy"), state=State.DRAFT, applied=[(f, "worked")]
    )
    CaseStudyFactory(
        domain=DomainFactory(name="Forestry"), state=State.REJECTED, applied=[(f, "worked")]
    )
    FailureReportFactory(domain=DomainFactory(name="Gaming"), state=State.WITHDRAWN, factors=[f])
    CaseStudyFactory(
        domain=DomainFactory(name="Harbours"), hidden_at=timezone.now(), applied=[(f, "worked")]
    )
    return f


EXPECTED = [
    ("agriculture", "as_written", "Worked as written"),
    ("banking", "adapted", "Worked only with adaptation"),
    ("cargo", "mixed", "Mixed: worked as written and failed"),
    ("dairy", "failed", "Failed"),
]


def test_api_gives_each_domains_outcome_with_a_link_to_its_evidence(client, outcomes):
    data = client.get("/api/v1/factors/continuous-validation").json()
    assert data["classification"]["kind"] == "contested"
    assert [(o["domain"]["slug"], o["outcome"], o["label"]) for o in data["domain_outcomes"]] == (
        EXPECTED
    )
    assert data["domain_outcomes"][3]["evidence_url"] == (
        "http://testserver/factors/continuous-validation/domains/dairy/"
    )
    # A factor with no published evidence has no domain outcome.
    assert client.get("/api/v1/factors/automated-tracking").json()["domain_outcomes"] == []


def test_openapi_describes_the_domain_outcomes(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "domain_outcomes" in schemas["FactorDetailOut"]["required"]
    outcome = schemas["DomainOutcomeOut"]["properties"]["outcome"]
    assert outcome["enum"] == ["as_written", "adapted", "mixed", "failed"]


def test_csv_has_one_row_per_factor_and_domain_with_evidence(client, outcomes):
    data = csv_rows(client.get("/domain-outcomes.csv"))
    assert [
        (r["factor_slug"], r["classification"], r["domain_slug"], r["outcome"]) for r in data
    ] == [("continuous-validation", "contested", slug, outcome) for slug, outcome, _ in EXPECTED]
    assert data[0]["domain"] == "Agriculture"
    assert data[0]["evidence_url"] == (
        "http://testserver/factors/continuous-validation/domains/agriculture/"
    )


@pytest.mark.parametrize("size", [1, 8])
def test_query_counts_stay_capped(client, framework, size, django_assert_max_num_queries):
    for i in range(size):
        domain = DomainFactory(name=f"Place {i}")
        CaseStudyFactory(
            domain=domain, applied=[(framework[1], "worked"), (framework[4], "adapted")]
        )
        FailureReportFactory(domain=domain, factors=[framework[2]])
    # 14: the maturity table's (13, tests/opendata/test_csv.py) and the domains
    with django_assert_max_num_queries(14):
        assert len(csv_rows(client.get("/domain-outcomes.csv"))) == 3 * size
    cache.clear()  # the maturity report is computed again, as after any change
    # 19: a factor's API answer (18, tests/cases/test_improvement.py) and its domains
    with django_assert_max_num_queries(19):
        response = client.get("/api/v1/factors/automated-tracking")
        assert len(response.json()["domain_outcomes"]) == size

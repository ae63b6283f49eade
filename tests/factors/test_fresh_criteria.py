"""Criteria that count only evidence confirmed within the ageing window, and the "at risk" they
lead to when evidence ages, with frozen time (tests/clock.py). Numbers worked out by hand."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from cases import services
from cases.models import State
from factors.history import read_snapshot, snapshot_record
from factors.measuring import Evidence, measure_factors, measure_framework
from factors.models import Criterion, Factor, FactorSnapshot, MaturitySnapshot
from factors.selectors import factor_status
from factors.services import factor_promote
from tests.clock import at, frozen
from tests.factories import (
    AdaptationFactory,
    CaseStudyFactory,
    DomainFactory,
    FailureReportFactory,
    UserFactory,
)

BOUNDARY = at(2026, 7, 10, 12)  # 18 months after 10 Jan 2025, 12:00: still fresh
AGED = at(2026, 7, 10, 12, 0, 1)  # a second later: evidence published then is ageing
FRESH_DOMAINS = "At least 3 domains where it worked, confirmed within 18 months"


@pytest.fixture(autouse=True)
def _window(settings):
    settings.EVIDENCE_AGEING_MONTHS = 18


def _only_fresh_domains():
    """To leave Alpha a factor needs 3 domains where it worked, counting only evidence
    confirmed within the window (the other Alpha per-factor criteria are dropped: data)."""
    Criterion.objects.filter(phase__slug="alpha", scope="factor").exclude(
        measure="domains"
    ).delete()
    Criterion.objects.filter(phase__slug="alpha", scope="factor", measure="domains").update(
        threshold=3, fresh_only=True
    )


@pytest.fixture
def ageing_evidence(framework):
    """Factor I:
      A  case study, Health,   worked, published 10 Jan 2025 12:00     (ages at AGED)
      B  case study, Retail,   worked, published 10 Jan 2025 12:00     (ages at AGED)
      C  adaptation, Energy,           published 1 Mar 2026             (fresh)
      D  case study, Finance,  worked, published 1 Jun 2024, re-confirmed 1 Feb 2026 (fresh)
      E  failure report naming I, Health, published 1 Jan 2024          (aged)
    Never counted: a hidden case study and a draft, both in Transport, both "worked".
    """
    f1 = framework[1]
    health, retail, energy, finance, transport = (
        DomainFactory(name=n) for n in ("Health", "Retail", "Energy", "Finance", "Transport")
    )
    a = CaseStudyFactory(
        title="A", domain=health, published_at=at(2025, 1, 10, 12), applied=[(f1, "worked")]
    )
    CaseStudyFactory(
        title="B", domain=retail, published_at=at(2025, 1, 10, 12), applied=[(f1, "worked")]
    )
    AdaptationFactory(title="C", factor=f1, domain=energy, published_at=at(2026, 3, 1))
    CaseStudyFactory(
        title="D", domain=finance, published_at=at(2024, 6, 1), confirmed_at=at(2026, 2, 1),
        applied=[(f1, "worked")],
    )  # fmt: skip
    FailureReportFactory(title="E", factors=[f1], domain=health, published_at=at(2024, 1, 1))
    CaseStudyFactory(
        title="hidden", domain=transport, published_at=at(2026, 5, 1), hidden_at=at(2026, 5, 2),
        applied=[(f1, "worked")],
    )  # fmt: skip
    CaseStudyFactory(
        title="draft", domain=transport, state=State.DRAFT, published_at=None,
        applied=[(f1, "worked")],
    )  # fmt: skip
    return a


def test_fresh_measures_count_only_evidence_confirmed_within_the_window(ageing_evidence, framework):
    f1 = framework[1].pk
    with frozen(AGED):
        evidence = Evidence()
        everything = measure_factors([f1], evidence=evidence)[f1]
        fresh = measure_factors([f1], evidence=evidence.fresh())[f1]
    # All published: Health (A), Retail (B), Energy (C), Finance (D) worked; E failed.
    assert (everything["domains"], everything["case_studies"], everything["failures"]) == (4, 3, 1)
    # Confirmed since 10 Jan 2025 12:00:01: C (Energy) and D (Finance, re-confirmed) only.
    assert (fresh["domains"], fresh["case_studies"], fresh["failures"]) == (2, 1, 0)
    assert fresh["adaptations"] == 1
    with frozen(BOUNDARY):  # A and B are confirmed exactly 18 months ago: they still count
        assert measure_factors([f1], evidence=Evidence().fresh())[f1]["domains"] == 4


def test_the_criterion_says_it_counts_only_confirmed_evidence(framework, settings):
    _only_fresh_domains()
    criterion = Criterion.objects.get(phase__slug="alpha", scope="factor", measure="domains")
    assert criterion.text == FRESH_DOMAINS
    settings.EVIDENCE_AGEING_MONTHS = 6
    assert criterion.text.endswith(", confirmed within 6 months")
    criterion.fresh_only = False
    assert criterion.text == "At least 3 domains where it worked"


def test_eligibility_reads_the_fresh_count(ageing_evidence, framework, client):
    _only_fresh_domains()
    f1 = Factor.objects.with_phase().get(pk=framework[1].pk)
    [verdict] = factor_status(f1, now=BOUNDARY).eligibility.verdicts
    assert (verdict.value, verdict.met) == (4, True)
    [verdict] = factor_status(f1, now=AGED).eligibility.verdicts
    assert (verdict.value, verdict.met, verdict.value_text) == (2, False, "2 of 3")
    assert verdict.criterion.description == FRESH_DOMAINS
    with frozen(AGED):
        page = client.get(f1.get_absolute_url()).content.decode()
    assert FRESH_DOMAINS in page


def test_a_factor_whose_evidence_aged_is_at_risk_with_the_reason(
    ageing_evidence, framework, maintainer, client
):
    _only_fresh_domains()
    f1 = framework[1]
    with frozen(BOUNDARY):
        factor_promote(factor=f1, by=maintainer, rationale="Four domains, all confirmed.")
        cache.clear()
        assert "At risk" not in client.get(f1.get_absolute_url()).content.decode()
    with frozen(AGED):
        services.remind_ageing()  # the daily task: A and B now show as ageing (a bump)
        page = client.get(f1.get_absolute_url()).content.decode()
        assert "At risk:" in page and "from Alpha into Beta no longer all hold" in page
        assert f"{FRESH_DOMAINS}: 2 of 3 (1 more needed)" in page
        dashboard = client.get(reverse("maturity")).content.decode()
        assert "Factors at risk" in dashboard
    assert Factor.objects.get(pk=f1.pk).phase.slug == "beta"  # demotion stays a decision
    # A's author confirms it still holds: three fresh domains again, no longer at risk.
    with frozen(at(2026, 7, 11)):
        services.submission_reconfirm(item=ageing_evidence, actor=ageing_evidence.author)
        page = client.get(f1.get_absolute_url()).content.decode()
    assert "At risk" not in page


def test_a_snapshot_keeps_the_fresh_counts_and_gives_back_the_verdict(ageing_evidence, framework):
    _only_fresh_domains()
    with frozen(AGED):
        snapshot = snapshot_record(reason="test")
    measures = FactorSnapshot.objects.get(snapshot=snapshot, factor=framework[1]).measures
    assert (measures["domains"], measures["domains:fresh"]) == (4, 2)
    [row] = [f for f in read_snapshot(snapshot).factors if f.factor.pk == framework[1].pk]
    [verdict] = row.eligibility.verdicts
    assert (verdict.value, verdict.met, verdict.criterion.description) == (2, False, FRESH_DOMAINS)


def test_the_history_chart_names_the_fresh_count(ageing_evidence, framework, client):
    _only_fresh_domains()
    with frozen(AGED):
        snapshot_record(reason="test")
        page = client.get(framework[1].get_absolute_url()).content.decode()
    assert "Domains (confirmed within 18 months)" in page


@pytest.mark.django_db(transaction=True)
def test_a_re_confirmation_records_a_snapshot_on_commit_when_it_moves_a_measure():
    call_command("load_framework", verbosity=0)
    _only_fresh_domains()
    f1 = Factor.objects.get(number=1)
    author = UserFactory()
    item = CaseStudyFactory(
        author=author, domain=DomainFactory(name="Health"), published_at=at(2025, 1, 10, 12),
        applied=[(f1, "worked")],
    )  # fmt: skip
    with frozen(AGED):
        snapshot_record(reason="baseline")
        before = MaturitySnapshot.objects.count()
        services.submission_reconfirm(item=item, actor=author)
    assert MaturitySnapshot.objects.count() == before + 1
    latest = MaturitySnapshot.objects.order_by("-pk").first()  # both taken at the frozen moment
    assert FactorSnapshot.objects.get(snapshot=latest, factor=f1).measures["domains:fresh"] == 1


def test_the_fresh_value_links_to_the_confirmed_evidence_behind_it(
    ageing_evidence, framework, client
):
    _only_fresh_domains()
    f1 = framework[1]
    url = reverse("factors:evidence", args=[f1.slug, "domains"])
    with frozen(AGED):
        page = client.get(f1.get_absolute_url()).content.decode()
        assert f'href="{url}?fresh=1">2</a>' in page
        fresh = client.get(url, {"fresh": "1"}).content.decode()
        everything = client.get(url).content.decode()
    assert "Domains, confirmed within 18 months: 2</h1>" in fresh
    titles = {t for t in ("A", "B", "C", "D") if f">{t}</a>" in fresh}
    assert titles == {"C", "D"}  # A and B aged out; C published, D re-confirmed, in the window
    assert "Domains: 4</h1>" in everything
    assert {t for t in ("A", "B", "C", "D") if f">{t}</a>" in everything} == {"A", "B", "C", "D"}


def test_failure_modes_fresh_count_only_modes_with_a_report_confirmed_within_the_window(
    ageing_evidence, framework
):
    from cases.models import FailureReport
    from failuremodes.models import FailureMode

    f1 = framework[1]
    old = FailureReport.objects.get(title="E")  # published 1 Jan 2024: aged at AGED
    recent = FailureReportFactory(
        title="F", factors=[f1], severity="high", published_at=at(2026, 3, 1)
    )
    for title, report in (("Old loops", old), ("New loops", recent)):
        mode = FailureMode.objects.create(title=title)
        mode.factors.set([f1])
        mode.reports.set([report])
    with frozen(AGED):
        evidence = Evidence()
        everything = measure_factors([f1.pk], evidence=evidence)[f1.pk]
        fresh = measure_factors([f1.pk], evidence=evidence.fresh())[f1.pk]
        framework_fresh = measure_framework(evidence=Evidence().fresh(), keys=["failure_modes"])
    assert (everything["failure_modes"], fresh["failure_modes"]) == (2, 1)
    assert (fresh["open_failure_modes"], fresh["open_severe_failure_modes"]) == (1, 1)
    assert framework_fresh["failure_modes"] == 1


def test_a_measure_of_people_or_open_questions_cannot_count_only_confirmed_evidence(framework):
    from django.core.exceptions import ValidationError

    from factors.maturity import CriterionSpec

    criterion = Criterion.objects.filter(measure="open_challenges").first() or Criterion(
        phase=framework[1].phase, scope="factor", measure="open_challenges",
        comparator="at_most", threshold=0,
    )  # fmt: skip
    criterion.fresh_only = True
    with pytest.raises(ValidationError) as refused:
        criterion.full_clean(validate_unique=False, validate_constraints=False)
    assert "does not count published evidence" in refused.value.message_dict["fresh_only"][0]
    # Were one stored so, it counts as usual and says nothing about a window.
    assert criterion.fresh_months == 0 and "confirmed within" not in criterion.text
    spec = CriterionSpec(
        id=1, phase="beta", scope="framework", measure="engaged_members", threshold=5,
        fresh_months=18,
    )  # fmt: skip
    assert spec.measure_key == "engaged_members" and "confirmed within" not in spec.description
    fresh_domains = CriterionSpec(
        id=2, phase="beta", scope="factor", measure="domains", threshold=3, fresh_months=18
    )
    assert fresh_domains.measure_key == "domains:fresh"


@pytest.mark.urls("agentops_web.urls")
def test_the_admin_says_beside_the_box_why_it_cannot_be_ticked(
    client, maintainer, settings, framework
):
    settings.MAINTAINER_REQUIRE_MFA = False
    criterion, _ = Criterion.objects.get_or_create(
        phase=framework[1].phase, scope="factor", measure="open_challenges",
        defaults={"comparator": "at_most", "threshold": 0},
    )  # fmt: skip
    client.force_login(maintainer)
    url = reverse("admin:factors_criterion_change", args=[criterion.pk])
    response = client.post(
        url,
        {
            "phase": criterion.phase_id, "scope": criterion.scope, "measure": criterion.measure,
            "comparator": criterion.comparator, "threshold": criterion.threshold,
            "fresh_only": "on",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "does not count published evidence" in response.content.decode()
    criterion.refresh_from_db()
    assert criterion.fresh_only is False

"""At phone width nothing scrolls sideways and the header is compact; at desktop width the
header is one row. Tables stack into labelled cards (CSS and data-label, no script)."""

import pytest

from cases.models import Metric, Outcome
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import (
    AdaptationFactory,
    CaseStudyFactory,
    DomainFactory,
    QuantifiedResultFactory,
)

pytestmark = pytest.mark.browser

WIDTH = "() => document.documentElement.scrollWidth"
HEADER = "() => document.querySelector('.site-header').getBoundingClientRect().height"


@pytest.fixture
def evidence(framework):
    metric, _ = Metric.objects.get_or_create(
        slug="incident-rate",
        defaults={"name": "Incident rate", "better": "lower", "definition": "Incidents."},
    )
    for name in ("Federal infrastructure", "Telecommunications", "Healthcare"):
        domain = DomainFactory(name=name)
        case = CaseStudyFactory(
            domain=domain,
            title=f"A long-running {name.lower()} deployment with a deliberately long title",
            applied=[(f, Outcome.WORKED) for f in framework.values()],
        )
        AdaptationFactory(domain=domain, factor=framework[1])
        # The factor page's quantified improvement tables stack too.
        QuantifiedResultFactory(case_study=case, standard_metric=metric, before=12, after=7)
        QuantifiedResultFactory(case_study=case, metric="runaway runs per month")
    return framework


def test_tables_fit_a_phone_without_sideways_scrolling(new_page, url, evidence):
    page = new_page(width=PHONE)
    for target in (
        url("maturity"),
        url("factors:detail", evidence[1].slug),
        url("cases:domain_list"),
    ):
        page.goto(target)
        assert page.evaluate(WIDTH) <= PHONE, f"{target} is wider than the phone"
    # A stacked cell names its column: the coverage cell says which factor it counts.
    page.goto(url("maturity"))
    label = page.locator("table.coverage td[data-label='XII']").first
    assert "XII" in label.evaluate("td => getComputedStyle(td, '::before').content")
    status = page.locator("table.factor-criteria td[data-label='Eligible']").first
    assert status.is_visible()
    page.goto(url("factors:detail", evidence[1].slug))
    median = page.locator("table.improvement-metrics td[data-label='Median change']").first
    assert "Median change" in median.evaluate("td => getComputedStyle(td, '::before').content")
    assert median.inner_text().endswith("−41.7%")  # 12 → 7, three times


def test_the_header_is_compact_at_both_widths(new_page, url, framework):
    phone = new_page(width=PHONE)
    phone.goto(url("home"))
    assert phone.evaluate(HEADER) <= 110
    assert phone.evaluate(WIDTH) <= PHONE
    desktop = new_page(width=DESKTOP)
    desktop.goto(url("home"))
    assert desktop.evaluate(HEADER) <= 70  # one row: "Sign in" no longer wraps
    sign_in = desktop.get_by_role("link", name="Sign in").bounding_box()
    factors = desktop.get_by_role("link", name="Factors", exact=True).bounding_box()
    assert abs(sign_in["y"] - factors["y"]) < 12


def test_history_snapshot_and_evidence_tables_stack_on_a_phone(new_page, url, evidence):
    """The factor's outcome-by-domain grid and its measures day by day, a snapshot's (and an
    as-of page's) criteria tables, a case study's factors and numbers, a reference
    implementation with a long address and the community health figures: each fits 390 px,
    every cell saying its column."""
    from django.utils import timezone

    from cases.models import CaseStudy
    from factors.history import snapshot_record
    from tests.factories import QuantifiedResultFactory, ReferenceImplementationFactory

    snapshot = snapshot_record(reason="test")
    case = CaseStudy.objects.first()
    QuantifiedResultFactory(case_study=case, metric="agent incidents per week", before=9, after=2)
    reference = ReferenceImplementationFactory(
        url="https://example.org/" + "a-very-long-repository-path-without-breaks" * 3,
        factors=[(evidence[1], "Traces every call with one identifier per run.")],
    )
    page = new_page(width=PHONE)
    as_of = timezone.localdate().isoformat()
    for target, table in (
        (url("snapshot_detail", snapshot.pk), "table.factor-criteria"),
        (url("maturity") + f"?as_of={as_of}", "table.framework-criteria"),
        (url("factors:detail", evidence[1].slug), "table.domain-outcomes"),
        (url("factors:detail", evidence[1].slug), "table#factor-history"),
        (url("home").rstrip("/") + case.get_absolute_url(), "table.stack"),
        (url("home").rstrip("/") + reference.get_absolute_url(), "table.stack"),
        (url("community:health"), "table#published-table"),
        (url("community:health"), "table#latency-table"),
    ):
        page.goto(target)
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        assert page.evaluate(WIDTH) <= PHONE, f"{target} is wider than the phone"
        located = page.locator(table).first
        fits = "t => t.scrollWidth <= t.parentElement.clientWidth"
        assert located.evaluate(fits), f"{table} on {target} scrolls sideways"
        assert located.evaluate("t => getComputedStyle(t).display") == "block"
        labelled = located.locator("td[data-label]").first
        assert labelled.get_attribute("data-label") in labelled.evaluate(
            "td => getComputedStyle(td, '::before').content"
        )

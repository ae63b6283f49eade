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

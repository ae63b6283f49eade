"""Failure modes in a real browser: a maintainer picks a mode while publishing a failure
report, and the public pages (and the maintainer's) have no serious accessibility
violations."""

import pytest
from playwright.sync_api import expect

from cases.models import Severity, State
from failuremodes.models import FailureMode
from tests.browser.conftest import describe
from tests.browser.test_evidence_journeys import sign_in
from tests.factories import DomainFactory, FailureReportFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def grouped(framework):
    domain = DomainFactory(name="Logistics")
    earlier = FailureReportFactory(
        title="Retry loop exhausted the routing budget", domain=domain, factors=[framework[4]]
    )
    mode = FailureMode.objects.create(title="Retry storms", what_happens="Agents *retry*.")
    mode.factors.add(framework[4])
    mode.reports.add(earlier)
    waiting = FailureReportFactory(
        title="Endless retry loop in the dispatch agent",
        domain=domain,
        state=State.SUBMITTED,
        severity=Severity.CRITICAL,
        factors=[framework[4]],
    )
    return {"mode": mode, "earlier": earlier, "waiting": waiting, "factor": framework[4]}


def test_a_maintainer_publishes_a_report_into_the_mode_it_resembles(
    page, url, axe, maintainer, grouped
):
    sign_in(page, url, maintainer.email)
    page.goto(url("cases:review_item", "failure", grouped["waiting"].pk))
    similar = page.get_by_role("region", name="Similar published failure reports")
    expect(similar).to_contain_text("Retry loop exhausted the routing budget")
    expect(similar).to_contain_text("in Retry storms")
    violations = axe(page)
    assert not violations, describe(violations)

    page.get_by_role("radio", name="Publish").check()
    page.get_by_label("Comment for the author").fill("Clear report, thank you.")
    page.get_by_label("Failure mode it joins").select_option(label="Retry storms")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Decision recorded")).to_be_visible()

    page.goto(url("failuremodes:detail", grouped["mode"].slug))
    main = page.get_by_role("main")
    expect(main).to_contain_text("Endless retry loop in the dispatch agent")
    expect(main).to_contain_text("Severity at worst: Critical")
    expect(main).to_contain_text("Status: Open")
    violations = axe(page)
    assert not violations, describe(violations)

    page.goto(url("failuremodes:edit", grouped["mode"].slug))
    violations = axe(page)
    assert not violations, describe(violations)


def test_public_failure_mode_pages_are_accessible(page, url, axe, grouped):
    for address in (
        url("failuremodes:list"),
        url("failuremodes:detail", grouped["mode"].slug),
        url("factors:detail", grouped["factor"].slug) + "#failure-modes",
    ):
        assert page.goto(address).status == 200
        violations = axe(page)
        assert not violations, f"{address}: {describe(violations)}"

"""axe-core over the site's key pages: no serious or critical violations.

axe runs inside each page through page.evaluate (see the `axe` fixture); the site's CSP stays on.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import describe
from tests.browser.test_evidence_journeys import sign_in
from tests.factories import CaseStudyFactory, DomainFactory, FailureReportFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def evidence(framework):
    domain = DomainFactory(name="Customer support")
    case = CaseStudyFactory(
        title="Tracing every support agent call",
        domain=domain,
        applied=[(framework[1], "worked"), (framework[5], "adapted")],
    )
    # Quantified results, one on the metric vocabulary and one "other": the factor page shows its
    # improvement tables, the case study page its results with their change.
    from cases.models import Metric
    from tests.factories import QuantifiedResultFactory

    metric, _ = Metric.objects.get_or_create(
        slug="incident-rate",
        defaults={"name": "Incident rate", "better": "lower", "definition": "Incidents."},
    )
    QuantifiedResultFactory(case_study=case, standard_metric=metric, before=10, after=6)
    QuantifiedResultFactory(case_study=case, metric="runaway runs", before=0, after=3)
    failure = FailureReportFactory(
        title="Refund agent looped overnight", domain=domain, factors=[framework[11]]
    )
    return {"domain": domain, "case": case, "failure": failure, "factor": framework[1]}


def test_public_pages_have_no_serious_accessibility_violations(page, url, axe, evidence):
    pages = {
        "home": url("home"),
        "factor list": url("factors:list"),
        "factor page": url("factors:detail", evidence["factor"].slug),
        "domain list": url("cases:domain_list"),
        "domain page": url("cases:domain_detail", evidence["domain"].slug),
        "case study list": url("cases:casestudy_list"),
        "case study page": url("cases:casestudy_detail", evidence["case"].slug),
        "failure list": url("cases:failure_list"),
        "failure list, filtered": url("cases:failure_list")
        + f"?domain={evidence['domain'].slug}&severity=high",
        "search results": url("cases:search") + "?q=support",
        "failure page": url("cases:failure_detail", evidence["failure"].slug),
        "maturity dashboard": url("maturity"),
        "measure definitions": url("maturity_measures"),
        "sign in": url("account_login"),
    }
    found = {}
    for name, address in pages.items():
        response = page.goto(address)
        assert response.status == 200, f"{name}: {response.status}"
        violations = axe(page)
        if violations:
            found[name] = describe(violations)
    assert not found, "\n".join(f"{name}:\n{text}" for name, text in found.items())


def test_sign_up_form_with_errors_is_accessible_and_announces_them(page, url, axe, db):
    page.goto(url("account_signup"))
    page.get_by_label("Email").fill("newcomer@example.org")
    page.get_by_label("Your name").fill("Nia Newcomer")
    page.get_by_label(re.compile(r"^Password:?$")).fill("short")
    page.get_by_label(re.compile(r"^Password \(again\):?$")).fill("different")
    page.get_by_role("button", name="Sign up").click()
    # What was typed is kept, and the page says what is wrong.
    expect(page.locator(".errorlist").first).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value("newcomer@example.org")
    expect(page.get_by_label("Your name")).to_have_value("Nia Newcomer")
    violations = axe(page)
    assert not violations, describe(violations)
    # Chromium logs the 404 status itself as a console error: expected here, nothing else.
    page.console_errors[:] = [e for e in page.console_errors if "status of 404" not in e]


def test_submit_form_with_errors_announces_them_and_is_accessible(
    page, url, axe, member, framework
):
    sign_in(page, url, member.email)
    page.goto(url("cases:submission_create", "case_study"))
    violations = axe(page)
    assert not violations, describe(violations)
    # Chromium logs the 404 status itself as a console error: expected here, nothing else.
    page.console_errors[:] = [e for e in page.console_errors if "status of 404" not in e]
    page.get_by_label("Title").fill("Half a case study")
    page.get_by_role("button", name="Submit for review").click()
    # Said in a live region, next to each field, and tied to the field for screen readers.
    expect(page.get_by_role("status")).to_contain_text("Please correct the errors")
    expect(page.get_by_label("Title")).to_have_value("Half a case study")
    domain = page.get_by_label("Domain")
    expect(domain).to_have_attribute("aria-invalid", "true")
    expect(domain).to_have_accessible_description(re.compile("required", re.IGNORECASE))
    violations = axe(page)
    assert not violations, describe(violations)
    # Chromium logs the 404 status itself as a console error: expected here, nothing else.
    page.console_errors[:] = [e for e in page.console_errors if "status of 404" not in e]


def test_review_pages_are_accessible(page, url, axe, maintainer, evidence):
    waiting = CaseStudyFactory(
        title="Waiting for a decision", state="submitted", applied=[(evidence["factor"], "worked")]
    )
    sign_in(page, url, maintainer.email)
    found = {}
    for name, address in {
        "review queue": url("cases:review_queue"),
        "review item": url("cases:review_item", "case_study", waiting.pk),
        "my submissions": url("cases:my_submissions"),
    }.items():
        assert page.goto(address).status == 200, name
        if violations := axe(page):
            found[name] = describe(violations)
    assert not found, "\n".join(f"{name}:\n{text}" for name, text in found.items())


def test_the_error_pages_are_accessible(page, url, axe, db):
    response = page.goto(url("home") + "no/such/page/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.get_by_role("search")).to_be_visible()
    violations = axe(page)
    assert not violations, describe(violations)
    # Chromium logs the 404 status itself as a console error: expected here, nothing else.
    page.console_errors[:] = [e for e in page.console_errors if "status of 404" not in e]

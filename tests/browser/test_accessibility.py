"""axe-core over the site's key pages: no serious or critical violations.

axe runs inside each page through page.evaluate (see the `axe` fixture); the site's CSP stays on.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import describe
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
        "failure page": url("cases:failure_detail", evidence["failure"].slug),
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
    page.get_by_label(re.compile(r"^Password:?$")).fill("short")
    page.get_by_label(re.compile(r"^Password \(again\):?$")).fill("different")
    page.get_by_role("button", name="Sign up").click()
    # What was typed is kept, and the page says what is wrong.
    expect(page.locator(".errorlist").first).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value("newcomer@example.org")
    violations = axe(page)
    assert not violations, describe(violations)

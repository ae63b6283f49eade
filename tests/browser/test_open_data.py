"""The open-data pages in a real browser, under the site's CSP: the API docs (Swagger UI
served from our own static files) and the /data/ page with its badges."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import describe
from tests.factories import CaseStudyFactory

pytestmark = pytest.mark.browser


def test_api_docs_work_under_our_csp_without_a_cdn(page, url, framework):
    """The `page` fixture fails the test on any console error: a CSP violation or a blocked
    or failed request (e.g. a CDN) would be one."""
    CaseStudyFactory(title="A published case", applied=[(framework[1], "worked")])
    external = []
    page.on(
        "request",
        lambda r: None if r.url.startswith(url("home")) else external.append(r.url),
    )
    page.goto(url("api:openapi-view"))
    expect(page.locator("#operations-tag-evidence")).to_be_visible()
    expect(page.get_by_text("/api/v1/case-studies/{slug}", exact=True)).to_be_visible()
    # Try an endpoint from the docs: the request goes to our API and its answer shows.
    page.locator("#operations-evidence-opendata_api_case_studies").click()
    page.get_by_role("button", name="Execute").click()
    expect(page.locator(".responses-wrapper .live-responses-table")).to_contain_text(
        "A published case"
    )
    assert external == [], f"requests left the site: {external}"


def test_open_data_page_shows_badges_and_is_accessible(page, url, axe, framework):
    page.goto(url("opendata:open_data"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Open data")
    badge = page.get_by_role("img", name="Framework phase badge")
    expect(badge).to_be_visible()
    assert badge.evaluate("img => img.naturalWidth") > 0  # the SVG loaded and rendered
    violations = axe(page)
    assert not violations, describe(violations)

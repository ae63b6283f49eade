"""A maintainer picks the readiest factor from the ranking, previews its promotion, confirms."""

import pytest
from playwright.sync_api import expect

from factors.models import Factor, PhaseChange
from tests.browser.conftest import PHONE, describe
from tests.browser.test_evidence_journeys import sign_in
from tests.factories import AdaptationFactory, CaseStudyFactory, DomainFactory

pytestmark = pytest.mark.browser

WIDTH = "() => document.documentElement.scrollWidth"


@pytest.fixture
def ready(framework):
    """Factor I worked as written in three domains, with two adaptations: eligible for Beta."""
    factor = framework[1]
    for name in ("Healthcare", "Retail", "Telecommunications"):
        CaseStudyFactory(domain=DomainFactory(name=name), applied=[(factor, "worked")])
    AdaptationFactory.create_batch(2, factor=factor)
    return factor


def test_maintainer_ranks_previews_and_confirms_a_promotion(
    new_page, url, shoot, axe, ready, maintainer, settings
):
    settings.MAINTAINER_REQUIRE_MFA = False
    page = new_page(width=PHONE)
    sign_in(page, url, maintainer.email)

    # The ranking: factor I first, each cell labelled when the table stacks on a phone.
    page.goto(url("maturity_decide"))
    assert page.evaluate(WIDTH) <= PHONE
    first = page.locator("table.promotion-ranking tbody tr").first
    expect(first.get_by_role("rowheader")).to_contain_text("I. ")
    ready_cell = first.locator("td[data-label='Ready']")
    expect(ready_cell).to_contain_text("Eligible")
    assert "Ready" in ready_cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert not axe(page), describe(axe(page))
    shoot(page, "promotion-ranking")

    # The preview: what the decision will change; nothing has changed yet.
    first.get_by_role("link", name="Preview promoting to Beta").click()
    page.get_by_label("Why it moves on").fill("Worked as written in three domains.")
    page.get_by_role("button", name="Preview the promotion to Beta").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("from Alpha to Beta?")
    effects = page.locator("table.promotion-effects")
    expect(effects.get_by_role("row", name="Badge")).to_contain_text("Factor I · Beta")
    assert page.evaluate(WIDTH) <= PHONE
    assert not axe(page), describe(axe(page))
    shoot(page, "promotion-preview")
    assert Factor.objects.get(pk=ready.pk).phase.slug == "alpha"

    # Confirm: promoted, and the history keeps what was shown.
    page.get_by_role("button", name="Confirm: promote to Beta").click()
    expect(page.get_by_text("promoted from Alpha to Beta")).to_be_visible()
    assert Factor.objects.get(pk=ready.pk).phase.slug == "beta"
    assert PhaseChange.objects.get().shown["changes"]["to_phase"] == "Beta"
    page.get_by_text("What the maintainer was shown before confirming").click()
    history = page.locator("details.shown table.promotion-effects")
    expect(history.get_by_role("row", name="Phase of the factor")).to_contain_text("Beta")


def test_a_refused_promotion_says_why_once_at_the_top_and_keeps_what_was_typed(
    new_page, url, axe, framework, maintainer, settings
):
    """Factor I has no evidence: the criteria for leaving Alpha do not hold. The page answers
    400 with one summary at its top naming the unmet criteria; the rationale stays typed."""
    settings.MAINTAINER_REQUIRE_MFA = False
    factor = framework[1]
    page = new_page(width=PHONE)
    sign_in(page, url, maintainer.email)
    page.goto(url("factors:detail", factor.slug))
    page.get_by_label("Why it moves on").fill("It feels ready to us.")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.locator("#promote-form").get_by_role("button").click()
    assert answer.value.status == 400

    summary = page.get_by_role("alert").filter(has_text="The phase did not change")
    expect(summary).to_be_visible()
    unmet = summary.get_by_role("listitem")
    expect(unmet.first).to_contain_text("domains")
    message = unmet.first.inner_text()
    # Said once, and at the top: in view without scrolling, above the form it came from.
    assert page.get_by_role("main").inner_text().count(message) == 1
    box = summary.bounding_box()
    assert box["y"] + box["height"] <= page.viewport_size["height"]
    assert box["y"] < page.locator("#promote-form").bounding_box()["y"]
    expect(page.get_by_label("Why it moves on")).to_have_value("It feels ready to us.")
    assert page.evaluate(WIDTH) <= PHONE
    assert not axe(page), describe(axe(page))
    assert Factor.objects.get(pk=factor.pk).phase.slug == "alpha"
    assert not PhaseChange.objects.exists()
    # Chromium logs the 400 status itself as a console error: expected here, nothing else.
    page.console_errors[:] = [e for e in page.console_errors if "status of 400" not in e]

"""A visitor's journeys through the public pages, in a real browser."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_visitor_goes_from_home_to_a_factor_then_to_sign_up(page, url, shoot, framework):
    page.goto(url("home"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("12-Factor AgentOps")
    shoot(page, "home")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Factors").click()
    expect(page).to_have_url(url("factors:list"))
    expect(page.get_by_role("heading", name="The twelve factors")).to_be_visible()
    shoot(page, "factor-list")

    factor = framework[4]
    page.get_by_role("link", name=f"{factor.roman}. {factor.title}").click()
    expect(page).to_have_url(url("factors:detail", factor.slug))
    expect(page.get_by_role("heading", level=1)).to_have_text(factor.title)
    # (The badge snippets further down name the factor too: look at the page's own label.)
    expect(page.locator("article.factor .eyebrow")).to_contain_text(f"Factor {factor.roman}")
    shoot(page, "factor-detail")

    page.get_by_role("navigation", name="Account").get_by_role("link", name="Sign up").click()
    expect(page).to_have_url(url("account_signup"))
    expect(page.get_by_label("Email")).to_be_visible()
    shoot(page, "sign-up")

"""Everything works by keyboard: the skip link first, forms without a mouse."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _focused(page):
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name'),
                    text: (el.innerText || '').trim(), outline: getComputedStyle(el).outlineStyle};
        }"""
    )


def _tab_to(page, predicate, limit=40):
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if predicate(focused):
            return focused
    raise AssertionError(f"not reachable with Tab within {limit} presses")


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, url, framework):
    page.goto(url("factors:list"))
    page.keyboard.press("Tab")
    first = _focused(page)
    assert first["tag"] == "a"
    assert first["text"] == "Skip to main content"
    # The focused skip link is on screen and has a visible focus indicator.
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_in_viewport()
    assert first["outline"] != "none"
    page.keyboard.press("Enter")
    assert _focused(page)["id"] == "main"
    # The next Tab stop is inside main, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")


def test_sign_in_form_works_by_keyboard_alone(page, url, member):
    page.goto(url("account_login"))
    _tab_to(page, lambda f: f["name"] == "login")
    page.keyboard.type(member.email)
    page.keyboard.press("Tab")
    assert _focused(page)["name"] == "password"
    page.keyboard.type("correct horse battery staple")
    page.keyboard.press("Enter")
    account = page.get_by_role("navigation", name="Account")
    expect(account.get_by_role("button", name="Sign out")).to_be_visible()
    expect(account).to_contain_text(member.public_name)


def test_a_draft_can_be_written_and_saved_by_keyboard_alone(page, url, member, framework):
    from tests.browser.test_evidence_journeys import sign_in
    from tests.factories import DomainFactory

    DomainFactory(name="Aviation")
    sign_in(page, url, member.email)
    page.goto(url("cases:submission_create", "case_study"))
    _tab_to(page, lambda f: f["name"] == "title")
    page.keyboard.type("Typed without a mouse")
    _tab_to(page, lambda f: f["name"] == "domain")
    page.keyboard.press("ArrowDown")  # the first domain
    expect(page.get_by_label("Domain")).to_have_value(re.compile(r"\d+"))
    for _ in range(20):  # back to the title, then Enter saves the draft
        if _focused(page)["name"] == "title":
            break
        page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Draft saved")
    expect(page.get_by_label("Title")).to_have_value("Typed without a mouse")

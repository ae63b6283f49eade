"""Writing evidence in a real browser: only applied factors ask for notes (with and without
JavaScript: it is CSS), the preview is the page as published, and the revisions page shows what
an edit changed in the site's words (issue 16)."""

import re

import pytest
from playwright.sync_api import expect

from cases.models import CaseStudy, State
from tests.browser.conftest import PHONE, describe
from tests.browser.test_evidence_journeys import sign_in
from tests.factories import DomainFactory, UserFactory

pytestmark = pytest.mark.browser

WIDTH = "() => document.documentElement.scrollWidth"


def visible_notes(page) -> list[str]:
    """The names of the note boxes a person can see."""
    return page.eval_on_selector_all(
        "textarea[name^='note_']",
        "els => els.filter(e => e.checkVisibility()).map(e => e.name)",
    )


def fill_the_rest(page, domain):
    page.get_by_label("Title").fill("Night-shift agents under tracing")
    page.get_by_label("Summary").fill("Two factors on night-shift triage agents.")
    page.get_by_label(re.compile(r"^Domain:?$")).select_option(label=domain.name)
    page.get_by_label("Deployment").select_option("production")
    page.get_by_label("Duration (months)").fill("120")
    page.get_by_label("Context and constraints").fill("Three wards, one night team.")
    page.get_by_label("What was done").fill("We *traced* every call.")
    page.get_by_label("Results").fill("Fewer pages at night.")
    page.get_by_label("Lessons").fill("Trace first.")
    page.get_by_label(re.compile(r"^Metric:?$")).first.select_option(
        label="Other (shown, not added up)"
    )
    page.get_by_label("Name (needed for Other)").first.fill("pages per night")
    page.get_by_label("Before").first.fill("120")
    page.get_by_label("After").first.fill("35")


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_only_applied_factors_ask_for_notes(new_page, url, shoot, framework, javascript):
    author = UserFactory(display_name="Ada Lovelace")
    domain = DomainFactory(name="Healthcare")
    page = new_page(java_script_enabled=javascript)
    sign_in(page, url, author.email)
    page.goto(url("cases:submission_create", kind="case-study"))

    # Nothing applied yet: no note box, and no answer chosen for the deployment.
    assert visible_notes(page) == []
    expect(page.get_by_label("Deployment")).to_have_value("")

    # Applying a factor opens its note, and only its note.
    page.get_by_label("Factor I: ").select_option("worked")
    page.get_by_label("Factor VII: ").select_option("failed")
    assert visible_notes(page) == ["note_1", "note_7"]
    page.get_by_label("Note on Factor I (optional)").fill("Traces on every call.")
    # Taking a factor back folds its empty note; a note with text stays in view.
    page.get_by_label("Factor VII: ").select_option("")
    page.get_by_label("Factor I: ").select_option("")
    assert visible_notes(page) == ["note_1"]
    page.get_by_label("Factor I: ").select_option("worked")
    if javascript:
        shoot(page, "submit-form-applied-notes")

    # The deployment must be chosen: the message sits by the field, nothing typed is lost.
    fill_the_rest(page, domain)
    page.get_by_label("Deployment").select_option("")
    page.get_by_role("button", name="Submit for review").click()
    deployment_error = page.get_by_text("Choose whether it runs in production or is a pilot.")
    expect(deployment_error).to_be_visible()
    expect(page.get_by_label("Note on Factor I (optional)")).to_have_value("Traces on every call.")
    assert visible_notes(page) == ["note_1"]
    assert not CaseStudy.objects.exists()

    page.get_by_label("Deployment").select_option("production")
    page.get_by_role("button", name="Submit for review").click()
    expect(page).to_have_url(url("cases:my_submissions"))
    item = CaseStudy.objects.get()
    assert item.state == State.SUBMITTED and item.deployment == "production"
    assert [(a.factor.number, a.outcome, a.note) for a in item.applications.all()] == [
        (1, "worked", "Traces on every call.")
    ]


def test_the_preview_is_the_page_as_published(page, url, shoot, axe, framework):
    author = UserFactory(display_name="Ada Lovelace")
    domain = DomainFactory(name="Healthcare")
    sign_in(page, url, author.email)
    page.goto(url("cases:submission_create", kind="case-study"))
    fill_the_rest(page, domain)
    page.get_by_label("Factor I: ").select_option("worked")
    page.get_by_role("button", name="Preview").click()

    preview = page.locator("section.preview")
    expect(preview.get_by_text("Preview — not published.")).to_be_visible()
    expect(preview.get_by_role("heading", level=2).first).to_have_text(
        "Night-shift agents under tracing"
    )
    expect(preview).to_contain_text("By Ada Lovelace")
    expect(preview.get_by_role("heading", name="Factors applied")).to_be_visible()
    expect(preview.locator("em", has_text="traced")).to_be_visible()
    expect(preview.get_by_role("rowheader", name="pages per night")).to_be_visible()
    assert not CaseStudy.objects.exists()  # nothing saved
    violations = axe(page)
    assert not violations, describe(violations)
    page.set_viewport_size({"width": PHONE, "height": 900})
    assert page.evaluate(WIDTH) <= PHONE
    shoot(page, "submit-preview")


def test_the_revisions_page_shows_what_an_edit_changed(new_page, url, shoot, axe, framework):
    author = UserFactory(display_name="Ada Lovelace")
    domain = DomainFactory(name="Healthcare")
    page = new_page()
    sign_in(page, url, author.email)
    page.goto(url("cases:submission_create", kind="case-study"))
    fill_the_rest(page, domain)
    page.get_by_label("Factor I: ").select_option("worked")
    page.get_by_role("button", name="Save draft", exact=True).last.click()
    expect(page.get_by_role("status")).to_contain_text("Draft saved")

    # The author shortens the duration and changes a number, then looks at the versions.
    page.get_by_label("Duration (months)").fill("35")
    page.get_by_label("After").first.fill("20.5")
    page.get_by_role("button", name="Save draft", exact=True).last.click()
    expect(page.get_by_role("status")).to_contain_text("Draft saved")
    page.get_by_role("link", name="View it and its history").click()
    page.get_by_role("link", name="Earlier versions").click()

    version = page.locator("section.revision").first
    expect(version.get_by_role("heading", name="Changed in the current version")).to_be_visible()
    terms = version.locator(".revision-diff dt")
    expect(terms).to_have_text(["Duration (months)", "Quantified results"])
    duration = version.locator(".revision-diff dd").first
    expect(duration.locator("del")).to_have_text("removed: 120")
    expect(duration.locator("ins")).to_have_text("added: 35")
    # The words "removed" and "added" are there for screen readers, hidden on screen; the
    # marks are not colour only: struck through and underlined.
    assert (
        duration.locator("del .visually-hidden")
        .evaluate("e => getComputedStyle(e).clipPath")
        .startswith("inset")
    )
    assert "line-through" in duration.locator("del").evaluate(
        "e => getComputedStyle(e).textDecorationLine"
    )
    assert "underline" in duration.locator("ins").evaluate(
        "e => getComputedStyle(e).textDecorationLine"
    )
    expect(version).not_to_contain_text("35.000")
    expect(version).not_to_contain_text("Duration months")
    expect(version.locator(".revision-diff")).to_contain_text(
        re.compile(r"pages per night( \[[a-z-]+\])?: 120 →")
    )

    # The earlier version, whole, is one click away.
    whole = version.locator("details.revision-whole")
    expect(whole.locator("dl")).to_be_hidden()
    whole.locator("summary").click()
    expect(whole.locator("dl")).to_contain_text("Duration (months)")
    violations = axe(page)
    assert not violations, describe(violations)
    page.set_viewport_size({"width": PHONE, "height": 900})
    assert page.evaluate(WIDTH) <= PHONE
    shoot(page, "revision-diff")

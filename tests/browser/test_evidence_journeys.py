"""From a newcomer's first visit to published evidence that moves a factor's measures."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from cases.models import CaseStudy, State
from tests.factories import DomainFactory, FailureReportFactory

pytestmark = pytest.mark.browser

PASSWORD = "a long enough pass 42"


def sign_in(page, url, email, password="correct horse battery staple", totp_secret=None):
    page.goto(url("account_login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(password)
    page.get_by_role("button", name="Sign in").click()
    if totp_secret:
        # Second step: the code from the authenticator app. A code is valid for its 30 s
        # window only: never type one that is about to expire.
        if time.time() % 30 > 20:
            time.sleep(30 - time.time() % 30 + 0.5)
        code = format_hotp_value(hotp_value(totp_secret, int(time.time()) // 30))
        page.get_by_role("main").get_by_role("textbox").fill(code)
        page.get_by_role("main").get_by_role("button").first.click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def with_authenticator_app(user):
    """Enrol TOTP for user, as the setup page would; returns the secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def domains_measure(page, url, factor):
    """The factor page's `domains` measure, as a visitor reads it."""
    page.goto(url("factors:detail", factor.slug))
    href = reverse("factors:evidence", args=[factor.slug, "domains"])
    return int(page.locator(f'a[href="{href}"]').first.inner_text())


def sign_up_and_verify(page, url, shoot, email):
    page.goto(url("home"))
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Sign up").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Your name").fill("Nia Newcomer")
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^Password \(again\):?$")).fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verify")
    shoot(page, "verify-email-sent")

    message = next(m for m in reversed(mail.outbox) if email in m.to)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    page.goto(url("home").rstrip("/") + "/" + link.split("://", 1)[1].split("/", 1)[1])
    page.get_by_role("button", name="Confirm").click()
    # Confirming in the browser that signed up also signs in.
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def fill_case_study(page, *, title, domain, factors):
    page.get_by_label("Title").fill(title)
    page.get_by_label("Summary").fill("Two factors applied to port-scheduling agents.")
    page.get_by_label("Domain").select_option(label=domain.name)
    page.get_by_label("Deployment").select_option("production")
    page.get_by_label("Context and constraints").fill("Berth planning agents at three ports.")
    page.get_by_label("What was done").fill("We *tracked* every call and measured everything.")
    page.get_by_label("Results").fill("Incidents went down.")
    page.get_by_label("Lessons").fill("Start with tracking.")
    for factor in factors:
        page.get_by_label(f"Factor {factor.roman}: {factor.title}").select_option("worked")
    page.get_by_label("Attribute to me by name").check()


def test_newcomer_submits_maintainer_reviews_author_resubmits_and_it_is_published(
    new_page, url, shoot, framework, maintainer, settings
):
    # As in production: the maintainer needs two-factor authentication to review.
    settings.MAINTAINER_REQUIRE_MFA = True
    secret = with_authenticator_app(maintainer)
    domain = DomainFactory(name="Maritime logistics")  # no evidence in it yet
    tracking, measuring = framework[1], framework[5]
    title = "Port scheduling agents under full tracking"

    visitor = new_page()
    before = domains_measure(visitor, url, tracking)

    # A newcomer signs up, verifies the address and submits a case study in a new domain.
    author = new_page()
    sign_up_and_verify(author, url, shoot, "newcomer@example.org")
    author.get_by_role("navigation", name="Main").get_by_role("link", name="Submit").click()
    author.get_by_role("link", name="Write a case study").click()
    fill_case_study(author, title=title, domain=domain, factors=[tracking, measuring])
    shoot(author, "submit-case-study")
    author.get_by_role("button", name="Submit for review").click()

    expect(author).to_have_url(url("cases:my_submissions"))
    entry = author.locator(".evidence-item", has_text=title)
    expect(entry.locator(".state")).to_have_text("Submitted")
    shoot(author, "my-submissions")
    case = CaseStudy.objects.get(title=title)
    assert case.state == State.SUBMITTED
    assert {a.factor_id for a in case.applications.all()} == {tracking.pk, measuring.pk}

    # A maintainer asks for changes.
    reviewer = new_page()
    sign_in(reviewer, url, maintainer.email, totp_secret=secret)
    reviewer.get_by_role("link", name="Review queue").click()
    shoot(reviewer, "review-queue")
    reviewer.get_by_role("link", name=title).click()
    shoot(reviewer, "review-item")
    reviewer.get_by_label("Request changes").check()
    reviewer.get_by_label("Comment for the author").fill("Please add numbers to the results.")
    reviewer.get_by_role("button", name="Record the decision").click()
    expect(reviewer.get_by_role("status")).to_contain_text("Decision recorded")
    expect(reviewer.get_by_role("link", name=title)).to_have_count(0)  # off the queue

    # The author sees the comment, edits and submits again.
    author.goto(url("cases:my_submissions"))
    entry = author.locator(".evidence-item", has_text=title)
    expect(entry.locator(".state")).to_have_text("Changes requested")
    expect(entry).to_contain_text("Please add numbers to the results.")
    entry.get_by_role("link", name="Edit").click()
    author.get_by_label("Results").fill("Incidents went from 9 a week to 2.")
    author.get_by_role("button", name="Submit for review").click()
    expect(author.locator(".evidence-item", has_text=title).locator(".state")).to_have_text(
        "Submitted"
    )

    # The maintainer publishes.
    reviewer.get_by_role("link", name="Review queue").click()
    reviewer.get_by_role("link", name=title).click()
    expect(reviewer.get_by_text("Incidents went from 9 a week to 2.")).to_be_visible()
    reviewer.get_by_label("Publish").check()
    reviewer.get_by_label("Comment for the author").fill("Thank you: published.")
    reviewer.get_by_role("button", name="Record the decision").click()
    expect(reviewer.get_by_role("status")).to_contain_text("Decision recorded")
    case.refresh_from_db()
    assert case.state == State.PUBLISHED

    # Public now: on its domain page, in search, in the feed; the factor's domains measure
    # went up by one.
    visitor.goto(url("cases:domain_list"))
    visitor.get_by_role("main").get_by_role("link", name=domain.name).click()
    expect(visitor.get_by_role("heading", level=1)).to_contain_text(domain.name)
    shoot(visitor, "domain-page")
    listed = visitor.get_by_role("main").get_by_role("link", name=title)
    expect(listed).to_have_count(2)  # under each of the two factors it applied
    listed.first.click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(title)
    shoot(visitor, "case-study-published")

    visitor.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    visitor.get_by_label("Search case studies, adaptations and failure reports").fill(
        "port scheduling"
    )
    visitor.get_by_role("button", name="Search").click()
    expect(visitor.get_by_role("main").get_by_role("link", name=title)).to_be_visible()
    shoot(visitor, "search-results")

    feed = visitor.request.get(url("opendata:feed_latest"))
    assert feed.ok and "atom" in feed.headers["content-type"]
    assert title in feed.text()

    assert domains_measure(visitor, url, tracking) == before + 1
    shoot(visitor, "factor-after-publication")


def test_visitor_filters_failures_by_domain_and_severity_then_follows_the_factor(
    page, url, shoot, framework
):
    support, retail = DomainFactory(name="Customer support"), DomainFactory(name="Retail")
    wanted = FailureReportFactory(
        title="Refund agent looped overnight",
        domain=support,
        severity="critical",
        factors=[framework[11]],
    )
    FailureReportFactory(title="Typo in a greeting", domain=support, severity="low")
    FailureReportFactory(title="Checkout agent froze", domain=retail, severity="critical")

    page.goto(url("home"))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Failures").click()
    expect(page.get_by_role("main").get_by_role("heading", level=2)).to_have_count(4)  # + filters
    page.get_by_label("Domain").select_option(label="Customer support")
    page.get_by_label("Severity").select_option(label="Critical")
    page.get_by_role("button", name="Show failure reports").click()

    results = page.locator(".evidence-list")
    expect(results.get_by_role("link", name=wanted.title)).to_be_visible()
    expect(results.get_by_role("link", name="Typo in a greeting")).to_have_count(0)
    expect(results.get_by_role("link", name="Checkout agent froze")).to_have_count(0)
    expect(page.get_by_label("Severity")).to_have_value("critical")  # the filters are kept
    shoot(page, "failures-filtered")

    results.get_by_role("link", name=wanted.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(wanted.title)
    shoot(page, "failure-detail")
    factor = framework[11]
    page.get_by_role("main").locator(f'a[href="{factor.get_absolute_url()}"]').first.click()
    expect(page).to_have_url(url("factors:detail", factor.slug))
    expect(page.get_by_role("heading", level=1)).to_have_text(factor.title)

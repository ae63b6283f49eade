"""The community pages in a real browser: a feedback journey, and axe over every page."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from community.models import Flag, Reply, Thread
from community.notifications import notify, unsubscribe_token
from tests.browser.conftest import describe
from tests.browser.test_evidence_journeys import sign_in
from tests.factories import CaseStudyFactory, ReplyFactory, ThreadFactory, UserFactory

pytestmark = pytest.mark.browser


def test_a_member_challenges_a_factor_and_another_replies(page, new_page, url, framework):
    factor = framework[4]
    challenger, replier = UserFactory(display_name="Chal Lenger"), UserFactory()
    sign_in(page, url, challenger.email)
    page.goto(url("factors:detail", factor.slug))
    page.get_by_role("link", name="Challenge, question or refine this factor").click()
    page.get_by_label("Challenge: This does not hold in my context.").check()
    page.get_by_label("Title").fill("Validation gates slow our hotfixes")
    page.get_by_label("Your feedback").fill("We skip them *under pressure*.")
    page.get_by_role("button", name="Open the thread").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Validation gates slow our hotfixes")
    expect(page.locator(".prose em")).to_have_text("under pressure")

    other = new_page()
    sign_in(other, url, replier.email)
    other.goto(url("community:thread_list") + "?kind=challenge")
    other.get_by_role("link", name="Validation gates slow our hotfixes").click()
    other.get_by_label("Your reply").fill("Same here: we added a fast lane.")
    other.get_by_role("button", name="Post the reply").click()
    expect(other.get_by_text("Same here: we added a fast lane.")).to_be_visible()

    # The challenger sees it in the inbox, counted in the header.
    page.goto(url("home"))
    expect(page.get_by_role("link", name="Inbox 1 unread")).to_be_visible()
    page.get_by_role("link", name="Inbox 1 unread").click()
    page.get_by_role("link", name="replied in").first.click()
    expect(page.get_by_text("Same here: we added a fast lane.")).to_be_visible()
    assert Reply.objects.count() == 1 and Thread.objects.count() == 1


def test_community_pages_have_no_serious_accessibility_violations(
    page, url, axe, framework, maintainer
):
    thread = ThreadFactory(factor=framework[2], author=maintainer, title="A question on II")
    ReplyFactory(thread=thread)
    hidden = ReplyFactory(thread=thread)
    Reply.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now(), hidden_reason="Rude")
    case = CaseStudyFactory(author=maintainer)
    Flag.objects.create(item=case, flagged_by=UserFactory(), reason="Looks invented")
    notify(recipients=[maintainer], kind="reply", subject="Someone replied", url="/feedback/")
    sign_in(page, url, maintainer.email)
    pages = {
        "factor page with feedback": url("factors:detail", framework[2].slug),
        "feedback list": url("community:thread_list"),
        "thread": url("community:thread_detail", thread.pk),
        "new thread": url("community:thread_create", framework[2].slug),
        "flag form": url("community:flag", "case_study", case.pk),
        "moderation": url("community:moderation"),
        "contributors": url("community:contributor_list"),
        "profile": url("community:contributor_detail", maintainer.pk),
        "settings": url("community:settings"),
        "delete account": url("community:delete_account"),
        "inbox": url("community:inbox"),
        "unsubscribed": url(
            "community:unsubscribe", unsubscribe_token(user=maintainer, kind="phase")
        ),
    }
    found = {}
    for name, address in pages.items():
        response = page.goto(address)
        assert response.status == 200, f"{name}: {response.status}"
        if violations := axe(page):
            found[name] = describe(violations)
    # A form sent with errors.
    page.goto(url("community:thread_create", framework[2].slug))
    page.get_by_role("button", name="Open the thread").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    if violations := axe(page):
        found["new thread with errors"] = describe(violations)
    assert not found, "\n".join(f"{name}:\n{text}" for name, text in found.items())

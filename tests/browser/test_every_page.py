"""Every page, as each person who can see it, at phone and desktop widths (issue 16's proof).

The list of pages comes from the URLconf: each URL name is either visited here (PAGES) or
excluded with its reason (EXCLUDED, EXCLUDED_NAMESPACES); a new URL name in neither fails
`test_every_url_name_is_visited_or_excluded`, so no page can be forgotten.

At 390 px and 1280 px each page must: answer as expected, be no wider than the viewport, cut no
text off (an element hiding its overflow whose content is larger than its box, or an ellipsis),
have no serious or critical axe-core violation and log no console error. One browser context per
person, signed in once; each page is loaded once at 390 px, checked, resized to 1280 px and checked
again (the site's pages run no script of their own, so a resized page lays out as one loaded at
that width); each page and width is a subtest.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.browser.conftest import DESKTOP, PHONE, describe
from tests.browser.test_evidence_journeys import sign_in

pytestmark = [pytest.mark.browser]

VISITOR, COLLABORATOR, MAINTAINER = "visitor", "collaborator", "maintainer"
PEOPLE = (VISITOR, COLLABORATOR, MAINTAINER)
WIDTHS = (PHONE, DESKTOP)

# Whole namespaces that are not pages of the site.
EXCLUDED_NAMESPACES = {
    "admin": "Django's admin, staff only: Django's own templates, not the site's pages",
    "api": "JSON API (its HTML docs page, api:openapi-view, is visited)",
    "api_unversioned": "the same API and docs as api:, without the version in the path",
}

# URL names that are not visited, with why.
EXCLUDED = {
    "healthz": "health check for the load balancer, plain text",
    # Actions: POST only (a GET answers 405).
    "factors:framework_promote": "POST only",
    "factors:framework_demote": "POST only",
    "factors:promote": "POST only (its preview is a POST answer; see test_promotion_journey)",
    "factors:demote": "POST only",
    "cases:submission_reconfirm": "POST only",
    "community:thread_reply": "POST only",
    "community:thread_decide": "POST only",
    "community:flag_hide": "POST only",
    "community:flag_dismiss": "POST only",
    "community:follow_factor": "POST only",
    "community:inbox_mark_read": "POST only",
    "community:resubscribe": "POST only",
    "failuremodes:addressed": "POST only",
    "failuremodes:reports": "POST only",
    "community:inbox_open": "a redirect to the notification's page (marks it read)",
    # Machine-readable: feeds, badges, CSV, sitemap.
    "opendata:robots_txt": "plain text",
    "opendata:sitemap": "XML",
    "opendata:feed_latest": "Atom feed",
    "opendata:feed_factor": "Atom feed",
    "opendata:feed_domain": "Atom feed",
    "opendata:badge_framework": "SVG badge",
    "opendata:badge_framework_json": "JSON badge",
    "opendata:badge_factor": "SVG badge",
    "opendata:badge_factor_json": "JSON badge",
    "opendata:maturity_csv": "CSV",
    "opendata:domain_outcomes_csv": "CSV",
    "opendata:improvement_csv": "CSV",
    "opendata:failure_modes_csv": "CSV",
    "opendata:casestudy_csv": "CSV",
    "opendata:adaptation_csv": "CSV",
    "opendata:failure_csv": "CSV",
    "opendata:reference_implementation_csv": "CSV",
    "outbox:dev_outbox": "development-only mail viewer (404 unless DEBUG)",
    # allauth steps reachable only in the middle of a flow, or with an authenticator app.
    "account_confirm_login_code": "sign-in by emailed code is off",
    "account_request_reauthentication_code": "re-authentication by emailed code is off",
    "account_confirm_reauthentication_code": "re-authentication by emailed code is off",
    "account_set_password": "redirects: every account here has a password",
    "mfa_authenticate": "second sign-in step, mid-flow (test_evidence_journeys signs in with it)",
    "mfa_reauthenticate": "needs an authenticator app enrolled",
    "mfa_deactivate_totp": "needs an authenticator app enrolled",
    "mfa_view_recovery_codes": "needs an authenticator app enrolled",
    "mfa_generate_recovery_codes": "needs an authenticator app enrolled",
    "mfa_download_recovery_codes": "a text file download",
}


@dataclass(frozen=True)
class Visit:
    person: str
    args: object = ()  # a tuple, or a function of the data set returning one
    query: str = ""
    status: int = 200
    label: str = ""
    ready: str = ""  # a selector to wait for, on a page drawn by script
    path: str = ""  # for a page no URL name gives (the error pages)


def _kind_pk(key):
    return lambda d: (type(d[key]).KIND, d[key].pk)


def _slug(key):
    return lambda d: (d[key].slug,)


def _pk(key):
    return lambda d: (d[key].pk,)


PAGES = {
    "home": [Visit(VISITOR), Visit(COLLABORATOR), Visit(MAINTAINER)],
    "factors:list": [Visit(VISITOR)],
    "factors:detail": [Visit(VISITOR, _slug("factor")), Visit(MAINTAINER, _slug("factor"))],
    "factors:evidence": [
        Visit(VISITOR, lambda d: (d["factor"].slug, "domains")),
        Visit(VISITOR, lambda d: (d["factor"].slug, "case_studies"), label="case studies"),
    ],
    "factors:domain_evidence": [Visit(VISITOR, lambda d: (d["factor"].slug, d["domain"].slug))],
    "maturity": [Visit(VISITOR), Visit(MAINTAINER)],
    "maturity_decide": [Visit(MAINTAINER)],
    "maturity_measures": [Visit(VISITOR)],
    "snapshot_detail": [Visit(VISITOR, _pk("snapshot"))],
    "cases:casestudy_list": [Visit(VISITOR)],
    "cases:casestudy_detail": [Visit(VISITOR, _slug("case"))],
    "cases:adaptation_list": [Visit(VISITOR)],
    "cases:adaptation_detail": [Visit(VISITOR, _slug("adaptation"))],
    "cases:failure_list": [
        Visit(VISITOR),
        Visit(VISITOR, query="?severity=high", label="filtered"),
    ],
    "cases:failure_detail": [Visit(VISITOR, _slug("failure"))],
    "cases:reference_implementation_list": [Visit(VISITOR)],
    "cases:reference_implementation_detail": [Visit(VISITOR, _slug("reference"))],
    "cases:domain_list": [Visit(VISITOR)],
    "cases:domain_detail": [Visit(VISITOR, _slug("domain"))],
    "cases:search": [Visit(VISITOR, query="?q=agent")],
    "cases:submit": [Visit(VISITOR), Visit(COLLABORATOR)],
    "cases:submission_create": [
        Visit(COLLABORATOR, ("case_study",)),
        Visit(COLLABORATOR, ("adaptation",)),
        Visit(COLLABORATOR, ("failure",)),
        Visit(COLLABORATOR, ("reference_implementation",)),
    ],
    "cases:my_submissions": [Visit(COLLABORATOR)],
    "cases:submission_detail": [
        Visit(COLLABORATOR, _kind_pk("draft")),
        Visit(COLLABORATOR, _kind_pk("submitted"), label="submitted"),
        Visit(COLLABORATOR, _kind_pk("changes"), label="changes requested"),
    ],
    "cases:submission_edit": [Visit(COLLABORATOR, _kind_pk("draft"))],
    "cases:submission_withdraw": [Visit(COLLABORATOR, _kind_pk("submitted"))],
    "cases:submission_revisions": [Visit(COLLABORATOR, _kind_pk("draft"))],
    "cases:review_queue": [Visit(MAINTAINER)],
    "cases:review_item": [
        Visit(MAINTAINER, _kind_pk("submitted")),
        Visit(MAINTAINER, _kind_pk("submitted_failure"), label="failure report"),
        Visit(MAINTAINER, _kind_pk("submitted_reference"), label="reference implementation"),
    ],
    "failuremodes:list": [Visit(VISITOR)],
    "failuremodes:detail": [Visit(VISITOR, _slug("mode"))],
    "failuremodes:manage": [Visit(MAINTAINER)],
    "failuremodes:create": [Visit(MAINTAINER)],
    "failuremodes:edit": [Visit(MAINTAINER, _slug("mode"))],
    "opendata:open_data": [Visit(VISITOR)],
    "api:openapi-view": [Visit(VISITOR, ready=".opblock-summary-method")],
    "accounts:two_factor_required": [Visit(MAINTAINER)],
    "community:thread_list": [Visit(VISITOR)],
    "community:thread_create": [Visit(COLLABORATOR, _slug("factor"))],
    "community:thread_detail": [
        Visit(VISITOR, _pk("thread")),
        Visit(COLLABORATOR, _pk("thread")),
        Visit(MAINTAINER, _pk("thread")),
    ],
    "community:reply_edit": [Visit(COLLABORATOR, _pk("reply"))],
    "community:flag": [Visit(COLLABORATOR, lambda d: ("thread", d["thread"].pk))],
    "community:moderation": [Visit(MAINTAINER)],
    "community:health": [Visit(VISITOR)],
    "community:contributor_list": [Visit(VISITOR)],
    "community:contributor_detail": [Visit(VISITOR, _pk("collaborator"))],
    "community:settings": [Visit(COLLABORATOR)],
    "community:delete_account": [Visit(COLLABORATOR)],
    "community:inbox": [Visit(COLLABORATOR)],
    "community:unsubscribe": [Visit(VISITOR, lambda d: (d["token"],))],
    "account_login": [Visit(VISITOR)],
    "account_logout": [Visit(COLLABORATOR)],
    "account_inactive": [Visit(VISITOR)],
    "account_signup": [Visit(VISITOR)],
    "account_reauthenticate": [Visit(COLLABORATOR)],
    "account_email": [Visit(COLLABORATOR)],
    "account_email_verification_sent": [Visit(VISITOR)],
    "account_change_password": [Visit(COLLABORATOR)],
    "account_reset_password": [Visit(VISITOR)],
    "account_reset_password_done": [Visit(VISITOR)],
    "account_reset_password_from_key": [
        Visit(VISITOR, ("zz", "no-such-key"), label="an expired link")
    ],
    "account_reset_password_from_key_done": [Visit(VISITOR)],
    "account_confirm_email": [Visit(VISITOR, ("no-such-key",), label="an expired link")],
    "mfa_index": [Visit(COLLABORATOR)],
    "mfa_activate_totp": [Visit(COLLABORATOR)],
}


# Pages without a URL name: the error pages, as a person meets them.
OTHER_PAGES = {
    "page not found": Visit(VISITOR, path="/no/such/page/", status=404),
    "forbidden (a collaborator at the review queue)": Visit(
        COLLABORATOR, path="/review/", status=403
    ),
}


def url_names():
    """Every named URL, namespaced as reverse() takes it."""

    def walk(resolver, namespace):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                yield from walk(pattern, f"{namespace}:{inner}".strip(":") if inner else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver(), ""))


def test_every_url_name_is_visited_or_excluded():
    names = url_names()
    unplaced = {
        name
        for name in names - set(PAGES) - set(EXCLUDED)
        if name.split(":")[0] not in EXCLUDED_NAMESPACES or name in PAGES
    }
    assert not unplaced, (
        f"Visit these in PAGES or exclude them with a reason in EXCLUDED: {sorted(unplaced)}"
    )
    stale = (set(PAGES) | set(EXCLUDED)) - names
    assert not stale, f"No longer URL names: {sorted(stale)}"
    assert not set(PAGES) & set(EXCLUDED)


@pytest.fixture
def site(framework, settings):
    """A little of everything: evidence of each kind, a metric, a failure mode, a snapshot, a
    feedback thread with a reply, a flag, a phase change, a draft with a revision and a
    submission waiting for review."""
    from cases.models import Metric, State
    from cases.services import submission_request_changes, submission_update
    from community.notifications import unsubscribe_token
    from community.services import flag_create, reply_create, thread_create
    from factors.history import snapshot_record
    from factors.services import factor_promote
    from failuremodes.services import failure_mode_create
    from tests.factories import (
        AdaptationFactory,
        CaseStudyFactory,
        DomainFactory,
        FailureReportFactory,
        QuantifiedResultFactory,
        ReferenceImplementationFactory,
        UserFactory,
    )

    settings.MAINTAINER_REQUIRE_MFA = False
    from accounts.services import user_grant_maintainer

    collaborator = UserFactory(display_name="Ada Collaborator")
    maintainer = user_grant_maintainer(user=UserFactory(display_name="Mo Maintainer"))
    factor = framework[1]
    domain = DomainFactory(name="Customer support")
    metric, _ = Metric.objects.get_or_create(
        slug="incident-rate",
        defaults={"name": "Incident rate", "better": "lower", "definition": "Incidents."},
    )
    case = CaseStudyFactory(
        title="Tracing every support agent call through a long-running deployment",
        author=collaborator,
        domain=domain,
        applied=[(factor, "worked"), (framework[5], "adapted"), (framework[11], "failed")],
        duration_months=14,
    )
    QuantifiedResultFactory(case_study=case, standard_metric=metric, before=10, after=6)
    QuantifiedResultFactory(case_study=case, metric="runaway runs per month", before=0, after=3)
    for name in ("Healthcare", "Telecommunications"):
        CaseStudyFactory(domain=DomainFactory(name=name), applied=[(factor, "worked")])
    adaptation = AdaptationFactory(factor=factor, domain=domain, author=collaborator)
    failure = FailureReportFactory(
        title="Refund agent looped overnight", domain=domain, factors=[framework[11]]
    )
    reference = ReferenceImplementationFactory(
        title="Open tracing harness",
        domain=domain,
        factors=[(factor, "Every call is traced.")],
        url="https://example.org/agentops/a-rather-long-path/to/the/reference-implementation",
    )
    mode = failure_mode_create(
        actor=maintainer,
        title="Agents loop without a budget",
        factors=[framework[11]],
        reports=[failure],
        what_happens="The agent retries *forever*.",
        detection="Cost alerts.",
        prevention="A step budget.",
    )
    factor_promote(
        factor=framework[2],
        by=maintainer,
        rationale="Demonstrated in production.",
        override=True,
        override_reason="Promoted for the page tour.",
    )
    snapshot = snapshot_record(reason="the page tour", now=timezone.now() - timedelta(days=1))
    draft = CaseStudyFactory(
        title="Our draft about retries",
        author=collaborator,
        domain=domain,
        state=State.DRAFT,
        submitted_at=None,
        applied=[(factor, "worked")],
    )
    submission_update(item=draft, actor=collaborator, fields={"title": "Our draft, retitled"})
    submitted = CaseStudyFactory(
        title="Waiting for a decision",
        author=collaborator,
        domain=domain,
        state=State.SUBMITTED,
        applied=[(factor, "worked")],
    )
    submitted_failure = FailureReportFactory(
        title="Our agent paged the on-call engineer forty times",
        author=collaborator,
        domain=domain,
        state=State.SUBMITTED,
        factors=[framework[11]],
    )
    submitted_reference = ReferenceImplementationFactory(
        title="A budget wrapper",
        author=collaborator,
        domain=domain,
        state=State.SUBMITTED,
        factors=[factor],
    )
    changes = AdaptationFactory(
        title="Sampling traces at night",
        author=collaborator,
        factor=factor,
        domain=domain,
        state=State.SUBMITTED,
    )
    submission_request_changes(
        item=changes,
        actor=maintainer,
        comment="Please add numbers, as in https://example.org/guides/a-long-address-for-numbers",
    )
    thread = thread_create(
        author=collaborator,
        factor=factor,
        kind="challenge",
        title="Does this hold for batch agents?",
        body="It did not for us: see https://example.org/a/very/long/link/that/never/breaks",
    )
    reply = reply_create(thread=thread, author=collaborator, body="More detail, with *emphasis*.")
    reply_create(thread=thread, author=maintainer, body="Thanks: could you add numbers?")
    flag_create(item=thread, user=maintainer, reason="Looks like spam to me.")
    return {
        "collaborator": collaborator,
        "maintainer": maintainer,
        "factor": factor,
        "domain": domain,
        "case": case,
        "adaptation": adaptation,
        "failure": failure,
        "reference": reference,
        "mode": mode,
        "snapshot": snapshot,
        "draft": draft,
        "submitted": submitted,
        "submitted_failure": submitted_failure,
        "submitted_reference": submitted_reference,
        "changes": changes,
        "thread": thread,
        "reply": reply,
        "token": unsubscribe_token(user=collaborator, kind="reply"),
    }


# axe rules a page may break, with why: only where the markup is a vendored library's.
AXE_ALLOWED = {
    "api:openapi-view": {
        "nested-interactive": "Swagger UI (vendored by django-ninja) draws each operation's deep"
        " link inside its expand button; the button itself is labelled and works by keyboard",
    },
}


# One script: what is wider than the viewport, and every element that cuts its text off.
LAYOUT = """() => {
  const hides = v => v === 'hidden' || v === 'clip';
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const clipped = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (!el.textContent.trim() || el.closest('.visually-hidden, [hidden], script, style')) continue;
    const s = getComputedStyle(el);
    if (s.display === 'none' || s.visibility === 'hidden') continue;
    // A 1 px box is the visually-hidden pattern: text kept for screen readers on purpose.
    if (el.clientWidth <= 1 || el.clientHeight <= 1) continue;
    const wide = el.scrollWidth > el.clientWidth + 1;
    const tall = el.scrollHeight > el.clientHeight + 1;
    const cut = (hides(s.overflowX) && wide) || (hides(s.overflowY) && tall) ||
      (s.textOverflow === 'ellipsis' && wide);
    if (cut) clipped.push(name(el) + ' "' + el.textContent.trim().slice(0, 60) + '"');
  }
  // What sticks out past the viewport: the innermost such elements, to name the culprit.
  const out = [...document.body.querySelectorAll('*')].filter(el =>
    el.getBoundingClientRect().right > window.innerWidth + 1 &&
    !el.closest('.visually-hidden'));
  const wide = out.filter(el => !out.some(other => other !== el && el.contains(other)))
    .slice(0, 5).map(el => name(el) + ' "' + el.textContent.trim().slice(0, 60) + '"');
  return {width: document.documentElement.scrollWidth, inner: window.innerWidth, clipped, wide};
}"""


def visits(data):
    """(label, person, path, status, ready, axe rules allowed) for every visit in PAGES."""
    for name, entries in PAGES.items():
        for visit in entries:
            args = visit.args(data) if callable(visit.args) else visit.args
            label = name + (f" ({visit.label})" if visit.label else "")
            path = reverse(name, args=args) + visit.query
            yield label, visit.person, path, visit.status, visit.ready, AXE_ALLOWED.get(name, {})
    for label, visit in OTHER_PAGES.items():
        yield label, visit.person, visit.path, visit.status, "", {}


@pytest.mark.parametrize("person", PEOPLE)
def test_every_page_fits_keeps_its_text_and_is_accessible(
    person, new_page, live_server, axe, site, subtests
):
    """Each page is loaded once per person and checked at both widths: the site's pages have
    no script, so a page resized to a width lays out as one loaded at that width."""
    page = new_page(width=PHONE)
    if person != VISITOR:
        sign_in(page, lambda name: live_server.url + reverse(name), site[person].email)
    mine = [v for v in visits(site) if v[1] == person]
    assert mine
    for label, _, path, status, ready, allowed in mine:
        del page.console_errors[:]
        page.set_viewport_size({"width": PHONE, "height": 900})
        response = page.goto(live_server.url + path)
        loaded = [] if response.status == status else [f"{path} answered {response.status}"]
        if ready:
            page.locator(ready).first.wait_for()
        for width in WIDTHS:
            with subtests.test(msg=f"{label} at {width}px as {person}"):
                if width != PHONE:
                    page.set_viewport_size({"width": width, "height": 900})
                layout = page.evaluate(LAYOUT)
                problems = list(loaded)
                if layout["width"] > layout["inner"]:
                    problems.append(
                        f"{layout['width']} px wide in a {layout['inner']} px viewport, past its"
                        f" edge: {layout['wide']}"
                    )
                problems += [f"text cut off: {element}" for element in layout["clipped"]]
                if violations := [v for v in axe(page) if v["id"] not in allowed]:
                    problems.append(describe(violations))
                # Chromium logs an error status itself as a console error: expected, nothing
                # else.
                problems += [e for e in page.console_errors if f"status of {status}" not in e]
                assert not problems, f"{path} at {width}px:\n" + "\n".join(problems)
        del page.console_errors[:]

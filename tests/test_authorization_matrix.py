"""Who gets what from every URL of the site: an authorization matrix.

Every URL pattern in the URLconf must have an entry in MATRIX (url name -> the expected
answer to a GET for each role), or this test fails naming it: a new page cannot go live
without someone deciding who may see it. Only the namespaces and URL names in EXCLUDED
are left out, each with its reason.

Pages that change something answer GET with 405; their entries also say who is refused an
(empty) POST, so the check behind require_POST is exercised too.

Expectations: an HTTP status (200, 403, 404, 405...), LOGIN (302 to the sign-in page,
coming back afterwards), or to("url-name") (302 to that page).
Roles: anonymous; member (signed in, verified, nothing authored); author (wrote the
draft and the published items); other (another member, who has a draft of their own);
maintainer (with two-factor authentication, MAINTAINER_REQUIRE_MFA on, as in production).
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import (
    AdaptationFactory,
    CaseStudyFactory,
    DomainFactory,
    FailureReportFactory,
    ReferenceImplementationFactory,
    ReplyFactory,
    ThreadFactory,
    UserFactory,
)

ROLES = ("anonymous", "member", "author", "other", "maintainer")
LOGIN = "login"


@dataclass(frozen=True)
class to:  # noqa: N801 - reads as an expectation: to("home")
    url_name: str


@dataclass
class Case:
    expect: dict[str, Any]
    kwargs: Any = None  # a function objects -> URL kwargs, for patterns with parameters
    label: str = ""
    # For pages that act on POST: the answer to an empty POST, for the roles that must be
    # refused (a role left out is not posted as, so nothing is changed by the test).
    post: dict[str, Any] | None = None


def everyone(status=200):
    return dict.fromkeys(ROLES, status)


def signed_in(status=200, anonymous=LOGIN):
    return {**dict.fromkeys(ROLES, status), "anonymous": anonymous}


def anonymous_only(signed_in_answer):
    return {**dict.fromkeys(ROLES, signed_in_answer), "anonymous": 200}


def maintainers_only(status=200):
    return {"anonymous": LOGIN, "member": 403, "author": 403, "other": 403, "maintainer": status}


def refused_unless_maintainer():
    """An empty POST from anyone but a maintainer: sign in first, or 403."""
    return {"anonymous": LOGIN, "member": 403, "author": 403, "other": 403}


def roles(**expect):
    missing = set(ROLES) - set(expect)
    assert not missing, f"roles missing: {missing}"
    return expect


def authors_own(**overrides):
    """A page about one person's submission: theirs to see; others get 404 (no leak)."""
    return {"anonymous": LOGIN, "member": 404, "author": 200, "other": 404, **overrides}


def submission(item):
    return {"kind": KIND_OF[type(item).__name__], "pk": item.pk}


@dataclass(frozen=True)
class to_submission:  # noqa: N801 - a redirect to the detail page of objects[key]
    key: str


KIND_OF = {
    "CaseStudy": "case_study",
    "Adaptation": "adaptation",
    "FailureReport": "failure",
    "ReferenceImplementation": "reference_implementation",
}


# Left out on purpose, with the reason. Everything else must be in MATRIX.
EXCLUDED = {
    "admin": "namespace: Django's admin checks is_staff and model permissions itself "
    "(admin:index is spot-checked below)",
}

MATRIX: dict[str, list[Case]] = {
    # --- operations: the load balancer's probe, public and without personal data
    "healthz": [Case(everyone())],
    # --- the framework
    "home": [Case(everyone())],
    "factors:list": [Case(everyone())],
    "factors:detail": [Case(everyone(), lambda o: {"slug": o["factor"].slug})],
    # --- evidence: published items are public; drafts answer 404 (never 403: no leak)
    "cases:casestudy_list": [Case(everyone())],
    "cases:casestudy_detail": [
        Case(everyone(), lambda o: {"slug": o["case"].slug}, "published"),
        Case(everyone(404), lambda o: {"slug": o["draft_case"].slug}, "draft"),
        Case(everyone(404), lambda o: {"slug": o["hidden_case"].slug}, "hidden"),
    ],
    "cases:adaptation_list": [Case(everyone())],
    "cases:adaptation_detail": [
        Case(everyone(), lambda o: {"slug": o["adaptation"].slug}, "published"),
        Case(everyone(404), lambda o: {"slug": o["draft_adaptation"].slug}, "draft"),
    ],
    "cases:failure_list": [Case(everyone())],
    "cases:failure_detail": [
        Case(everyone(), lambda o: {"slug": o["failure"].slug}, "published"),
        Case(everyone(404), lambda o: {"slug": o["draft_failure"].slug}, "draft"),
    ],
    "cases:reference_implementation_list": [Case(everyone())],
    "cases:reference_implementation_detail": [
        Case(everyone(), lambda o: {"slug": o["reference"].slug}, "published"),
        Case(everyone(404), lambda o: {"slug": o["draft_reference"].slug}, "draft"),
    ],
    "cases:domain_list": [Case(everyone())],
    "cases:domain_detail": [
        Case(everyone(), lambda o: {"slug": o["domain"].slug}),
        Case(everyone(404), lambda o: {"slug": "no-such-domain"}, "unknown"),
    ],
    # --- authoring: a person's own submissions; maintainers see them once submitted
    "cases:search": [Case(everyone())],
    "cases:submit": [Case(everyone())],
    "cases:submission_create": [
        Case(signed_in(), lambda o: {"kind": "case_study"}),
        Case(signed_in(), lambda o: {"kind": "reference_implementation"}, "reference"),
    ],
    "cases:my_submissions": [Case(signed_in())],
    "cases:submission_detail": [
        Case(authors_own(maintainer=404), lambda o: submission(o["draft_case"]), "draft"),
        Case(authors_own(maintainer=404), lambda o: submission(o["draft_reference"]), "draft ref"),
        Case(authors_own(maintainer=200), lambda o: submission(o["submitted_case"]), "submitted"),
    ],
    "cases:submission_edit": [
        Case(authors_own(maintainer=404), lambda o: submission(o["draft_case"]), "draft"),
        # Frozen while in review: the author is sent back to the item; maintainers never edit.
        Case(
            authors_own(author=to_submission("submitted_case"), maintainer=403),
            lambda o: submission(o["submitted_case"]),
            "submitted",
        ),
    ],
    "cases:submission_withdraw": [
        Case(authors_own(maintainer=404), lambda o: submission(o["draft_case"]), "draft"),
        Case(authors_own(maintainer=404), lambda o: submission(o["submitted_case"]), "submitted"),
    ],
    # Re-confirming published evidence: POST only, by its author or a maintainer; anyone
    # else meets 404 (the item's workflow is not theirs to know of).
    "cases:submission_reconfirm": [
        Case(
            signed_in(405),
            lambda o: submission(o["case"]),
            "published",
            post={"anonymous": LOGIN, "member": 404, "other": 404},
        ),
        Case(
            signed_in(405),
            lambda o: submission(o["draft_case"]),
            "draft",
            post={"anonymous": LOGIN, "member": 404, "other": 404, "maintainer": 404},
        ),
    ],
    "cases:submission_revisions": [
        Case(authors_own(maintainer=404), lambda o: submission(o["draft_case"]), "draft"),
        Case(authors_own(maintainer=200), lambda o: submission(o["submitted_case"]), "submitted"),
    ],
    # --- review: maintainers only (and with two-factor)
    "cases:review_queue": [Case(maintainers_only())],
    "cases:review_item": [
        Case(maintainers_only(), lambda o: submission(o["submitted_case"]), "submitted"),
        Case(maintainers_only(404), lambda o: submission(o["draft_case"]), "draft"),
    ],
    # --- failure modes: public when a report in them is published; kept by maintainers
    "failuremodes:list": [Case(everyone())],
    "failuremodes:detail": [
        Case(everyone(), lambda o: {"slug": o["mode"].slug}, "public"),
        # Its only report is a draft: not public, even to a maintainer (they edit it).
        Case(everyone(404), lambda o: {"slug": o["draft_mode"].slug}, "not public"),
    ],
    "failuremodes:manage": [Case(maintainers_only())],
    "failuremodes:create": [Case(maintainers_only())],
    "failuremodes:edit": [
        Case(maintainers_only(), lambda o: {"slug": o["mode"].slug}, "public"),
        Case(maintainers_only(), lambda o: {"slug": o["draft_mode"].slug}, "not public"),
        Case(maintainers_only(404), lambda o: {"slug": "no-such-mode"}, "unknown"),
    ],
    "failuremodes:addressed": [
        Case(everyone(405), lambda o: {"slug": o["mode"].slug}, post=refused_unless_maintainer())
    ],
    "failuremodes:reports": [
        Case(everyone(405), lambda o: {"slug": o["mode"].slug}, post=refused_unless_maintainer())
    ],
    # --- maturity: public pages; promotion and demotion by maintainers, by POST only
    "maturity": [Case(everyone())],
    "maturity_measures": [Case(everyone())],
    # The promotion ranking: maintainers only (it is where decisions are prepared).
    "maturity_decide": [Case(maintainers_only())],
    "snapshot_detail": [
        Case(everyone(), lambda o: {"pk": o["snapshot"].pk}),
        Case(everyone(404), lambda o: {"pk": o["snapshot"].pk + 1000}, "unknown"),
    ],
    "factors:evidence": [
        Case(everyone(), lambda o: {"slug": o["factor"].slug, "measure": "domains"}),
        Case(everyone(404), lambda o: {"slug": o["factor"].slug, "measure": "nope"}, "unknown"),
    ],
    "factors:domain_evidence": [
        Case(everyone(), lambda o: {"slug": o["factor"].slug, "domain_slug": o["domain"].slug})
    ],
    "factors:promote": [
        Case(everyone(405), lambda o: {"slug": o["factor"].slug}, post=refused_unless_maintainer())
    ],
    "factors:demote": [
        Case(everyone(405), lambda o: {"slug": o["factor"].slug}, post=refused_unless_maintainer())
    ],
    "factors:framework_promote": [Case(everyone(405), post=refused_unless_maintainer())],
    "factors:framework_demote": [Case(everyone(405), post=refused_unless_maintainer())],
    # --- open data: feeds, badges, CSV, the JSON API: public and published-only for everyone
    "opendata:open_data": [Case(everyone())],
    # For crawlers: public, and the sitemap lists published items only (tests/site).
    "opendata:robots_txt": [Case(everyone())],
    "opendata:sitemap": [Case(everyone())],
    "opendata:feed_latest": [Case(everyone())],
    "opendata:feed_factor": [
        Case(everyone(), lambda o: {"slug": o["factor"].slug}),
        Case(everyone(404), lambda o: {"slug": "no-such-factor"}, "unknown"),
    ],
    "opendata:feed_domain": [
        Case(everyone(), lambda o: {"slug": o["domain"].slug}),
        Case(everyone(404), lambda o: {"slug": "no-such-domain"}, "unknown"),
    ],
    "opendata:badge_framework": [Case(everyone())],
    "opendata:badge_factor": [
        Case(everyone(), lambda o: {"slug": o["factor"].slug}),
        Case(everyone(404), lambda o: {"slug": "no-such-factor"}, "unknown"),
    ],
    "opendata:badge_framework_json": [Case(everyone())],
    "opendata:badge_factor_json": [
        Case(everyone(), lambda o: {"slug": o["factor"].slug}),
        Case(everyone(404), lambda o: {"slug": "no-such-factor"}, "unknown"),
    ],
    "opendata:casestudy_csv": [Case(everyone())],
    "opendata:adaptation_csv": [Case(everyone())],
    "opendata:failure_csv": [Case(everyone())],
    "opendata:reference_implementation_csv": [Case(everyone())],
    "opendata:maturity_csv": [Case(everyone())],
    "opendata:improvement_csv": [Case(everyone())],
    "opendata:domain_outcomes_csv": [Case(everyone())],
    "opendata:failure_modes_csv": [Case(everyone())],
    "api:api-root": [Case(everyone(404))],  # ninja's root: nothing there, the docs are at docs
    "api:openapi-json": [Case(everyone())],
    "api:openapi-view": [Case(everyone())],
    "api:framework": [Case(everyone())],
    "api:factors": [Case(everyone())],
    "api:factor": [Case(everyone(), lambda o: {"slug": o["factor"].slug})],
    "api:metrics": [Case(everyone())],
    "api:domains": [Case(everyone())],
    "api:domain": [Case(everyone(), lambda o: {"slug": o["domain"].slug})],
    "api:case_studies": [Case(everyone())],
    "api:case_study": [
        Case(everyone(), lambda o: {"slug": o["case"].slug}, "published"),
        # The API serves published items only, even to their author or a maintainer.
        Case(everyone(404), lambda o: {"slug": o["draft_case"].slug}, "draft"),
        Case(everyone(404), lambda o: {"slug": o["hidden_case"].slug}, "hidden"),
        Case(everyone(404), lambda o: {"slug": o["submitted_case"].slug}, "submitted"),
    ],
    "api:adaptations": [Case(everyone())],
    "api:adaptation": [
        Case(everyone(), lambda o: {"slug": o["adaptation"].slug}, "published"),
        Case(everyone(404), lambda o: {"slug": o["draft_adaptation"].slug}, "draft"),
    ],
    "api:failures": [Case(everyone())],
    "api:failure": [
        Case(everyone(), lambda o: {"slug": o["failure"].slug}, "published"),
        Case(everyone(404), lambda o: {"slug": o["draft_failure"].slug}, "draft"),
    ],
    "api:failure_modes": [Case(everyone())],
    "api:failure_mode": [
        Case(everyone(), lambda o: {"slug": o["mode"].slug}, "public"),
        Case(everyone(404), lambda o: {"slug": o["draft_mode"].slug}, "not public"),
    ],
    "api:reference_implementations": [Case(everyone())],
    "api:reference_implementation": [
        Case(everyone(), lambda o: {"slug": o["reference"].slug}, "published"),
        Case(everyone(404), lambda o: {"slug": o["draft_reference"].slug}, "draft"),
    ],
}
# The same API at its unversioned address (/api/, kept working): the same answers.
MATRIX.update(
    {
        f"api_unversioned:{name.removeprefix('api:')}": cases
        for name, cases in MATRIX.items()
        if name.startswith("api:")
    }
)
MATRIX |= {
    # --- community: feedback, flags, moderation, contributors, settings, inbox
    "community:thread_list": [Case(everyone())],
    "community:thread_create": [Case(signed_in(), lambda o: {"factor_slug": o["factor"].slug})],
    "community:thread_detail": [
        Case(everyone(), lambda o: {"pk": o["thread"].pk}, "open"),
        Case(
            {**everyone(410), "maintainer": 200},
            lambda o: {"pk": o["hidden_thread"].pk},
            "hidden",
        ),
    ],
    "community:thread_reply": [Case(signed_in(405), lambda o: {"pk": o["thread"].pk})],
    "community:thread_decide": [
        Case(
            maintainers_only(405),
            lambda o: {"pk": o["thread"].pk},
            post=refused_unless_maintainer(),
        )
    ],
    "community:reply_edit": [
        Case(
            roles(anonymous=LOGIN, member=403, author=200, other=403, maintainer=403),
            lambda o: {"pk": o["reply"].pk},
        )
    ],
    "community:flag": [
        Case(signed_in(), lambda o: {"kind": "thread", "pk": o["thread"].pk}, "thread"),
        Case(signed_in(), lambda o: {"kind": "case_study", "pk": o["case"].pk}, "published"),
        Case(signed_in(404), lambda o: {"kind": "case_study", "pk": o["draft_case"].pk}, "draft"),
    ],
    "community:moderation": [Case(maintainers_only())],
    "community:flag_hide": [
        Case(
            maintainers_only(405), lambda o: {"pk": o["flag"].pk}, post=refused_unless_maintainer()
        )
    ],
    "community:flag_dismiss": [
        Case(
            maintainers_only(405), lambda o: {"pk": o["flag"].pk}, post=refused_unless_maintainer()
        )
    ],
    "community:health": [Case(everyone())],
    "community:contributor_list": [Case(everyone())],
    "community:contributor_detail": [
        Case(everyone(), lambda o: {"pk": o["thread"].author_id}),
        Case(everyone(404), lambda o: {"pk": 987654}, "unknown"),
    ],
    "community:settings": [Case(signed_in())],
    "community:delete_account": [Case(signed_in())],
    "community:follow_factor": [Case(signed_in(405), lambda o: {"slug": o["factor"].slug})],
    "community:inbox": [Case(signed_in())],
    "community:inbox_mark_read": [Case(signed_in(405))],
    "community:inbox_open": [
        Case(
            {**signed_in(404), "author": to("community:inbox")},
            lambda o: {"pk": o["notification"].pk},
        )
    ],
    "community:unsubscribe": [
        Case(everyone(), lambda o: {"token": o["token"]}, "valid"),
        Case(everyone(400), lambda o: {"token": o["token"][:-2] + "xx"}, "tampered"),
    ],
    "community:resubscribe": [Case(everyone(405), lambda o: {"token": o["token"]})],
    # --- development only: the outbox exists while DEBUG is on (tests/outbox shows it then);
    # here, as in production, it is not there for anyone
    "outbox:dev_outbox": [Case(everyone(404))],
    # --- our account pages
    "accounts:two_factor_required": [Case(signed_in())],
    # --- allauth: signing in and out, sign-up, password, email, two-factor
    "account_login": [Case(anonymous_only(to("home")))],
    "account_logout": [Case(signed_in(anonymous=to("home")))],
    "account_inactive": [Case(everyone())],
    "account_signup": [Case(anonymous_only(to("home")))],
    "account_reauthenticate": [Case(signed_in())],
    # Confirming it is you by an emailed code (allauth 65.22): ACCOUNT_REAUTHENTICATION_METHODS
    # leaves it out (password or authenticator only), so it is refused to everyone signed in.
    "account_request_reauthentication_code": [Case(signed_in(403))],
    "account_confirm_reauthentication_code": [Case(signed_in(403))],
    "account_email": [Case(signed_in())],
    "account_email_verification_sent": [Case(everyone())],
    "account_change_password": [Case(signed_in())],
    "account_set_password": [Case(signed_in(to("account_change_password")))],
    "account_reset_password": [Case(everyone())],
    "account_reset_password_done": [Case(everyone())],
    "account_reset_password_from_key": [
        Case(everyone(), lambda o: {"uidb36": "zz", "key": "not-a-key"}, "bad key")
    ],
    "account_reset_password_from_key_done": [Case(everyone())],
    # No sign-in under way: back to the start (signed-in people go home).
    "account_confirm_login_code": [Case(signed_in(to("home"), anonymous=to("account_login")))],
    "account_confirm_email": [Case(everyone(), lambda o: {"key": "not-a-key"}, "bad key")],
    "mfa_index": [Case(signed_in())],
    "mfa_authenticate": [Case(signed_in(to("home"), anonymous=to("account_login")))],
    # Only the maintainer has an authenticator app; the others confirm with a password.
    "mfa_reauthenticate": [Case({**signed_in(to("account_reauthenticate")), "maintainer": 200})],
    "mfa_activate_totp": [Case(signed_in(to("account_reauthenticate")))],
    "mfa_deactivate_totp": [
        Case({**signed_in(404), "maintainer": to("account_reauthenticate")})  # nothing to remove
    ],
    "mfa_view_recovery_codes": [Case(signed_in(404))],  # none generated in these fixtures
    "mfa_generate_recovery_codes": [Case(signed_in(to("account_reauthenticate")))],
    "mfa_download_recovery_codes": [Case(signed_in(404))],
}

# Spot checks inside EXCLUDED namespaces.
SPOT_CHECKS: dict[str, list[Case]] = {
    "admin:index": [
        Case(
            roles(
                anonymous=to("admin:login"),
                member=to("admin:login"),
                author=to("admin:login"),
                other=to("admin:login"),
                maintainer=200,
            )
        )
    ],
}


def url_patterns(patterns=None, namespace=None, prefix=""):
    """(name, route, pattern) for every URL pattern, following includes; names namespaced."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from url_patterns(pattern.url_patterns, ns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name, prefix + str(pattern.pattern), namespace


def is_excluded(name, namespace):
    top = (namespace or "").split(":")[0]
    return top in EXCLUDED or name in EXCLUDED


def unlisted():
    """URL patterns that are neither in MATRIX nor EXCLUDED, as messages."""
    missing = []
    for name, route, namespace in url_patterns():
        if is_excluded(name, namespace):
            continue
        if not name:
            missing.append(f"unnamed pattern {route!r}: give it a name and a MATRIX entry")
        elif name not in MATRIX:
            missing.append(f"{name} ({route}): add it to MATRIX in {__name__}")
    return missing


def test_every_url_pattern_has_an_entry_in_the_matrix():
    missing = unlisted()
    assert not missing, "URLs without an authorization entry:\n" + "\n".join(missing)


@pytest.mark.urls("tests.security.urls_maintainer")
def test_a_new_url_without_an_entry_is_reported_by_name():
    assert unlisted() == [f"queue (queue/): add it to MATRIX in {__name__}"]


def test_matrix_has_no_stale_entries():
    names = {name for name, _, _ in url_patterns()}
    stale = sorted(set(MATRIX) - names)
    assert not stale, f"MATRIX names URLs that no longer exist: {stale}"


@pytest.fixture
def people(db):
    return make_people()


@pytest.fixture
def objects(framework, people):
    return make_objects(people)


def make_people():
    from allauth.mfa.models import Authenticator

    from accounts.services import user_grant_maintainer

    maintainer = user_grant_maintainer(user=UserFactory())
    Authenticator.objects.create(
        user=maintainer, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    return {
        "anonymous": None,
        "member": UserFactory(),
        "author": UserFactory(),
        "other": UserFactory(),
        "maintainer": maintainer,
    }


def make_objects(people):
    """One of everything the matrix needs, by the author (and a draft by the other member)."""
    from django.core.management import call_command
    from django.utils import timezone

    from community.models import Flag, Notification
    from community.notifications import unsubscribe_token
    from factors.history import snapshot_record
    from factors.models import Factor

    if not Factor.objects.exists():
        call_command("load_framework", verbosity=0)
    framework = {f.number: f for f in Factor.objects.with_phase()}
    author, other = people["author"], people["other"]
    domain = DomainFactory()
    draft = {"state": "draft", "submitted_at": None}
    CaseStudyFactory(author=other, **draft)
    objects = {
        "factor": framework[1],
        "domain": domain,
        "case": CaseStudyFactory(author=author, domain=domain, applied=[(framework[1], "worked")]),
        "draft_case": CaseStudyFactory(author=author, domain=domain, **draft),
        "submitted_case": CaseStudyFactory(author=author, domain=domain, state="submitted"),
        "hidden_case": CaseStudyFactory(
            author=author, hidden_at=timezone.now(), hidden_reason="Spam"
        ),
        "adaptation": AdaptationFactory(author=author, factor=framework[2]),
        "draft_adaptation": AdaptationFactory(author=author, factor=framework[2], **draft),
        "failure": FailureReportFactory(author=author, factors=[framework[3]]),
        "draft_failure": FailureReportFactory(author=author, factors=[framework[3]], **draft),
        "reference": ReferenceImplementationFactory(author=author, factors=[framework[4]]),
        "draft_reference": ReferenceImplementationFactory(
            author=author, factors=[framework[4]], **draft
        ),
        "author": author,
    }
    thread = ThreadFactory(factor=framework[1], author=author)
    objects.update(
        thread=thread,
        hidden_thread=ThreadFactory(
            factor=framework[1], author=author, hidden_at=timezone.now(), hidden_reason="Spam"
        ),
        reply=ReplyFactory(thread=thread, author=author),
        flag=Flag.objects.create(item=thread, flagged_by=other, reason="Spam"),
        token=unsubscribe_token(user=author, kind="reply"),
        notification=Notification.objects.create(recipient=author, kind="reply", subject="Hi"),
        snapshot=snapshot_record(reason="matrix"),
    )
    from failuremodes.models import FailureMode

    objects["mode"] = FailureMode.objects.create(title="Runaway loops")
    objects["mode"].reports.add(objects["failure"])
    objects["draft_mode"] = FailureMode.objects.create(title="Not yet seen")
    objects["draft_mode"].reports.add(objects["draft_failure"])
    return objects


def answer(response):
    """What a response means, in the matrix's terms."""
    if response.status_code in (301, 302):
        location = urlsplit(response["Location"])
        if location.path == reverse("account_login") and "next=" in location.query:
            return LOGIN
        return ("redirect", location.path)
    return response.status_code


def expected_answer(expect, objects):
    if isinstance(expect, to):
        return ("redirect", reverse(expect.url_name))
    if isinstance(expect, to_submission):
        return (
            "redirect",
            reverse("cases:submission_detail", kwargs=submission(objects[expect.key])),
        )
    return expect


def clients_for(people):
    """One client per role, signed in once (as a person browsing would be)."""
    clients = {}
    for role in ROLES:
        clients[role] = Client()
        if people[role] is not None:
            clients[role].force_login(people[role])
    return clients


def check(clients, objects, name, cases):
    mismatches = []
    for case in cases:
        path = reverse(name, kwargs=case.kwargs(objects) if case.kwargs else None)
        for role in ROLES:
            client = clients[role]
            label = f" [{case.label}]" if case.label else ""
            got = answer(client.get(path))
            want = expected_answer(case.expect[role], objects)
            if got != want:
                mismatches.append(f"{name}{label} GET {path} as {role}: expected {want}, got {got}")
            if case.post and role in case.post:
                got = answer(client.post(path))
                want = expected_answer(case.post[role], objects)
                if got != want:
                    mismatches.append(
                        f"{name}{label} POST {path} as {role}: expected {want}, got {got}"
                    )
    return mismatches


def test_each_role_gets_the_expected_answer_from_every_url(settings, people, objects):
    """One pass over the whole matrix (the data is built once); every mismatch is listed."""
    settings.MAINTAINER_REQUIRE_MFA = True
    clients = clients_for(people)
    mismatches = []
    for name, cases in [*MATRIX.items(), *SPOT_CHECKS.items()]:
        mismatches += check(clients, objects, name, cases)
    assert not mismatches, f"{len(mismatches)} unexpected answers:\n" + "\n".join(mismatches)


def test_a_maintainer_without_two_factor_is_turned_away_from_maintainer_pages(
    client, settings, people
):
    """Every page behind maintainer_required sends such a maintainer to set it up."""
    from django.contrib.auth import get_user_model

    settings.MAINTAINER_REQUIRE_MFA = True
    maintainer = people["maintainer"]
    maintainer.authenticator_set.all().delete()
    maintainer = get_user_model().objects.get(pk=maintainer.pk)
    client.force_login(maintainer)
    maintainer_pages = [
        name
        for name, cases in MATRIX.items()
        if cases[0].kwargs is None and cases[0].expect == maintainers_only()
    ]
    if not maintainer_pages:
        pytest.skip("no maintainers-only page in the URLconf yet")
    for name in maintainer_pages:
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("accounts:two_factor_required")), name

"""Every page in settings.PAGE_CACHE_VIEWS is served from the cache to anonymous visitors,
carries no CSRF token or personal data when cached, and keeps its security headers."""

import pytest
from django.conf import settings
from django.urls import get_resolver, reverse

from factors.history import snapshot_record
from tests.factories import (
    AdaptationFactory,
    CaseStudyFactory,
    DomainFactory,
    FailureReportFactory,
    ReferenceImplementationFactory,
    ThreadFactory,
    UserFactory,
)


@pytest.fixture
def site(framework):
    domain = DomainFactory(name="Banking")
    author = UserFactory(display_name="Ada Writer")
    factor = framework[1]
    return {
        "factor": factor,
        "domain": domain,
        "author": author,
        "case_study": CaseStudyFactory(domain=domain, author=author, applied=[(factor, "worked")]),
        "adaptation": AdaptationFactory(domain=domain, factor=factor, author=author),
        "failure": FailureReportFactory(domain=domain, factors=[factor], author=author),
        "reference": ReferenceImplementationFactory(domain=domain, factors=[factor], author=author),
        "thread": ThreadFactory(factor=factor, author=author),
        "snapshot": snapshot_record(reason="test"),
        "mode": _mode(framework[1]),
    }


def _mode(factor):
    from failuremodes.models import FailureMode

    mode = FailureMode.objects.create(title="Runaway loops")
    mode.factors.add(factor)
    mode.reports.add(FailureReportFactory(factors=[factor]))
    return mode


def public_urls(s):
    """(allowlist entry, URL) for every cached page, with real objects."""
    f, d = s["factor"].slug, s["domain"].slug
    return [
        ("home", reverse("home")),
        ("factors:list", reverse("factors:list")),
        ("factors:detail", reverse("factors:detail", args=[f])),
        ("factors:evidence", reverse("factors:evidence", args=[f, "case_studies"])),
        ("factors:domain_evidence", reverse("factors:domain_evidence", args=[f, d])),
        ("maturity", reverse("maturity")),
        ("maturity", reverse("maturity") + "?as_of=2026-01-31"),
        ("snapshot_detail", s["snapshot"].get_absolute_url()),
        ("cases:casestudy_list", reverse("cases:casestudy_list")),
        ("cases:casestudy_detail", s["case_study"].get_absolute_url()),
        ("cases:adaptation_list", reverse("cases:adaptation_list")),
        ("cases:adaptation_detail", s["adaptation"].get_absolute_url()),
        ("cases:failure_list", reverse("cases:failure_list")),
        ("cases:failure_detail", s["failure"].get_absolute_url()),
        ("cases:reference_implementation_list", reverse("cases:reference_implementation_list")),
        ("cases:reference_implementation_detail", s["reference"].get_absolute_url()),
        ("cases:domain_list", reverse("cases:domain_list")),
        ("cases:domain_detail", s["domain"].get_absolute_url()),
        ("cases:search", reverse("cases:search") + "?q=agents"),
        ("failuremodes:list", reverse("failuremodes:list")),
        ("failuremodes:detail", s["mode"].get_absolute_url()),
        ("opendata:open_data", reverse("opendata:open_data")),
        ("opendata:robots_txt", reverse("opendata:robots_txt")),
        ("opendata:sitemap", reverse("opendata:sitemap")),
        ("opendata:feed_latest", reverse("opendata:feed_latest")),
        ("opendata:feed_factor", reverse("opendata:feed_factor", args=[f])),
        ("opendata:feed_domain", reverse("opendata:feed_domain", args=[d])),
        ("opendata:badge_framework", reverse("opendata:badge_framework")),
        ("opendata:badge_factor", reverse("opendata:badge_factor", args=[f])),
        ("opendata:badge_framework_json", reverse("opendata:badge_framework_json")),
        ("opendata:badge_factor_json", reverse("opendata:badge_factor_json", args=[f])),
        ("api:*", "/api/v1/framework"),
        ("api_unversioned:*", "/api/framework"),
        ("api:*", "/api/v1/factors"),
        ("api:*", f"/api/v1/factors/{f}"),
        ("api:*", "/api/v1/case-studies"),
        ("api:*", "/api/v1/domains"),
        ("community:thread_list", reverse("community:thread_list")),
        ("community:thread_detail", s["thread"].get_absolute_url()),
        ("community:contributor_list", reverse("community:contributor_list")),
        ("community:health", reverse("community:health")),
        (
            "community:contributor_detail",
            reverse("community:contributor_detail", args=[s["author"].pk]),
        ),
    ]


def test_every_allowlisted_page_is_covered_here(site):
    covered = {entry for entry, _ in public_urls(site)}
    assert set(settings.PAGE_CACHE_VIEWS) == covered


def test_every_allowlist_entry_names_a_real_view():
    resolver = get_resolver()
    names = set()

    def walk(patterns, namespace=""):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                ns = p.namespace or ""
                walk(p.url_patterns, f"{namespace}{ns}:" if ns else namespace)
            elif p.name:
                names.add(f"{namespace}{p.name}")

    walk(resolver.url_patterns)
    for entry in settings.PAGE_CACHE_VIEWS:
        if entry.endswith(":*"):
            assert any(n.startswith(entry[:-1]) for n in names), entry
        else:
            assert entry in names, entry


def test_every_public_page_is_a_hit_the_second_time_and_safe_to_share(client, site):
    for entry, url in public_urls(site):
        first = client.get(url)
        assert first.status_code == 200, (entry, url)
        assert first["X-Cache"] == "miss", (entry, url)
        second = client.get(url)
        assert second["X-Cache"] == "hit", (entry, url)
        assert second.content == first.content
        body = second.content.decode()
        assert "csrfmiddlewaretoken" not in body, url
        assert "Sign out" not in body, url
        assert not second.cookies, url
        assert second["Content-Type"] == first["Content-Type"]
        assert "Content-Security-Policy" in second, url


def test_no_public_page_of_a_signed_in_member_is_cached(client, site, member):
    client.force_login(member)
    for _entry, url in public_urls(site):
        client.get(url)
        assert "X-Cache" not in client.get(url), url
    client.logout()
    client.cookies.clear()
    for _entry, url in public_urls(site):
        body = client.get(url).content.decode()
        assert member.public_name not in body, url

"""The factor list, factor page, evidence pages and maturity dashboard."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from cases.models import Metric
from factors.services import factor_promote
from failuremodes.models import FailureMode
from pagecache.generation import generation_bump, generation_bump_after_change
from tests.factories import (
    AdaptationFactory,
    CaseStudyFactory,
    QuantifiedResultFactory,
    ReferenceImplementationFactory,
    ThreadFactory,
)
from tests.factors.conftest import add_bulk_evidence


def _html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def test_factor_list_shows_phase_progress_and_eligibility(client, scenario):
    CaseStudyFactory(domain=scenario.energy, applied=[(scenario.f1, "worked")])
    AdaptationFactory(factor=scenario.f1, domain=scenario.finance)  # now eligible
    html = _html(client, reverse("factors:list"))
    f1_item = html[html.index(scenario.f1.get_absolute_url()) : html.index("</li>\n    \n")]
    assert "Eligible for Beta" in f1_item
    assert '<progress class="criterion-progress" max="3" value="3"' in f1_item
    assert ">4 of 3</a>" in f1_item and ">5 of 2</a>" in f1_item
    assert ">0, at most 0</a>" in f1_item  # no domain where it only failed
    assert html.count("Eligible for Beta") == 1
    # Factor II: 0 of 3 domains, shown as text and as a bar, with "Not met" in words.
    f2_start = html.index(scenario.f2.get_absolute_url())
    f2_item = html[f2_start : html.index("</li>", f2_start)]
    assert '<progress class="criterion-progress" max="3" value="0"' in f2_item
    assert ">0 of 3</a>" in f2_item and "Not met" in f2_item
    assert reverse("factors:evidence", args=[scenario.f2.slug, "domains"]) in f2_item


def test_factor_page_checklist_evidence_and_history(client, scenario):
    html = _html(client, scenario.f1.get_absolute_url())
    assert "Criteria to reach Beta" in html
    domains_url = reverse("factors:evidence", args=[scenario.f1.slug, "domains"])
    assert f'<a href="{domains_url}">2</a>' in html
    assert "Not met" in html and "(1 more needed)" in html and "✗" in html
    assert "Met" in html and "✓" in html
    for item in (scenario.cs1, scenario.cs2, scenario.cs3, scenario.ad1, scenario.fr1):
        assert item.get_absolute_url() in html
    for item in scenario.not_counted:
        assert item.get_absolute_url() not in html
    assert "Case studies (3)" in html and "Adaptations (1)" in html
    assert "Failure reports (1)" in html
    assert "No change of phase yet" in html


def test_evidence_behind_domains_lists_each_domain_and_its_items(client, scenario):
    html = _main(_html(client, reverse("factors:evidence", args=[scenario.f1.slug, "domains"])))
    assert "<h1>Domains: 2</h1>" in html
    assert "By domain (2)" in html
    assert "<strong>Health</strong>: 2 case studies where it worked" in html
    assert "<strong>Retail</strong>: 1 adaptation" in html
    assert "Finance" not in html  # it only failed there
    for item in (scenario.cs1, scenario.cs3, scenario.ad1):
        assert item.get_absolute_url() in html
    assert scenario.cs2.get_absolute_url() not in html
    assert "Worked as written" in html and "Worked with adaptation" in html
    for item in scenario.not_counted:
        assert item.get_absolute_url() not in html


def test_evidence_behind_organizations_groups_by_organization(client, scenario):
    url = reverse("factors:evidence", args=[scenario.f1.slug, "organizations"])
    html = _main(_html(client, url))
    assert "By organization (2)" in html
    assert "<strong>Org A</strong>: 2 " in html and "<strong>Org B</strong>: 1 " in html


@pytest.mark.parametrize("measure", ["no_such_thing", "active_collaborators"])
def test_evidence_for_unknown_or_framework_measure_is_404(client, scenario, measure):
    url = reverse("factors:evidence", args=[scenario.f1.slug, measure])
    assert client.get(url).status_code == 404


def test_dashboard_gate_table_and_coverage_numbers(client, scenario):
    html = _main(_html(client, reverse("maturity")))
    assert 'is in <span class="phase phase-alpha">Alpha</span>' in html
    assert "<strong>0 of 12</strong> factors meet Beta criteria (6 needed)" in html
    assert "At least 3 active collaborators" in html
    assert "Every factor classified (none still unproven)" in html
    # Factors × criteria: factor I has 2 of 3 domains, not met.
    domains_url = reverse("factors:evidence", args=[scenario.f1.slug, "domains"])
    assert f'<a href="{domains_url}">2</a> / 3' in html

    def cell(factor, domain):
        url = reverse("factors:domain_evidence", args=[factor.slug, domain.slug])
        cell_html = (
            rf'<td data-label="[IVX]+" class="cov cov-(\d)"><a href="{url}"[^>]*>(\d+)</a></td>'
        )
        match = re.search(cell_html, html)
        return match and (int(match.group(1)), int(match.group(2)))

    assert cell(scenario.f1, scenario.health) == (2, 2)  # cs1, cs3
    assert cell(scenario.f1, scenario.finance) == (2, 2)  # cs2, fr1
    assert cell(scenario.f1, scenario.retail) == (1, 1)  # ad1
    assert cell(scenario.f2, scenario.health) == (1, 1)  # cs1
    assert cell(scenario.f2, scenario.finance) == (1, 1)  # fr1
    assert cell(scenario.f3, scenario.health) is None  # nothing: printed as 0, no link
    assert re.search(r'<td data-label="[IVX]+" class="cov cov-0">0</td>', html)
    assert ">Energy<" not in html  # only unpublished evidence there


def test_coverage_cell_page_lists_the_items_behind_the_number(client, scenario):
    url = reverse("factors:domain_evidence", args=[scenario.f1.slug, scenario.finance.slug])
    html = _main(_html(client, url))
    assert scenario.cs2.get_absolute_url() in html and scenario.fr1.get_absolute_url() in html
    assert scenario.cs1.get_absolute_url() not in html
    assert "Case studies (1)" in html and "Failure reports (1)" in html


@pytest.mark.parametrize(
    "url",
    [
        lambda s: reverse("factors:list"),
        lambda s: s.f1.get_absolute_url(),
        lambda s: reverse("maturity"),
        lambda s: reverse("factors:evidence", args=[s.f1.slug, "failures_or_adaptations"]),
        lambda s: reverse("factors:domain_evidence", args=[s.f1.slug, s.health.slug]),
    ],
)
def test_pages_are_csp_clean(client, scenario, url):
    html = _html(client, url(scenario))
    assert "style=" not in html and "<style" not in html and "<script" not in html


def test_navigation_links_to_the_dashboard(client, framework):
    html = _html(client, "/")
    assert f'<a href="{reverse("maturity")}">Maturity</a>' in html


# -- query caps at two data sizes --------------------------------------------------------------
# Measured cold, right after a change: no whole-page cache, and before each fetch what a
# committed change does (a maturity snapshot recorded, then the generation bump), so the
# maturity pages read the snapshot instead of computing the measures (factors/history.py).
# The community app's part of the factor page is counted in tests/community/test_queries.py.
CAPS = {
    "list": 2,  # the snapshot, its factor rows (with factors and phases)
    "dashboard": 4,  # the same two, the framework, the framework's phase changes
    # The factor's row of the snapshot, with the snapshot (1); its 10 newest items of every
    # kind (1: a union); quantified improvement (the results of its 10 newest case studies,
    # with them, 1; the metrics' names, 1: the figures come with the snapshot); failure modes
    # (1), measures over time (1), phase changes (1), feedback threads (1). The goal of cold
    # pages (docs/operations/cold-pages.md): at most 8.
    "detail": 8,
    "evidence": 18,
    "domain": 10,
}


def _urls(s):
    return {
        "list": reverse("factors:list"),
        "detail": s.f1.get_absolute_url(),
        "dashboard": reverse("maturity"),
        "evidence": reverse("factors:evidence", args=[s.f1.slug, "failures_or_adaptations"]),
        "domain": reverse("factors:domain_evidence", args=[s.f1.slug, s.health.slug]),
    }


def _cold_count(client, url, cap, django_assert_max_num_queries) -> int:
    generation_bump_after_change()  # as a committed change: a snapshot, then the bump
    with django_assert_max_num_queries(cap) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", sorted(CAPS))
@override_settings(PAGE_CACHE_VIEWS=[])
def test_page_query_count_is_capped_at_two_sizes(
    client, scenario, django_assert_max_num_queries, page
):
    url = _urls(scenario)[page]
    client.get(url)  # per-process caches (content types), as a live site has them
    small = _cold_count(client, url, CAPS[page], django_assert_max_num_queries)
    add_bulk_evidence(scenario.framework, 30)
    large = _cold_count(client, url, CAPS[page], django_assert_max_num_queries)
    assert small == large


def _fill_every_section(s, maintainer) -> None:
    """Factor I with a vocabulary metric's results, a reference implementation, a failure
    mode, feedback and a change of phase: no section of its page left empty."""
    metric, _ = Metric.objects.get_or_create(
        slug="incident-rate",
        defaults={"name": "Incident rate", "better": "lower", "definition": "Incidents."},
    )
    QuantifiedResultFactory(case_study=s.cs3, standard_metric=metric, before=4, after=2)
    ReferenceImplementationFactory(factors=[s.f1], domain=s.health)
    mode = FailureMode.objects.create(title="Runaway loops")
    mode.factors.set([s.f1])
    mode.reports.set([s.fr1])
    ThreadFactory(factor=s.f1)
    factor_promote(
        factor=s.f1, by=maintainer, rationale="Tried.", override=True, override_reason="Test."
    )


@override_settings(PAGE_CACHE_VIEWS=[])
def test_factor_page_with_every_section_filled_is_capped_at_two_sizes(
    client, scenario, maintainer, django_assert_max_num_queries
):
    _fill_every_section(scenario, maintainer)
    url = scenario.f1.get_absolute_url()
    client.get(url)
    small = _cold_count(client, url, CAPS["detail"], django_assert_max_num_queries)
    add_bulk_evidence(scenario.framework, 30)
    large = _cold_count(client, url, CAPS["detail"], django_assert_max_num_queries)
    assert small == large == CAPS["detail"]  # every query of the list above runs
    html = client.get(url).content.decode()
    for shown in ("Incident rate", "Runaway loops", "Reference implementations (1)", "Tried."):
        assert shown in html


@override_settings(PAGE_CACHE_VIEWS=[])
def test_factor_page_for_a_maintainer_is_capped_too(
    client, scenario, maintainer, django_assert_max_num_queries
):
    """A signed-in maintainer's page adds what any signed-in page reads (the session, the
    user, whether a maintainer, unread notifications) and whether they follow the factor:
    five queries over the anonymous page, at any size."""
    _fill_every_section(scenario, maintainer)
    client.force_login(maintainer)
    url = scenario.f1.get_absolute_url()
    client.get(url)
    small = _cold_count(client, url, CAPS["detail"] + 5, django_assert_max_num_queries)
    add_bulk_evidence(scenario.framework, 30)
    large = _cold_count(client, url, CAPS["detail"] + 5, django_assert_max_num_queries)
    assert small == large


def test_dashboard_framework_numbers_link_where_a_public_list_exists(client, scenario):
    html = _main(_html(client, reverse("maturity")))
    assert f'<td data-label="Value"><a href="{reverse("cases:casestudy_list")}">3</a></td>' in html
    assert '<td data-label="Value"><a href="#factors-title">0</a></td>' in html
    assert '<td data-label="Value"><a href="#coverage-title">3</a></td>' in html


def test_factor_page_headline_is_the_classification_with_its_domain_grid(client, scenario):
    html = _main(_html(client, scenario.f1.get_absolute_url()))
    headline = html[html.index('id="classification"') : html.index("</header>")]
    assert "Contested" in headline
    assert "Failed in Finance with nothing there that shows it working" in headline
    failed_url = reverse("factors:evidence", args=[scenario.f1.slug, "domains_failed"])
    assert f'<a href="{failed_url}">only failed: 1</a>' in headline
    grid = html[html.index('class="domain-outcomes') : html.index("</table>")]

    def row(domain):
        url = reverse("factors:domain_evidence", args=[scenario.f1.slug, domain.slug])
        start = grid.index(f'<a href="{url}">{domain.name}</a>')
        return grid[start : grid.index("</tr>", start)]

    # Text as well as colour: the outcome is written out in every row.
    assert "outcome-as_written" in row(scenario.health) and "Worked as written" in row(
        scenario.health
    )
    assert "Worked only with adaptation" in row(scenario.retail)
    assert "outcome-failed" in row(scenario.finance) and "Failed" in row(scenario.finance)
    assert "Energy" not in grid  # only unpublished or hidden items there


def test_factor_page_classification_follows_the_setting(client, scenario):
    from factors.models import Framework

    AdaptationFactory(factor=scenario.f1, domain=scenario.finance)
    html = _main(_html(client, scenario.f1.get_absolute_url()))
    assert "Context-specific</span>: Works in 3 domains, but needed adaptation in Finance and " \
        "Retail." in html  # fmt: skip
    Framework.objects.update(classification_min_domains=4)
    generation_bump()  # an update() sends no signal; the admin's save does
    html = _main(_html(client, scenario.f1.get_absolute_url()))
    assert "Unproven</span>: Worked in 3 domains so far; 4 domains are needed" in html


def test_evidence_behind_domains_where_it_only_failed(client, scenario):
    url = reverse("factors:evidence", args=[scenario.f1.slug, "domains_failed"])
    html = _main(_html(client, url))
    assert "<strong>Finance</strong>" in html and "Health" not in html
    for item in (scenario.cs2, scenario.fr1):
        assert item.get_absolute_url() in html
    for item in (scenario.cs1, scenario.cs3, scenario.ad1, *scenario.not_counted):
        assert item.get_absolute_url() not in html


def test_dashboard_shows_each_factors_classification(client, scenario):
    html = _main(_html(client, reverse("maturity")))
    start = html.index('class="factor-criteria stack"')
    table = html[start : html.index("</table>", start)]
    f1_row = table[table.index(scenario.f1.get_absolute_url()) :]
    assert "Contested" in f1_row[: f1_row.index("</tr>")]
    assert table.count("Unproven") == 10

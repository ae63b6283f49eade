"""Failure modes: the measures worked out by hand (conftest.py), and the public pages."""

import re

import pytest
from django.urls import reverse

from factors.measures import AT_MOST, FACTOR, MEASURES, criterion_text
from factors.measuring import measure_factors, measure_framework
from factors.models import Criterion
from factors.selectors import factor_status

KEYS = ["failure_modes", "open_failure_modes", "open_severe_failure_modes"]


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_measures_per_factor_count_only_modes_with_published_reports(modes):
    got = measure_factors([modes.f1.pk, modes.f2.pk, modes.f3.pk], keys=KEYS)
    assert got[modes.f1.pk] == {  # A, B; F has no report
        "failure_modes": 2,
        "open_failure_modes": 1,  # A (B is addressed by a refinement)
        "open_severe_failure_modes": 1,  # A: its published high report
    }
    assert got[modes.f2.pk] == {  # A, D; C's reports are draft/rejected/withdrawn/hidden/…
        "failure_modes": 2,
        "open_failure_modes": 1,  # A (D is addressed by a published adaptation)
        "open_severe_failure_modes": 1,
    }
    assert got[modes.f3.pk] == {  # D, E, G
        "failure_modes": 3,
        "open_failure_modes": 2,  # E (its adaptation is hidden) and G
        "open_severe_failure_modes": 1,  # E (critical); G's only report is low
    }


def test_measures_framework_wide(modes):
    assert measure_framework(keys=KEYS) == {
        "failure_modes": 5,  # A, B, D, E, G
        "open_failure_modes": 3,  # A, E, G
        "open_severe_failure_modes": 2,  # A, E
    }


def test_a_mode_counts_when_its_report_is_published_and_stops_when_hidden(modes):
    from django.utils import timezone

    r = modes.reports
    modes.modes.C.reports.remove(r.hidden)
    assert measure_framework(keys=["failure_modes"]) == {"failure_modes": 5}
    r.submitted.state, r.submitted.published_at = "published", timezone.now()
    r.submitted.save()
    assert measure_framework(keys=["failure_modes"]) == {"failure_modes": 6}  # C is public now
    r.submitted.hidden_at = timezone.now()
    r.submitted.save()
    assert measure_framework(keys=["failure_modes"]) == {"failure_modes": 5}


def test_the_measures_are_defined_and_a_criterion_can_say_at_most(modes):
    for key in KEYS:
        assert MEASURES[key].definition
    assert (
        criterion_text("open_severe_failure_modes", AT_MOST, 0, scope=FACTOR)
        == "No open failure modes of high or critical severity"
    )
    # The default Beta exit criterion (factors/data/framework.json) holds only without one.
    beta = Criterion.objects.get(phase__slug="beta", measure="open_severe_failure_modes")
    assert (beta.comparator, beta.threshold, beta.scope) == (AT_MOST, 0, FACTOR)
    f1 = factor_status(modes.f1)
    verdict = f1.all_verdicts[beta.pk]
    assert verdict.value == 1 and not verdict.met
    modes.modes.A.refinement, modes.modes.A.addressed_at = "Budgets.", modes.modes.A.created_at
    modes.modes.A.save()
    f1 = factor_status(modes.f1)
    verdict = f1.all_verdicts[beta.pk]
    assert verdict.value == 0 and verdict.met


def test_the_public_list_shows_public_modes_with_their_status(client, modes):
    html = client.get(reverse("failuremodes:list")).content.decode()
    text = _text(html)
    assert "5 failure modes: 3 open, 2 addressed." in text
    for title in ("Runaway loops", "Stale context", "Budget overrun", "Cache poisoning"):
        assert title in text
    assert "Silent retries" not in text and "Nothing yet" not in text
    # Status in words, severity at worst from published reports only.
    assert "Runaway loops Open High" in text
    assert "Stale context Addressed Low" in text
    assert "Cache poisoning Open Critical" in text  # its adaptation is hidden


def test_the_mode_page_lists_published_reports_across_domains(client, modes):
    html = client.get(modes.modes.A.get_absolute_url()).content.decode()
    text = _text(html)
    assert "Status: Open" in text
    assert "2 published reports from 2 domains and 2 named organizations" in text
    assert "Agent loop took the ward system down" in text and "Clinic A" in text
    assert "Agent loop slowed the checkout" in text and "Shop B" in text
    assert "Draft loop report" not in text
    assert "Severity at worst: High" in text


def test_an_addressed_mode_says_by_what(client, modes):
    text = _text(client.get(modes.modes.D.get_absolute_url()).content.decode())
    assert "Status: Addressed" in text and "by the adaptation Loop budgets" in text
    text = _text(client.get(modes.modes.B.get_absolute_url()).content.decode())
    assert "Status: Addressed" in text and "Refresh it." in text
    text = _text(client.get(modes.modes.E.get_absolute_url()).content.decode())
    assert "Status: Open" in text and "Cache keys" not in text


@pytest.mark.parametrize("key", ["C", "F"])
def test_a_mode_without_a_published_report_is_not_public(client, modes, key):
    url = getattr(modes.modes, key).get_absolute_url()
    assert client.get(url).status_code == 404


def test_the_factor_page_shows_its_known_modes(client, modes):
    text = _text(client.get(modes.f3.get_absolute_url()).content.decode())
    assert "Known failure modes (3: 2 open, 1 addressed)" in text
    assert "Budget overrun — Addressed" in text
    assert "Cache poisoning — Open · Critical severity at worst" in text
    text = _text(client.get(framework_factor(modes, 4).get_absolute_url()).content.decode())
    assert "Known failure modes (0: 0 open, 0 addressed)" in text


def framework_factor(modes, number):
    from factors.models import Factor

    return Factor.objects.get(number=number)


def test_the_report_page_names_its_modes(client, modes):
    text = _text(client.get(modes.reports.low.get_absolute_url()).content.decode())
    assert "Failure modes Runaway loops (open), Slow drift (open), Stale context (addressed)" in (
        text
    )
    text = _text(client.get(modes.reports.crit.get_absolute_url()).content.decode())
    assert "Cache poisoning (open)" in text


@pytest.mark.parametrize(
    ("name", "cap"),
    [("list", 5), ("detail", 4), ("csv", 5), ("api_list", 5), ("api_detail", 4)],
)
def test_pages_run_a_fixed_number_of_queries(
    client, modes, django_assert_max_num_queries, name, cap
):
    from tests.factories import FailureReportFactory

    urls = {
        "list": reverse("failuremodes:list"),
        "detail": modes.modes.A.get_absolute_url(),
        "csv": reverse("opendata:failure_modes_csv"),
        "api_list": "/api/v1/failure-modes",
        "api_detail": f"/api/v1/failure-modes/{modes.modes.A.slug}",
    }
    counts = []
    for extra in (0, 15):
        for _ in range(extra):
            report = FailureReportFactory(factors=[modes.f1])
            modes.modes.A.reports.add(report)
            from failuremodes.models import FailureMode

            new = FailureMode.objects.create(title="More")
            new.factors.set([modes.f1, modes.f2])
            new.reports.add(report)
        with django_assert_max_num_queries(cap) as ctx:
            response = client.get(urls[name])
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_each_number_links_to_the_reports_behind_it(client, modes):
    url = reverse("factors:evidence", args=[modes.f3.slug, "open_failure_modes"])
    text = _text(client.get(url).content.decode())
    # f3's open modes are E (crit) and G (low); D is addressed (its report "high" is not here).
    assert "Poisoned cache served wrong prices" in text
    assert "Agent loop slowed the checkout" in text
    assert "Agent loop took the ward system down" not in text
    url = reverse("factors:evidence", args=[modes.f3.slug, "open_severe_failure_modes"])
    text = _text(client.get(url).content.decode())
    assert "Poisoned cache served wrong prices" in text
    assert "Agent loop slowed the checkout" not in text


def test_the_promotion_ranking_shows_open_failure_modes(modes):
    from factorpages.promotion import promotion_ranking

    rows = {r.item.number: r.item.open_failure_modes for r in promotion_ranking()}
    assert (rows[1], rows[2], rows[3], rows[4]) == (1, 1, 2, 0)  # worked out in conftest.py

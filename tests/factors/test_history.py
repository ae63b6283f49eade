"""Maturity over time: snapshots recorded on commit, the dashboard as it stood on a date, each
factor's measures over time, and the figures a maintainer saw when deciding."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cases.services import submission_create_draft, submission_publish
from common.charts import step_chart
from factors.history import factor_history, read_snapshot, snapshot_as_of, snapshot_record
from factors.models import Criterion, FactorSnapshot, MaturitySnapshot
from factors.selectors import factor_status
from factors.services import factor_promote
from tests.factories import CaseStudyFactory, DomainFactory, UserFactory


def _measures(snapshot, number):
    return FactorSnapshot.objects.get(snapshot=snapshot, factor__number=number).measures


# -- the chart geometry (pure) -------------------------------------------------------------


def test_step_chart_spaces_days_by_time_and_marks_phase_changes():
    days = [date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 11)]
    chart = step_chart(days, [("Domains", [1, 2, 4])], markers=[(date(2026, 1, 2), "Beta")])
    [line] = chart.lines
    xs = [p.x for p in line.points]
    # 1 day then 9 days: the second gap is nine times the first.
    assert round((xs[2] - xs[1]) / (xs[1] - xs[0])) == 9
    assert xs[0] == chart.plot_left and xs[2] == chart.plot_right
    ys = [p.y for p in line.points]
    assert ys[0] > ys[1] > ys[2]  # higher values are drawn higher
    assert line.path.startswith(f"M{xs[0]},{ys[0]} H{xs[1]}V{ys[1]}")
    assert [(m.x, m.text) for m in chart.markers] == [(xs[1], "Beta")]
    assert [t.value for t in chart.ticks] == [0, 1, 2, 3, 4]


def test_step_chart_with_nothing_recorded_is_empty():
    chart = step_chart([], [("Domains", [])])
    assert chart.is_empty and chart.lines == []


# -- recording ------------------------------------------------------------------------------


def test_a_snapshot_holds_every_factor_and_framework_measure_and_skips_repeats(scenario):
    first = snapshot_record(reason="test")
    status = factor_status(scenario.f1, now=timezone.now())
    assert _measures(first, 1) == status.measures
    assert FactorSnapshot.objects.filter(snapshot=first).count() == 12
    assert first.data["framework"]["phase"] == "alpha"
    assert {c["measure"] for c in first.data["criteria"]} >= {"domains", "failures_or_adaptations"}
    # Nothing moved: no new row, the same snapshot answers.
    assert snapshot_record(reason="again") == first
    assert MaturitySnapshot.objects.count() == 1
    CaseStudyFactory(domain=DomainFactory(name="Energy"), applied=[(scenario.f1, "worked")])
    second = snapshot_record(reason="moved")
    assert second != first
    assert _measures(second, 1)["domains"] == _measures(first, 1)["domains"] + 1


@pytest.mark.django_db(transaction=True)
def test_a_snapshot_is_recorded_on_commit_of_a_publish_and_not_of_a_draft():
    call_command("load_framework", verbosity=0)
    maintainer = UserFactory()
    from accounts.services import user_grant_maintainer

    user_grant_maintainer(user=maintainer)
    domain = DomainFactory(name="Health")
    start = MaturitySnapshot.objects.count()
    author = UserFactory()
    draft = submission_create_draft(
        kind="case_study",
        author=author,
        fields={
            "title": "A draft that moves nothing",
            "domain": domain,
            "summary": "Draft.",
        },
    )
    # A draft moves no measure: no snapshot row (one may be computed, none stored).
    assert MaturitySnapshot.objects.count() == start
    item = CaseStudyFactory(state="submitted", domain=domain, published_at=None)
    before = MaturitySnapshot.objects.count()
    submission_publish(item=item, actor=maintainer, comment="Thanks, published.")
    assert MaturitySnapshot.objects.count() == before + 1
    latest = MaturitySnapshot.objects.latest()
    assert latest.reason == "change committed"
    assert draft.pk  # the draft is kept, of course


# -- reading: the dashboard as of a date ------------------------------------------------------


def _only_count_domains():
    """These tests are about snapshots, not classification: drop the Alpha criterion "no domains
    where it only failed" (factor I only failed in Finance), so a third domain makes factor I
    eligible. Criteria are data."""
    Criterion.objects.filter(measure="domains_failed").delete()


@pytest.fixture
def two_days(scenario):
    """A snapshot on 10 March with factor I in three... domains as the scenario has them, and
    one on 20 March after a case study in a new domain."""
    _only_count_domains()
    old = snapshot_record(now=timezone.make_aware(timezone.datetime(2026, 3, 10, 12)))
    CaseStudyFactory(domain=DomainFactory(name="Energy"), applied=[(scenario.f1, "worked")])
    new = snapshot_record(now=timezone.make_aware(timezone.datetime(2026, 3, 20, 12)))
    return old, new


def test_as_of_picks_the_snapshot_in_force_at_the_end_of_that_day(two_days):
    old, new = two_days
    assert snapshot_as_of(date(2026, 3, 9)) is None
    assert snapshot_as_of(date(2026, 3, 10)) == old
    assert snapshot_as_of(date(2026, 3, 19)) == old
    assert snapshot_as_of(date(2026, 3, 20)) == new


def test_read_snapshot_gives_back_the_verdicts_of_the_time(two_days, scenario):
    old, new = two_days
    then, now = read_snapshot(old), read_snapshot(new)
    f1_then = next(f for f in then.factors if f.factor.number == 1)
    f1_now = next(f for f in now.factors if f.factor.number == 1)
    # Factor I had 2 domains where it worked (Health, Retail), 3 needed; then a third.
    assert f1_then.measures["domains"] == 2 and not f1_then.eligibility.eligible
    assert f1_now.measures["domains"] == 3 and f1_now.eligibility.eligible


def test_dashboard_as_of_a_date_shows_that_days_numbers(
    client, two_days, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = client.get(reverse("maturity"), {"as_of": "2026-03-15"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Maturity as it stood on" in page and "15 March 2026" in page
    assert "10 March 2026" in page  # when the figures were recorded
    assert "0 of 12 factors were eligible" in page
    response = client.get(reverse("maturity"), {"as_of": "2026-03-25"})
    assert "1 of 12 factors were eligible" in response.content.decode()


def test_dashboard_as_of_before_any_record_says_so(client, two_days):
    response = client.get(reverse("maturity"), {"as_of": "2025-01-01"})
    page = response.content.decode()
    assert "Nothing was recorded on or before 1 January 2025" in page
    assert two_days[0].get_absolute_url() in page  # the first record, linked


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("15/03/2026", "Give a date as YYYY-MM-DD"),
        ("2999-01-01", "That date is in the future"),
    ],
)
def test_a_bad_as_of_date_is_refused_next_to_the_field_and_kept(client, framework, typed, message):
    response = client.get(reverse("maturity"), {"as_of": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'value="{typed}"' in page
    assert "Factors × criteria" in page  # the live dashboard still shows


# -- a factor's history and the maintainer's decision ------------------------------------------


def test_factor_page_charts_its_measures_over_time_with_a_table(client, two_days, scenario):
    points = factor_history(scenario.f1, days=100000)
    assert [(p.day, p.measures["domains"]) for p in points] == [
        (date(2026, 3, 10), 2),
        (date(2026, 3, 20), 3),
    ]
    page = client.get(scenario.f1.get_absolute_url()).content.decode()
    assert 'aria-labelledby="factor-history-title"' in page
    assert '<path d="M' in page
    assert '<time datetime="2026-03-10">10 Mar 2026</time>' in page


def test_factor_history_keeps_one_point_per_day_the_last(scenario):
    morning = timezone.make_aware(timezone.datetime(2026, 4, 1, 8))
    snapshot_record(now=morning)
    CaseStudyFactory(domain=DomainFactory(name="Energy"), applied=[(scenario.f1, "worked")])
    snapshot_record(now=morning + timedelta(hours=8))
    [point] = factor_history(scenario.f1, days=100000)
    assert point.day == date(2026, 4, 1) and point.measures["domains"] == 3


def test_a_promotion_links_to_the_figures_the_maintainer_saw(client, scenario, maintainer):
    _only_count_domains()
    CaseStudyFactory(domain=DomainFactory(name="Energy"), applied=[(scenario.f1, "worked")])
    change = factor_promote(factor=scenario.f1, by=maintainer, rationale="Three domains now.")
    assert change.snapshot is not None
    seen = FactorSnapshot.objects.get(snapshot=change.snapshot, factor=scenario.f1)
    assert seen.phase == "alpha" and seen.measures["domains"] == 3  # before the move
    factor_page = client.get(scenario.f1.get_absolute_url()).content.decode()
    assert change.snapshot.get_absolute_url() in factor_page
    assert "The figures the maintainer saw" in factor_page
    page = client.get(change.snapshot.get_absolute_url()).content.decode()
    assert "Decisions taken on these figures" in page
    assert "Alpha → Beta" in page
    assert "1 of 12 factors were eligible" in page


def test_snapshot_page_of_an_unknown_snapshot_is_404(client, framework):
    assert client.get(reverse("snapshot_detail", args=[999])).status_code == 404


def test_record_snapshot_command_records_once(framework, capsys):
    call_command("record_snapshot")
    call_command("record_snapshot")
    assert MaturitySnapshot.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_commit_records_its_snapshot_before_its_single_bump():
    from pagecache.generation import changes_committed, generation_current

    call_command("load_framework", verbosity=0)
    seen = []

    def spy(**kwargs):
        seen.append(generation_current())

    changes_committed.connect(spy)
    try:
        before = generation_current()
        CaseStudyFactory(applied=[])  # published: moves the case-study count
        after = generation_current()
    finally:
        changes_committed.disconnect(spy)
    assert after >= before + 1  # the factory's writes commit one by one outside a transaction
    assert seen and seen[0] == before  # the snapshot is taken before its bump
    latest = MaturitySnapshot.objects.latest()
    assert latest.data["framework"]["measures"]["case_studies"] == 1

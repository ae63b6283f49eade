"""The community health page: per-month figures worked out by hand on small data."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from cases.models import CaseStudy, State, StateChange
from common.charts import bar_chart, nice_ceiling
from community.health import health_figures, median, months_back, percentile, review_latencies
from tests.factories import (
    AdaptationFactory,
    CaseStudyFactory,
    DomainFactory,
    FailureReportFactory,
    ThreadFactory,
    UserFactory,
)

TODAY = date(2026, 11, 15)


def at(y, m, d=10, h=12):
    return datetime(y, m, d, h, tzinfo=UTC)


# Pure parts --------------------------------------------------------------------------------


def test_months_back_crosses_the_year():
    assert months_back(date(2026, 2, 1), 4) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


def test_median_and_nearest_rank_percentile():
    assert median([]) is None and percentile([], 90) is None
    assert median([5, 1, 3]) == 3
    assert median([4, 1, 3, 2]) == 2.5
    assert percentile([1, 2, 3, 4], 50) == 2
    assert percentile([1, 2, 3, 4], 90) == 4
    assert percentile(list(range(1, 11)), 90) == 9


def test_a_decision_is_measured_from_the_latest_submission_before_it():
    a, b = "item-a", "item-b"
    rows = [
        (a, State.SUBMITTED, at(2026, 1, 1)),
        (a, State.CHANGES_REQUESTED, at(2026, 1, 3)),  # 2 days
        (a, State.SUBMITTED, at(2026, 1, 10)),
        (b, State.SUBMITTED, at(2026, 1, 5)),
        (a, State.PUBLISHED, at(2026, 1, 11)),  # 1 day, from the resubmission
        (b, State.REJECTED, at(2026, 1, 25)),  # 20 days
        ("never-submitted", State.PUBLISHED, at(2026, 1, 26)),  # nothing to measure from
    ]
    assert [days for _, days in review_latencies(rows)] == [2, 1, 20]


def test_bar_chart_stacks_series_and_scales_to_a_round_maximum():
    chart = bar_chart(["Jan", "Feb"], [("A", [3, 0]), ("B", [4, 2])])
    assert chart.maximum == 7 and nice_ceiling(7) == 10 and nice_ceiling(1.75) == 2
    jan = [bar for bar in chart.bars if bar.title.startswith("Jan")]
    assert [bar.series for bar in jan] == [0, 1]
    plot = chart.plot_bottom - chart.plot_top
    assert sum(bar.height for bar in jan) == pytest.approx(plot * 7 / 8, abs=0.2)
    assert jan[1].y + jan[1].height == pytest.approx(jan[0].y, abs=0.1)  # B sits on A
    assert [t.value for t in chart.ticks] == [0, 2, 4, 6, 8]  # whole steps for counts
    assert [t.value for t in bar_chart(["Jan"], [("A", [3])]).ticks] == [0, 1, 2, 3]
    assert "Feb: 2 (B)" in [bar.title for bar in chart.bars]


def test_an_empty_chart_says_so():
    chart = bar_chart(["Jan"], [("A", [0])])
    assert chart.is_empty and chart.bars == []


# Figures from the database ------------------------------------------------------------------


@pytest.fixture
def community(framework):
    """Two domains; evidence in several states; threads; review history with known times."""
    health, finance = DomainFactory(name="Healthcare"), DomainFactory(name="Finance")
    ada, bo, cy = UserFactory(), UserFactory(), UserFactory()
    # September 2026: Ada's first two case studies (healthcare), Bo's adaptation (finance).
    CaseStudyFactory(author=ada, domain=health, published_at=at(2026, 9, 2))
    CaseStudyFactory(author=ada, domain=health, published_at=at(2026, 9, 20))
    AdaptationFactory(author=bo, domain=finance, factor=framework[2], published_at=at(2026, 9, 5))
    # October: a failure report by Ada (not new any more) and one by Cy (new).
    FailureReportFactory(
        author=ada, domain=finance, factors=[framework[3]], published_at=at(2026, 10, 1)
    )
    FailureReportFactory(
        author=cy, domain=health, factors=[framework[3]], published_at=at(2026, 10, 30)
    )
    # Never counted: a draft, a rejected item, a hidden one, a withdrawn one.
    CaseStudyFactory(author=UserFactory(), domain=health, state=State.DRAFT)
    CaseStudyFactory(author=UserFactory(), domain=health, state=State.REJECTED)
    CaseStudyFactory(
        author=UserFactory(), domain=health, published_at=at(2026, 10, 3), hidden_at=at(2026, 10, 4)
    )
    CaseStudyFactory(author=UserFactory(), domain=health, state=State.WITHDRAWN)
    # Threads: two in October, one hidden.
    for hidden in (None, None, at(2026, 10, 9)):
        thread = ThreadFactory(factor=framework[1], hidden_at=hidden)
        type(thread).objects.filter(pk=thread.pk).update(created_at=at(2026, 10, 8))
    # Review history of one case study: submitted 1 Oct, changes 4 Oct, resubmitted 10 Oct,
    # published 12 Oct; another decided in October after 6 days.
    item = CaseStudy.objects.filter(author=ada).first()
    other = CaseStudy.objects.filter(author=ada).last()
    history = [
        (item, State.SUBMITTED, at(2026, 10, 1)),
        (item, State.CHANGES_REQUESTED, at(2026, 10, 4)),
        (item, State.SUBMITTED, at(2026, 10, 10)),
        (item, State.PUBLISHED, at(2026, 10, 12)),
        (other, State.SUBMITTED, at(2026, 10, 14)),
        (other, State.PUBLISHED, at(2026, 10, 20)),
    ]
    ct = ContentType.objects.get_for_model(CaseStudy)
    for obj, to_state, moment in history:
        change = StateChange.objects.create(content_type=ct, object_id=obj.pk, to_state=to_state)
        StateChange.objects.filter(pk=change.pk).update(created_at=moment)


def by_month(rows):
    return {row.month: row for row in rows}


def test_published_evidence_is_counted_by_month_kind_and_domain(community):
    rows = by_month(health_figures(today=TODAY, months=3))
    assert list(rows) == [date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)]
    sep, oct_, nov = rows[date(2026, 9, 1)], rows[date(2026, 10, 1)], rows[date(2026, 11, 1)]
    assert sep.by_kind == {
        "case_study": 2,
        "adaptation": 1,
        "failure": 0,
        "reference_implementation": 0,
    }
    assert sep.domains == [("Healthcare", 2), ("Finance", 1)]
    assert oct_.by_kind == {  # hidden one left out
        "case_study": 0,
        "adaptation": 0,
        "failure": 2,
        "reference_implementation": 0,
    }
    assert oct_.total == 2 and nov.total == 0


def test_new_contributors_count_each_person_once_in_their_first_month(community):
    rows = by_month(health_figures(today=TODAY, months=3))
    assert rows[date(2026, 9, 1)].new_contributors == 2  # Ada and Bo
    assert rows[date(2026, 10, 1)].new_contributors == 1  # Cy; Ada is not new
    assert rows[date(2026, 11, 1)].new_contributors == 0


def test_feedback_threads_leave_out_hidden_ones(community):
    assert by_month(health_figures(today=TODAY, months=3))[date(2026, 10, 1)].threads == 2


def test_review_latency_median_and_90th_percentile(community):
    oct_ = by_month(health_figures(today=TODAY, months=3))[date(2026, 10, 1)]
    # Decisions in October: 3 days (changes requested), 2 days (published after the
    # resubmission), 6 days.
    assert oct_.reviews == 3
    assert oct_.latency_median == 3
    assert oct_.latency_p90 == 6


def test_the_page_shows_the_figures_to_visitors(client, community, settings):
    response = client.get(reverse("community:health"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Community health" in html
    assert "<svg" in html and 'role="img"' in html
    assert "Review latency" in html
    assert " style=" not in html  # the chart is styled by classes (CSP: no inline style)


def test_the_page_runs_a_fixed_number_of_queries(client, framework, django_assert_max_num_queries):
    def grow(n):
        domain = DomainFactory()
        for i in range(n):
            item = CaseStudyFactory(domain=domain, published_at=at(2026, 1 + i % 10, 3))
            ThreadFactory(factor=framework[1 + i % 12])
            StateChange.objects.create(
                content_type=ContentType.objects.get_for_model(CaseStudy),
                object_id=item.pk,
                to_state=State.SUBMITTED,
            )

    grow(2)
    with django_assert_max_num_queries(11):  # one query per kind of evidence (four)
        assert client.get(reverse("community:health")).status_code == 200
    grow(20)
    from pagecache.generation import generation_bump

    generation_bump()
    with django_assert_max_num_queries(11):  # one query per kind of evidence (four)
        assert client.get(reverse("community:health")).status_code == 200


def test_months_wrap_as_time_passes(framework):
    rows = health_figures(today=TODAY + timedelta(days=60), months=2)
    assert [row.month for row in rows] == [date(2026, 12, 1), date(2027, 1, 1)]

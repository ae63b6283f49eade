"""Quantified improvement (cases/improvement.py, cases/measures.py), worked out by hand.

The scenario (`improvement`), factor I unless said otherwise:
  A  published, I worked, II failed: incident rate 10 → 6 (−40 %, improved), task success
     80 → 88 (+10 %, improved)                       → improved (counts for I, not for II)
  B  published, I adapted: incident rate 4 → 5 (+25 %, worsened), task success 50 → 60
     (+20 %, improved)                               → mixed (does not count)
  C  published, I worked: incident rate 0 → 2 (worse; no relative change from 0) → worsened
  D  published, I worked: incident rate 5 → 5 (0 %)  → no change
  E  published, I worked: only an "other" result      → shown, not added up
  F  published, I adapted: incident rate 20 → 10 (−50 %) → improved (counts)
  and a draft, a submitted, a rejected, a withdrawn and a hidden case study applying I,
  each with incident rate 10 → 1: none counts.

Factor I: 2 case studies reporting improvement (A, F). Incident rate: 5 results, 2 improved,
2 worsened, 1 unchanged, 1 without relative change (C); relative changes −50, −40, 0, +25 %:
median −20 %, range −50 % to +25 %. Task success: 2 results, median +15 %, range +10 to +20 %.
Factor II: 0 (it failed in A). Framework-wide: 2 (A, F).
"""

from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import improvement
from cases.improvement import Direction, Verdict
from cases.measures import improvement_of
from cases.models import Metric, State
from factors.measuring import measure_factors, measure_framework
from tests.factories import CaseStudyFactory, QuantifiedResultFactory

# -- the pure rules ----------------------------------------------------------------------------


def test_direction_follows_the_metric_better_direction():
    assert improvement.direction(D(10), D(6), "lower") == Direction.IMPROVED
    assert improvement.direction(D(10), D(6), "higher") == Direction.WORSENED
    assert improvement.direction(D(80), D(88), "higher") == Direction.IMPROVED
    assert improvement.direction(D(5), D(5), "lower") == Direction.UNCHANGED
    assert improvement.direction(D(0), D(2), "lower") == Direction.WORSENED  # from zero


def test_relative_change_is_none_from_zero():
    assert improvement.relative_change(D(10), D(6)) == D("-0.4")
    assert improvement.relative_change(D(4), D(5)) == D("0.25")
    assert improvement.relative_change(D(-4), D(-2)) == D("0.5")  # over |before|
    assert improvement.relative_change(D(0), D(2)) is None


@pytest.mark.parametrize(
    "directions, verdict",
    [
        (["improved", "unchanged"], Verdict.IMPROVED),
        (["worsened"], Verdict.WORSENED),
        (["improved", "worsened"], Verdict.MIXED),
        (["unchanged", "unchanged"], Verdict.NO_CHANGE),
        ([], None),
    ],
)
def test_case_study_verdict(directions, verdict):
    assert improvement.case_study_verdict(Direction(d) for d in directions) == verdict


def test_summarize_metric_by_hand():
    rows = [(D(10), D(6)), (D(4), D(5)), (D(0), D(2)), (D(5), D(5)), (D(20), D(10))]
    s = improvement.summarize_metric(rows, "lower")
    assert (s.results, s.improved, s.worsened, s.unchanged) == (5, 2, 2, 1)
    assert s.without_relative_change == 1
    assert s.median == D("-0.2")
    assert (s.lowest, s.highest) == (D("-0.5"), D("0.25"))


def test_summarize_metric_with_only_zero_before_has_no_median():
    s = improvement.summarize_metric([(D(0), D(3))], "higher")
    assert (s.results, s.improved, s.median, s.lowest, s.highest) == (1, 1, None, None, None)


def test_percent_in_words():
    assert improvement.percent(D("-0.4")) == "−40%"
    assert improvement.percent(D("0.125")) == "+12.5%"
    assert improvement.percent(D("0")) == "0%"
    assert improvement.percent(None) == "n/a"


# -- on the database ---------------------------------------------------------------------------


def vocabulary():
    """The two metrics the scenario uses (made by migration cases 0007; made again here when
    a transactional test emptied the tables)."""
    incidents, _ = Metric.objects.get_or_create(
        slug="incident-rate",
        defaults={"name": "Incident rate", "better": "lower", "definition": "Incidents."},
    )
    success, _ = Metric.objects.get_or_create(
        slug="task-success-rate",
        defaults={"name": "Task success rate", "better": "higher", "definition": "Success."},
    )
    return incidents, success


@pytest.fixture
def improvement_scenario(framework):
    f1, f2 = framework[1], framework[2]
    incidents, success = vocabulary()

    def case(title, applied, results, **kwargs):
        cs = CaseStudyFactory(title=title, applied=applied, **kwargs)
        for metric, before, after in results:
            QuantifiedResultFactory(
                case_study=cs,
                standard_metric=metric,
                metric=metric.name if metric else "runaway runs",
                before=before,
                after=after,
            )
        return cs

    a = case("A", [(f1, "worked"), (f2, "failed")], [(incidents, 10, 6), (success, 80, 88)])
    b = case("B", [(f1, "adapted")], [(incidents, 4, 5), (success, 50, 60)])
    c = case("C", [(f1, "worked")], [(incidents, 0, 2)])
    d = case("D", [(f1, "worked")], [(incidents, 5, 5)])
    e = case("E", [(f1, "worked")], [(None, 10, 1)])
    f = case("F", [(f1, "adapted")], [(incidents, 20, 10)])
    for state in (State.DRAFT, State.SUBMITTED, State.REJECTED, State.WITHDRAWN):
        case(f"not-{state}", [(f1, "worked")], [(incidents, 10, 1)], state=state)
    case("not-hidden", [(f1, "worked")], [(incidents, 10, 1)], hidden_at=timezone.now())
    return SimpleNamespace(
        f1=f1, f2=f2, a=a, b=b, c=c, d=d, e=e, f=f, incidents=incidents, success=success
    )


def test_case_studies_improved_measure(improvement_scenario):
    s = improvement_scenario
    measures = measure_factors([s.f1.pk, s.f2.pk], keys=["case_studies_improved"])
    assert measures[s.f1.pk] == {"case_studies_improved": 2}  # A and F
    assert measures[s.f2.pk] == {"case_studies_improved": 0}  # it failed in A
    assert measure_framework(keys=["case_studies_improved"]) == {"case_studies_improved": 2}


def test_factor_summary_by_hand(improvement_scenario, django_assert_num_queries):
    s = improvement_scenario
    with django_assert_num_queries(2):
        summary = improvement_of(s.f1)
    verdicts = {v: {c.case_study.title for c in rows} for v, rows in summary.by_verdict}
    assert verdicts == {
        Verdict.IMPROVED: {"A", "F"},
        Verdict.MIXED: {"B"},
        Verdict.NO_CHANGE: {"D"},
        Verdict.WORSENED: {"C"},
    }
    assert [c.case_study.title for c in summary.only_other] == ["E"]
    assert summary.improved == 2
    (m1, incidents), (m2, success) = summary.metrics
    assert (m1, m2) == (s.incidents, s.success)
    assert (incidents.results, incidents.improved, incidents.worsened, incidents.unchanged) == (
        5,
        2,
        2,
        1,
    )
    assert incidents.without_relative_change == 1
    assert (incidents.median, incidents.lowest, incidents.highest) == (
        D("-0.2"),
        D("-0.5"),
        D("0.25"),
    )
    assert (success.results, success.median, success.lowest, success.highest) == (
        2,
        D("0.15"),
        D("0.1"),
        D("0.2"),
    )


def test_factor_summary_of_a_factor_that_failed(improvement_scenario):
    summary = improvement_of(improvement_scenario.f2)
    assert [(c.case_study.title, c.verdict) for c in summary.case_studies] == [
        ("A", Verdict.IMPROVED)
    ]
    assert summary.improved == 0  # it failed in A: A's improvement does not count for it


# -- the submit form ---------------------------------------------------------------------------


@pytest.fixture
def signed_in(client, author):
    client.force_login(author)
    return client


def _post(signed_in, domain, action="submit", **row):
    from tests.cases.test_submit_pages import case_study_post, create_url

    data = case_study_post(domain, action, **{f"q-0-{k}": v for k, v in row.items()})
    return signed_in.post(create_url("case-study"), data)


def test_a_result_on_a_vocabulary_metric_needs_no_name(signed_in, framework, domain):
    vocabulary()
    response = _post(signed_in, domain, standard_metric="incident-rate", metric="", unit="")
    assert response.status_code == 302
    (result,) = results()
    assert (result.standard_metric.slug, result.metric, result.before, result.after) == (
        "incident-rate",
        "Incident rate",  # the metric's name, when the author gave none of their own
        9,
        2,
    )


def test_other_needs_a_name_and_keeps_what_was_typed(signed_in, framework, domain):
    html = _post(signed_in, domain, standard_metric="other", metric="", before="7").content
    html = html.decode()
    assert "Name the metric you chose Other for." in html
    assert 'value="7"' in html  # what was typed is kept
    assert not results()


def test_a_row_without_a_metric_choice_is_an_error(signed_in, framework, domain):
    html = _post(signed_in, domain, standard_metric="", metric="latency").content.decode()
    assert "Choose a metric (or Other), or clear the whole row." in html
    assert 'value="latency"' in html
    assert not results()


def test_an_unknown_metric_is_refused(signed_in, framework, domain):
    html = _post(signed_in, domain, standard_metric="happiness").content.decode()
    assert "Select a valid choice." in html
    assert not results()


def test_the_form_offers_the_vocabulary_with_definitions(signed_in, framework):
    incidents, _ = vocabulary()
    html = signed_in.get(reverse("cases:submission_create", args=["case-study"])).content
    html = html.decode()
    assert '<option value="incident-rate">Incident rate' in html
    assert '<option value="other">Other (shown, not added up)</option>' in html
    assert incidents.definition in html


def test_editing_keeps_the_metric_choice(signed_in, framework, domain):
    vocabulary()
    _post(signed_in, domain, standard_metric="incident-rate", action="save")
    from cases.models import CaseStudy

    item = CaseStudy.objects.get()
    url = reverse("cases:submission_edit", kwargs={"kind": "case_study", "pk": item.pk})
    html = signed_in.get(url).content.decode()
    assert '<option value="incident-rate" selected>' in html


def results():
    from cases.models import QuantifiedResult

    return list(QuantifiedResult.objects.select_related("standard_metric"))


# -- the factor page ---------------------------------------------------------------------------


def _factor_page(client, factor) -> str:
    html = client.get(factor.get_absolute_url()).content.decode()
    start = html.index('id="improvement-title"')
    return html[start : html.index("</section>", start)]


def test_factor_page_shows_the_summary_by_hand(client, improvement_scenario):
    s = improvement_scenario
    html = _factor_page(client, s.f1)
    assert "2 case studies report improvement</a>" in html
    assert "a case study applies several factors at once" in html
    incidents = html[html.index('<th scope="row">Incident rate</th>') :]
    incidents = incidents[: incidents.index("</tr>")]
    cells = [c.split(">", 1)[1].split("<", 1)[0] for c in incidents.split("<td")[1:]]
    assert cells[:6] == ["Lower is better", "5", "2", "2", "1", "−20%"]
    assert "−50% to +25%" in incidents
    assert "(1 from 0, not in the median or range)" in incidents
    success = html[html.index('<th scope="row">Task success rate</th>') :]
    assert "+15%" in success[: success.index("</tr>")]
    assert "+10% to +20%" in success[: success.index("</tr>")]
    for title in ("A", "B", "C", "D", "E", "F"):
        assert f">{title}</a></th>" in html
    assert "not-" not in html  # drafts, submitted, rejected, withdrawn, hidden
    assert html.count('<td data-label="Reads as">Improved</td>') == 2
    assert "Mixed (some better, some worse)" in html
    assert "Other metrics only (not added up)" in html
    assert "runaway runs: 10 → 1 incidents (other: not added up)" in html


def test_factor_page_without_numbers_says_so(client, framework):
    html = _factor_page(client, framework[5])
    assert "No published case study applying this factor reports quantified results yet." in html


def test_evidence_behind_the_measure_lists_the_counted_case_studies(client, improvement_scenario):
    s = improvement_scenario
    url = reverse("factors:evidence", args=[s.f1.slug, "case_studies_improved"])
    html = client.get(url).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert ">A</a>" in main and ">F</a>" in main
    for title in ("B", "C", "D", "E"):
        assert f">{title}</a>" not in main


def test_factor_page_query_count_is_capped_at_two_sizes(
    client, improvement_scenario, django_assert_max_num_queries
):
    from pagecache.generation import generation_bump_after_change
    from tests.factors.test_maturity_pages import CAPS

    s = improvement_scenario
    client.get(s.f1.get_absolute_url())  # per-process caches, as a live site has them
    generation_bump_after_change()  # as a committed change: its snapshot, then the bump
    with django_assert_max_num_queries(CAPS["detail"]):
        client.get(s.f1.get_absolute_url())
    for i in range(15):
        cs = CaseStudyFactory(title=f"more {i}", applied=[(s.f1, "worked"), (s.f2, "adapted")])
        QuantifiedResultFactory(case_study=cs, standard_metric=s.incidents, before=9, after=i)
        QuantifiedResultFactory(case_study=cs, standard_metric=s.success, before=50, after=60)
        QuantifiedResultFactory(case_study=cs, metric="other thing")
    generation_bump_after_change()
    with django_assert_max_num_queries(CAPS["detail"]):
        html = _factor_page(client, s.f1)
    assert '<td data-label="Results">20</td>' in html  # 5 + 15 incident-rate results
    # The figures cover every case study; the table lists the 10 newest and links to all.
    table = html[html.index('class="improvement-case-studies') : html.index("How a case study")]
    assert table.count('<th scope="row">') == 10 and "more 14" in table and "more 4" not in table
    all_url = reverse("factors:evidence", args=[s.f1.slug, "quantified_case_studies"])
    assert f'<a href="{all_url}">All ' in table


# -- API, CSV, snapshot ------------------------------------------------------------------------


def test_api_metrics_and_the_factor_summary(client, improvement_scenario):
    s = improvement_scenario
    metrics = client.get("/api/v1/metrics").json()
    assert {"slug": "incident-rate", "better": "lower"}.items() <= metrics[0].items()
    data = client.get(f"/api/v1/factors/{s.f1.slug}").json()
    assert data["measures"]["case_studies_improved"] == 2
    summary = data["improvement"]
    assert summary["case_studies_improved"] == 2
    assert "several factors at once" in summary["caveat"]
    incidents, success = summary["metrics"]
    assert incidents == {
        "metric": "incident-rate",
        "name": "Incident rate",
        "better": "lower",
        "results": 5,
        "improved": 2,
        "worsened": 2,
        "unchanged": 1,
        "without_relative_change": 1,
        "median_change": "-0.2000",
        "lowest_change": "-0.5000",
        "highest_change": "0.2500",
    }
    assert (success["median_change"], success["results"]) == ("0.1500", 2)
    verdicts = {c["title"]: (c["verdict"], c["counts"]) for c in summary["case_studies"]}
    assert verdicts == {
        "A": ("improved", True),
        "B": ("mixed", False),
        "C": ("worsened", False),
        "D": ("no_change", False),
        "E": (None, False),
        "F": ("improved", True),
    }


def test_api_case_study_results_name_their_metric(client, improvement_scenario):
    s = improvement_scenario
    b = client.get(f"/api/v1/case-studies/{s.b.slug}").json()["quantified"]
    assert [(q["metric_slug"], q["relative_change"], q["direction"]) for q in b] == [
        ("incident-rate", "0.2500", "worsened"),
        ("task-success-rate", "0.2000", "improved"),
    ]
    c = client.get(f"/api/v1/case-studies/{s.c.slug}").json()["quantified"]
    assert (c[0]["relative_change"], c[0]["direction"]) == (None, "worsened")  # from 0
    e = client.get(f"/api/v1/case-studies/{s.e.slug}").json()["quantified"]
    assert (e[0]["metric"], e[0]["metric_slug"], e[0]["direction"]) == ("runaway runs", None, None)


def test_openapi_declares_the_new_fields(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/metrics" in schema["paths"]
    components = schema["components"]["schemas"]
    assert "improvement" in components["FactorDetailOut"]["properties"]
    assert "metric_slug" in components["QuantifiedOut"]["properties"]
    assert components["MetricOut"]["properties"]["better"]["enum"] == ["higher", "lower"]


def test_improvement_csv_by_hand(client, improvement_scenario):
    import csv
    import io

    s = improvement_scenario
    response = client.get("/improvement.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    f1 = [r for r in rows if r["factor_slug"] == s.f1.slug]
    assert [(r["metric"], r["results"], r["median_change"]) for r in f1] == [
        ("incident-rate", "5", "-0.2"),
        ("task-success-rate", "2", "0.15"),
    ]
    assert (
        f1[0]["case_studies_improved"],
        f1[0]["improved"],
        f1[0]["worsened"],
        f1[0]["unchanged"],
        f1[0]["without_relative_change"],
        f1[0]["lowest_change"],
        f1[0]["highest_change"],
    ) == ("2", "2", "2", "1", "1", "-0.5", "0.25")
    f2 = [r for r in rows if r["factor_slug"] == s.f2.slug]
    assert [(r["case_studies_improved"], r["metric"], r["results"]) for r in f2] == [
        ("0", "incident-rate", "1"),
        ("0", "task-success-rate", "1"),
    ]
    f5 = [r for r in rows if r["factor_number"] == "5"]
    assert [(r["case_studies_improved"], r["metric"]) for r in f5] == [("0", "")]
    assert len({r["factor_number"] for r in rows}) == 12


@pytest.mark.parametrize("extra", [0, 12])
def test_improvement_csv_query_count(
    client, improvement_scenario, extra, django_assert_max_num_queries
):
    s = improvement_scenario
    for i in range(extra):
        cs = CaseStudyFactory(applied=[(s.f1, "worked"), (s.f2, "adapted")])
        QuantifiedResultFactory(case_study=cs, standard_metric=s.incidents, before=9, after=i)
    with django_assert_max_num_queries(3):
        rows = b"".join(client.get("/improvement.csv").streaming_content).decode().splitlines()
    assert len(rows) == 1 + 2 + 2 + 10  # header, I and II on two metrics, ten factors without


@pytest.mark.parametrize("extra", [0, 12])
def test_api_factor_query_count(client, improvement_scenario, extra, django_assert_max_num_queries):
    s = improvement_scenario
    for i in range(extra):
        cs = CaseStudyFactory(applied=[(s.f1, "worked")])
        QuantifiedResultFactory(case_study=cs, standard_metric=s.incidents, before=9, after=i)
        QuantifiedResultFactory(case_study=cs, metric="other thing")
    with django_assert_max_num_queries(19):  # the same at both sizes (18 + its domain outcomes)
        data = client.get(f"/api/v1/factors/{s.f1.slug}").json()
    assert data["improvement"]["metrics"][0]["results"] == 5 + extra


@pytest.mark.django_db(transaction=True)  # flush cannot run inside a test transaction on PostgreSQL
def test_snapshot_round_trip_keeps_the_vocabulary_and_the_summary(
    client, improvement_scenario, tmp_path
):
    from django.core.management import call_command

    from cases.models import QuantifiedResult
    from tests.opendata.test_snapshot import render_all

    s = improvement_scenario
    Metric.objects.filter(slug="incident-rate").update(definition="Incidents, as kept here.")
    urls = [
        s.f1.get_absolute_url(),
        s.f2.get_absolute_url(),
        f"/api/v1/factors/{s.f1.slug}",
        "/api/v1/metrics",
        "/improvement.csv",
        s.b.get_absolute_url(),
        s.e.get_absolute_url(),
        f"/api/v1/case-studies/{s.b.slug}",
    ]
    before = render_all(client, urls)
    out = tmp_path / "snapshot.json"
    call_command("export_snapshot", output=str(out), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    assert not Metric.objects.exists()
    call_command("import_snapshot", str(out), verbosity=0)
    after = render_all(client, urls)
    for url in urls:
        assert after[url] == before[url], f"{url} differs after the round trip"
    assert Metric.objects.get(slug="incident-rate").definition == "Incidents, as kept here."
    other = QuantifiedResult.objects.get(case_study__slug=s.e.slug)
    assert (other.standard_metric, other.metric) == (None, "runaway runs")


def test_a_snapshot_made_before_the_vocabulary_still_loads(improvement_scenario, tmp_path):
    """No "metrics" list and no metric_slug: the results load as "other", text intact."""
    from opendata.snapshot import snapshot_export, snapshot_import

    data = snapshot_export()
    del data["metrics"]
    for cs in data["case_studies"]:
        for q in cs["quantified"]:
            del q["metric_slug"]
    report = snapshot_import(data=data, force=True)
    assert report.counts["case_studies"] == 6
    from cases.models import QuantifiedResult

    assert not QuantifiedResult.objects.filter(
        case_study__slug=improvement_scenario.a.slug, standard_metric__isnull=False
    ).exists()


# -- the migration of free-text results --------------------------------------------------------


def test_migration_maps_clear_names_and_keeps_every_text(framework):
    """cases 0007 maps a free-text result to a vocabulary metric only when its name clearly is
    that metric (its name or a listed alias, case and punctuation aside, a trailing unit in
    parentheses dropped); anything else stays "other". No text changes."""
    import importlib

    from django.apps import apps

    from cases.models import QuantifiedResult

    migration = importlib.import_module("cases.migrations.0007_metric_vocabulary")
    cs = CaseStudyFactory(applied=[(framework[1], "worked")])
    texts = {
        "Incident rate": "incident-rate",
        "agent incidents per week": "incident-rate",
        "MTTR (minutes)": "mean-time-to-recovery",
        "Mean Time To Recovery": "mean-time-to-recovery",
        "cost per task": "cost-per-task",
        "Time-to-production": "time-to-production",
        "Task success rate (%)": "task-success-rate",
        "human interventions per 100 runs": "human-interventions-per-100-runs",
        "success rate": None,  # which success? not clearly the task success rate
        "runaway runs per month": None,
        "mean time to explain an incident": None,
    }
    for text in texts:
        QuantifiedResult.objects.create(case_study=cs, metric=text, before=1, after=2, unit="u")
    migration.add_vocabulary_and_map_results(apps, None)
    migration.add_vocabulary_and_map_results(apps, None)  # again: nothing changes
    assert Metric.objects.count() == 6
    found = {
        q.metric: (q.standard_metric.slug if q.standard_metric else None, q.before, q.after, q.unit)
        for q in QuantifiedResult.objects.select_related("standard_metric")
    }
    assert found == {text: (slug, 1, 2, "u") for text, slug in texts.items()}


def test_demo_results_use_the_vocabulary(client, framework):
    from cases.models import QuantifiedResult
    from demo.seed import demo_seed
    from factors.measuring import measure_framework

    demo_seed(size=60, seed=7)
    results = QuantifiedResult.objects.select_related("standard_metric")
    named = [q for q in results if q.standard_metric_id]
    assert named and len(named) < len(results)  # mostly the vocabulary, some "other"
    directions = {q.direction for q in named}
    assert {Direction.IMPROVED, Direction.WORSENED} <= directions
    assert measure_framework(keys=["case_studies_improved"])["case_studies_improved"] > 0
    shown = [f for f in framework.values() if "Median change" in _factor_page(client, f)]
    assert shown


# -- maintainers keep the vocabulary -----------------------------------------------------------


def test_a_maintainer_adds_a_metric_in_the_admin_and_the_form_offers_it(
    settings, maintainer, framework, author
):
    from django.test import Client

    settings.MAINTAINER_REQUIRE_MFA = False
    admin = Client()
    admin.force_login(maintainer)
    response = admin.post(
        reverse("admin:cases_metric_add"),
        {
            "name": "Escalations per 1,000 tasks",
            "slug": "escalations-per-1000-tasks",
            "unit": "escalations",
            "better": "lower",
            "definition": "Tasks handed to a person, per 1,000.",
            "order": "10",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    member = Client()
    member.force_login(author)
    html = member.get(reverse("cases:submission_create", args=["case-study"])).content.decode()
    assert '<option value="escalations-per-1000-tasks">Escalations per 1,000 tasks' in html
    assert "Tasks handed to a person, per 1,000." in html


def test_a_metric_that_results_name_cannot_be_deleted(improvement_scenario):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        improvement_scenario.incidents.delete()


def test_case_study_page_shows_each_result_with_its_change(client, improvement_scenario):
    s = improvement_scenario
    html = client.get(s.b.get_absolute_url()).content.decode()
    assert '<td data-label="Change">+25%, worsened</td>' in html
    assert '<td data-label="Change">+20%, improved</td>' in html
    html = client.get(s.c.get_absolute_url()).content.decode()
    assert '<td data-label="Change">from 0, worsened</td>' in html
    html = client.get(s.e.get_absolute_url()).content.decode()
    assert "runaway runs (other: not added up)" in html
    assert '<td data-label="Change">−90%</td>' in html  # shown, with no direction: "other" has none

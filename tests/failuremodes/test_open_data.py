"""Failure modes in the API (and its OpenAPI), the CSV and the snapshot (round trip)."""

import csv
import io
import json

from django.urls import reverse

from cases.models import Adaptation, Domain, FailureReport, Organization
from factors.measuring import measure_factors, measure_framework
from failuremodes.models import FailureMode
from opendata.snapshot import snapshot_export, snapshot_import

KEYS = ["failure_modes", "open_failure_modes", "open_severe_failure_modes"]


def test_the_api_lists_public_modes_with_status_and_severity(client, modes):
    data = client.get("/api/v1/failure-modes").json()
    by_title = {m["title"]: m for m in data}
    assert sorted(by_title) == [
        "Budget overrun", "Cache poisoning", "Runaway loops", "Slow drift", "Stale context",
    ]  # fmt: skip
    loops = by_title["Runaway loops"]
    assert (loops["status"], loops["severity"], loops["reports"], loops["domains"]) == (
        "open",
        "high",
        2,
        2,
    )
    assert [f["number"] for f in loops["factors"]] == [1, 2]
    budget = by_title["Budget overrun"]
    assert budget["status"] == "addressed"
    assert budget["addressed_by"].endswith(modes.adaptation.get_absolute_url())
    poisoning = by_title["Cache poisoning"]
    assert (poisoning["status"], poisoning["addressed_by"]) == ("open", None)

    detail = client.get(loops["api_url"]).json()
    assert sorted(r["title"] for r in detail["report_list"]) == [
        "Agent loop slowed the checkout",
        "Agent loop took the ward system down",
    ]
    assert client.get(f"/api/v1/failure-modes/{modes.modes.C.slug}").status_code == 404


def test_the_openapi_schema_describes_them(client, modes):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/failure-modes" in schema["paths"]
    assert "/api/v1/failure-modes/{slug}" in schema["paths"]
    status = schema["components"]["schemas"]["FailureModeOut"]["properties"]["status"]
    assert status["enum"] == ["open", "addressed"]


def test_the_csv_has_one_row_per_public_mode(client, modes):
    response = client.get(reverse("opendata:failure_modes_csv"))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    by_title = {r["title"]: r for r in rows}
    assert len(rows) == 5 and "Silent retries" not in by_title
    assert by_title["Slow drift"]["status"] == "open"
    assert by_title["Slow drift"]["severity"] == "low"
    assert by_title["Stale context"]["status"] == "addressed"
    assert by_title["Runaway loops"]["reports"] == "2"
    assert by_title["Runaway loops"]["factors"] == f"I {modes.f1.title}; II {modes.f2.title}"


def test_the_snapshot_carries_them_and_loads_them_back(modes):
    before_factors = measure_factors([modes.f1.pk, modes.f2.pk, modes.f3.pk], keys=KEYS)
    before_framework = measure_framework(keys=KEYS)
    data = json.loads(json.dumps(snapshot_export()))
    exported = {m["title"]: m for m in data["failure_modes"]}
    assert data["counts"]["failure_modes"] == 5
    assert sorted(exported["Runaway loops"]["reports"]) == sorted(
        [modes.reports.high.slug, modes.reports.low.slug]
    )  # the draft is not exported
    assert exported["Budget overrun"]["addressed_by"] == modes.adaptation.slug
    assert exported["Cache poisoning"]["addressed_by"] is None  # its adaptation is hidden

    # Into an emptied site: the same numbers.
    FailureMode.objects.all().delete()
    FailureReport.objects.all().delete()
    Adaptation.objects.all().delete()
    Organization.objects.all().delete()
    Domain.objects.all().delete()
    snapshot_import(data=data)
    assert FailureMode.objects.count() == 5
    from factors.models import Factor

    ids = {f.number: f.pk for f in Factor.objects.all()}
    after = measure_factors([ids[1], ids[2], ids[3]], keys=KEYS)
    assert [after[ids[n]] for n in (1, 2, 3)] == [
        before_factors[f.pk] for f in (modes.f1, modes.f2, modes.f3)
    ]
    assert measure_framework(keys=KEYS) == before_framework
    loaded = FailureMode.objects.get(slug=modes.modes.D.slug)
    assert loaded.is_addressed and loaded.addressed_by.slug == modes.adaptation.slug


def test_a_snapshot_made_before_failure_modes_still_loads(modes):
    data = json.loads(json.dumps(snapshot_export()))
    del data["failure_modes"]
    FailureMode.objects.all().delete()
    FailureReport.objects.all().delete()
    Adaptation.objects.all().delete()
    Organization.objects.all().delete()
    Domain.objects.all().delete()
    snapshot_import(data=data)
    assert not FailureMode.objects.exists()

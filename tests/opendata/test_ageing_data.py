"""Evidence that ages in the open data: the API and CSV say when an item was re-confirmed and
whether it is ageing; the snapshot keeps re-confirmations and fresh-only criteria."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command

from cases.models import CaseStudy
from factors.models import Criterion
from tests.clock import at, frozen
from tests.factories import CaseStudyFactory, DomainFactory

AGED = at(2026, 7, 10, 12, 0, 1)


@pytest.fixture(autouse=True)
def _window(settings):
    settings.EVIDENCE_AGEING_MONTHS = 18


@pytest.fixture
def two(framework):
    domain = DomainFactory(name="Health")
    old = CaseStudyFactory(
        title="Old", slug="old", domain=domain, published_at=at(2025, 1, 10, 12),
        applied=[(framework[1], "worked")],
    )  # fmt: skip
    confirmed = CaseStudyFactory(
        title="Confirmed", slug="confirmed", domain=domain, published_at=at(2024, 1, 1),
        confirmed_at=at(2026, 5, 1), applied=[(framework[1], "worked")],
    )  # fmt: skip
    return old, confirmed


def test_the_api_says_when_it_was_confirmed_and_whether_it_is_ageing(client, two):
    with frozen(AGED):
        cache.clear()
        rows = {r["slug"]: r for r in client.get("/api/case-studies").json()["results"]}
        detail = client.get("/api/case-studies/confirmed").json()
    assert (rows["old"]["ageing"], rows["old"]["confirmed_at"]) == (True, None)
    assert rows["confirmed"]["ageing"] is False
    assert detail["confirmed_at"].startswith("2026-05-01T00:00:00")
    assert detail["ageing"] is False


def test_the_csv_has_confirmed_at_and_ageing(client, two):
    with frozen(AGED):
        cache.clear()
        response = client.get("/case-studies.csv")
        body = b"".join(response.streaming_content).decode()  # rows are made as it streams
    rows = {r["slug"]: r for r in csv.DictReader(io.StringIO(body))}
    assert (rows["old"]["confirmed_at"], rows["old"]["ageing"]) == ("", "yes")
    assert rows["confirmed"]["confirmed_at"].startswith("2026-05-01T00:00:00")
    assert rows["confirmed"]["ageing"] == "no"


@pytest.mark.django_db(transaction=True)  # flush cannot run inside a test transaction on PostgreSQL
def test_the_snapshot_keeps_re_confirmations_and_fresh_only_criteria(tmp_path):
    call_command("load_framework", verbosity=0)
    from factors.models import Factor

    f1 = Factor.objects.get(number=1)
    CaseStudyFactory(
        title="Confirmed", slug="confirmed", domain=DomainFactory(name="Health"),
        published_at=at(2024, 1, 1), confirmed_at=at(2026, 5, 1), applied=[(f1, "worked")],
    )  # fmt: skip
    Criterion.objects.filter(phase__slug="alpha", scope="factor", measure="domains").update(
        fresh_only=True
    )
    out = tmp_path / "s.json"
    call_command("export_snapshot", output=str(out), verbosity=0)
    data = json.loads(out.read_text())
    [item] = data["evidence"]["case_study"] if "evidence" in data else data["case_studies"]
    assert item["confirmed_at"].startswith("2026-05-01T00:00:00")
    call_command("flush", interactive=False, verbosity=0)
    call_command("import_snapshot", str(out), verbosity=0)
    assert CaseStudy.objects.get(slug="confirmed").confirmed_at == at(2026, 5, 1)
    criterion = Criterion.objects.get(phase__slug="alpha", scope="factor", measure="domains")
    assert criterion.fresh_only is True
    assert Criterion.objects.filter(fresh_only=True).count() == 1

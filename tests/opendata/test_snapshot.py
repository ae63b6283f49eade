import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from cases.models import CaseStudy, Domain
from factors.models import Phase, PhaseChange
from opendata.snapshot import snapshot_export

# What the maintainer was shown before confirming (PhaseChange.shown, as factorpages/promotion.py
# records it): it travels with the phase history and shows on the factor's page.
SHOWN = {
    "snapshot": 1,
    "ranking": {
        "rank": 1, "of": 12, "readiness": "Eligible", "phase": "Alpha", "met": 1, "unmet": 0,
        "criteria": [{"description": "At least 3 domains where it worked", "comparator": "at_least",
                      "value": 3, "threshold": 3, "met": True, "margin": 0, "normalised": 0.0}],
        "organizations": 2, "production": "1 of 2 case studies (50 %)",
        "open_failure_modes": None, "classification": "Universal so far",
        "newest_evidence": "2026-05-04",
    },
    "changes": {
        "from_phase": "Alpha", "to_phase": "Beta", "unmet": [],
        "effects": [{"what": "Badge", "before": "Factor IV · Alpha", "after": "Factor IV · Beta",
                     "note": ""}],
    },
}  # fmt: skip


@pytest.fixture
def history(evidence, framework, maintainer):
    """Factor IV was promoted to Beta by a maintainer."""
    factor = framework[4]
    beta = Phase.objects.get(slug="beta")
    PhaseChange.objects.create(
        factor=factor, from_phase=factor.phase, to_phase=beta, changed_by=maintainer,
        rationale="Evidence from three domains.", shown=SHOWN,
    )  # fmt: skip
    factor.phase = beta
    factor.save()
    return maintainer


def public_urls(evidence, framework):
    urls = ["/", "/factors/", "/maturity/", "/case-studies/", "/adaptations/", "/failures/"]
    urls += ["/domains/", "/maturity.csv"]
    urls += [f.get_absolute_url() for f in framework.values()]
    urls += [d.get_absolute_url() for d in Domain.objects.all()]
    for key in ("cs1", "cs2", "adaptation", "failure"):
        urls.append(evidence[key].get_absolute_url())
    urls += [
        "/api/framework", "/api/factors", "/api/factors/continuous-validation", "/api/domains",
        "/api/case-studies", "/api/adaptations", "/api/failures",
        "/api/case-studies/tracing-every-agent-run", "/api/case-studies/budgets-for-trading-agents",
        "/api/adaptations/validation-with-a-human-in-the-loop",
        "/api/failures/runaway-loop-in-claims-triage",
        "/feeds/evidence.atom", "/case-studies.csv", "/failures.csv", "/adaptations.csv",
        "/badges/factor/continuous-validation.svg", "/badges/framework.svg",
    ]  # fmt: skip
    return urls


def render_all(client, urls):
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        pages[url] = body.decode()
    return pages


@pytest.mark.django_db(transaction=True)  # flush cannot run inside a test transaction on PostgreSQL
def test_round_trip_gives_the_same_public_pages(client, evidence, framework, history, tmp_path):
    urls = public_urls(evidence, framework)
    before = render_all(client, urls)
    # What the maintainer was shown before promoting factor IV is on its page and in the API.
    assert (
        "What the maintainer was shown before confirming" in before[framework[4].get_absolute_url()]
    )
    api = json.loads(before["/api/factors/continuous-validation"])
    assert api["phase_history"][0]["shown"] == SHOWN
    out = tmp_path / "snapshot.json"
    call_command("export_snapshot", output=str(out), verbosity=0)

    call_command("flush", interactive=False, verbosity=0)
    assert not CaseStudy.objects.exists() and not Phase.objects.exists()

    call_command("import_snapshot", str(out), verbosity=0)
    after = render_all(client, urls)
    for url in urls:
        assert after[url] == before[url], f"{url} differs after the round trip"
    assert "Bob Hidden" not in json.dumps(after)  # role and anonymous credit stayed so
    # Nothing unpublished came back.
    assert not CaseStudy.objects.filter(title__startswith="SECRET").exists()


def test_snapshot_is_versioned_licensed_and_public_only(evidence, history):
    data = snapshot_export()
    assert data["format"] == "agentops-web-snapshot"
    assert data["version"] == 1
    assert data["licence"]["name"] == "CC BY 4.0"
    assert data["generated_at"]
    text = json.dumps(data, default=str)
    assert "SECRET" not in text
    assert "@" not in text.replace("@context", "")  # no email anywhere
    assert "Bob Hidden" not in text  # role/anonymous credit carries no identity
    assert "Secret Hospital" not in text  # anonymized organizations stay anonymized
    assert [c["slug"] for c in data["case_studies"]] == [
        "tracing-every-agent-run",
        "budgets-for-trading-agents",
    ]
    by_slug = {c["slug"]: c for c in data["case_studies"]}
    assert by_slug["budgets-for-trading-agents"]["author"] is None
    assert by_slug["budgets-for-trading-agents"]["role"] == "SRE lead at a bank"
    assert by_slug["tracing-every-agent-run"]["credit"] == "Alice Example"
    assert data["adaptations"][0]["author"] is None
    factor4 = next(f for f in data["factors"] if f["number"] == 4)
    assert factor4["phase"] == "beta"
    assert factor4["phase_history"][0]["to_phase"] == "beta"
    assert factor4["phase_history"][0]["shown"] == SHOWN
    assert data["counts"]["case_studies"] == 2


def test_export_writes_to_stdout_by_default(evidence, capsys):
    call_command("export_snapshot")
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "agentops-web-snapshot"


def test_import_refuses_a_site_with_data(evidence, tmp_path):
    out = tmp_path / "s.json"
    call_command("export_snapshot", output=str(out), verbosity=0)
    with pytest.raises(CommandError, match="already has"):
        call_command("import_snapshot", str(out), verbosity=0)


def test_import_with_force_updates_by_slug(evidence, tmp_path):
    out = tmp_path / "s.json"
    call_command("export_snapshot", output=str(out), verbosity=0)
    evidence["cs1"].title = "Changed locally"
    evidence["cs1"].save()
    call_command("import_snapshot", str(out), force=True, verbosity=0)
    assert CaseStudy.objects.get(slug="tracing-every-agent-run").title == "Tracing every agent run"
    assert CaseStudy.objects.published().count() == 2


@pytest.mark.parametrize(
    "content, message",
    [
        ("not json", "not valid JSON"),
        ('{"format": "something-else", "version": 1}', "Not an agentops-web snapshot"),
        ('{"format": "agentops-web-snapshot", "version": 99}', "version 99"),
        ('{"format": "agentops-web-snapshot", "version": 1}', "lacks"),
        ("[]", "Not an agentops-web snapshot"),
    ],
)
def test_import_rejects_bad_files_clearly(db, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(CommandError, match=message):
        call_command("import_snapshot", str(path), verbosity=0)


def test_import_of_a_missing_file(db):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_snapshot", "/nonexistent/snapshot.json", verbosity=0)


@pytest.mark.django_db(transaction=True)  # flush cannot run inside a test transaction on PostgreSQL
def test_a_broken_snapshot_changes_nothing(evidence, tmp_path):
    data = snapshot_export()
    call_command("flush", interactive=False, verbosity=0)
    data["failures"][0]["factors"] = [99]  # no such factor: fails late in the import
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data, default=str))
    with pytest.raises(CommandError, match="malformed"):
        call_command("import_snapshot", str(path), verbosity=0)
    assert not Domain.objects.exists() and not Phase.objects.exists()


@pytest.mark.django_db(transaction=True)  # flush cannot run inside a test transaction on PostgreSQL
def test_dry_run_and_summary(evidence, tmp_path, capsys):
    out = tmp_path / "s.json"
    call_command("export_snapshot", output=str(out))
    assert "2 case studies" in capsys.readouterr().out
    call_command("import_snapshot", str(out), dry_run=True)
    assert "valid version-1 snapshot" in capsys.readouterr().out
    call_command("flush", interactive=False, verbosity=0)
    call_command("import_snapshot", str(out), verbosity=2)
    output = capsys.readouterr().out
    assert "Imported" in output and "2 case_studies" in output and "Framework:" in output


@pytest.mark.django_db(transaction=True)  # flush cannot run inside a test transaction on PostgreSQL
def test_timestamps_survive_the_round_trip(evidence, tmp_path):
    created = timezone.now() - timezone.timedelta(days=40)
    CaseStudy.objects.filter(pk=evidence["cs1"].pk).update(created_at=created, updated_at=created)
    out = tmp_path / "s.json"
    call_command("export_snapshot", output=str(out), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("import_snapshot", str(out), verbosity=0)
    cs = CaseStudy.objects.get(slug="tracing-every-agent-run")
    assert cs.updated_at == created and cs.published_at == evidence["cs1"].published_at


@pytest.mark.django_db(transaction=True)  # the page cache is bumped on commit
def test_import_makes_cached_pages_stale(client, evidence, tmp_path):
    out = tmp_path / "s.json"
    call_command("export_snapshot", output=str(out), verbosity=0)
    client.get("/case-studies/")
    assert client.get("/case-studies/")["X-Cache"] == "hit"
    call_command("import_snapshot", str(out), force=True, verbosity=0)
    assert client.get("/case-studies/")["X-Cache"] == "miss"


def _demo_public_urls():
    from cases.models import SUBMISSION_MODELS

    urls = ["/", "/factors/", "/maturity/", "/case-studies/", "/adaptations/", "/failures/"]
    urls += ["/domains/", "/maturity.csv", "/badges/framework.svg"]
    # /contributors/: compared below (its links carry the new site's account numbers).
    # /community/ is not carried (docs/how-to/backup-and-restore.md says why).
    urls += ["/api/framework", "/api/factors", "/api/domains", "/feeds/evidence.atom"]
    urls += ["/api/case-studies", "/api/adaptations", "/api/failures"]
    urls += [f.get_absolute_url() for f in __import__("factors.models").models.Factor.objects.all()]
    urls += [d.get_absolute_url() for d in Domain.objects.all()]
    for model in SUBMISSION_MODELS.values():
        urls += [item.get_absolute_url() for item in model.objects.published()]
    return urls


def _contributors(client):
    """The contributors page's names, each with what their own page lists (addresses differ)."""
    import re

    html = client.get("/contributors/").content.decode()
    people = {}
    for href, name in re.findall(r'href="(/contributors/\d+/)"[^>]*>([^<]+)<', html):
        page = client.get(href)
        assert page.status_code == 200, (name, href)
        people[name] = sorted(re.findall(r'href="(/(?:case-studies|adaptations|failures)/[^"]+/)"',
                                         page.content.decode()))  # fmt: skip
    return people


@pytest.mark.django_db(transaction=True)  # flush cannot run inside a test transaction on PostgreSQL
def test_a_round_trip_of_a_living_site_keeps_every_number(client, framework, tmp_path):
    """Demo data has state changes (who submitted, who reviewed), role and anonymous credit and
    people credited by name: the activity measures (engaged members, active collaborators), the
    criteria they decide and the contributors pages must read the same after the round trip."""
    from demo.seed import demo_seed
    from factors.selectors import fresh_maturity_report

    demo_seed(size=40, seed=7)
    urls = _demo_public_urls()
    before_report = fresh_maturity_report()
    before = render_all(client, urls)
    before_people = _contributors(client)
    assert before_report.framework_measures["engaged_members"] > 0
    assert before_people
    out = tmp_path / "snapshot.json"
    call_command("export_snapshot", output=str(out), verbosity=0)

    call_command("flush", interactive=False, verbosity=0)
    call_command("import_snapshot", str(out), verbosity=0)

    after_report = fresh_maturity_report()
    assert after_report.framework_measures == before_report.framework_measures
    for b, a in zip(before_report.factors, after_report.factors, strict=True):
        assert a.measures == b.measures, b.factor
        assert a.eligibility.eligible == b.eligibility.eligible, b.factor
    after = render_all(client, urls)
    for url in urls:
        assert after[url] == before[url], f"{url} differs after the round trip"
    assert _contributors(client) == before_people


def test_carried_people_count_while_inside_the_activity_window(framework, settings):
    from factors.selectors import maturity_report
    from opendata.carried import activity_import

    settings.ACTIVITY_WINDOW_DAYS = 90
    now = timezone.now()
    days = timezone.timedelta
    activity_import(
        {
            "collaborators": [(now - days(days=10)).isoformat()],
            "engaged": [(now - days(days=10)).isoformat(), (now - days(days=80)).isoformat()],
        }
    )
    measures = maturity_report(now=now).framework_measures
    assert (measures["active_collaborators"], measures["engaged_members"]) == (1, 2)
    later = maturity_report(now=now + days(days=20)).framework_measures
    assert (later["active_collaborators"], later["engaged_members"]) == (1, 1)
    much_later = maturity_report(now=now + days(days=120)).framework_measures
    assert (much_later["active_collaborators"], much_later["engaged_members"]) == (0, 0)

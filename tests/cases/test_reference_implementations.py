"""Reference implementations: the fourth kind of evidence, end to end.

Submit → review → publish through the pages, https-only addresses, the per-factor notes,
revisions, the measures (worked out by hand; only published items count), the public
lists and details, domain and factor pages, search, feeds, API, CSV and snapshot.
"""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.kinds import KINDS
from cases.models import (
    Domain,
    FactorImplementation,
    ReferenceImplementation,
    Revision,
    State,
)
from factors.measuring import measure_factors, measure_framework
from opendata.snapshot import snapshot_export, snapshot_import
from tests.factories import DomainFactory, ReferenceImplementationFactory

KIND = "reference_implementation"


def create_url():
    return reverse("cases:submission_create", kwargs={"kind": KIND})


def reference_post(domain, factors, /, action="submit", **overrides):
    data = {
        "title": "Open tracing harness",
        "summary": "A harness that records every agent run.",
        "url": "https://github.com/example/harness",
        "licence": "Apache-2.0",
        "domain": str(domain.pk),
        "organization": "",
        "maintained": "on",
        "last_checked": "2026-11-01",
        "description": "It wraps each run in a **harness**.",
        "consent": "name",
        "attribution_role": "",
        "action": action,
    }
    for factor, note in factors:
        data[f"implements_{factor.number}"] = "on"
        data[f"note_{factor.number}"] = note
    data.update(overrides)
    return data


@pytest.fixture
def signed_in(client, author):
    client.force_login(author)
    return client


# --- the kind is registered from its model ---------------------------------------------------


def test_the_registry_has_the_fourth_kind_derived_from_its_model():
    kind = KINDS[KIND]
    assert kind.model is ReferenceImplementation
    assert (kind.label, kind.plural, kind.url_segment) == (
        "Reference implementation",
        "reference implementations",
        "reference-implementation",
    )
    assert reverse(kind.list_url_name) == "/reference-implementations/"
    assert reverse(kind.csv_url_name) == "/reference-implementations.csv"


# --- submit → review → publish through the pages ------------------------------------------------


def test_submit_review_and_publish_a_reference_implementation(
    client, signed_in, author, maintainer, domain, framework, django_capture_on_commit_callbacks
):
    page = signed_in.get(create_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="url"' in html and 'name="implements_1"' in html and 'name="note_1"' in html
    assert "Tick each factor it implements" in html

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            create_url(), reference_post(domain, [(framework[1], "Records every run.")])
        )
    assert response.status_code == 302
    item = ReferenceImplementation.objects.get()
    assert item.state == State.SUBMITTED and item.author == author
    assert [(i.factor, i.note) for i in item.implementations.all()] == [
        (framework[1], "Records every run.")
    ]
    assert item.description_html == "<p>It wraps each run in a <strong>harness</strong>.</p>"
    # Not public while under review.
    assert client.get(item.get_absolute_url()).status_code == 404

    client.force_login(maintainer)
    queue = client.get(reverse("cases:review_queue")).content.decode()
    assert "Open tracing harness" in queue and "Reference implementation" in queue
    review = reverse("cases:review_item", kwargs={"kind": KIND, "pk": item.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review, {"decision": "publish", "comment": "Useful."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == State.PUBLISHED and item.published_at is not None

    client.logout()
    detail = client.get(item.get_absolute_url())
    assert detail.status_code == 200
    html = detail.content.decode()
    for text in ("https://github.com/example/harness", "Apache-2.0", "Records every run.",
                 "Reference implementation", "Cite this"):  # fmt: skip
        assert text in html
    listing = client.get(reverse("cases:reference_implementation_list")).content.decode()
    assert "Open tracing harness" in listing and "1 published reference implementation" in listing
    assert "1 published reference implementations" not in listing


def test_a_draft_needs_only_a_title_and_a_domain(signed_in, domain, framework):
    response = signed_in.post(
        create_url(),
        {"title": "Half done", "domain": str(domain.pk), "consent": "name", "action": "save"},
    )
    assert response.status_code == 302
    item = ReferenceImplementation.objects.get()
    assert item.state == State.DRAFT and not item.implementations.exists()


def test_submitting_without_a_factor_is_refused_and_keeps_the_text(signed_in, domain, framework):
    response = signed_in.post(create_url(), reference_post(domain, []))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tick at least one factor it implements" in html
    assert "A harness that records every agent run." in html  # what was typed is kept
    assert not ReferenceImplementation.objects.exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://github.com/example/harness", "(http and other schemes are not accepted)"),
        ("ftp://example.org/x", "(http and other schemes are not accepted)"),
        ("javascript:alert(1)", "Enter a valid URL."),
        ("github", "Enter a valid URL."),
    ],
)
def test_only_https_addresses_are_accepted(signed_in, domain, framework, url, message):
    response = signed_in.post(create_url(), reference_post(domain, [(framework[1], "")], url=url))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert html.index(message) > html.index('name="url"') - 2000  # beside the field
    assert f'value="{url}"' in html or url == "github"  # what was typed is kept
    assert "Please correct the errors below. Nothing was saved yet." in html
    assert not ReferenceImplementation.objects.exists()


def test_the_https_rule_holds_in_the_model_too(author, domain):
    item = ReferenceImplementation(
        author=author, domain=domain, title="x", url="http://example.org/repo"
    )
    with pytest.raises(Exception) as refused:
        item.full_clean(exclude=["slug"])
    assert "url" in refused.value.message_dict


def test_a_last_checked_date_in_the_future_is_refused(signed_in, domain, framework):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = signed_in.post(
        create_url(), reference_post(domain, [(framework[1], "")], last_checked=tomorrow)
    )
    assert response.status_code == 200
    assert "not in the future" in response.content.decode()
    assert not ReferenceImplementation.objects.exists()


def test_a_note_without_its_factor_is_an_error_beside_it(signed_in, domain, framework):
    data = reference_post(domain, [(framework[1], "")], note_5="Orphan note")
    response = signed_in.post(create_url(), data)
    assert response.status_code == 200
    assert "Tick the factor, or clear the note." in response.content.decode()


def test_editing_keeps_the_earlier_factors_as_a_revision(signed_in, author, domain, framework):
    signed_in.post(
        create_url(), reference_post(domain, [(framework[1], "First note")], action="save")
    )
    item = ReferenceImplementation.objects.get()
    edit = reverse("cases:submission_edit", kwargs={"kind": KIND, "pk": item.pk})
    signed_in.post(edit, reference_post(domain, [(framework[2], "")], action="save"))
    assert [i.factor for i in item.implementations.all()] == [framework[2]]
    revision = Revision.objects.get()
    assert revision.data["implementations"][0]["note"] == "First note"
    page = signed_in.get(
        reverse("cases:submission_revisions", kwargs={"kind": KIND, "pk": item.pk})
    ).content.decode()
    assert "Factors implemented" in page and "First note" in page


# --- measures, by hand ----------------------------------------------------------------------------


@pytest.fixture
def references(framework, author):
    """Factor I: r1 (Health), r2 (Health), r3 (Retail) published; factor II: r1 and r4
    (Finance). Not counted: a draft, a submitted, a rejected, a withdrawn and a hidden one
    (Energy), all implementing I and II."""
    health, retail, finance, energy = (
        DomainFactory(name=n) for n in ("Health", "Retail", "Finance", "Energy")
    )
    f1, f2 = framework[1], framework[2]
    make = ReferenceImplementationFactory
    items = {
        "r1": make(author=author, domain=health, factors=[(f1, "a"), (f2, "b")], title="R one"),
        "r2": make(author=author, domain=health, factors=[f1], title="R two"),
        "r3": make(author=author, domain=retail, factors=[f1], title="R three"),
        "r4": make(author=author, domain=finance, factors=[f2], maintained=False, title="R four"),
    }
    for state in (State.DRAFT, State.SUBMITTED, State.REJECTED, State.WITHDRAWN):
        make(author=author, domain=energy, factors=[f1, f2], state=state, title=f"SECRET {state}")
    make(
        author=author,
        domain=energy,
        factors=[f1, f2],
        hidden_at=timezone.now(),
        hidden_reason="Spam",
        title="SECRET hidden",
    )
    return items


def test_measures_count_only_published_reference_implementations(framework, references):
    f1, f2, f3 = framework[1], framework[2], framework[3]
    keys = ["reference_implementations", "reference_implementation_domains"]
    measures = measure_factors([f1.pk, f2.pk, f3.pk], keys=keys)
    assert measures[f1.pk] == {
        "reference_implementations": 3,  # r1, r2, r3
        "reference_implementation_domains": 2,  # Health (twice) and Retail
    }
    assert measures[f2.pk] == {
        "reference_implementations": 2,  # r1, r4
        "reference_implementation_domains": 2,  # Health and Finance
    }
    assert measures[f3.pk] == {
        "reference_implementations": 0,
        "reference_implementation_domains": 0,
    }
    framework_wide = measure_framework(keys=keys)
    assert framework_wide == {
        "reference_implementations": 4,  # r1-r4
        "reference_implementation_domains": 3,  # Health, Retail, Finance; Energy never counts
    }


def test_the_factor_page_lists_them_and_links_the_number_to_them(client, framework, references):
    html = client.get(framework[1].get_absolute_url()).content.decode()
    assert "Reference implementations (3)" in html
    assert "R one" in html and "R three" in html and "SECRET" not in html
    evidence = client.get(
        reverse("factors:evidence", args=[framework[1].slug, "reference_implementations"])
    ).content.decode()
    assert "R one" in evidence and "R two" in evidence and "SECRET" not in evidence


def test_domain_pages_list_them(client, framework, references):
    health = Domain.objects.get(name="Health")
    html = client.get(health.get_absolute_url()).content.decode()
    assert "2 reference implementations" in html
    assert "Reference implementation: <a" in html and "R two" in html
    listing = client.get(reverse("cases:domain_list")).content.decode()
    assert '<th scope="col">Reference implementations</th>' in listing


def test_search_finds_them(client, framework, references):
    html = client.get(reverse("cases:search"), {"q": "harness"}).content.decode()
    assert "Reference implementations" in html and "R one" in html and "SECRET" not in html


# --- open data ------------------------------------------------------------------------------------


def test_the_api_lists_and_details_them(client, framework, references):
    data = client.get("/api/reference-implementations").json()
    assert data["count"] == 4
    assert {r["slug"] for r in data["results"]} == {i.slug for i in references.values()}
    one = client.get(f"/api/reference-implementations/{references['r1'].slug}").json()
    assert one["kind"] == KIND and one["repository_url"].startswith("https://")
    assert one["licence"] == "Apache-2.0" and one["maintained"] is True
    assert [(f["factor"]["number"], f["note"]) for f in one["factors"]] == [(1, "a"), (2, "b")]
    assert one["description_html"] == "<p>It wraps each run in a <strong>harness</strong>.</p>"
    assert client.get("/api/reference-implementations?factor=2").json()["count"] == 2
    assert client.get("/api/reference-implementations?outcome=worked").json()["count"] == 0
    schema = client.get("/api/openapi.json").json()
    assert "/api/v1/reference-implementations" in schema["paths"]
    secret = ReferenceImplementation.objects.get(title="SECRET draft")
    assert client.get(f"/api/reference-implementations/{secret.slug}").status_code == 404
    health = client.get("/api/domains/health").json()
    assert health["reference_implementations"] == 2


def test_the_csv_has_them_with_their_factors(client, framework, references):
    response = client.get("/reference-implementations.csv?factor=1")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["title"] for r in rows] == ["R three", "R two", "R one"]  # newest first
    assert rows[2]["factors"].startswith("I ") and "; II " in rows[2]["factors"]
    assert rows[2]["licence"] == "Apache-2.0" and rows[2]["maintained"] == "yes"
    assert rows[2]["repository_url"] == "https://example.org/agentops/toolkit"


def test_the_feeds_include_them(client, framework, references):
    feed = client.get(reverse("opendata:feed_latest")).content.decode()
    assert "Reference implementation: R one" in feed and "SECRET" not in feed
    factor_feed = client.get(
        reverse("opendata:feed_factor", args=[framework[2].slug])
    ).content.decode()
    assert "R four" in factor_feed and "R two" not in factor_feed


def test_the_snapshot_carries_them_and_loads_them_back(framework, references):
    data = json.loads(json.dumps(snapshot_export()))
    exported = {r["slug"]: r for r in data["reference_implementations"]}
    assert set(exported) == {i.slug for i in references.values()}
    assert data["counts"]["reference_implementations"] == 4
    r1 = exported[references["r1"].slug]
    assert r1["implementations"] == [{"factor": 1, "note": "a"}, {"factor": 2, "note": "b"}]
    assert r1["url"] == "https://example.org/agentops/toolkit"

    # Load into an emptied site: the same four, published, with their factors.
    FactorImplementation.objects.all().delete()
    ReferenceImplementation.objects.all().delete()
    from cases.models import Organization

    Organization.objects.all().delete()
    Domain.objects.all().delete()
    snapshot_import(data=data)
    loaded = ReferenceImplementation.objects.get(slug=references["r1"].slug)
    assert loaded.state == State.PUBLISHED and loaded.licence == "Apache-2.0"
    assert [(i.factor.number, i.note) for i in loaded.implementations.all()] == [(1, "a"), (2, "b")]
    assert ReferenceImplementation.objects.count() == 4


# --- query caps at two data sizes -------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "cap"),
    [
        ("/reference-implementations/", 8),
        ("/reference-implementations.csv", 6),
        ("/api/reference-implementations", 8),
    ],
)
def test_lists_run_a_fixed_number_of_queries(
    client, framework, author, django_assert_max_num_queries, url, cap
):
    domain = DomainFactory()
    for size in (2, 12):
        while ReferenceImplementation.objects.count() < size:
            ReferenceImplementationFactory(
                author=author, domain=domain, factors=[framework[1], framework[2]]
            )
        with django_assert_max_num_queries(cap):
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            assert response.status_code == 200


def test_the_detail_page_runs_a_fixed_number_of_queries(
    client, framework, author, django_assert_max_num_queries
):
    item = ReferenceImplementationFactory(
        author=author, factors=[framework[n] for n in range(1, 13)]
    )
    with django_assert_max_num_queries(6):
        assert client.get(item.get_absolute_url()).status_code == 200


def test_a_snapshot_made_before_reference_implementations_still_loads(framework, references):
    data = json.loads(json.dumps(snapshot_export()))
    del data["reference_implementations"]
    FactorImplementation.objects.all().delete()
    ReferenceImplementation.objects.all().delete()
    from cases.models import Organization

    Organization.objects.all().delete()
    Domain.objects.all().delete()
    snapshot_import(data=data)
    assert not ReferenceImplementation.objects.exists()

"""The submit form asks only what applies: notes only for applied factors, no preset
deployment, and an organization list with no two entries alike (issue 16)."""

import re

import pytest
from django.conf import settings

from cases.forms import organization_labels
from cases.models import CaseStudy, Domain, Organization
from tests.cases.test_submit_pages import case_study_post, create_url, item_url
from tests.factories import DomainFactory, OrganizationFactory


@pytest.fixture
def signed_in(client, author):
    client.force_login(author)
    return client


def factor_rows(html: str) -> dict[int, str]:
    """Each factor's row (its class attribute and contents), by factor number."""
    rows = {}
    for match in re.finditer(r'<div class="(factor-row[^"]*)">(.*?)</div>\s*</div>', html, re.S):
        number = re.search(r'name="(?:outcome|implements)_(\d+)"', match.group(2))
        rows[int(number.group(1))] = match.group(1)
    return rows


# --- notes only for applied factors ------------------------------------------------------------


def test_a_new_form_keeps_every_note_folded_until_its_factor_is_applied(signed_in, framework):
    html = signed_in.get(create_url("case-study")).content.decode()
    rows = factor_rows(html)
    assert sorted(rows) == list(range(1, 13))
    # No row keeps its note in view: site.css hides a note while its factor is "Not applied".
    assert set(rows.values()) == {"factor-row"}
    assert html.count('class="field factor-note"') == 12
    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    hide = (
        '.factor-row:not(.keep-note):has(select option[value=""]:checked)'
        ":has(textarea:placeholder-shown) > .factor-note"
    )
    assert hide in css
    assert html.count('placeholder="Optional"') == 12  # what :placeholder-shown reads
    assert "<script" not in html and 'style="' not in html


def test_applied_factors_keep_their_notes_and_a_note_without_its_factor_is_an_error(
    signed_in, framework, domain
):
    data = case_study_post(domain, note_3="We tried it, then stopped.", outcome_3="")
    response = signed_in.post(create_url("case-study"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert not CaseStudy.objects.exists()
    assert "Choose how it went, or clear the note." in html
    rows = factor_rows(html)
    # The typed note stays, and stays in view (with the error beside its factor's choice).
    assert rows[3] == "factor-row keep-note"
    assert "We tried it, then stopped.</textarea>" in html
    assert rows[1] == rows[7] == "factor-row keep-note"  # applied, with their notes
    assert rows[2] == "factor-row"  # not applied, no note: folded


def test_notes_are_never_required_and_only_applied_factors_are_saved(signed_in, framework, domain):
    data = case_study_post(domain, note_1="", note_7="")
    assert signed_in.post(create_url("case-study"), data).status_code == 302
    item = CaseStudy.objects.get()
    assert [(a.factor.number, a.outcome, a.note) for a in item.applications.all()] == [
        (1, "worked", ""),
        (7, "failed", ""),
    ]


def test_editing_shows_the_notes_of_the_applied_factors(signed_in, framework, make_item):
    item = make_item()
    application = item.applications.get()
    application.note = "Traced every call."
    application.save()
    html = signed_in.get(item_url("submission_edit", item)).content.decode()
    rows = factor_rows(html)
    assert rows[1] == "factor-row keep-note"
    assert "Traced every call.</textarea>" in html
    assert rows[2] == "factor-row"


def test_reference_implementation_notes_open_only_for_ticked_factors(signed_in, framework):
    html = signed_in.get(create_url("reference-implementation")).content.decode()
    rows = factor_rows(html)
    assert sorted(rows) == list(range(1, 13))
    assert set(rows.values()) == {"factor-row"}


# --- deployment: no answer chosen for the person -------------------------------------------------


def selected_deployment(html: str) -> str:
    select = re.search(r'<select name="deployment".*?</select>', html, re.S).group(0)
    chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', select)
    return chosen[0] if chosen else ""


def test_deployment_starts_at_choose_and_is_needed_to_submit(signed_in, framework, domain):
    html = signed_in.get(create_url("case-study")).content.decode()
    assert '<option value="" selected>Choose…</option>' in html
    assert selected_deployment(html) == ""

    response = signed_in.post(create_url("case-study"), case_study_post(domain, deployment=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert not CaseStudy.objects.exists()
    message = "Choose whether it runs in production or is a pilot."
    assert html.count(message) == 1
    # Beside the field, and the rest of what was typed is kept.
    assert html.index('for="id_deployment"') < html.index(message) < html.index('id="id_duration')
    assert "A *busy* ward.</textarea>" in html


def test_a_draft_without_a_deployment_stays_without_one(signed_in, framework, domain):
    data = case_study_post(domain, action="save", deployment="")
    response = signed_in.post(create_url("case-study"), data)
    assert response.status_code == 302
    item = CaseStudy.objects.get()
    assert item.deployment == ""
    assert selected_deployment(signed_in.get(response.url).content.decode()) == ""
    detail = signed_in.get(item_url("submission_detail", item)).content.decode()
    assert "<dt>Deployment</dt><dd>Not chosen yet</dd>" in detail
    # Once chosen, the edit page shows the choice.
    signed_in.post(response.url, case_study_post(domain, action="save", deployment="pilot"))
    item.refresh_from_db()
    assert item.deployment == "pilot"
    assert selected_deployment(signed_in.get(response.url).content.decode()) == "pilot"


# --- organizations: no two entries alike ----------------------------------------------------


def _org(pk, name, domain, *, anonymized=False, size_band=""):
    return Organization(pk=pk, name=name, domain=domain, anonymized=anonymized, size_band=size_band)


def test_organization_labels_are_distinct_and_never_name_an_anonymized_one():
    platform = Domain(pk=1, name="Platform engineering")
    health = Domain(pk=2, name="Healthcare")
    orgs = [
        _org(10, "Acme Cloud", platform),
        _org(11, "Secret Corp", platform, anonymized=True, size_band="large"),
        _org(12, "Hidden Ltd", platform, anonymized=True, size_band="large"),
        _org(13, "Quiet Inc", platform, anonymized=True, size_band="small"),
        _org(14, "Nameless", platform, anonymized=True),
        _org(15, "Riverside", health, anonymized=True, size_band="large"),
    ]
    labels = organization_labels(orgs)
    assert labels == {
        10: "Acme Cloud",
        11: "a platform engineering organization, large (1,000–9,999 people), no. 1",
        12: "a platform engineering organization, large (1,000–9,999 people), no. 2",
        13: "a platform engineering organization, small (under 50 people)",
        14: "a platform engineering organization",
        15: "a healthcare organization, large (1,000–9,999 people)",
    }
    assert not any(name in " ".join(labels.values()) for name in ("Secret", "Hidden", "Quiet"))


def test_the_organization_list_has_no_identical_entries(signed_in, framework):
    platform = DomainFactory(name="Platform engineering")
    OrganizationFactory(name="Orbit Systems", domain=platform)
    for name in ("Alpha", "Beta", "Gamma", "Delta"):
        OrganizationFactory(name=name, domain=platform, anonymized=True, size_band="medium")
    html = signed_in.get(create_url("case-study")).content.decode()
    select = re.search(r'<select name="organization".*?</select>', html, re.S).group(0)
    labels = re.findall(r"<option value=\"\d+\"[^>]*>([^<]*)</option>", select)
    assert len(labels) == 5 and len(set(labels)) == 5
    assert '<optgroup label="Platform engineering">' in select
    assert labels[0] == "Orbit Systems"
    assert labels[1] == "a platform engineering organization, medium (50–999 people), no. 1"
    assert not any(name in select for name in ("Alpha", "Beta", "Gamma", "Delta"))


def test_choosing_an_organization_from_the_grouped_list_saves_it(signed_in, framework, domain):
    org = OrganizationFactory(name="Northgate Clinics", domain=domain)
    data = case_study_post(domain, organization=str(org.pk))
    assert signed_in.post(create_url("case-study"), data).status_code == 302
    assert CaseStudy.objects.get().organization == org

"""Writing evidence through the pages: forms, drafts, preview, submit, edit, withdraw, bad input."""

import pytest
from django.core import mail
from django.urls import reverse

from cases.models import Adaptation, CaseStudy, FailureReport, Revision, State, StateChange
from tests.factories import UserFactory


def create_url(kind):
    return reverse("cases:submission_create", kwargs={"kind": kind})


def item_url(name, item):
    return reverse(f"cases:{name}", kwargs={"kind": type(item).KIND, "pk": item.pk})


def case_study_post(domain, /, action="submit", **overrides):
    data = {
        "title": "Agents on call at a hospital",
        "summary": "We put three agents on call.",
        "domain": str(domain.pk),
        "organization": "",
        "deployment": "production",
        "duration_months": "6",
        "team_size": "4",
        "context": "A *busy* ward.",
        "approach": "Tracing first.",
        "results": "Fewer pages.",
        "lessons": "Start small.",
        "consent": "name",
        "attribution_role": "",
        "outcome_1": "worked",
        "note_1": "Traces everywhere.",
        "outcome_7": "failed",
        "note_7": "Too noisy.",
        "q-TOTAL_FORMS": "2",
        "q-INITIAL_FORMS": "0",
        "q-MIN_NUM_FORMS": "0",
        "q-MAX_NUM_FORMS": "20",
        "q-0-standard_metric": "other",
        "q-0-metric": "agent incidents per week",
        "q-0-before": "9",
        "q-0-after": "2",
        "q-0-unit": "incidents",
        "action": action,
    }
    data.update(overrides)
    return data


def adaptation_post(domain, factor, /, action="submit", **overrides):
    data = {
        "title": "Looser budgets for night shifts",
        "factor": str(factor.pk),
        "domain": str(domain.pk),
        "changes": "We doubled the budget.",
        "outcome": "Fewer false alarms.",
        "consent": "anonymous",
        "action": action,
    }
    data.update(overrides)
    return data


def failure_post(domain, factors, /, action="submit", **overrides):
    data = {
        "title": "Runaway retries",
        "factors": [str(f.pk) for f in factors],
        "severity": "high",
        "domain": str(domain.pk),
        "symptom": "Loops.",
        "impact": "Two hours down.",
        "root_cause": "No retry budget.",
        "detection": "An alert.",
        "prevention": "A budget.",
        "consent": "role",
        "attribution_role": "SRE lead",
        "action": action,
    }
    data.update(overrides)
    return data


@pytest.fixture
def signed_in(client, author):
    client.force_login(author)
    return client


# --- the landing page ---------------------------------------------------------------------


def test_landing_offers_the_three_kinds_to_verified_users(signed_in, framework):
    html = signed_in.get(reverse("cases:submit")).content.decode()
    for kind in ("case-study", "adaptation", "failure"):
        assert f'href="/submit/{kind}/"' in html


def test_landing_asks_anonymous_visitors_to_sign_in(client, db):
    html = client.get(reverse("cases:submit")).content.decode()
    assert "Sign in</a>" in html
    assert 'href="/submit/case-study/"' not in html


def test_unverified_users_are_told_to_verify_their_email(client, framework):
    client.force_login(UserFactory(verified=False))
    html = client.get(reverse("cases:submit")).content.decode()
    assert "Verify your email address" in html
    response = client.get(create_url("case-study"))
    assert response.status_code == 403
    assert "Verify your email address to submit" in response.content.decode()
    response = client.post(create_url("adaptation"), {"title": "x"})
    assert response.status_code == 403
    assert not Adaptation.objects.exists()


# --- the forms ---------------------------------------------------------------------------


def test_case_study_form_groups_factors_by_tier_with_help_and_outcomes(signed_in, framework):
    response = signed_in.get(create_url("case-study"))
    assert response.status_code == 200
    html = response.content.decode()
    for tier in ("Foundation", "Operations", "Improvement"):
        assert f"<legend>{tier}</legend>" in html
    assert html.index("<legend>Foundation</legend>") < html.index("<legend>Improvement</legend>")
    for label in ("Worked as written", "Worked with adaptation", "Failed", "Not applied"):
        assert label in html
    assert 'name="q-0-metric"' in html
    assert html.count('class="helptext"') >= 20  # inline help on every field
    for name in ("Save draft", "Preview", "Submit for review", "Add another row"):
        assert name in html
    assert "<script" not in html and 'style="' not in html


def test_adaptation_form_has_factor_optgroups(signed_in, framework):
    html = signed_in.get(create_url("adaptation")).content.decode()
    assert '<optgroup label="Foundation">' in html
    assert '<optgroup label="Improvement">' in html


def test_failure_form_has_grouped_factor_checkboxes_and_severity(signed_in, framework):
    html = signed_in.get(create_url("failure")).content.decode()
    assert 'type="checkbox" name="factors"' in html
    assert "Foundation" in html
    assert 'value="critical"' in html


def test_unknown_kind_is_404(signed_in, framework):
    assert signed_in.get("/submit/essay/").status_code == 404


# --- drafts, preview, submit -----------------------------------------------------------------


def test_submitting_a_complete_case_study(signed_in, framework, domain, author, maintainer):
    from django.test.utils import CaptureQueriesContext  # noqa: F401

    response = signed_in.post(create_url("case-study"), case_study_post(domain))
    assert response.status_code == 302
    assert response.url == reverse("cases:my_submissions")
    item = CaseStudy.objects.get()
    assert item.author == author
    assert item.state == State.SUBMITTED
    assert item.submitted_at is not None
    assert item.context_html == "<p>A <em>busy</em> ward.</p>"
    assert [(a.factor.number, a.outcome, a.note) for a in item.applications.all()] == [
        (1, "worked", "Traces everywhere."),
        (7, "failed", "Too noisy."),
    ]
    assert [(q.metric, q.before, q.after) for q in item.quantified.all()] == [
        ("agent incidents per week", 9, 2)
    ]
    assert [c.to_state for c in item.state_changes.all()] == ["draft", "submitted"]


def test_submit_email_goes_to_maintainers_after_the_response_commits(
    signed_in, framework, domain, maintainer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(create_url("case-study"), case_study_post(domain))
    assert [m.to for m in mail.outbox] == [[maintainer.email]]


def test_half_filled_draft_saves_and_keeps_what_was_typed(signed_in, framework, domain):
    data = {"title": "Just a start", "domain": str(domain.pk), "context": "Half a thought",
            "consent": "name", "deployment": "pilot", "action": "save",
            "q-TOTAL_FORMS": "1", "q-INITIAL_FORMS": "0"}  # fmt: skip
    response = signed_in.post(create_url("case-study"), data)
    item = CaseStudy.objects.get()
    assert response.status_code == 302
    assert response.url == item_url("submission_edit", item)
    assert item.state == State.DRAFT
    assert item.context == "Half a thought"
    html = signed_in.get(response.url).content.decode()
    assert "Draft saved" in html
    assert "Half a thought</textarea>" in html


def test_submitting_with_empty_required_fields_shows_errors_next_to_them(
    signed_in, framework, domain
):
    data = case_study_post(domain, summary="", lessons="", outcome_1="", note_1="", outcome_7="")
    data["note_7"] = ""
    response = signed_in.post(create_url("case-study"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert not CaseStudy.objects.exists()
    assert html.count("This field is required.") == 2
    assert "Say how at least one factor went" in html
    # Everything typed is still there.
    assert "A *busy* ward.</textarea>" in html
    assert 'value="agent incidents per week"' in html
    # The error sits next to its field.
    summary_at = html.index('name="summary"')
    assert html.rindex("This field is required.", 0, summary_at) > html.index('for="id_summary"')


def test_preview_renders_sanitized_markdown_and_keeps_everything(signed_in, framework, domain):
    data = case_study_post(domain, action="preview", approach="**Bold** <script>alert(1)</script>")
    response = signed_in.post(create_url("case-study"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>Bold</strong>" in html
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</textarea>" in html  # kept, escaped
    assert not CaseStudy.objects.exists()


def test_add_another_row_keeps_rows_and_adds_one(signed_in, framework, domain):
    response = signed_in.post(create_url("case-study"), case_study_post(domain, action="add_row"))
    html = response.content.decode()
    assert 'name="q-2-metric"' in html
    assert 'value="agent incidents per week"' in html
    assert not CaseStudy.objects.exists()


def test_half_filled_quantified_row_is_an_error_not_lost(signed_in, framework, domain):
    data = case_study_post(domain, **{"q-1-metric": "latency", "q-1-after": "oops"})
    html = signed_in.post(create_url("case-study"), data).content.decode()
    assert "Enter a number." in html
    assert 'value="latency"' in html
    assert not CaseStudy.objects.exists()


def test_adaptation_and_failure_submit(signed_in, framework, domain):
    signed_in.post(create_url("adaptation"), adaptation_post(domain, framework[4]))
    signed_in.post(create_url("failure"), failure_post(domain, [framework[2], framework[9]]))
    adaptation = Adaptation.objects.get()
    failure = FailureReport.objects.get()
    assert (adaptation.state, adaptation.factor) == (State.SUBMITTED, framework[4])
    assert failure.state == State.SUBMITTED
    assert {f.number for f in failure.factors.all()} == {2, 9}
    assert failure.credit == "SRE lead"


def test_role_credit_without_a_role_is_an_error_on_submit(signed_in, framework, domain):
    data = failure_post(domain, [framework[2]], attribution_role="")
    html = signed_in.post(create_url("failure"), data).content.decode()
    assert "Say which role to credit" in html
    assert not FailureReport.objects.exists()


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "x" * 201, "at most 200 characters"),
        ("summary", "x" * 501, "at most 500 characters"),
        ("context", "x" * 20_001, "at most 20000 characters"),
        ("note_1", "x" * 2001, "at most 2000 characters"),
        ("q-0-metric", "x" * 121, "at most 120 characters"),
        ("team_size", "99999999", "less than or equal to"),
        ("domain", "999999", "Select a valid choice"),
        ("organization", "999999", "Select a valid choice"),
        ("outcome_1", "great", "Select a valid choice"),
        ("consent", "everyone", "Select a valid choice"),
    ],
)
def test_bad_case_study_input_is_a_message_next_to_the_field(
    signed_in, framework, domain, field, value, message
):
    for action in ("save", "submit"):
        response = signed_in.post(
            create_url("case-study"), case_study_post(domain, action=action, **{field: value})
        )
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not CaseStudy.objects.exists()


@pytest.mark.parametrize("factor_value", ["999", "abc", ""])
def test_unknown_factor_ids_are_refused(signed_in, framework, domain, factor_value):
    response = signed_in.post(
        create_url("adaptation"), adaptation_post(domain, framework[1], factor=factor_value)
    )
    assert response.status_code == 200
    assert not Adaptation.objects.exists()
    response = signed_in.post(
        create_url("failure"), failure_post(domain, [], factors=[factor_value])
    )
    assert response.status_code == 200
    assert not FailureReport.objects.exists()


def test_tampered_formset_management_data_is_not_a_500(signed_in, framework, domain):
    for total in ("100000", "lots"):
        data = case_study_post(domain, **{"q-TOTAL_FORMS": total})
        response = signed_in.post(create_url("case-study"), data)
        assert response.status_code == 200
        assert "form-errors" in response.content.decode()
    data = case_study_post(domain, **{"q-TOTAL_FORMS": "-1"})
    assert signed_in.post(create_url("case-study"), data).status_code in (200, 302)
    data = case_study_post(domain, action="add_row", **{"q-TOTAL_FORMS": "x"})
    assert signed_in.post(create_url("case-study"), data).status_code == 200


def test_double_submit_of_the_same_form_makes_one_item(signed_in, framework, domain):
    token = "a" * 32
    data = case_study_post(domain, form_token=token)
    first = signed_in.post(create_url("case-study"), data)
    second = signed_in.post(create_url("case-study"), data)
    item = CaseStudy.objects.get()
    assert first.status_code == second.status_code == 302
    assert second.url == item_url("submission_detail", item)
    assert item.state_changes.filter(to_state=State.SUBMITTED).count() == 1
    assert "already sent" in signed_in.get(second.url).content.decode()


def test_form_token_is_in_the_new_item_form(signed_in, framework):
    html = signed_in.get(create_url("adaptation")).content.decode()
    assert 'name="form_token"' in html


# --- editing -----------------------------------------------------------------------------------


def test_author_edits_a_draft_and_a_revision_is_kept(signed_in, framework, make_item, domain):
    item = make_item(title="Old title", domain=domain)
    page = signed_in.get(item_url("submission_edit", item))
    assert 'value="Old title"' in page.content.decode()
    response = signed_in.post(
        item_url("submission_edit", item), case_study_post(domain, action="save", title="New")
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "New"
    revision = item.revisions.get()
    assert revision.data["title"] == "Old title"
    html = signed_in.get(item_url("submission_revisions", item)).content.decode()
    assert "Version 1" in html and "Old title" in html


def test_saving_the_same_edit_twice_keeps_one_revision(signed_in, framework, make_item, domain):
    item = make_item(domain=domain)
    data = case_study_post(domain, action="save", title="Changed once")
    signed_in.post(item_url("submission_edit", item), data)
    signed_in.post(item_url("submission_edit", item), data)
    assert Revision.objects.count() == 1


def test_changes_requested_item_can_be_edited_and_resubmitted(
    signed_in, framework, make_item, domain, maintainer
):
    item = make_item(state=State.CHANGES_REQUESTED, domain=domain)
    response = signed_in.post(item_url("submission_edit", item), case_study_post(domain))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == State.SUBMITTED
    assert item.revisions.count() == 1


@pytest.mark.parametrize("state", ["submitted", "published", "rejected", "withdrawn"])
def test_editing_a_frozen_item_is_refused_with_a_message(
    signed_in, framework, make_item, domain, state
):
    item = make_item(state=state, title="Frozen", domain=domain)
    response = signed_in.post(
        item_url("submission_edit", item), case_study_post(domain, title="Sneaky")
    )
    assert response.status_code == 302
    assert response.url == item_url("submission_detail", item)
    item.refresh_from_db()
    assert item.title == "Frozen"
    assert item.state == state
    assert not item.revisions.exists()
    html = signed_in.get(response.url).content.decode()
    assert "can&#x27;t be edited" in html


def test_double_submit_of_an_edit_form_makes_one_transition(
    signed_in, framework, make_item, domain
):
    item = make_item(domain=domain)
    data = case_study_post(domain)
    signed_in.post(item_url("submission_edit", item), data)
    second = signed_in.post(item_url("submission_edit", item), data)
    assert second.status_code == 302
    assert item.state_changes.filter(to_state=State.SUBMITTED).count() == 1


# --- withdraw ----------------------------------------------------------------------------------


def test_withdraw_asks_for_confirmation_then_keeps_the_item(signed_in, framework, make_item):
    item = make_item(state=State.SUBMITTED)
    page = signed_in.get(item_url("submission_withdraw", item))
    assert "Withdraw it" in page.content.decode()
    item.refresh_from_db()
    assert item.state == State.SUBMITTED  # a GET changes nothing
    response = signed_in.post(item_url("submission_withdraw", item), {"comment": "Not ready."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == State.WITHDRAWN
    assert item.state_changes.last().comment == "Not ready."
    again = signed_in.post(item_url("submission_withdraw", item))
    assert again.status_code == 302
    assert StateChange.objects.filter(to_state=State.WITHDRAWN).count() == 1


def test_published_items_cannot_be_withdrawn(signed_in, framework, make_item):
    item = make_item(state=State.PUBLISHED)
    response = signed_in.post(item_url("submission_withdraw", item))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == State.PUBLISHED


# --- my submissions ----------------------------------------------------------------------------


def test_my_submissions_shows_state_latest_comment_and_next_step(
    signed_in, framework, make_item, maintainer, other
):
    from cases import services

    draft = make_item(title="My draft")
    asked = make_item(state=State.SUBMITTED, title="Needs work")
    services.submission_request_changes(item=asked, actor=maintainer, comment="Add the numbers.")
    make_item(state=State.SUBMITTED, title="Waiting", kind="adaptation")
    make_item(state=State.PUBLISHED, title="Out there", kind="failure")
    make_item(title="Someone else's", by=other)

    html = signed_in.get(reverse("cases:my_submissions")).content.decode()
    assert "Someone else" not in html
    for title in ("My draft", "Needs work", "Waiting", "Out there"):
        assert title in html
    assert "Add the numbers." in html
    assert "make the changes asked for" in html
    assert "wait: a maintainer will review it" in html
    assert "finish it and submit it" in html
    assert item_url("submission_edit", draft) in html
    assert "Adaptation" in html and "Failure report" in html


def test_edit_page_shows_the_changes_asked_for(signed_in, make_item, maintainer):
    from cases import services

    item = make_item(state=State.SUBMITTED)
    services.submission_request_changes(item=item, actor=maintainer, comment="Add the units.")
    html = signed_in.get(item_url("submission_edit", item)).content.decode()
    assert "Add the units." in html

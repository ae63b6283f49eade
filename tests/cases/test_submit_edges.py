"""Sending a new item at the edges: sent twice, sent after an error page, sent by several people
with the same title at once, and odd "Add row" counts. Nothing is lost, nothing is doubled."""

import threading

import pytest
from django.db import OperationalError, connection, connections
from django.test import Client

from cases import services, workflow
from cases.models import CaseStudy, FormToken, State
from cases.models import base as case_models
from tests.cases.test_submit_pages import case_study_post, create_url, item_url
from tests.factories import UserFactory

TOKEN = "b" * 32


@pytest.fixture
def signed_in(client, author):
    client.force_login(author)
    return client


# --- the form's one-time token lives with the item ----------------------------------------------


def test_a_form_sent_again_in_a_new_session_answers_with_the_saved_item(
    client, author, framework, domain
):
    """The token is in the database, not the session: a lost or unsaved session (the database was
    away when it should have been saved) still finds the item the form made."""
    client.force_login(author)
    first = client.post(create_url("case-study"), case_study_post(domain, form_token=TOKEN))
    assert first.status_code == 302
    client.logout()
    client.force_login(author)  # a new, empty session
    again = client.post(create_url("case-study"), case_study_post(domain, form_token=TOKEN))
    item = CaseStudy.objects.get()
    assert again.status_code == 302
    assert again.url == item_url("submission_detail", item)
    assert "already sent" in client.get(again.url).content.decode()
    assert FormToken.objects.get().item == item


def test_the_same_token_from_another_member_makes_their_own_item(signed_in, framework, domain):
    signed_in.post(create_url("case-study"), case_study_post(domain, form_token=TOKEN))
    other = Client()
    other.force_login(UserFactory())
    response = other.post(create_url("case-study"), case_study_post(domain, form_token=TOKEN))
    assert response.status_code == 302
    assert CaseStudy.objects.count() == 2


def test_an_error_during_submit_leaves_nothing_half_done_and_resending_makes_one_item(
    signed_in, framework, domain, monkeypatch
):
    """Draft and submission are one transaction: a database error while submitting (the 503 page)
    leaves no hidden draft behind, and the same form sent again makes exactly one item."""
    real_submit = services.submission_submit

    def database_goes_away(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "submission_submit", database_goes_away)
    data = case_study_post(domain, form_token=TOKEN)
    response = signed_in.post(create_url("case-study"), data)
    assert response.status_code == 503
    assert not CaseStudy.objects.exists()
    assert not FormToken.objects.exists()

    monkeypatch.setattr(services, "submission_submit", real_submit)
    assert signed_in.post(create_url("case-study"), data).status_code == 302
    assert signed_in.post(create_url("case-study"), data).status_code == 302  # and again
    item = CaseStudy.objects.get()
    assert item.state == State.SUBMITTED
    assert item.state_changes.filter(to_state=State.SUBMITTED).count() == 1


def test_a_refused_submission_keeps_the_draft(signed_in, framework, domain, monkeypatch):
    def refuse(**kwargs):
        raise workflow.Incomplete("Some required parts are still empty: factors.", ["factors"])

    monkeypatch.setattr(services, "submission_submit", refuse)
    response = signed_in.post(create_url("case-study"), case_study_post(domain, form_token=TOKEN))
    item = CaseStudy.objects.get()
    assert response.url == item_url("submission_edit", item)
    assert item.state == State.DRAFT
    assert "saved, but not submitted" in signed_in.get(response.url).content.decode()


# --- slugs never collide into a 500 -------------------------------------------------------------


def test_a_slug_taken_between_the_check_and_the_insert_takes_the_next_suffix(
    signed_in, framework, domain, monkeypatch
):
    """The race, made deterministic: the free-slug check answers as if the title were new, but
    another item took that slug meanwhile. The insert retries with the next suffix."""
    taken = CaseStudy.objects.create(
        title="Agents on call at a hospital", slug="agents-on-call-at-a-hospital", domain=domain
    )
    real = case_models.unique_slug
    calls = []

    def stale_check(model, text, **kwargs):
        calls.append(text)
        if len(calls) == 1:
            return "agents-on-call-at-a-hospital"  # what the check saw before the other insert
        return real(model, text, **kwargs)

    monkeypatch.setattr(case_models, "unique_slug", stale_check)
    response = signed_in.post(create_url("case-study"), case_study_post(domain))
    assert response.status_code == 302
    item = CaseStudy.objects.exclude(pk=taken.pk).get()
    assert item.slug == "agents-on-call-at-a-hospital-2"
    assert item.state == State.SUBMITTED


def test_an_integrity_error_that_is_not_a_slug_collision_is_not_retried(db, domain, monkeypatch):
    calls = []
    real = case_models.unique_slug

    def counting(model, text, **kwargs):
        calls.append(text)
        return real(model, text, **kwargs)

    monkeypatch.setattr(case_models, "unique_slug", counting)
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        CaseStudy.objects.create(title=None, domain=domain)  # NOT NULL, not the slug
    assert len(calls) == 1


def _post_at_once(clients, datas, *, monkeypatch, target, name):
    """Send the forms from threads, each holding at `target.name` until all have reached it."""
    real = getattr(target, name)
    barrier = threading.Barrier(len(clients))
    held = threading.local()

    def wait_then_call(*args, **kwargs):
        if not getattr(held, "done", False):
            held.done = True
            barrier.wait(timeout=10)
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, wait_then_call)
    statuses = []

    def send(client, data):
        try:
            statuses.append(client.post(create_url("case-study"), data).status_code)
        except Exception as error:  # the client re-raises a view's exception: that is a 500
            statuses.append(repr(error))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=send, args=pair) for pair in zip(clients, datas, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


def _skip_on_sqlite():
    if connection.vendor == "sqlite":
        pytest.skip(
            "SQLite takes one writer at a time (the database-wide lock): concurrent inserts are "
            "PostgreSQL's case; the deterministic slug test above covers the retry on SQLite"
        )


@pytest.mark.django_db(transaction=True)
def test_three_members_posting_the_same_title_at_once_are_all_stored(
    framework, domain, monkeypatch
):
    """Real threads on PostgreSQL: three members, one title, all three pick the same free slug
    before any insert. Every submission is stored, each with its own slug."""
    _skip_on_sqlite()
    clients = []
    for _ in range(3):
        client = Client()
        client.force_login(UserFactory())
        clients.append(client)
    datas = [case_study_post(domain, form_token=f"{n}" * 32) for n in range(3)]
    statuses = _post_at_once(
        clients, datas, monkeypatch=monkeypatch, target=case_models, name="unique_slug"
    )
    assert statuses == [302, 302, 302]
    slugs = sorted(CaseStudy.objects.values_list("slug", flat=True))
    assert slugs == [
        "agents-on-call-at-a-hospital",
        "agents-on-call-at-a-hospital-2",
        "agents-on-call-at-a-hospital-3",
    ]
    assert CaseStudy.objects.filter(state=State.SUBMITTED).count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_double_click_on_one_form_makes_one_item(framework, domain, author, monkeypatch):
    """Real threads on PostgreSQL: the same form (same session, same token) sent twice at once.
    Both answers lead to the one item."""
    _skip_on_sqlite()
    first = Client()
    first.force_login(author)
    second = Client()
    second.cookies = first.cookies
    data = case_study_post(domain, form_token=TOKEN)
    statuses = _post_at_once(
        [first, second],
        [data, data],
        monkeypatch=monkeypatch,
        target=services,
        name="_claim_form_token",
    )
    assert statuses == [302, 302]
    item = CaseStudy.objects.get()
    assert item.state == State.SUBMITTED
    assert item.state_changes.filter(to_state=State.SUBMITTED).count() == 1


# --- "Add row" with odd counts -------------------------------------------------------------------


@pytest.mark.parametrize("total", ["²", "9" * 5000, "", "x"])
def test_add_row_with_an_odd_count_reshows_the_form_with_a_message(
    signed_in, framework, domain, total
):
    """ "²" passes str.isdigit() and 5,000 digits exceed int()'s limit: both were a 500."""
    data = case_study_post(domain, action="add_row", **{"q-TOTAL_FORMS": total})
    response = signed_in.post(create_url("case-study"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "form-errors" in html
    assert 'value="Agents on call at a hospital"' in html  # what was typed is kept
    assert not CaseStudy.objects.exists()


@pytest.mark.parametrize("total", ["٣", " 1", "-1"])
def test_add_row_with_a_count_the_formset_reads_reshows_the_form(
    signed_in, framework, domain, total
):
    data = case_study_post(domain, action="add_row", **{"q-TOTAL_FORMS": total})
    response = signed_in.post(create_url("case-study"), data)
    assert response.status_code == 200
    assert 'value="Agents on call at a hospital"' in response.content.decode()
    assert not CaseStudy.objects.exists()


def test_add_row_adds_one_row_up_to_the_limit(signed_in, framework, domain):
    data = case_study_post(domain, action="add_row", **{"q-TOTAL_FORMS": "2"})
    html = signed_in.post(create_url("case-study"), data).content.decode()
    assert 'name="q-TOTAL_FORMS" value="3"' in html
    data = case_study_post(domain, action="add_row", **{"q-TOTAL_FORMS": "20"})
    html = signed_in.post(create_url("case-study"), data).content.decode()
    assert 'name="q-TOTAL_FORMS" value="20"' in html


# --- a draft saved before the credit is chosen --------------------------------------------------


@pytest.mark.parametrize(
    "kind", ["case-study", "adaptation", "failure", "reference-implementation"]
)
def test_a_draft_saved_without_choosing_the_credit_is_saved_not_an_error_page(
    signed_in, framework, domain, kind
):
    response = signed_in.post(
        create_url(kind),
        {
            "title": "Half-written notes",
            "action": "save",
            "form_token": TOKEN,
            "domain": domain.pk,
            "factor": framework[1].pk,
            "q-TOTAL_FORMS": "0",
            "q-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    page = signed_in.get(response.url)
    assert "Half-written notes" in page.content.decode()
    assert "Draft" in page.content.decode()

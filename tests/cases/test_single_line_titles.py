"""A title is one line (issue 13, item 10): a CR/LF in it used to be saved, then break the
email headers of the maintainer's publish and of replies (a 500 after the change was saved)."""

import pytest
from django.core import mail
from django.urls import reverse

from cases import services
from cases.models import Adaptation, CaseStudy, FailureReport, State
from community.models import Thread
from community.services import reply_create
from tests.cases.test_submit_pages import (
    adaptation_post,
    case_study_post,
    create_url,
    failure_post,
)
from tests.factories import CaseStudyFactory, ThreadFactory

BROKEN = "Agents on call\r\nBcc: everyone@example.org"


@pytest.mark.parametrize(
    ("kind", "model", "post"),
    [
        ("case-study", CaseStudy, lambda f: case_study_post(f["domain"], action="save")),
        ("adaptation", Adaptation, lambda f: adaptation_post(f["domain"], f["factor"], "save")),
        ("failure", FailureReport, lambda f: failure_post(f["domain"], [f["factor"]], "save")),
    ],
)
def test_every_evidence_kind_refuses_a_title_with_a_line_break_next_to_the_field(
    client, author, domain, framework, kind, model, post
):
    client.force_login(author)
    data = {**post({"domain": domain, "factor": framework[2]}), "title": BROKEN}
    response = client.post(create_url(kind), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["title"] == ["Keep the title on one line: remove the line break."]
    html = response.content.decode()
    assert "Keep the title on one line" in html
    assert "Agents on call" in html  # what they typed is kept
    assert not model.objects.exists()


def test_a_thread_title_with_a_line_break_is_refused_and_the_text_kept(client, framework, member):
    client.force_login(member)
    response = client.post(
        reverse("community:thread_create", args=[framework[2].slug]),
        {"kind": "question", "title": BROKEN, "body": "My question, kept."},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == [
        "Keep the title on one line: remove the line break."
    ]
    assert "My question, kept." in response.content.decode()
    assert not Thread.objects.exists()


def test_an_old_title_with_a_line_break_still_publishes_and_mails_with_a_one_line_subject(
    client, make_item, author, maintainer, django_capture_on_commit_callbacks
):
    """Titles saved before the check: the publish and the email still work."""
    item = make_item(state=State.SUBMITTED)
    CaseStudy.objects.filter(pk=item.pk).update(title=BROKEN)
    item.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_publish(item=item, actor=maintainer, comment="Good.")
    [message] = mail.outbox
    assert "\n" not in message.subject and "\r" not in message.subject
    assert "Agents on call Bcc: everyone@example.org" in message.subject
    assert message.to == [author.email]  # no header was injected
    message.message()  # and it serializes


def test_a_reply_in_a_thread_with_an_old_broken_title_mails_fine(
    framework, member, django_capture_on_commit_callbacks
):
    thread = ThreadFactory(factor=framework[3])
    Thread.objects.filter(pk=thread.pk).update(title=BROKEN)
    thread.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        reply_create(thread=thread, author=member, body="Me too")
    [message] = mail.outbox
    assert "\n" not in message.subject and message.to == [thread.author.email]
    message.message()


def test_a_published_item_with_an_old_broken_title_answers_its_page(client, framework):
    item = CaseStudyFactory(state=State.PUBLISHED)
    CaseStudy.objects.filter(pk=item.pk).update(title=BROKEN)
    assert client.get(item.get_absolute_url()).status_code == 200

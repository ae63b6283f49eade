import pytest
from django.urls import reverse
from django.utils import timezone

from community.models import Reply, ReplyRevision, Thread, ThreadStatus, ThreadStatusChange
from community.services import reply_create, thread_decide
from tests.factories import AdaptationFactory, CaseStudyFactory, ReplyFactory, ThreadFactory


def test_member_opens_a_thread_with_sanitized_markdown_and_evidence_link(client, framework, member):
    item = CaseStudyFactory(applied=[(framework[2], "failed")])
    client.force_login(member)
    url = reverse("community:thread_create", args=[framework[2].slug])
    response = client.post(
        url,
        {
            "kind": "challenge",
            "title": "Fails with long-running agents",
            "body": "It *breaks*.<script>alert(1)</script>",
            "evidence_url": "http://testserver" + item.get_absolute_url(),
        },
    )
    thread = Thread.objects.get()
    assert response.status_code == 302 and response.url == thread.get_absolute_url()
    assert thread.author == member and thread.factor == framework[2]
    assert "<em>breaks</em>" in thread.body_html and "<script" not in thread.body_html
    assert thread.evidence == item
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "<em>breaks</em>" in page and "<script>alert" not in page
    assert item.get_absolute_url() in page


def test_thread_evidence_link_must_be_published_evidence_and_input_is_kept(
    client, framework, member
):
    draft = AdaptationFactory(factor=framework[2], state="draft")
    client.force_login(member)
    url = reverse("community:thread_create", args=[framework[2].slug])
    for bad in ["/factors/", draft.get_absolute_url(), "not a url at all"]:
        response = client.post(
            url, {"kind": "question", "title": "Kept title", "body": "Kept", "evidence_url": bad}
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "not the address of a published" in html
        assert 'value="Kept title"' in html
    assert not Thread.objects.exists()


def test_thread_form_requires_kind_title_and_body(client, framework, member):
    client.force_login(member)
    response = client.post(reverse("community:thread_create", args=[framework[1].slug]), {})
    assert response.status_code == 200
    assert response.content.decode().count("This field is required.") == 3


def test_reply_is_posted_and_sanitized(client, thread, member):
    client.force_login(member)
    response = client.post(
        reverse("community:thread_reply", args=[thread.pk]), {"body": "Yes <b onclick=x>and</b>"}
    )
    reply = Reply.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"#reply-{reply.pk}")
    assert "onclick" not in reply.body_html
    assert reply.author == member and not reply.by_maintainer


@pytest.mark.parametrize("status", ["resolved", "accepted", "declined"])
def test_replying_to_a_decided_thread_is_refused_and_the_text_kept(
    client, thread, member, maintainer, status
):
    thread_decide(thread=thread, actor=maintainer, status=status, reason="Settled in v2 text.")
    client.force_login(member)
    response = client.post(
        reverse("community:thread_reply", args=[thread.pk]), {"body": "My late thoughts"}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert f"marked {status}" in html and "no more replies" in html
    assert "My late thoughts" in html  # nothing lost
    assert not Reply.objects.exists()


def test_replying_to_a_hidden_thread_is_refused_clearly(client, thread, member):
    Thread.objects.filter(pk=thread.pk).update(hidden_at=timezone.now(), hidden_reason="Spam")
    client.force_login(member)
    response = client.post(reverse("community:thread_reply", args=[thread.pk]), {"body": "Hello"})
    assert response.status_code == 409
    assert "hidden by the maintainers" in response.content.decode()
    assert "Hello</textarea>" in response.content.decode()  # kept, to copy
    assert not Reply.objects.exists()
    # The page itself says it is hidden, shows no content, and is not a 500.
    page = client.get(thread.get_absolute_url())
    assert page.status_code == 410 and "Spam" in page.content.decode()
    assert thread.body_html not in page.content.decode()


def test_maintainer_decides_with_a_reason_recorded(client, thread, maintainer, member):
    client.force_login(maintainer)
    url = reverse("community:thread_decide", args=[thread.pk])
    response = client.post(url, {"status": "accepted", "reason": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    response = client.post(url, {"status": "accepted", "reason": "We will reword it."})
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.ACCEPTED
    assert thread.decided_by == maintainer and thread.decision_reason == "We will reword it."
    change = ThreadStatusChange.objects.get()
    assert (change.actor, change.from_status, change.to_status) == (maintainer, "open", "accepted")
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Marked <strong>accepted</strong>" in page and "We will reword it." in page
    # Deciding the same again is a clear message, not an error page.
    response = client.post(url, {"status": "accepted", "reason": "again"})
    assert response.status_code == 400 and "already accepted" in response.content.decode()
    # Reopening is recorded too, and replies are open again.
    client.post(url, {"status": "open", "reason": "New evidence came in."})
    thread.refresh_from_db()
    assert thread.is_open and ThreadStatusChange.objects.count() == 2
    reply_create(thread=thread, author=member, body="Thanks")


def test_threads_are_never_deleted_from_the_admin(client, thread, maintainer):
    from django.contrib import admin

    assert not admin.site._registry[Thread].has_delete_permission(None, thread)


def test_editing_own_reply_keeps_the_earlier_text(client, thread, member):
    reply = ReplyFactory(thread=thread, author=member, body="First version")
    client.force_login(member)
    url = reverse("community:reply_edit", args=[reply.pk])
    assert "First version" in client.get(url).content.decode()
    response = client.post(url, {"body": "Second version"})
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.body == "Second version" and reply.edited_at
    assert ReplyRevision.objects.get(reply=reply).body == "First version"


def test_editing_another_persons_reply_is_refused_and_changes_nothing(
    client, thread, member, maintainer
):
    reply = ReplyFactory(thread=thread, body="Mine")
    for who in (member, maintainer):
        client.force_login(who)
        url = reverse("community:reply_edit", args=[reply.pk])
        response = client.post(url, {"body": "Hijacked"})
        assert response.status_code == 403
        assert "only edit your own replies" in response.content.decode()
    reply.refresh_from_db()
    assert reply.body == "Mine" and not reply.revisions.exists()


def test_thread_list_filters_by_kind_factor_and_status(client, framework):
    ThreadFactory(factor=framework[1], kind="challenge", title="Alpha challenge")
    ThreadFactory(factor=framework[2], kind="question", title="Beta question")
    decided = ThreadFactory(factor=framework[1], kind="support", title="Gamma support")
    Thread.objects.filter(pk=decided.pk).update(status="resolved", decided_at=timezone.now())
    ThreadFactory(factor=framework[1], title="Delta hidden", hidden_at=timezone.now())
    url = reverse("community:thread_list")

    def titles(params):
        html = client.get(url, params).content.decode()
        return {t for t in ["Alpha", "Beta", "Gamma", "Delta"] if f"{t} " in html}

    assert titles({}) == {"Alpha", "Beta", "Gamma"}
    assert titles({"kind": "question"}) == {"Beta"}
    assert titles({"factor": framework[1].slug}) == {"Alpha", "Gamma"}
    assert titles({"status": "open"}) == {"Alpha", "Beta"}
    assert titles({"status": "resolved", "factor": framework[1].slug}) == {"Gamma"}
    # Nonsense filters: a clear message next to the field, no 500, nothing filtered.
    response = client.get(url, {"kind": "rant", "factor": "nope"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_thread_list_paginates_and_keeps_filters(client, framework):
    for _ in range(25):
        ThreadFactory(factor=framework[5], kind="question")
    html = client.get(reverse("community:thread_list"), {"kind": "question"}).content.decode()
    assert "Page 1 of 2" in html
    assert (
        "kind=question&amp;factor=&amp;status=&amp;page=2" in html
        or "kind=question&amp;page=2" in html
    )
    page2 = client.get(reverse("community:thread_list"), {"kind": "question", "page": 2})
    assert page2.status_code == 200 and "Page 2 of 2" in page2.content.decode()


def test_factor_page_shows_open_threads_only(client, framework, member):
    factor = framework[6]
    ThreadFactory(factor=factor, title="Open one here")
    closed = ThreadFactory(factor=factor, title="Closed one here")
    Thread.objects.filter(pk=closed.pk).update(status="declined", decided_at=timezone.now())
    ThreadFactory(factor=framework[7], title="Other factor one")
    html = client.get(factor.get_absolute_url()).content.decode()
    assert "Open feedback" in html and "Open one here" in html
    assert "Closed one here" not in html and "Other factor one" not in html
    assert reverse("community:thread_create", args=[factor.slug]) in html

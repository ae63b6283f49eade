import pytest
from django.urls import reverse

from cases.models import CaseStudy
from community.models import Flag, FlagStatus, Reply, Thread
from tests.factories import CaseStudyFactory, ReplyFactory, ThreadFactory, UserFactory


def _flag(client, kind, pk, reason="Spam and insults"):
    return client.post(reverse("community:flag", args=[kind, pk]), {"reason": reason})


def test_member_flags_a_thread_once_and_a_second_time_gets_a_clear_message(client, thread, member):
    client.force_login(member)
    response = _flag(client, "thread", thread.pk)
    assert response.status_code == 302 and response.url == thread.get_absolute_url()
    flag = Flag.objects.get()
    assert (flag.item, flag.flagged_by, flag.status) == (thread, member, FlagStatus.OPEN)
    response = _flag(client, "thread", thread.pk, reason="Still spam")
    assert response.status_code == 409
    html = response.content.decode()
    assert "You already flagged this" in html and "Still spam" in html
    assert Flag.objects.count() == 1


def test_flag_needs_a_reason(client, thread, member):
    client.force_login(member)
    response = _flag(client, "thread", thread.pk, reason="")
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert not Flag.objects.exists()


def test_flagging_unknown_or_unpublished_items_is_404(client, framework, member):
    draft = CaseStudyFactory(state="draft")
    client.force_login(member)
    assert _flag(client, "case_study", draft.pk).status_code == 404
    assert _flag(client, "nonsense", 1).status_code == 404
    assert _flag(client, "thread", 999999).status_code == 404


def test_maintainer_hides_a_flagged_reply_which_stays_recorded(client, thread, member, maintainer):
    reply = ReplyFactory(thread=thread, body="Rude words")
    client.force_login(member)
    _flag(client, "reply", reply.pk)
    other = UserFactory()
    client.force_login(other)
    _flag(client, "reply", reply.pk, reason="Agreed")
    client.force_login(maintainer)
    queue = client.get(reverse("community:moderation")).content.decode()
    assert "Spam and insults" in queue and "Agreed" in queue
    flag = Flag.objects.filter(flagged_by=member).get()
    response = client.post(reverse("community:flag_hide", args=[flag.pk]), {"reason": "Abuse"})
    assert response.status_code == 302
    reply = Reply.objects.get(pk=reply.pk)  # still there
    assert reply.hidden_at and reply.hidden_reason == "Abuse"
    assert set(Flag.objects.values_list("status", flat=True)) == {FlagStatus.UPHELD}
    assert Flag.objects.first().handled_by == maintainer
    assert "No open flags" in client.get(reverse("community:moderation")).content.decode()
    # The public sees that a reply was hidden, not its text.
    client.logout()
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "hidden by the maintainers" in html and "Rude words" not in html


def test_hiding_needs_a_reason(client, thread, member, maintainer):
    client.force_login(member)
    _flag(client, "thread", thread.pk)
    client.force_login(maintainer)
    flag = Flag.objects.get()
    response = client.post(
        reverse("community:flag_hide", args=[flag.pk]), {"reason": ""}, follow=True
    )
    assert "Give the reason" in response.content.decode()
    assert Thread.objects.get(pk=thread.pk).hidden_at is None


def test_maintainer_hides_flagged_evidence_which_leaves_the_public_lists(
    client, framework, member, maintainer
):
    item = CaseStudyFactory(title="Questionable study")
    client.force_login(member)
    _flag(client, "case_study", item.pk)
    client.force_login(maintainer)
    flag = Flag.objects.get()
    client.post(reverse("community:flag_hide", args=[flag.pk]), {"reason": "Fabricated data"})
    item.refresh_from_db()
    assert item.hidden_at and item.hidden_reason == "Fabricated data"
    assert not CaseStudy.objects.published().exists()
    assert CaseStudy.objects.filter(pk=item.pk).exists()  # hidden, not deleted
    client.logout()
    assert client.get(item.get_absolute_url()).status_code == 404


def test_maintainer_dismisses_a_flag(client, thread, member, maintainer):
    client.force_login(member)
    _flag(client, "thread", thread.pk)
    flag = Flag.objects.get()
    client.force_login(maintainer)
    client.post(reverse("community:flag_dismiss", args=[flag.pk]), {"note": "Fair criticism"})
    flag.refresh_from_db()
    assert flag.status == FlagStatus.DISMISSED and flag.resolution == "Fair criticism"
    assert Thread.objects.get(pk=thread.pk).hidden_at is None
    # Handling it twice: a message, no error.
    response = client.post(reverse("community:flag_dismiss", args=[flag.pk]), follow=True)
    assert "already handled" in response.content.decode()


def test_members_cannot_moderate(client, thread, member):
    client.force_login(member)
    _flag(client, "thread", thread.pk)
    flag = Flag.objects.get()
    assert client.get(reverse("community:moderation")).status_code == 403
    assert (
        client.post(reverse("community:flag_hide", args=[flag.pk]), {"reason": "x"}).status_code
        == 403
    )
    assert Thread.objects.get(pk=thread.pk).hidden_at is None


@pytest.mark.django_db(transaction=True)
def test_hiding_evidence_drops_it_from_the_anonymous_page_cache(client):
    from accounts.services import user_grant_maintainer
    from community.services import item_hide

    item = CaseStudyFactory(title="Cached study")
    url = item.get_absolute_url()
    assert client.get(url).status_code == 200
    second = client.get(url)
    assert second.status_code == 200 and second.get("X-Cache", "").lower().startswith("hit")
    item_hide(item=item, actor=user_grant_maintainer(user=UserFactory()), reason="Fabricated")
    assert client.get(url).status_code == 404


def test_flagging_is_rate_limited_per_person(client, framework, member, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "flag": "100/h/ip,2/h/user"}
    threads = [ThreadFactory(factor=framework[1]) for _ in range(3)]
    client.force_login(member)
    assert _flag(client, "thread", threads[0].pk).status_code == 302
    assert _flag(client, "thread", threads[1].pk).status_code == 302
    response = _flag(client, "thread", threads[2].pk)
    assert response.status_code == 429
    assert Flag.objects.count() == 2

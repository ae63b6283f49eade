from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from cases.models import Adaptation, CaseStudy, FailureReport, Revision, StateChange
from community.models import Flag, Follow, Notification, NotifyChoice, Profile, Reply, Thread
from community.notifications import notify
from community.services import user_delete_account
from tests.factories import (
    AdaptationFactory,
    CaseStudyFactory,
    DomainFactory,
    FailureReportFactory,
    ReplyFactory,
    ThreadFactory,
    UserFactory,
)


def test_profile_shows_only_what_was_chosen_and_never_anonymous_evidence(client, framework):
    domain = DomainFactory(name="Healthcare")
    person = UserFactory(display_name="Dana Doe")
    Profile.objects.create(
        user=person,
        role="SRE lead",
        show_role=True,
        organization="Secret Hospital",
        show_organization=False,
        domain=domain,
        show_domain=True,
    )
    CaseStudyFactory(author=person, title="Named study", consent="name")
    CaseStudyFactory(author=person, title="Anonymous study", consent="anonymous")
    AdaptationFactory(
        author=person, factor=framework[1], title="Role-only adaptation", consent="role"
    )
    FailureReportFactory(author=person, title="Draft failure", state="draft")
    FailureReportFactory(author=person, title="Named failure", consent="name")
    ThreadFactory(author=person, factor=framework[2], title="My challenge")
    ThreadFactory(author=person, factor=framework[2], title="Hidden one", hidden_at=timezone.now())
    ReplyFactory(author=person, thread=ThreadFactory(factor=framework[3], title="Their thread"))
    html = client.get(reverse("community:contributor_detail", args=[person.pk])).content.decode()
    assert "Dana Doe" in html and "SRE lead" in html and "Healthcare" in html
    assert "Secret Hospital" not in html
    assert "Named study" in html and "Named failure" in html
    assert "Anonymous study" not in html and "Role-only adaptation" not in html
    assert "Draft failure" not in html
    assert "My challenge" in html and "Hidden one" not in html and "Their thread" in html


def test_unknown_profile_is_404(client, db):
    assert client.get(reverse("community:contributor_detail", args=[424242])).status_code == 404


def test_contributors_page_groups_recent_named_contributors_by_domain(client, framework, settings):
    settings.ACTIVITY_WINDOW_DAYS = 90
    health, finance = DomainFactory(name="Healthcare"), DomainFactory(name="Finance")
    named = UserFactory(display_name="Named Author")
    CaseStudyFactory(author=named, domain=health)
    anon = UserFactory(display_name="Anon Author")
    CaseStudyFactory(author=anon, domain=finance, consent="anonymous")
    role = UserFactory(display_name="Role Author")
    CaseStudyFactory(author=role, domain=finance, consent="role")
    old = UserFactory(display_name="Old Author")
    CaseStudyFactory(author=old, domain=finance, published_at=timezone.now() - timedelta(days=200))
    talker = UserFactory(display_name="Feedback Giver")
    Profile.objects.create(user=talker, domain=finance, show_domain=True)
    ThreadFactory(author=talker, factor=framework[1])
    quiet = UserFactory(display_name="Private Replier")
    ReplyFactory(author=quiet, thread=ThreadFactory(factor=framework[1], author=None))
    html = client.get(reverse("community:contributor_list")).content.decode()
    assert "last 90 days" in html
    assert "Named Author" in html and "Feedback Giver" in html and "Private Replier" in html
    for hidden in ("Anon Author", "Role Author", "Old Author"):
        assert hidden not in html
    assert html.index("Finance") < html.index("Feedback Giver") < html.index("Healthcare")
    assert html.index("Healthcare") < html.index("Named Author") < html.index("Domain not given")
    assert html.index("Domain not given") < html.index("Private Replier")


def test_settings_save_profile_notifications_and_follows(client, framework, member):
    domain = DomainFactory(name="Retail")
    client.force_login(member)
    url = reverse("community:settings")
    page = client.get(url)
    assert page.status_code == 200 and "Delete my account" in page.content.decode()
    data = {
        "display_name": "New Name",
        "role": "Platform engineer",
        "show_role": "on",
        "organization": "Acme",
        "domain": domain.pk,
        "notify_decision": "email",
        "notify_comment": "inbox",
        "notify_reply": "off",
        "notify_phase": "email",
        "notify_following": "inbox",
        "notify_reminder": "inbox",
        "follow_factors": [framework[1].pk, framework[2].pk],
        "follow_domains": [domain.pk],
    }
    response = client.post(url, data)
    assert response.status_code == 302
    member.refresh_from_db()
    profile = Profile.objects.get(user=member)
    assert member.display_name == "New Name"
    assert (profile.role, profile.show_role, profile.organization, profile.show_organization) == (
        "Platform engineer",
        True,
        "Acme",
        False,
    )
    assert profile.notify_reply == NotifyChoice.OFF and profile.notify_comment == NotifyChoice.INBOX
    assert profile.notify_reminder == NotifyChoice.INBOX
    assert set(Follow.objects.filter(user=member).values_list("factor__number", flat=True)) == {
        1,
        2,
        None,
    }
    # Unfollow by unticking.
    data["follow_factors"] = [framework[2].pk]
    data["follow_domains"] = []
    client.post(url, data)
    assert list(Follow.objects.filter(user=member).values_list("factor__number", flat=True)) == [2]


def test_settings_bad_input_is_explained_and_kept(client, framework, member):
    client.force_login(member)
    response = client.post(
        reverse("community:settings"),
        {"display_name": "Kept Name", "notify_decision": "shout", "role": "x" * 200},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice" in html and "at most 120 characters" in html
    assert 'value="Kept Name"' in html


def test_follow_button_on_factor_page(client, framework, member):
    factor = framework[8]
    client.force_login(member)
    assert "Follow this factor" in client.get(factor.get_absolute_url()).content.decode()
    client.post(reverse("community:follow_factor", args=[factor.slug]), {"action": "follow"})
    assert Follow.objects.filter(user=member, factor=factor).exists()
    assert "Unfollow this factor" in client.get(factor.get_absolute_url()).content.decode()
    client.post(reverse("community:follow_factor", args=[factor.slug]), {"action": "unfollow"})
    assert not Follow.objects.filter(user=member, factor=factor).exists()


def test_delete_account_explains_then_keeps_published_evidence_as_former_member(
    client, framework, member
):
    published = CaseStudyFactory(author=member, title="Kept study", consent="name")
    draft = CaseStudyFactory(author=member, state="draft", title="Draft study")
    submitted = AdaptationFactory(author=member, factor=framework[1], state="submitted")
    FailureReportFactory(author=member, state="withdrawn")
    ct = ContentType.objects.get_for_model(CaseStudy)
    Revision.objects.create(content_type=ct, object_id=draft.pk, number=1, data={}, author=member)
    StateChange.objects.create(content_type=ct, object_id=draft.pk, to_state="draft", actor=member)
    thread = ThreadFactory(author=member, factor=framework[1], title="My thread")
    reply = ReplyFactory(author=member, thread=thread)
    Profile.objects.create(user=member, role="SRE")
    Follow.objects.create(user=member, factor=framework[1])
    notify(recipients=[member], kind="reply", subject="Hi")
    flagger = UserFactory()
    Flag.objects.create(item=published, flagged_by=member, reason="typo")
    Flag.objects.create(item=thread, flagged_by=flagger, reason="x")

    client.force_login(member)
    url = reverse("community:delete_account")
    page = client.get(url).content.decode()
    for promise in (
        "Published evidence stays",
        "a former member",
        "are deleted",
        "Your feedback stays",
    ):
        assert promise in page
    # Not confirmed: nothing happens.
    response = client.post(url, {})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert User.objects.filter(pk=member.pk).exists()

    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=member.pk).exists()
    assert "_auth_user_id" not in client.session
    published.refresh_from_db()
    assert published.author is None and published.credit == "A former member"
    assert not CaseStudy.objects.filter(pk=draft.pk).exists()
    assert not Adaptation.objects.filter(pk=submitted.pk).exists()
    assert not FailureReport.objects.exists()
    assert not Revision.objects.filter(object_id=draft.pk, content_type=ct).exists()
    assert not StateChange.objects.filter(object_id=draft.pk, content_type=ct).exists()
    assert Thread.objects.get(pk=thread.pk).author is None
    assert Reply.objects.get(pk=reply.pk).author is None
    assert not Profile.objects.exists() and not Follow.objects.exists()
    assert not Notification.objects.exists()
    assert Flag.objects.count() == 2  # flags they made stay for the maintainers, unsigned
    html = client.get(published.get_absolute_url()).content.decode()
    assert "Kept study" in html
    thread_html = client.get(thread.get_absolute_url()).content.decode()
    assert "a former member" in thread_html.lower()


def test_delete_account_service_reports_what_happened(framework, member):
    CaseStudyFactory(author=member)
    CaseStudyFactory(author=member, state="draft")
    assert user_delete_account(user=member) == {"removed_items": 1, "kept_published": 1}


def test_members_without_public_work_have_no_public_page_except_for_themselves(client, member):
    url = reverse("community:contributor_detail", args=[member.pk])
    assert client.get(url).status_code == 404
    client.force_login(member)
    assert client.get(url).status_code == 200


def test_anonymous_only_author_has_no_public_page(client, framework):
    person = UserFactory(display_name="Hidden Hand")
    CaseStudyFactory(author=person, consent="anonymous")
    CaseStudyFactory(author=person, consent="role", attribution_role="SRE")
    assert client.get(reverse("community:contributor_detail", args=[person.pk])).status_code == 404


def test_no_part_of_an_email_address_is_shown_for_a_member_without_a_display_name(
    client, framework
):
    person = UserFactory(email="jane.secret@example.org", display_name="")
    thread = ThreadFactory(author=person, factor=framework[1])
    for url in (
        thread.get_absolute_url(),
        reverse("community:contributor_detail", args=[person.pk]),
        reverse("community:contributor_list"),
        reverse("community:thread_list"),
    ):
        html = client.get(url).content.decode()
        assert "jane.secret" not in html, url
        assert f"Member {person.pk}" in html, url

"""Sign-up asks for the name the site shows: it credits what a member publishes by name and
names a reviewer to the author. Members without one keep "Member <number>"; Settings changes it
(issue 16)."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import User
from accounts.services import user_grant_maintainer
from cases import services
from cases.models import Consent, State
from community.models import NotificationKind
from tests.factories import CaseStudyFactory, UserFactory

PASSWORD = "a long enough pass 42"


def sign_up(client, **overrides):
    data = {
        "email": "ada@example.org",
        "display_name": "Ada Lovelace",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }
    return client.post(reverse("account_signup"), data)


@pytest.mark.django_db
def test_sign_up_asks_for_a_name_and_keeps_it(client):
    form = client.get(reverse("account_signup")).content.decode()
    assert '<label for="id_display_name">Your name:</label>' in form
    assert form.index('name="email"') < form.index('name="display_name"')
    assert form.index('name="display_name"') < form.index('name="password1"')

    response = sign_up(client, display_name="  Ada Lovelace  ")
    assert response.status_code == 302
    user = User.objects.get(email="ada@example.org")
    assert user.display_name == "Ada Lovelace"
    assert user.public_name == "Ada Lovelace"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Give the name the site should show for you"),
        ("   ", "Give the name the site should show for you"),
        ("ada@example.org", "Give a name rather than an email address"),
        ("x" * 81, "at most 80 characters"),
    ],
)
def test_a_missing_or_unfit_name_is_a_message_beside_the_field(client, name, message):
    response = sign_up(client, display_name=name)
    assert response.status_code == 200
    html = response.content.decode()
    assert not User.objects.exists()
    # The message comes right before the name's field (nothing else between), what was typed
    # is kept.
    at = html.index(message)
    assert at < html.index('for="id_display_name"') < html.index('for="id_password1"')
    assert 'for="id_email"' not in html[at : html.index('for="id_display_name"')]
    assert 'value="ada@example.org"' in html


@pytest.mark.django_db
def test_the_name_credits_the_author_and_names_the_reviewer(client, framework):
    sign_up(client, email="rita@example.org", display_name="Rita Reviewer")
    sign_up(client, email="ada@example.org", display_name="Ada Lovelace")
    reviewer = user_grant_maintainer(user=User.objects.get(email="rita@example.org"))
    author = User.objects.get(email="ada@example.org")
    EmailAddress.objects.filter(user=author).update(verified=True)
    item = CaseStudyFactory(
        author=author,
        consent=Consent.NAME,
        state=State.SUBMITTED,
        applied=[(framework[1], "worked")],
    )
    assert item.credit == "Ada Lovelace"
    services.submission_request_changes(item=item, actor=reviewer, comment="Add numbers.")

    client.force_login(author)
    detail = reverse("cases:submission_detail", kwargs={"kind": "case_study", "pk": item.pk})
    html = client.get(detail).content.decode()
    assert "Changes requested by Rita Reviewer" in html
    assert "Member " not in html


@pytest.mark.django_db
def test_a_member_without_a_name_keeps_the_fallback_and_can_set_one_in_settings(client):
    member = UserFactory(display_name="")
    assert member.public_name == f"Member {member.pk}"
    client.force_login(member)
    settings_url = reverse("community:settings")
    page = client.get(settings_url).content.decode()
    assert "Member &lt;number&gt;" in page  # the help says what an empty name shows

    refused = client.post(settings_url, {"display_name": "me@example.org"})
    assert "Give a name rather than an email address" in refused.content.decode()
    member.refresh_from_db()
    assert member.display_name == ""

    fields = {f"notify_{kind}": "email" for kind in NotificationKind.values}
    assert client.post(settings_url, {"display_name": "Grace Hopper", **fields}).status_code == 302
    member.refresh_from_db()
    assert member.display_name == "Grace Hopper"
    assert "Grace Hopper" in client.get("/").content.decode()  # the header names them

"""The admin keeps the site's promises: evidence is changed only on the site (where a revision
is kept), and maintainers never see other people's drafts there either."""

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import CaseStudy, Revision, StateChange
from tests.factories import AdaptationFactory, CaseStudyFactory, UserFactory

DRAFT = {"state": "draft", "submitted_at": None, "published_at": None}


@pytest.fixture(autouse=True)
def _no_two_factor_step(settings):
    settings.MAINTAINER_REQUIRE_MFA = False


def admin_client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def items(framework, maintainer):
    other = UserFactory()
    items = {
        "mine": CaseStudyFactory(author=maintainer, title="My own draft", **DRAFT),
        "secret": CaseStudyFactory(author=other, title="Someone else's draft", **DRAFT),
        "secret_adaptation": AdaptationFactory(
            author=other, factor=framework[1], title="Secret adaptation", **DRAFT
        ),
        "submitted": CaseStudyFactory(author=other, title="Waiting for review", state="submitted"),
        "published": CaseStudyFactory(author=other, title="Out in the open"),
    }
    for key in ("secret", "submitted"):
        item = items[key]
        Revision.objects.create(item=item, number=1, author=other, data={"title": "v1 " + key})
        StateChange.objects.create(item=item, actor=other, to_state="draft", comment=f"c-{key}")
    return items


def test_a_maintainer_never_sees_others_drafts_in_the_admin(maintainer, items):
    client = admin_client(maintainer)
    html = client.get(reverse("admin:cases_casestudy_changelist")).content.decode()
    assert "My own draft" in html
    assert "Waiting for review" in html and "Out in the open" in html
    assert "Someone else&#x27;s draft" not in html and "Someone else's draft" not in html

    adaptations = client.get(reverse("admin:cases_adaptation_changelist")).content.decode()
    assert "Secret adaptation" not in adaptations

    # Nor by its address, nor through a search.
    response = client.get(reverse("admin:cases_casestudy_change", args=[items["secret"].pk]))
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    search = client.get(reverse("admin:cases_casestudy_changelist"), {"q": "Someone"})
    assert "Someone else" not in search.content.decode()


def test_nor_their_revisions_or_state_changes(maintainer, items):
    # Maintainers are not given these lists; staff who are given them still see no drafts.
    from django.contrib.auth.models import Permission

    maintainer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_revision", "view_statechange"])
    )
    client = admin_client(maintainer)
    revisions = client.get(reverse("admin:cases_revision_changelist"))
    assert revisions.status_code == 200
    assert len(revisions.context["cl"].result_list) == 1  # the submitted item's, not the draft's
    assert revisions.context["cl"].result_list[0].object_id == items["submitted"].pk
    changes = client.get(reverse("admin:cases_statechange_changelist"))
    assert [c.comment for c in changes.context["cl"].result_list] == ["c-submitted"]
    hidden = Revision.objects.get(object_id=items["secret"].pk)
    assert client.get(reverse("admin:cases_revision_change", args=[hidden.pk])).status_code == 302


def test_a_superuser_still_sees_everything(items):
    root = UserFactory(is_staff=True, is_superuser=True)
    html = admin_client(root).get(reverse("admin:cases_casestudy_changelist")).content.decode()
    assert "Someone else&#x27;s draft" in html


def test_evidence_cannot_be_edited_in_the_admin_even_by_a_superuser(items):
    root = UserFactory(is_staff=True, is_superuser=True)
    client = admin_client(root)
    item = items["published"]
    url = reverse("admin:cases_casestudy_change", args=[item.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="title"' not in page.content.decode()  # shown, not editable
    revisions = Revision.objects.count()

    response = client.post(url, {"title": "Rewritten in the admin", "summary": "x"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.title == "Out in the open"
    assert Revision.objects.count() == revisions

    assert client.get(reverse("admin:cases_casestudy_add")).status_code == 403
    assert client.post(reverse("admin:cases_casestudy_delete", args=[item.pk])).status_code == 403
    assert CaseStudy.objects.filter(pk=item.pk).exists()

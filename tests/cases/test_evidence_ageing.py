"""Evidence that ages: the "Ageing" label, one-step re-confirmation and the one reminder,
with frozen time (tests/clock.py). The window is 18 months (the default setting)."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services, workflow
from cases.models import CaseStudy, Confirmation, State
from community.models import Notification, NotificationKind
from pagecache.generation import generation_current
from tests.clock import at, frozen
from tests.factories import CaseStudyFactory, DomainFactory, UserFactory

PUBLISHED = at(2025, 1, 10, 12)  # the old item's publication
BOUNDARY = at(2026, 7, 10, 12)  # exactly 18 months later: still fresh
AGED = at(2026, 7, 10, 12, 0, 1)  # a second more: ageing


@pytest.fixture(autouse=True)
def _window(settings):
    settings.EVIDENCE_AGEING_MONTHS = 18


@pytest.fixture
def domain(db):
    return DomainFactory(name="Logistics")


@pytest.fixture
def old(framework, author, domain):
    return CaseStudyFactory(
        title="Agents old pilot", author=author, domain=domain, published_at=PUBLISHED,
        applied=[(framework[1], "worked")],
    )  # fmt: skip


@pytest.fixture
def recent(framework, domain):
    return CaseStudyFactory(
        title="Agents recent rollout", domain=domain, published_at=at(2026, 6, 1),
        applied=[(framework[1], "worked")],
    )  # fmt: skip


def _get(client, url, **params):
    cache.clear()  # each look is a fresh render at the frozen moment
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_evidence_is_not_ageing_at_the_boundary_and_is_a_moment_later(client, old, recent):
    with frozen(BOUNDARY):
        assert not CaseStudy.objects.ageing().exists()
        assert "tag-ageing" not in _get(client, old.get_absolute_url())
    with frozen(AGED):
        assert list(CaseStudy.objects.ageing()) == [old]
        page = _get(client, old.get_absolute_url())
        assert "Ageing" in page and "Last confirmed" in page and "10 Jan 2025" in page
        assert "more than 18 months ago" in page
        assert "Ageing" not in _get(client, recent.get_absolute_url())


def test_the_label_is_shown_in_every_list_with_text(client, framework, old, recent, domain):
    with frozen(AGED):
        for url, params in [
            (reverse("cases:casestudy_list"), {}),
            (reverse("cases:search"), {"q": "agents"}),
            (domain.get_absolute_url(), {}),
            (framework[1].get_absolute_url(), {}),
        ]:
            page = _get(client, url, **params)
            assert "Agents old pilot" in page and "Agents recent rollout" in page, url
            # Once, next to the old item only; in words, not colour alone.
            assert page.count('class="tag tag-ageing"') == 1, url
            label = page.index('class="tag tag-ageing"')
            assert page.rfind("Agents old pilot", 0, label) > page.rfind("Agents recent", 0, label)
            assert "Ageing</span>" in page


@pytest.mark.parametrize(
    "url",
    [
        lambda f, d: reverse("cases:casestudy_list"),
        lambda f, d: reverse("cases:search") + "?q=agents",
        lambda f, d: d.get_absolute_url(),
        lambda f, d: f[1].get_absolute_url(),
    ],
)
def test_lists_run_the_same_queries_with_one_or_many_ageing_items(client, framework, domain, url):
    def queries():
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url(framework, domain)).status_code == 200
        return len(ctx.captured_queries)

    with frozen(AGED):
        CaseStudyFactory(
            title="Agents 0", domain=domain, published_at=PUBLISHED,
            applied=[(framework[1], "worked")],
        )  # fmt: skip
        one = queries()
        for i in range(1, 5):
            CaseStudyFactory(
                title=f"Agents {i}", domain=domain, published_at=PUBLISHED,
                applied=[(framework[1], "worked")],
            )  # fmt: skip
        assert queries() == one


def test_the_author_re_confirms_in_one_step_and_it_is_recorded(client, old, author):
    url = reverse("cases:submission_reconfirm", kwargs={"kind": "case_study", "pk": old.pk})
    client.force_login(author)
    with frozen(AGED):
        page = _get(client, old.get_absolute_url())
        assert "Re-confirm it still holds" in page  # the author sees the button
        workflow = _get(client, reverse("cases:submission_detail", args=["case_study", old.pk]))
        assert "Re-confirm it still holds" in workflow and "marked ageing" in workflow
        before = generation_current()
        response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:submission_detail", args=["case_study", old.pk])
    old.refresh_from_db()
    assert old.confirmed_at == AGED and old.last_confirmed_at == AGED
    [confirmation] = Confirmation.objects.all()
    assert (confirmation.item, confirmation.actor, confirmation.created_at) == (old, author, AGED)
    assert confirmation.previously_confirmed_at == PUBLISHED
    assert generation_current() > before  # public pages change: the cache moves on
    client.logout()
    with frozen(AGED):
        page = _get(client, old.get_absolute_url())
    assert "tag-ageing" not in page and "re-confirmed by its author" in page


def test_a_maintainer_may_re_confirm_and_anyone_else_meets_404(client, old, maintainer):
    url = reverse("cases:submission_reconfirm", kwargs={"kind": "case_study", "pk": old.pk})
    client.force_login(UserFactory())
    with frozen(AGED):
        assert "Re-confirm" not in _get(client, old.get_absolute_url())
        assert client.post(url).status_code == 404
        assert client.get(url).status_code == 405
    assert not Confirmation.objects.exists()
    client.force_login(maintainer)
    with frozen(AGED):
        assert client.post(url).status_code == 302
    assert Confirmation.objects.get().actor == maintainer


def test_a_draft_cannot_be_re_confirmed(client, framework, author, domain):
    draft = CaseStudyFactory(author=author, domain=domain, state=State.DRAFT)
    client.force_login(author)
    url = reverse("cases:submission_reconfirm", kwargs={"kind": "case_study", "pk": draft.pk})
    response = client.post(url, follow=True)
    assert "Only published evidence can be re-confirmed." in response.content.decode()
    assert not Confirmation.objects.exists()
    with pytest.raises(workflow.InvalidTransition):
        services.submission_reconfirm(item=draft, actor=author)


def _reminders(user):
    return Notification.objects.filter(recipient=user, kind=NotificationKind.REMINDER)


def test_the_author_is_reminded_once_and_again_only_after_a_new_ageing_period(old, author):
    with frozen(BOUNDARY):
        assert services.remind_ageing() == 0  # not ageing yet
    with frozen(AGED):
        assert services.remind_ageing() == 1
        assert services.remind_ageing() == 0  # once
    [reminder] = _reminders(author)
    assert "Agents old pilot" in reminder.subject
    assert "re-confirm it in one step" in reminder.body and "18 months" in reminder.body
    assert reminder.url == reverse("cases:submission_detail", args=["case_study", old.pk])
    assert reminder.emailed_at is not None  # email by default for this kind
    with frozen(at(2026, 9, 1)):
        assert services.remind_ageing() == 0  # still ageing, already reminded
        services.submission_reconfirm(item=old, actor=author)
    old.refresh_from_db()
    assert old.reminded_at is None
    with frozen(at(2027, 3, 1)):
        assert services.remind_ageing() == 0  # fresh again
    with frozen(at(2028, 3, 1, 0, 0, 1)):  # 18 months after the re-confirmation, and a second
        assert services.remind_ageing() == 1
    assert _reminders(author).count() == 2


def test_the_reminder_marks_items_without_an_author_and_tells_nobody(
    framework, domain, old, author
):
    orphan = CaseStudyFactory(domain=domain, published_at=PUBLISHED, author=None)
    with frozen(AGED):
        assert services.remind_ageing() == 1  # the author of `old` only
    orphan.refresh_from_db()
    assert orphan.reminded_at == AGED  # marked: nobody to tell


def test_remind_ageing_command_says_what_it_did(old, capsys):
    with frozen(AGED):
        call_command("remind_ageing")
        call_command("remind_ageing")
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Reminded 1 author of evidence older than 18 months.",
        "Reminded 0 authors of evidence older than 18 months.",
    ]


def test_every_re_confirmation_is_kept_and_shown_in_the_admin(client, old, author, maintainer):
    with frozen(at(2026, 8, 1)):
        services.submission_reconfirm(item=old, actor=author)
    with frozen(at(2026, 9, 1)):
        services.submission_reconfirm(item=old, actor=maintainer)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:cases_casestudy_change", args=[old.pk])).content.decode()
    assert "Confirmations" in page
    assert page.count("Aug. 1, 2026") >= 1 and "Sept. 1, 2026" in page  # both kept
    assert Confirmation.objects.filter(object_id=old.pk).count() == 2

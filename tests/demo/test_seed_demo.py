"""manage.py seed_demo: demo data in every state, refusal on real data, re-runs."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import User
from cases.models import (
    Adaptation,
    CaseStudy,
    Domain,
    FactorApplication,
    FailureReport,
    Organization,
    QuantifiedResult,
    ReferenceImplementation,
    State,
    StateChange,
)
from common.markdown import render_markdown
from factors.models import Factor
from tests.factories import CaseStudyFactory

KINDS = (CaseStudy, Adaptation, FailureReport, ReferenceImplementation)


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def titles():
    return sorted(CaseStudy.objects.values_list("title", flat=True))


@pytest.mark.django_db
def test_small_run_creates_every_state_with_a_consistent_history():
    out = seed("--size", "12", "--seed", "3")
    assert Factor.objects.count() == 12  # load_framework ran first
    for model in KINDS:
        states = set(model.objects.values_list("state", flat=True))
        assert states == set(State.values), model
        assert not model.objects.filter(is_demo=False).exists()
        for item in model.objects.all():
            changes = list(item.state_changes.order_by("created_at", "pk"))
            if item.state == State.DRAFT:
                assert changes == [] and item.submitted_at is None
                continue
            assert changes[0].to_state == State.SUBMITTED and changes[0].actor == item.author
            assert changes[-1].to_state == item.state
            if item.state in (State.PUBLISHED, State.REJECTED, State.CHANGES_REQUESTED):
                assert changes[-1].actor.is_maintainer and changes[-1].comment
                assert changes[-1].actor != item.author
            assert (item.published_at is not None) == (item.state == State.PUBLISHED)
            if item.published_at:
                assert item.published_at == changes[-1].created_at
            for field in item.markdown_fields:  # rendered as save() would have
                assert getattr(item, f"{field}_html") == render_markdown(getattr(item, field))
    assert FactorApplication.objects.values("outcome").distinct().count() == 3
    assert QuantifiedResult.objects.exists()
    assert all(r.implementations.exists() for r in ReferenceImplementation.objects.all())
    assert all(r.url.startswith("https://") for r in ReferenceImplementation.objects.all())
    assert Domain.objects.filter(is_demo=True, name="Healthcare").exists()
    assert Organization.objects.filter(is_demo=True, anonymized=True).exists()
    assert "case studies: 12" in out and "100%" in out


@pytest.mark.django_db
def test_history_is_spread_over_the_last_eighteen_months():
    from django.utils import timezone

    seed("--size", "80", "--seed", "1")
    now = timezone.now()
    dates = list(CaseStudy.objects.published().values_list("published_at", flat=True))
    assert all(now - d < timezone.timedelta(days=560) and d < now for d in dates)
    assert max(dates) - min(dates) > timezone.timedelta(days=300)
    assert StateChange.objects.filter(created_at__gt=now).count() == 0
    assert Adaptation.objects.filter(case_study__isnull=False).exists()
    assert FailureReport.objects.filter(case_study__isnull=False).exists()
    # Published items link only to published case studies.
    assert (
        not Adaptation.objects.published()
        .exclude(case_study=None)
        .exclude(case_study__state=State.PUBLISHED)
        .exists()
    )


@pytest.mark.django_db
def test_demo_users_are_verified_and_cannot_sign_in_by_default():
    seed("--size", "6", "--seed", "1")
    members = User.objects.filter(email__startswith="demo-member-")
    assert members.count() >= 10
    assert all(not u.has_usable_password() for u in members)
    assert all("(demo)" in u.display_name for u in members)
    assert EmailAddress.objects.filter(user__in=members, verified=True).count() == members.count()
    maintainers = User.objects.filter(email__startswith="demo-maintainer-")
    assert maintainers and all(u.is_maintainer for u in maintainers)


@pytest.mark.django_db
def test_password_option_gives_every_demo_user_that_password():
    seed("--size", "6", "--password", "demo-pass-123")
    user = User.objects.get(email="demo-member-1@example.org")
    assert user.check_password("demo-pass-123")


@pytest.mark.django_db
def test_refuses_when_real_evidence_exists_and_writes_nothing(framework):
    CaseStudyFactory()
    with pytest.raises(CommandError, match="real"):
        seed("--size", "6")
    assert CaseStudy.objects.count() == 1
    assert not Domain.objects.filter(is_demo=True).exists()
    assert not User.objects.filter(email__startswith="demo-").exists()


@pytest.mark.django_db
def test_force_seeds_beside_real_evidence_and_reset_keeps_it(framework):
    real = CaseStudyFactory(title="Our real case study")
    seed("--size", "6", "--force")
    assert CaseStudy.objects.filter(is_demo=True).count() == 6
    seed("--size", "6", "--force", "--reset")
    assert CaseStudy.objects.filter(is_demo=True).count() == 6
    assert CaseStudy.objects.filter(pk=real.pk, is_demo=False).exists()


@pytest.mark.django_db
def test_second_run_adds_nothing_and_reset_replaces_reproducibly():
    seed("--size", "8", "--seed", "5")
    first = titles()
    out = seed("--size", "8", "--seed", "5")
    assert "already present" in out
    assert titles() == first
    seed("--size", "8", "--seed", "5", "--reset")
    assert titles() == first  # same seed, same data; not doubled
    assert Domain.objects.filter(is_demo=True).count() == 10
    assert User.objects.filter(email__startswith="demo-maintainer-").count() == 4


@pytest.mark.django_db
def test_dry_run_writes_nothing():
    out = seed("--size", "6", "--dry-run")
    assert "dry run" in out
    assert not CaseStudy.objects.exists() and not User.objects.exists()


@pytest.mark.django_db
def test_demo_items_are_labelled_on_the_site(client):
    seed("--size", "6", "--seed", "2")
    item = CaseStudy.objects.published().first()
    page = client.get(reverse("cases:casestudy_list")).content.decode()
    assert "tag-demo" in page and item.title in page
    detail = client.get(item.get_absolute_url()).content.decode()
    assert "invented demo data" in detail


@pytest.mark.django_db
def test_seeding_makes_cached_pages_stale():
    from pagecache.generation import generation_current

    before = generation_current()
    seed("--size", "6")
    assert generation_current() != before


@pytest.mark.django_db
@pytest.mark.parametrize("seed_value", ["1", "6"])
def test_the_demo_factors_do_not_all_look_alike(seed_value):
    """Some factors unproven, some context-specific or universal, one contested, one or two
    clearly ready for Beta, most not eligible (seeds 1 to 6 all do; two are checked)."""
    from collections import Counter

    from django.utils import timezone

    from factors.selectors import maturity_report

    seed("--seed", seed_value)
    report = maturity_report(now=timezone.now())
    kinds = Counter(str(s.classification.kind) for s in report.factors)
    assert kinds["contested"] == 1
    assert kinds["unproven"] >= 3
    assert kinds["context_specific"] >= 1
    assert kinds["universal"] + kinds["context_specific"] >= 3
    eligible = {s.factor.number for s in report.factors if s.eligibility.eligible}
    assert {1, 2} <= eligible  # the widely used ones, with a margin
    assert len(eligible) <= 5  # most are not eligible
    assert 3 not in eligible  # the contested one


@pytest.mark.django_db
def test_the_demo_groups_published_failure_reports_into_failure_modes(client):
    from failuremodes.models import FailureMode

    out = seed("--size", "60", "--seed", "1")
    modes = list(FailureMode.objects.all())
    assert modes and all(m.is_demo for m in modes)
    assert f"failure modes: {len(modes)}" in out
    for mode in modes:
        reports = list(mode.reports.all())
        assert reports and all(r.is_published for r in reports)
        assert mode.factors.exists()
    assert any(m.is_addressed for m in modes) and any(not m.is_addressed for m in modes)
    page = client.get(reverse("failuremodes:list")).content.decode()
    assert "tag-demo" in page and modes[0].title in page
    seed("--size", "60", "--seed", "1", "--reset")
    assert FailureMode.objects.count() == len(modes)  # replaced, not doubled

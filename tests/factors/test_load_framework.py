import pytest
from django.core.management import call_command

from factors.models import Criterion, Factor, Framework, Phase, Tier


def load(*args):
    call_command("load_framework", *args, verbosity=0)


@pytest.mark.django_db
def test_loads_twelve_factors_three_phases_and_the_criteria():
    load()
    factors = list(Factor.objects.with_phase())
    assert [f.number for f in factors] == list(range(1, 13))
    assert factors[0].title == "Automated Tracking" and factors[11].title == "Package Patterns"
    assert [f.roman for f in factors][:4] == ["I", "II", "III", "IV"]
    assert {f.tier for f in factors[:4]} == {Tier.FOUNDATION}
    assert {f.tier for f in factors[4:8]} == {Tier.OPERATIONS}
    assert {f.tier for f in factors[8:]} == {Tier.IMPROVEMENT}
    assert {f.phase.name for f in factors} == {"Alpha"}
    assert list(Phase.objects.values_list("name", flat=True)) == ["Alpha", "Beta", "V1.0"]
    alpha = Criterion.objects.filter(phase__slug="alpha")
    assert {(c.scope, c.measure, c.comparator, c.threshold) for c in alpha} == {
        ("factor", "domains", "at_least", 3),
        ("factor", "failures_or_adaptations", "at_least", 2),
        ("factor", "domains_failed", "at_most", 0),
        ("framework", "active_collaborators", "at_least", 3),
        ("framework", "factors_unproven", "at_most", 0),
    }
    assert Criterion.objects.get(measure="factors_unproven").text == (
        "Every factor classified (none still unproven)"
    )
    assert Framework.objects.get().classification_min_domains == 3
    beta = {(c.scope, c.measure, c.threshold) for c in Criterion.objects.filter(phase__slug="beta")}
    assert ("framework", "organizations_in_production", 10) in beta
    assert ("framework", "factors_meeting_phase", 6) in beta
    assert ("factor", "organizations", 3) in beta
    assert ("framework", "engaged_members", 100) in beta
    assert Framework.objects.get().phase.slug == "alpha"


@pytest.mark.django_db
def test_running_twice_changes_nothing():
    load()
    before = (
        list(Factor.objects.values()),
        list(Criterion.objects.values()),
        list(Phase.objects.values()),
    )
    load()
    after = (
        list(Factor.objects.values()),
        list(Criterion.objects.values()),
        list(Phase.objects.values()),
    )
    assert before == after
    assert Framework.objects.count() == 1


@pytest.mark.django_db
def test_a_maintainers_edits_survive_a_reload_unless_update_is_asked():
    load()
    criterion = Criterion.objects.get(phase__slug="alpha", measure="domains")
    criterion.threshold = 4
    criterion.save()
    factor = Factor.objects.get(number=2)
    factor.summary = "Edited by a maintainer."
    factor.save()

    load()
    assert Criterion.objects.get(pk=criterion.pk).threshold == 4
    assert Factor.objects.get(number=2).summary == "Edited by a maintainer."

    load("--update")
    assert Criterion.objects.get(pk=criterion.pk).threshold == 3
    assert Factor.objects.get(number=2).summary != "Edited by a maintainer."


@pytest.mark.django_db
def test_update_never_moves_a_factor_between_phases():
    load()
    beta = Phase.objects.get(slug="beta")
    Factor.objects.filter(number=4).update(phase=beta)
    load("--update")
    assert Factor.objects.get(number=4).phase == beta


@pytest.mark.django_db
def test_a_deleted_criterion_comes_back_on_reload():
    load()
    Criterion.objects.filter(measure="active_collaborators").delete()
    load()
    assert Criterion.objects.filter(measure="active_collaborators").count() == 1

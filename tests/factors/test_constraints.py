import pytest
from django.db import IntegrityError, transaction

from factors.models import Criterion, Phase


@pytest.fixture
def alpha(framework):
    return Phase.objects.get(slug="alpha")


def make(alpha, **kw):
    values = {"phase": alpha, "scope": "factor", "measure": "case_studies", "threshold": 1}
    values.update(kw)
    with transaction.atomic():
        return Criterion.objects.create(**values)


@pytest.mark.parametrize(
    "bad",
    [
        {"threshold": 0},
        {"measure": "not_a_measure"},
        {"scope": "galaxy"},
        {"scope": "factor", "measure": "active_collaborators"},
        {"scope": "framework", "measure": "domains_failed"},
        {"comparator": "about"},
        {"comparator": "at_least", "threshold": 0},
    ],
    ids=[
        "threshold-zero",
        "unknown-measure",
        "unknown-scope",
        "framework-measure-per-factor",
        "factor-measure-for-framework",
        "unknown-comparator",
        "at-least-zero",
    ],
)
def test_database_rejects_bad_criteria(alpha, bad):
    with pytest.raises(IntegrityError):
        make(alpha, **bad)


def test_one_criterion_per_phase_scope_and_measure(alpha):
    make(alpha)
    with pytest.raises(IntegrityError):
        make(alpha, threshold=5)
    # The same measure at framework scope is a different criterion.
    assert make(alpha, scope="framework").pk


def test_a_sane_criterion_is_accepted(alpha):
    criterion = make(alpha, measure="quantified_case_studies", threshold=2)
    assert criterion.measure_definition.startswith("Published case studies")


def test_at_most_zero_is_a_criterion_and_says_so(alpha):
    criterion = make(alpha, measure="open_challenges", comparator="at_most", threshold=0)
    assert criterion.text == "No open challenges"
    assert str(criterion) == "No open challenges"


def test_the_text_follows_the_threshold(alpha):
    criterion = Criterion.objects.get(phase=alpha, scope="factor", measure="domains")
    assert criterion.text == "At least 3 domains where it worked"
    criterion.threshold = 8
    criterion.save()
    criterion.refresh_from_db()
    assert criterion.text == "At least 8 domains where it worked"

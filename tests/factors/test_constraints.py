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
        return Criterion.objects.create(description="test", **values)


@pytest.mark.parametrize(
    "bad",
    [
        {"threshold": 0},
        {"measure": "not_a_measure"},
        {"scope": "galaxy"},
        {"scope": "factor", "measure": "active_collaborators"},
    ],
    ids=["threshold-zero", "unknown-measure", "unknown-scope", "framework-measure-per-factor"],
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

"""Fixtures for the authoring and review workflow tests."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.models import State
from tests.factories import (
    AdaptationFactory,
    CaseStudyFactory,
    DomainFactory,
    FailureReportFactory,
    UserFactory,
)

_FRAMEWORK_ROWS: list = []


@pytest.fixture
def framework(db):
    """The shared `framework` fixture, made fast for these many tests.

    The first test loads the framework with `manage.py load_framework` (about 0.4 s); the rows
    are kept and later tests insert the same rows in bulk. Same data, same primary keys.
    """
    from factors.models import Criterion, Factor, Framework, Phase

    if not _FRAMEWORK_ROWS:
        call_command("load_framework", verbosity=0)
        _FRAMEWORK_ROWS.extend(
            (model, list(model.objects.values())) for model in (Phase, Factor, Framework, Criterion)
        )
    else:
        for model, rows in _FRAMEWORK_ROWS:
            model.objects.bulk_create(model(**row) for row in rows)
    return {f.number: f for f in Factor.objects.with_phase()}


@pytest.fixture
def author(db):
    return UserFactory()


@pytest.fixture
def other(db):
    """Another signed-in, verified collaborator."""
    return UserFactory()


@pytest.fixture
def second_maintainer(db):
    from accounts.services import user_grant_maintainer

    return user_grant_maintainer(user=UserFactory())


@pytest.fixture
def domain(db):
    return DomainFactory(name="Healthcare")


@pytest.fixture
def make_item(framework, author):
    """make_item(kind, state, by=user): a complete item (ready to submit) in any state."""

    def make(kind="case_study", state=State.DRAFT, by=None, **kwargs):
        kwargs.setdefault("author", by or author)
        kwargs.setdefault("state", state)
        kwargs.setdefault("submitted_at", None if state == State.DRAFT else timezone.now())
        if kind == "case_study":
            return CaseStudyFactory(applied=[(framework[1], "worked")], **kwargs)
        if kind == "adaptation":
            return AdaptationFactory(factor=framework[2], **kwargs)
        return FailureReportFactory(factors=[framework[3]], **kwargs)

    return make

"""Fixtures for the authoring and review workflow tests."""

import pytest
from django.utils import timezone

from cases.models import State
from tests.factories import (
    AdaptationFactory,
    CaseStudyFactory,
    DomainFactory,
    FailureReportFactory,
    UserFactory,
)


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

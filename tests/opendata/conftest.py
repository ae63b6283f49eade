import pytest
from django.utils import timezone

from cases.models import Consent, State
from tests.factories import (
    AdaptationFactory,
    CaseStudyFactory,
    DomainFactory,
    FailureReportFactory,
    OrganizationFactory,
    QuantifiedResultFactory,
    UserFactory,
)

UNPUBLISHED = [
    State.DRAFT,
    State.SUBMITTED,
    State.CHANGES_REQUESTED,
    State.REJECTED,
    State.WITHDRAWN,
]


@pytest.fixture
def evidence(framework):
    """Published evidence of all three kinds in two domains, plus items the public must
    never see (every unpublished state, and a hidden one) whose titles start "SECRET"."""
    health = DomainFactory(name="Health care", description="Hospitals and clinics.")
    finance = DomainFactory(name="Finance")
    alice = UserFactory(display_name="Alice Example", email="alice@example.org")
    bob = UserFactory(display_name="Bob Hidden", email="bob@example.org")
    anon_org = OrganizationFactory(name="Secret Hospital Trust", domain=health, anonymized=True)
    cs1 = CaseStudyFactory(
        title="Tracing every agent run",
        domain=health,
        organization=anon_org,
        author=alice,
        applied=[(framework[1], "worked"), (framework[4], "adapted")],
        published_at=timezone.now() - timezone.timedelta(days=3),
    )
    QuantifiedResultFactory(case_study=cs1, metric="=cmd|' /C calc'!A0", before=9, after=-2)
    cs2 = CaseStudyFactory(
        title="Budgets for trading agents",
        domain=finance,
        author=bob,
        consent=Consent.ROLE,
        attribution_role="SRE lead at a bank",
        deployment="pilot",
        applied=[(framework[5], "failed")],
        published_at=timezone.now() - timezone.timedelta(days=2),
    )
    ad = AdaptationFactory(
        title="Validation with a human in the loop",
        domain=health,
        factor=framework[4],
        case_study=cs1,
        author=bob,
        consent=Consent.ANONYMOUS,
        published_at=timezone.now() - timezone.timedelta(days=1),
    )
    fr = FailureReportFactory(
        title="Runaway loop in claims triage",
        domain=finance,
        factors=[framework[5], framework[11]],
        severity="critical",
        author=alice,
        case_study=cs2,
    )
    secrets = []
    for state in UNPUBLISHED:
        secrets.append(CaseStudyFactory(title=f"SECRET case {state}", state=state, domain=health,
                                        applied=[(framework[1], "worked")]))  # fmt: skip
        secrets.append(AdaptationFactory(title=f"SECRET adaptation {state}", state=state,
                                         domain=health, factor=framework[4]))  # fmt: skip
        secrets.append(FailureReportFactory(title=f"SECRET failure {state}", state=state,
                                            domain=health, factors=[framework[5]]))  # fmt: skip
    hidden = dict(hidden_at=timezone.now(), hidden_reason="spam", domain=health)
    secrets.append(CaseStudyFactory(title="SECRET hidden case", **hidden))
    secrets.append(
        AdaptationFactory(title="SECRET hidden adaptation", factor=framework[4], **hidden)
    )
    secrets.append(
        FailureReportFactory(title="SECRET hidden failure", factors=[framework[5]], **hidden)
    )
    return {
        "health": health, "finance": finance, "alice": alice, "bob": bob, "anon_org": anon_org,
        "cs1": cs1, "cs2": cs2, "adaptation": ad, "failure": fr, "secrets": secrets,
    }  # fmt: skip

"""Hand-built evidence whose measures are worked out by hand (see test_measures.py)."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from cases.models import Deployment, State, StateChange
from tests.factories import (
    AdaptationFactory,
    CaseStudyFactory,
    DomainFactory,
    FailureReportFactory,
    OrganizationFactory,
    QuantifiedResultFactory,
    UserFactory,
)


@pytest.fixture
def scenario(framework, maintainer):
    """Factor I worked in Health (twice, same organization) and Retail, failed in Finance.

    Published, counted:
      cs1  Health,  org A, production, author A: I worked, II failed; one quantified result
      cs2  Finance, org B, pilot,      author B: I failed
      cs3  Health,  org A, production, author A: I adapted
      ad1  Retail,  adaptation of I,   author C, published 100 days ago
      fr1  Finance, failure report naming I and II, author D
    Not counted (a draft, submitted, rejected, withdrawn, hidden), all in Energy, all
    applying factor I as "worked".
    """
    f1, f2 = framework[1], framework[2]
    health, finance, retail, energy = (
        DomainFactory(name=n) for n in ("Health", "Finance", "Retail", "Energy")
    )
    org_a = OrganizationFactory(name="Org A", domain=health)
    org_b = OrganizationFactory(name="Org B", domain=finance)
    author_a, author_b, author_c, author_d = UserFactory.create_batch(4)
    now = timezone.now()

    cs1 = CaseStudyFactory(
        title="cs1", domain=health, organization=org_a, author=author_a,
        deployment=Deployment.PRODUCTION, applied=[(f1, "worked"), (f2, "failed")],
    )  # fmt: skip
    QuantifiedResultFactory(case_study=cs1)
    QuantifiedResultFactory(case_study=cs1, metric="cost per task")
    cs2 = CaseStudyFactory(
        title="cs2", domain=finance, organization=org_b, author=author_b,
        deployment=Deployment.PILOT, applied=[(f1, "failed")],
    )  # fmt: skip
    cs3 = CaseStudyFactory(
        title="cs3", domain=health, organization=org_a, author=author_a,
        deployment=Deployment.PRODUCTION, applied=[(f1, "adapted")],
    )  # fmt: skip
    ad1 = AdaptationFactory(
        title="ad1", factor=f1, domain=retail, author=author_c,
        published_at=now - timedelta(days=100),
    )  # fmt: skip
    fr1 = FailureReportFactory(title="fr1", factors=[f1, f2], domain=finance, author=author_d)

    hidden = []
    for state in (State.DRAFT, State.SUBMITTED, State.REJECTED, State.WITHDRAWN):
        hidden.append(
            CaseStudyFactory(
                title=f"cs-{state}", state=state, domain=energy, applied=[(f1, "worked")]
            )
        )
        hidden.append(AdaptationFactory(title=f"ad-{state}", state=state, factor=f1, domain=energy))
        hidden.append(
            FailureReportFactory(title=f"fr-{state}", state=state, factors=[f1], domain=energy)
        )
    hidden.append(
        CaseStudyFactory(
            title="cs-hidden", domain=energy, hidden_at=now, hidden_reason="spam",
            applied=[(f1, "worked")],
        )
    )  # fmt: skip
    hidden.append(AdaptationFactory(title="ad-hidden", factor=f1, domain=energy, hidden_at=now))
    hidden.append(
        FailureReportFactory(title="fr-hidden", factors=[f1], domain=energy, hidden_at=now)
    )

    # Engagement: author A submitted, the maintainer reviewed (within the window);
    # an old submission, a withdrawal and an anonymous change do not count.
    StateChange.objects.create(item=cs1, actor=author_a, from_state="draft", to_state="submitted")
    StateChange.objects.create(
        item=cs1, actor=maintainer, from_state="submitted", to_state="published"
    )
    old = StateChange.objects.create(item=cs2, actor=author_b, to_state="submitted")
    StateChange.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=120))
    StateChange.objects.create(item=cs3, actor=author_c, to_state="withdrawn")
    StateChange.objects.create(item=cs3, actor=None, to_state="submitted")

    return SimpleNamespace(
        f1=f1, f2=f2, f3=framework[3], framework=framework,
        health=health, finance=finance, retail=retail, energy=energy,
        org_a=org_a, org_b=org_b, cs1=cs1, cs2=cs2, cs3=cs3, ad1=ad1, fr1=fr1,
        not_counted=hidden, maintainer=maintainer,
    )  # fmt: skip


def add_bulk_evidence(framework, n: int) -> None:
    """n more published case studies, adaptations and failure reports, spread over factors
    and domains: for checking that query counts do not grow with the data."""
    domains = [DomainFactory(name=f"Bulk domain {i}") for i in range(5)]
    for i in range(n):
        factor = framework[1 + i % 12]
        domain = domains[i % 5]
        cs = CaseStudyFactory(
            domain=domain, applied=[(factor, ("worked", "adapted", "failed")[i % 3])]
        )
        if i % 4 == 0:
            QuantifiedResultFactory(case_study=cs)
        AdaptationFactory(factor=factor, domain=domain)
        FailureReportFactory(factors=[factor, framework[1 + (i + 5) % 12]], domain=domain)

"""A quick bulk seeding for the benchmark, used only while `seed_demo` does not exist."""

import random

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases.models import (
    Adaptation,
    CaseStudy,
    Domain,
    FactorApplication,
    FailureReport,
    Organization,
    Outcome,
    State,
)
from common.markdown import render_markdown
from factors.models import Factor
from pagecache.generation import generation_bump_on_commit

DOMAINS = ["Banking", "Retail", "Healthcare", "Logistics", "Energy", "Media", "Public sector"]


@transaction.atomic
def seed(count: int) -> None:
    rng = random.Random(12)
    now = timezone.now()
    domains = [Domain.objects.get_or_create(name=n, defaults={"is_demo": True})[0] for n in DOMAINS]
    orgs = [
        Organization.objects.get_or_create(
            name=f"Bench org {i}", domain=domains[i % len(domains)], defaults={"is_demo": True}
        )[0]
        for i in range(40)
    ]
    authors = list(User.objects.filter(email__endswith="@bench.invalid"))
    if not authors:
        User.objects.bulk_create(
            User(email=f"author{i}@bench.invalid", display_name=f"Author {i}") for i in range(100)
        )
        authors = list(User.objects.filter(email__endswith="@bench.invalid"))
    factors = list(Factor.objects.all())
    html = render_markdown("A paragraph of **evidence** with a [link](https://example.org/).")
    start = CaseStudy.objects.count()
    common = dict(state=State.PUBLISHED, is_demo=True, submitted_at=now, published_at=now)
    studies = []
    for i in range(start, start + count):
        org = rng.choice(orgs)
        studies.append(
            CaseStudy(
                title=f"Bench case study {i}",
                slug=f"bench-case-study-{i}",
                author=rng.choice(authors),
                domain=org.domain,
                organization=org,
                summary="How a team ran agents in production.",
                context="text",
                context_html=html,
                approach="text",
                approach_html=html,
                results="text",
                results_html=html,
                lessons="text",
                lessons_html=html,
                **common,
            )
        )
    studies = CaseStudy.objects.bulk_create(studies, batch_size=1000)
    FactorApplication.objects.bulk_create(
        (
            FactorApplication(case_study=s, factor=f, outcome=rng.choice(Outcome.values))
            for s in studies
            for f in rng.sample(factors, 3)
        ),
        batch_size=2000,
    )
    Adaptation.objects.bulk_create(
        Adaptation(
            title=f"Bench adaptation {i}",
            slug=f"bench-adaptation-{start + i}",
            author=rng.choice(authors),
            domain=rng.choice(domains),
            factor=rng.choice(factors),
            changes="text",
            changes_html=html,
            outcome="text",
            outcome_html=html,
            **common,
        )
        for i in range(count // 20)
    )
    reports = FailureReport.objects.bulk_create(
        FailureReport(
            title=f"Bench failure {i}",
            slug=f"bench-failure-{start + i}",
            author=rng.choice(authors),
            domain=rng.choice(domains),
            severity="high",
            symptom="text",
            symptom_html=html,
            **common,
        )
        for i in range(count // 20)
    )
    through = FailureReport.factors.through
    through.objects.bulk_create(
        through(failurereport_id=r.pk, factor_id=rng.choice(factors).pk) for r in reports
    )
    generation_bump_on_commit()

"""Reads for the public domain pages, each in a fixed number of queries.

`domains_with_counts()` for the domain list; `domain_overview(domain)` for a domain's
page. Only published evidence counts (SubmissionQuerySet.published()).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber

from factors.models import Factor

from .models import (
    Adaptation,
    CaseStudy,
    Domain,
    FactorApplication,
    FailureReport,
    Organization,
)

FailureFactor = FailureReport.factors.through


def _published_applications():
    return FactorApplication.objects.filter(case_study__in=CaseStudy.objects.published())


def _published_failure_links():
    return FailureFactor.objects.filter(failurereport__in=FailureReport.objects.published())


def domains_with_counts() -> list[Domain]:
    """Every domain, each with n_case_studies, n_adaptations, n_failures and n_factors
    (factors with any published evidence there). Seven queries whatever the data size."""
    domains = list(Domain.objects.all())
    counts = {}
    for name, model in (
        ("n_case_studies", CaseStudy),
        ("n_adaptations", Adaptation),
        ("n_failures", FailureReport),
    ):
        counts[name] = dict(
            model.objects.published().order_by().values_list("domain_id").annotate(n=Count("pk"))
        )
    pairs = set(
        _published_applications()
        .order_by()
        .values_list("case_study__domain_id", "factor_id")
        .distinct()
    )
    pairs |= set(
        Adaptation.objects.published().order_by().values_list("domain_id", "factor_id").distinct()
    )
    pairs |= set(
        _published_failure_links()
        .order_by()
        .values_list("failurereport__domain_id", "factor_id")
        .distinct()
    )
    factors_per_domain = Counter(domain_id for domain_id, _factor in pairs)
    for domain in domains:
        for name, by_domain in counts.items():
            setattr(domain, name, by_domain.get(domain.pk, 0))
        domain.n_factors = factors_per_domain.get(domain.pk, 0)
        domain.n_evidence = domain.n_case_studies + domain.n_adaptations + domain.n_failures
    return domains


@dataclass
class FactorEvidence:
    """One factor's published evidence in one domain: counts and the latest items."""

    factor: Factor
    case_studies: list = field(default_factory=list)
    adaptations: list = field(default_factory=list)
    failures: list = field(default_factory=list)
    n_case_studies: int = 0
    n_adaptations: int = 0
    n_failures: int = 0
    outcomes: dict = field(default_factory=dict)  # outcome -> count of case studies

    @property
    def total(self) -> int:
        return self.n_case_studies + self.n_adaptations + self.n_failures


@dataclass
class DomainOverview:
    domain: Domain
    with_evidence: list[FactorEvidence]
    help_wanted: list[Factor]
    organizations: list[Organization]  # named ones
    anonymized: list[Organization]
    n_case_studies: int
    n_adaptations: int
    n_failures: int


def _latest(qs, partition, order, per_factor):
    return qs.annotate(row=Window(RowNumber(), partition_by=[F(partition)], order_by=order)).filter(
        row__lte=per_factor
    )


def domain_overview(domain: Domain, *, per_factor: int = 5) -> DomainOverview:
    """A domain's published evidence grouped by factor (latest `per_factor` items of each
    kind per factor, with full counts), the factors with none ("help wanted") and the
    organizations involved. Ten queries whatever the data size."""
    factors = list(Factor.objects.with_phase())
    by_factor = {f.pk: FactorEvidence(factor=f) for f in factors}

    apps = _published_applications().filter(case_study__domain=domain)
    for factor_id, outcome, n in (
        apps.order_by().values_list("factor_id", "outcome").annotate(n=Count("pk"))
    ):
        entry = by_factor[factor_id]
        entry.outcomes[outcome] = n
        entry.n_case_studies += n
    latest_apps = _latest(
        apps.select_related("case_study"),
        "factor_id",
        [F("case_study__published_at").desc(), F("case_study_id").desc()],
        per_factor,
    )
    for app in latest_apps:
        by_factor[app.factor_id].case_studies.append(app)

    adaptations = Adaptation.objects.published().filter(domain=domain)
    for factor_id, n in adaptations.order_by().values_list("factor_id").annotate(n=Count("pk")):
        by_factor[factor_id].n_adaptations = n
    for item in _latest(
        adaptations, "factor_id", [F("published_at").desc(), F("pk").desc()], per_factor
    ):
        by_factor[item.factor_id].adaptations.append(item)

    links = _published_failure_links().filter(failurereport__domain=domain)
    for factor_id, n in links.order_by().values_list("factor_id").annotate(n=Count("pk")):
        by_factor[factor_id].n_failures = n
    for link in _latest(
        links.select_related("failurereport"),
        "factor_id",
        [F("failurereport__published_at").desc(), F("failurereport_id").desc()],
        per_factor,
    ):
        by_factor[link.factor_id].failures.append(link.failurereport)

    kinds = {
        "n_case_studies": CaseStudy.objects.published().filter(domain=domain),
        "n_adaptations": adaptations,
        "n_failures": FailureReport.objects.published().filter(domain=domain),
    }
    totals = {name: qs.count() for name, qs in kinds.items()}
    orgs = Organization.objects.filter(
        Q(pk__in=kinds["n_case_studies"].values("organization_id"))
        | Q(pk__in=kinds["n_adaptations"].values("organization_id"))
        | Q(pk__in=kinds["n_failures"].values("organization_id"))
    ).select_related("domain")
    named, anonymized = [], []
    for org in orgs:
        (anonymized if org.anonymized else named).append(org)

    entries = [by_factor[f.pk] for f in factors]
    return DomainOverview(
        domain=domain,
        with_evidence=[e for e in entries if e.total],
        help_wanted=[e.factor for e in entries if not e.total],
        organizations=named,
        anonymized=anonymized,
        **totals,
    )


def grouped_public_names(orgs: list[Organization]) -> list[tuple[str, int]]:
    """Anonymized organizations by public name ("a healthcare organization"), with counts."""
    counts = defaultdict(int)
    for org in orgs:
        counts[org.public_name] += 1
    return sorted(counts.items())

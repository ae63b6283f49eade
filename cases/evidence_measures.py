"""The measures of published evidence (case studies, adaptations, failure reports), registered
with factors/measuring.py from CasesConfig.ready(), with the evidence source the framework
reads (the per factor × domain cells, the ageing window for fresh criteria, the Domain model).

Only `.published()` evidence counts (state published and not hidden): drafts, submissions
under review, rejected, withdrawn and hidden items never do. Each aggregate below runs at most
once per `Evidence` (`Evidence.memo`), grouped by factor or by factor and domain: the number of
queries does not depend on the amount of evidence.

Per factor
- domains: distinct domains of published case studies that applied the factor with
  outcome "worked" or "adapted", together with the domains of published adaptations
  of the factor (a domain counts once).
- failures: published failure reports naming the factor, plus published case studies
  whose application of the factor failed.
- adaptations: published adaptations of the factor, plus published case studies whose
  application of the factor worked with adaptation.
- failures_or_adaptations: failures + adaptations.
- case_studies: published case studies applying the factor (any outcome).
- organizations: distinct organizations with a published case study applying the factor.
- organizations_in_production: the same, counting only case studies in production.
- quantified_case_studies: published case studies applying the factor that report at
  least one quantified result.
- case_studies_improved: registered by cases/measures.py: published case studies applying
  the factor (not failed) whose vocabulary results read as "improved" (cases/improvement.py).
- domains_as_written, domains_adapted, domains_failed: domains whose outcome for the
  factor is "worked as written", "worked only with adaptation", "failed" (the rules are
  in factors/classification.py; Cell.outcome applies them to one factor × domain).

Framework-wide
- domains: distinct domains with any published evidence (case study, adaptation or
  failure report).
- failures: published failure reports, plus failed applications in published case
  studies. adaptations: published adaptations, plus applications that worked with
  adaptation. failures_or_adaptations: their sum.
- case_studies, organizations, organizations_in_production, quantified_case_studies:
  as per factor, over all published case studies.
- active_collaborators: distinct authors of evidence published within the activity
  window (settings.ACTIVITY_WINDOW_DAYS).
- engaged_members (counted by factors/measuring.py): distinct people who, within the
  activity window, submitted an item (a state change to "submitted" they made), reviewed
  one (a state change to published, changes requested or rejected they made), or
  contributed through any other registered engagement source (feedback).
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from factors.classification import DomainOutcome
from factors.measuring import (
    Cell,
    Evidence,
    EvidenceSource,
    FactorComputation,
    FrameworkComputation,
    engagement_source,
    factor_measure,
    framework_measure,
    register_evidence_source,
)

from .ageing import ageing_cutoff
from .models import (
    Adaptation,
    CaseStudy,
    Deployment,
    Domain,
    FactorApplication,
    FailureReport,
    Outcome,
    QuantifiedResult,
    State,
    StateChange,
)


def _published_ids(ev: Evidence, model) -> QuerySet:
    return ev.published(model).values("pk")


def _published_applications(ev: Evidence) -> QuerySet:
    return FactorApplication.objects.filter(case_study__in=_published_ids(ev, CaseStudy))


def _has_quantified_result() -> Exists:
    return Exists(QuantifiedResult.objects.filter(case_study=OuterRef("case_study")))


# -- the aggregates, each once per Evidence ---------------------------------------------------


def cells(ev: Evidence) -> dict[tuple[int, int], Cell]:
    """{(factor_id, domain_id): Cell}: three grouped queries, bounded by factors × domains."""
    found: dict[tuple[int, int], Cell] = defaultdict(Cell)
    rows = (
        ev.only(ev.published(CaseStudy), "applications__factor")
        .values("applications__factor", "domain", "applications__outcome")
        .annotate(n=Count("applications"))
        .order_by()
    )
    for row in rows:
        if row["applications__factor"] is None:
            continue  # a case study that applies no factor
        cell = found[(row["applications__factor"], row["domain"])]
        outcome = row["applications__outcome"]
        setattr(cell, outcome, getattr(cell, outcome) + row["n"])
    rows = (
        ev.only(ev.published(Adaptation), "factor")
        .values("factor_id", "domain_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        found[(row["factor_id"], row["domain_id"])].adaptations += row["n"]
    rows = (
        ev.only(FailureReport.factors.through.objects, "factor")
        .filter(failurereport__in=_published_ids(ev, FailureReport))
        .values("factor_id", "failurereport__domain_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        found[(row["factor_id"], row["failurereport__domain_id"])].failure_reports += row["n"]
    return dict(found)


def _organizations(ev: Evidence) -> dict[int, dict]:
    """{factor_id: {"organizations": n, "organizations_in_production": n}}: distinct
    organizations of published case studies applying each factor, one grouped query."""
    rows = (
        ev.only(ev.published(CaseStudy), "applications__factor")
        .values("applications__factor")
        .annotate(
            organizations=Count("organization", distinct=True),
            organizations_in_production=Count(
                "organization", distinct=True, filter=Q(deployment=Deployment.PRODUCTION)
            ),
        )
        .order_by()
    )
    return {row["applications__factor"]: row for row in rows}


def organizations(ev: Evidence) -> dict[int, dict]:
    return ev.memo("cases:organizations", _organizations)


def _quantified(ev: Evidence) -> dict[int, int]:
    """{factor_id: published case studies applying it with a quantified result}."""
    rows = (
        ev.only(_published_applications(ev), "factor")
        .filter(_has_quantified_result())
        .values("factor_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["factor_id"]: row["n"] for row in rows}


def _case_study_totals(ev: Evidence) -> dict:
    """Framework-wide case-study counts, in one query."""
    return ev.published(CaseStudy).aggregate(
        case_studies=Count("pk"),
        organizations=Count("organization", distinct=True),
        organizations_in_production=Count(
            "organization", distinct=True, filter=Q(deployment=Deployment.PRODUCTION)
        ),
        quantified_case_studies=Count(
            "pk", filter=Q(Exists(QuantifiedResult.objects.filter(case_study=OuterRef("pk"))))
        ),
    )


def _failure_report_count(ev: Evidence) -> int:
    return ev.memo("cases:failure_reports", lambda ev: ev.published(FailureReport).count())


def _adaptation_count(ev: Evidence) -> int:
    return ev.memo("cases:adaptations", lambda ev: ev.published(Adaptation).count())


# -- per-factor computations ----------------------------------------------------------------


@factor_measure("domains")
def _factor_domains(ev: Evidence) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for (factor_id, _), cell in ev.cells.items():
        if cell.validates:
            counts[factor_id] += 1
    return counts


@factor_measure("failures")
def _factor_failures(ev: Evidence) -> dict[int, int]:
    return {f: t.failed + t.failure_reports for f, t in ev.factor_totals().items()}


@factor_measure("adaptations")
def _factor_adaptations(ev: Evidence) -> dict[int, int]:
    return {f: t.adapted + t.adaptations for f, t in ev.factor_totals().items()}


@factor_measure("failures_or_adaptations")
def _factor_failures_or_adaptations(ev: Evidence) -> dict[int, int]:
    return {
        f: t.failed + t.failure_reports + t.adapted + t.adaptations
        for f, t in ev.factor_totals().items()
    }


@factor_measure("case_studies")
def _factor_case_studies(ev: Evidence) -> dict[int, int]:
    return {f: t.case_studies for f, t in ev.factor_totals().items()}


@factor_measure("organizations")
def _factor_organizations(ev: Evidence) -> dict[int, int]:
    return {f: row["organizations"] for f, row in organizations(ev).items()}


@factor_measure("organizations_in_production")
def _factor_organizations_in_production(ev: Evidence) -> dict[int, int]:
    return {f: row["organizations_in_production"] for f, row in organizations(ev).items()}


@factor_measure("quantified_case_studies")
def _factor_quantified(ev: Evidence) -> dict[int, int]:
    return ev.memo("cases:quantified", _quantified)


def _domains_with(outcome: DomainOutcome) -> FactorComputation:
    def compute(ev: Evidence) -> dict[int, int]:
        counts: dict[int, int] = defaultdict(int)
        for (factor_id, _), cell in ev.cells.items():
            if cell.outcome == outcome:
                counts[factor_id] += 1
        return counts

    return compute


factor_measure("domains_as_written")(_domains_with(DomainOutcome.AS_WRITTEN))
factor_measure("domains_adapted")(_domains_with(DomainOutcome.ADAPTED))
factor_measure("domains_failed")(_domains_with(DomainOutcome.FAILED))


# -- framework computations -----------------------------------------------------------------


@framework_measure("domains")
def _framework_domains(ev: Evidence) -> int:
    return Domain.objects.filter(
        Q(pk__in=ev.published(CaseStudy).values("domain"))
        | Q(pk__in=ev.published(Adaptation).values("domain"))
        | Q(pk__in=ev.published(FailureReport).values("domain"))
    ).count()


def _application_outcomes(ev: Evidence) -> dict[str, int]:
    totals = {Outcome.WORKED: 0, Outcome.ADAPTED: 0, Outcome.FAILED: 0}
    for cell in ev.cells.values():
        totals[Outcome.WORKED] += cell.worked
        totals[Outcome.ADAPTED] += cell.adapted
        totals[Outcome.FAILED] += cell.failed
    return totals


@framework_measure("failures")
def _framework_failures(ev: Evidence) -> int:
    return _failure_report_count(ev) + _application_outcomes(ev)[Outcome.FAILED]


@framework_measure("adaptations")
def _framework_adaptations(ev: Evidence) -> int:
    return _adaptation_count(ev) + _application_outcomes(ev)[Outcome.ADAPTED]


@framework_measure("failures_or_adaptations")
def _framework_failures_or_adaptations(ev: Evidence) -> int:
    return _framework_failures(ev) + _framework_adaptations(ev)


def _case_study_total(key: str) -> FrameworkComputation:
    def compute(ev: Evidence) -> int:
        return ev.memo("cases:case_study_totals", _case_study_totals)[key] or 0

    return compute


for _key in (
    "case_studies",
    "organizations",
    "organizations_in_production",
    "quantified_case_studies",
):
    framework_measure(_key)(_case_study_total(_key))


@framework_measure("active_collaborators")
def _framework_active_collaborators(ev: Evidence) -> int:
    return ev.distinct_users(
        ev.published(model)
        .filter(published_at__gte=ev.since, author__isnull=False)
        .values("author")
        for model in (CaseStudy, Adaptation, FailureReport)
    )


@engagement_source("submitted")
def _submitters(ev: Evidence) -> QuerySet:
    return StateChange.objects.filter(
        to_state=State.SUBMITTED, created_at__gte=ev.since, actor__isnull=False
    ).values("actor")


@engagement_source("reviewed")
def _reviewers(ev: Evidence) -> QuerySet:
    return StateChange.objects.filter(
        to_state__in=[State.PUBLISHED, State.CHANGES_REQUESTED, State.REJECTED],
        created_at__gte=ev.since,
        actor__isnull=False,
    ).values("actor")


register_evidence_source(
    EvidenceSource(cells=cells, fresh_cutoff=ageing_cutoff, domain_model=Domain)
)

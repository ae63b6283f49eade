"""The evidence behind each number of published evidence on a factor's page
(/factors/<slug>/evidence/<measure>/): for each measure of cases/evidence_measures.py, the
published items it counts, with the same filters. Registered into factors/selectors.py's
EVIDENCE_SECTIONS from CasesConfig.ready() (cases/measures.py and failuremodes/measures.py
add those of their own measures).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from factors.classification import DomainOutcome
from factors.measuring import Evidence
from factors.models import Factor
from factors.selectors import EVIDENCE_SECTIONS, EvidenceSection

from .models import Adaptation, CaseStudy, Deployment, FailureReport, Outcome, QuantifiedResult

CS, AD, FR = CaseStudy.KIND, Adaptation.KIND, FailureReport.KIND
WORKED_OR_ADAPTED = [Outcome.WORKED, Outcome.ADAPTED]


def _case_studies_for(factor: Factor, **filters) -> QuerySet:
    return (
        CaseStudy.objects.published()
        .filter(applications__factor=factor, **filters)
        .select_related("domain", "organization__domain")
    )


def _adaptations_for(factor: Factor, **filters) -> QuerySet:
    return (
        Adaptation.objects.published()
        .filter(factor=factor, **filters)
        .select_related("domain", "organization__domain")
    )


def _failures_for(factor: Factor, **filters) -> QuerySet:
    return (
        FailureReport.objects.published()
        .filter(factors=factor, **filters)
        .select_related("domain", "organization__domain")
    )


def _sections_for_measure(factor: Factor, key: str) -> list[EvidenceSection]:
    """What stands behind a per-factor measure: the same filters as cases/evidence_measures.py."""
    if key == "domains":
        return [
            EvidenceSection(
                CS,
                "Case studies where it worked (as written or adapted)",
                _case_studies_for(factor, applications__outcome__in=WORKED_OR_ADAPTED),
            ),
            EvidenceSection(AD, "Adaptations", _adaptations_for(factor)),
        ]
    if key == "failures":
        return [
            EvidenceSection(FR, "Failure reports", _failures_for(factor)),
            EvidenceSection(
                CS,
                "Case studies where it failed",
                _case_studies_for(factor, applications__outcome=Outcome.FAILED),
            ),
        ]
    if key == "adaptations":
        return [
            EvidenceSection(AD, "Adaptations", _adaptations_for(factor)),
            EvidenceSection(
                CS,
                "Case studies where it worked with adaptation",
                _case_studies_for(factor, applications__outcome=Outcome.ADAPTED),
            ),
        ]
    if key == "failures_or_adaptations":
        return _sections_for_measure(factor, "failures") + _sections_for_measure(
            factor, "adaptations"
        )
    if key == "case_studies":
        return [EvidenceSection(CS, "Case studies applying it", _case_studies_for(factor))]
    if key == "organizations":
        return [
            EvidenceSection(
                CS,
                "Case studies applying it, by organization",
                _case_studies_for(factor, organization__isnull=False),
                group_by="organization",
            )
        ]
    if key == "organizations_in_production":
        return [
            EvidenceSection(
                CS,
                "Case studies in production applying it, by organization",
                _case_studies_for(
                    factor, organization__isnull=False, deployment=Deployment.PRODUCTION
                ),
                group_by="organization",
            )
        ]
    if key in DOMAIN_OUTCOME_MEASURES:
        return _sections_for_outcome(factor, DOMAIN_OUTCOME_MEASURES[key])
    if key == "quantified_case_studies":
        quantified = Exists(QuantifiedResult.objects.filter(case_study=OuterRef("pk")))
        return [
            EvidenceSection(
                CS,
                "Case studies with quantified results",
                _case_studies_for(factor).filter(quantified),
            )
        ]
    return []


DOMAIN_OUTCOME_MEASURES = {
    "domains_as_written": DomainOutcome.AS_WRITTEN,
    "domains_adapted": DomainOutcome.ADAPTED,
    "domains_failed": DomainOutcome.FAILED,
}


def _sections_for_outcome(factor: Factor, outcome: DomainOutcome) -> list[EvidenceSection]:
    """The evidence in the domains whose outcome for the factor is `outcome` (three aggregate
    queries find those domains, as cases/evidence_measures.py counts them)."""
    cells = Evidence(factor_ids=[factor.pk]).cells
    ids = [d for (f, d), cell in cells.items() if f == factor.pk and cell.outcome == outcome]
    there = {"domain__in": ids}
    if outcome == DomainOutcome.AS_WRITTEN:
        return [
            EvidenceSection(
                CS,
                "Case studies where it worked as written",
                _case_studies_for(factor, applications__outcome=Outcome.WORKED, **there),
            ),
            EvidenceSection(AD, "Adaptations in these domains", _adaptations_for(factor, **there)),
        ]
    failures = [
        EvidenceSection(
            CS,
            "Case studies where it failed",
            _case_studies_for(factor, applications__outcome=Outcome.FAILED, **there),
        ),
        EvidenceSection(FR, "Failure reports", _failures_for(factor, **there)),
    ]
    if outcome == DomainOutcome.ADAPTED:
        return [
            EvidenceSection(AD, "Adaptations", _adaptations_for(factor, **there)),
            EvidenceSection(
                CS,
                "Case studies where it worked with adaptation",
                _case_studies_for(factor, applications__outcome=Outcome.ADAPTED, **there),
            ),
            *failures,
        ]
    return failures


def _sections(key: str):
    return lambda factor: _sections_for_measure(factor, key)


for _key in (
    "domains",
    "failures",
    "adaptations",
    "failures_or_adaptations",
    "case_studies",
    "organizations",
    "organizations_in_production",
    "quantified_case_studies",
    *DOMAIN_OUTCOME_MEASURES,
):
    EVIDENCE_SECTIONS[_key] = _sections(_key)

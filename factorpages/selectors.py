"""Reads for the framework pages that list evidence: a factor's page from the current
snapshot, the evidence behind a number, everything about a factor in a domain.

The figures come from factors/ (the report, the snapshots, the sections each measure
registers); the items from cases/. Every function here runs a fixed number of queries,
whatever the amount of evidence.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, OuterRef, QuerySet, Subquery

from cases.kinds import KINDS
from cases.measures import stored_metric_summaries
from cases.models import CaseStudy, Domain, FactorApplication, Organization
from factors.history import current_report
from factors.models import Factor
from factors.selectors import EvidenceSection, FactorStatus, factor_grid

EVIDENCE_PAGE_SIZE = 50


def current_factor_status(slug: str) -> FactorStatus | None:
    """The factor of that slug (with its phase) and its status with its domain grid, from
    the current snapshot: two queries. None for a factor the snapshot does not know."""
    report = current_report(with_framework=False)
    status = next((s for s in report.factors if s.factor.slug == slug), None)
    if status is None:
        return None
    factor = status.factor
    cells = {
        d: cell for (f, d), cell in report.evidence.cells.items() if f == factor.pk and cell.total
    }
    factor_grid(
        status, cells, report.domains, min_domains=report.evidence.classification_min_domains
    )
    status.improvement_metrics = stored_metric_summaries(report.snapshot, factor.pk)
    return status


@dataclass
class EvidenceGroup:
    """One domain (or organization) and how many items of each kind come from it."""

    obj: Domain | Organization
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def section_items(section: EvidenceSection, factor: Factor) -> QuerySet:
    """A section's items for listing, ordered by group; case studies carry their `outcome`."""
    qs = section.queryset
    if section.kind == CaseStudy.KIND:
        outcome = FactorApplication.objects.filter(case_study=OuterRef("pk"), factor=factor)
        qs = qs.annotate(outcome=Subquery(outcome.values("outcome")[:1]))
    order = ["organization__name"] if section.group_by == "organization" else ["domain__name"]
    return qs.order_by(*order, "-published_at", "pk")


def sections_for_factor(factor: Factor, **filters) -> list[EvidenceSection]:
    """Everything published about a factor, kind by kind (case studies, adaptations, …).

    With domain=d, one cell of the coverage matrix.
    """
    sections = []
    for key, kind in KINDS.items():
        qs = kind.model.objects.published().filter(**{kind.model.factor_path: factor}, **filters)
        qs = qs.select_related("domain", "organization__domain")
        sections.append(EvidenceSection(key, kind.title, qs))
    return sections


def evidence_groups(sections: list[EvidenceSection]) -> list[EvidenceGroup]:
    """Per domain (or organization): how many items of each kind. One query per section + one."""
    counts: dict[int, dict[str, int]] = {}
    group_by = sections[0].group_by if sections else "domain"
    for section in sections:
        rows = section.queryset.values(group_by).annotate(n=Count("pk", distinct=True)).order_by()
        for row in rows:
            group = counts.setdefault(row[group_by], {})
            group[section.title] = group.get(section.title, 0) + row["n"]
    model = Organization if group_by == "organization" else Domain
    objects = model.objects.filter(pk__in=list(counts))
    if model is Organization:
        objects = objects.select_related("domain")
    groups = [EvidenceGroup(obj=o, counts=counts[o.pk]) for o in objects]
    return sorted(groups, key=lambda g: (-g.total, str(g.obj)))

"""Reads for the framework pages that list evidence: a factor's page from the current
snapshot, the evidence behind a number, everything about a factor in a domain.

The figures come from factors/ (the report, the snapshots, the sections each measure
registers); the items from cases/. Every function here runs a fixed number of queries,
whatever the amount of evidence.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import CharField, Count, F, OuterRef, QuerySet, Subquery, TextField, Value

from cases.kinds import KINDS
from cases.measures import stored_metric_summaries
from cases.models import CaseStudy, Domain, FactorApplication, Organization, State
from factors.history import CELL_FIELDS, current_factor_report, current_report
from factors.models import Factor
from factors.selectors import EvidenceSection, FactorStatus, factor_grid, sections_for_measure

EVIDENCE_PAGE_SIZE = 50


def current_factor_status(slug: str) -> FactorStatus | None:
    """The factor of that slug (with its phase) and its status with its domain grid, from
    the current snapshot: one query (the snapshot's row of the factor, with the snapshot),
    and one for the names of the metrics of its quantified improvement if it has any. None
    for a factor the snapshot does not know."""
    report = current_factor_report(slug)
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


# -- the evidence behind a factor's number, read with the snapshot ----------------------------

# The sections of a measure's evidence page (factors.selectors.sections_for_measure), in
# order, as the snapshot's cell fields each counts: one case study per application of the
# factor, one failure report or adaptation per published item (factors/measuring.py cells).
EVIDENCE_SECTION_CELLS = {
    "domains": [("worked", "adapted"), ("adaptations",)],
    "failures": [("failure_reports",), ("failed",)],
    "adaptations": [("adaptations",), ("adapted",)],
    "failures_or_adaptations": [
        ("failure_reports",),
        ("failed",),
        ("adaptations",),
        ("adapted",),
    ],
    "case_studies": [("worked", "adapted", "failed")],
}


class _CountedSection:
    """A section's items for a Paginator, counted per domain beforehand (from the snapshot):
    `count()` costs nothing and a page reads only the domains it spans, in the section's
    order (domain name, newest first)."""

    def __init__(self, items: QuerySet, per_domain: list[tuple[Domain, int]]):
        self.items, self.per_domain = items, per_domain  # per_domain in name order

    def count(self) -> int:
        return sum(n for _domain, n in self.per_domain)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list:
        start, stop = window.start or 0, window.stop
        spanned, first, at = [], None, 0
        for domain, n in self.per_domain:
            if at + n > start and at < stop:
                spanned.append(domain.pk)
                first = at if first is None else first
            at += n
        if not spanned:
            return []
        items = self.items.filter(domain__in=spanned)
        if len(spanned) == 1:  # the same order, without the domain's name to sort on
            items = items.order_by("-published_at", "pk")
        return list(items[start - first : stop - first])


def snapshot_evidence_page(factor_slug: str, measure: str) -> dict | None:
    """What the evidence page of a factor's measure shows (factors/<slug>/evidence/<measure>/,
    all published evidence), with the figures of the current maturity snapshot: the factor
    and the value (2 queries), the groups by domain (none) and each section as a paginable
    `_CountedSection` (a query per page shown). None for a measure whose sections the
    snapshot does not count (EVIDENCE_SECTION_CELLS) or a factor it does not know: the
    caller computes those as before."""
    fields = EVIDENCE_SECTION_CELLS.get(measure)
    if fields is None:
        return None
    report = current_report(with_framework=False)
    status = next((s for s in report.factors if s.factor.slug == factor_slug), None)
    if status is None or measure not in status.measures:
        return None
    factor = status.factor
    sections = sections_for_measure(factor, measure)  # querysets only: no query
    if len(sections) != len(fields):
        return None
    snapshot = report.snapshot.data["evidence"]
    names = {pk: Domain(pk=pk, name=name, slug=slug) for pk, name, slug in snapshot["domains"]}
    cells = {
        d: dict(zip(CELL_FIELDS, values, strict=True))
        for f, d, *values in snapshot["cells"]
        if f == factor.pk and d in names
    }
    counted, groups = [], {}
    for section, names_counted in zip(sections, fields, strict=True):
        per_domain = []
        for domain in sorted((names[d] for d in cells), key=lambda d: d.name):
            n = sum(cells[domain.pk][name] for name in names_counted)
            if n:
                per_domain.append((domain, n))
                group = groups.setdefault(domain.pk, {})
                group[section.title] = group.get(section.title, 0) + n
        counted.append((section, _CountedSection(section_items(section, factor), per_domain)))
    by_domain = [EvidenceGroup(obj=names[d], counts=counts) for d, counts in groups.items()]
    return {
        "factor": factor,
        "value": status.measures[measure],
        "groups": sorted(by_domain, key=lambda g: (-g.total, str(g.obj))),
        "group_by": sections[0].group_by if sections else "domain",
        "sections": counted,
    }


# -- a factor's page: the newest items of every kind, in one query ---------------------------

NEWEST = ("-published_at", "-pk")

# What a factor page's list shows of an item (templates/factors/_maturity.html#evidence_item:
# its link, title, demo and ageing marks, domain, organization, outcome, deployment, date), read
# as plain values: {column: the item's field, or a kind's own field when it has one}.
ITEM_COLUMNS = {
    "item_pk": "pk",
    "item_title": "title",
    "item_slug": "slug",
    "item_demo": "is_demo",
    "item_published": "published_at",
    "item_confirmed": "confirmed_at",
    "item_domain": "domain_id",
    "item_domain_name": "domain__name",
    "item_domain_slug": "domain__slug",
    "item_org": "organization_id",
    "item_org_name": "organization__name",
    "item_org_slug": "organization__slug",
    "item_org_anonymized": "organization__anonymized",
    "item_org_domain_name": "organization__domain__name",
}
OWN_COLUMNS = {"item_outcome": "outcome", "item_deployment": "deployment"}  # if the kind has it


def _own_field(model, name: str):
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return Value(None, output_field=TextField())
    return F(name)


def _newest_values(section: EvidenceSection, factor: Factor, limit: int) -> QuerySet:
    """The section's `limit` newest items as plain values (ITEM_COLUMNS, OWN_COLUMNS)."""
    model = section.queryset.model
    newest = section.queryset.order_by(*NEWEST).values("pk")[:limit]
    own = {column: _own_field(model, name) for column, name in OWN_COLUMNS.items()}
    if section.kind == CaseStudy.KIND:  # how the factor went there, as section_items() says
        outcome = FactorApplication.objects.filter(case_study=OuterRef("pk"), factor=factor)
        own["item_outcome"] = Subquery(outcome.values("outcome")[:1])
    return (
        model.objects.filter(pk__in=newest)
        .annotate(
            item_kind=Value(section.kind, output_field=CharField()),
            **{column: F(name) for column, name in ITEM_COLUMNS.items()},
            **own,
        )
        .values("item_kind", *ITEM_COLUMNS, *OWN_COLUMNS)
        .order_by()
    )


def _item(model, row: dict):
    """An unsaved instance of `model` holding what the list shows: the same properties
    (get_absolute_url, is_ageing, organization.public_name, …) as the item read in full."""
    domain = Domain(
        pk=row["item_domain"], name=row["item_domain_name"], slug=row["item_domain_slug"]
    )
    organization = None
    if row["item_org"] is not None:
        organization = Organization(
            pk=row["item_org"],
            name=row["item_org_name"],
            slug=row["item_org_slug"],
            anonymized=row["item_org_anonymized"],
            domain=Domain(name=row["item_org_domain_name"]),
        )
    item = model(
        pk=row["item_pk"],
        title=row["item_title"],
        slug=row["item_slug"],
        is_demo=row["item_demo"],
        state=State.PUBLISHED,  # published and not hidden, as every section lists
        published_at=row["item_published"],
        confirmed_at=row["item_confirmed"],
        domain=domain,
        organization=organization,
    )
    for column, name in OWN_COLUMNS.items():
        if row[column] is not None or hasattr(model, name):
            setattr(item, name, row[column])
    return item


def newest_items(factor: Factor, limit: int) -> dict[str, list]:
    """{kind: its `limit` most recently published items about the factor, newest first}, each
    with what the factor's page lists of it: one query (a union over the kinds of their
    newest items' plain values), whatever the amount of evidence."""
    sections = sections_for_factor(factor)
    parts = [_newest_values(section, factor, limit) for section in sections]
    rows = list(parts[0].union(*parts[1:], all=True).order_by()) if parts else []
    models = {section.kind: section.queryset.model for section in sections}
    items: dict[str, list] = {section.kind: [] for section in sections}
    for row in rows:
        items[row["item_kind"]].append(_item(models[row["item_kind"]], row))
    for kind_items in items.values():  # NEWEST; NULL dates (never for published items) last
        kind_items.sort(
            key=lambda i: (i.published_at is not None, i.published_at or 0, i.pk), reverse=True
        )
    return items

"""Reads for the public domain pages, each in a fixed number of queries.

`domains_with_counts()` for the domain list; `domain_overview(domain)` for a domain's
page. Only published evidence counts (SubmissionQuerySet.published()). Every kind of
evidence (cases/kinds.py) is read the same way, through its model's factor links.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from factors.history import CELL_FIELDS, current_snapshot
from factors.models import Factor

from .kinds import KINDS, Kind
from .models import Domain, Organization, State


def domains_with_counts() -> list[Domain]:
    """Every domain, each with `counts` [(kind, n)], n_<plural key> (n_case_studies,
    n_adaptations, n_failures …) and n_factors (factors with any published evidence
    there). One query, plus two per kind, whatever the data size."""
    domains = list(Domain.objects.all())
    counts = {}
    pairs = set()
    for key, kind in KINDS.items():
        model = kind.model
        counts[key] = dict(
            model.objects.published().order_by().values_list("domain_id").annotate(n=Count("pk"))
        )
        links, item = model.published_factor_links()
        prefix = f"{item}__" if item else ""
        pairs |= set(links.order_by().values_list(f"{prefix}domain_id", "factor_id").distinct())
    factors_per_domain = Counter(domain_id for domain_id, _factor in pairs)
    for domain in domains:
        domain.counts = [
            (KINDS[key], by_domain.get(domain.pk, 0)) for key, by_domain in counts.items()
        ]
        for kind, n in domain.counts:
            setattr(domain, f"n_{kind.plural_key}", n)
        domain.n_factors = factors_per_domain.get(domain.pk, 0)
        domain.n_evidence = sum(n for _kind, n in domain.counts)
    return domains


@dataclass
class KindEvidence:
    """One kind's published items about one factor in one domain: the count and the latest.

    `items` are (item, link) pairs: the link is the row with the item's outcome for the
    factor (a FactorApplication) for a kind that reports one per factor, else None;
    `outcomes` counts those by outcome.
    """

    kind: Kind
    n: int = 0
    items: list = field(default_factory=list)
    outcomes: dict = field(default_factory=dict)


@dataclass
class FactorEvidence:
    """One factor's published evidence in one domain, kind by kind."""

    factor: Factor
    kinds: dict[str, KindEvidence] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(part.n for part in self.kinds.values())

    def __getattr__(self, name):
        # n_case_studies, n_failures …: the count of a kind by its plural key.
        if name.startswith("n_"):
            for part in self.__dict__.get("kinds", {}).values():
                if part.kind.plural_key == name[2:]:
                    return part.n
        raise AttributeError(name)


@dataclass
class DomainOverview:
    domain: Domain
    with_evidence: list[FactorEvidence]
    help_wanted: list[Factor]
    organizations: list[Organization]  # named ones
    anonymized: list[Organization]
    totals: list[tuple[Kind, int]]  # published items of each kind in the domain

    def __getattr__(self, name):
        if name.startswith("n_"):
            for kind, n in self.__dict__.get("totals", []):
                if kind.plural_key == name[2:]:
                    return n
        raise AttributeError(name)


# The snapshot's per factor × domain cells (factors/history.py) hold the published items of
# these kinds; the fields of a cell each kind's count reads, and for case studies the outcomes.
SNAPSHOT_CELL_FIELDS = {
    "case_study": ("worked", "adapted", "failed"),
    "adaptation": ("adaptations",),
    "failure": ("failure_reports",),
}


def snapshot_domain_cells(domain_id: int) -> dict[int, dict[str, int]]:
    """{factor_id: {cell field: n}} of one domain, read from the current maturity snapshot
    (recorded on commit of every change that moves a figure; one query when it is current).
    Read-only use of factors.history."""
    cells = {}
    for f, d, *values in current_snapshot().data["evidence"]["cells"]:
        if d == domain_id:
            cells[f] = dict(zip(CELL_FIELDS, values, strict=True))
    return cells


def _published_there(prefix: str, domain: Domain) -> dict:
    """Lookups for items (at `prefix`) published (SubmissionQuerySet.published(): state
    published, not hidden) in the domain, written on the item's own row so that the partial
    index of migration cases 0010 serves them."""
    return {
        f"{prefix}state": State.PUBLISHED,
        f"{prefix}hidden_at__isnull": True,
        f"{prefix}domain": domain,
    }


def _published_links(kind: Kind, domain: Domain):
    """(The factor links of the kind's items published in the domain, the lookup from a
    link to its item or "")."""
    links, item = kind.model.factor_links()
    prefix = f"{item}__" if item else ""
    return links.filter(**_published_there(prefix, domain)), item


_ANY_FACTOR = -7_654_321  # stands for each factor's id in _latest_links' compiled query


def _latest_links(kind: Kind, domain: Domain, factor_ids: list[int], per_factor: int):
    """The factor links (items themselves for a kind with one factor) of the `per_factor`
    most recently published items of each factor in the domain, by factor and newest
    first. One query.

    One small query per factor, joined with UNION ALL: each reads about `per_factor` rows,
    newest first (the partial indexes of migration cases 0010), whatever the amount of
    evidence. The per-factor query is compiled once and repeated with each factor's id
    (compiling a dozen subqueries costs more than running them)."""
    links, item = _published_links(kind, domain)
    prefix = f"{item}__" if item else ""
    order = [F(f"{prefix}published_at").desc(), F(f"{item}_id" if item else "pk").desc()]
    if not factor_ids:
        return []
    one = links.filter(factor_id=_ANY_FACTOR).order_by(*order).values("pk")[:per_factor]
    sql, params = one.query.sql_with_params()
    assert list(params).count(_ANY_FACTOR) == 1, "the factor placeholder must occur once"
    # SELECT * FROM (…): both PostgreSQL and SQLite accept a LIMIT there inside a UNION.
    # `sql` is the ORM's own compiled query; every value travels in `union_params`.
    union = " UNION ALL ".join(
        f"SELECT * FROM ({sql}) AS newest_{n}"  # nosec B608
        for n in range(len(factor_ids))
    )
    union_params = [f if p == _ANY_FACTOR else p for f in factor_ids for p in params]
    rows = links.model.objects.filter(pk__in=RawSQL(union, union_params))  # nosec B611
    rows = rows.order_by()
    rows = rows.select_related(item) if item else rows

    def newest_first(link):
        shown = getattr(link, item) if item else link
        return (link.factor_id, -shown.published_at.timestamp(), -shown.pk)

    return sorted(rows, key=newest_first)


def domain_with_totals() -> QuerySet:
    """Domains, each with n_<kind key>: its published items of each kind (one query with
    the domain)."""
    annotations = {}
    for key, kind in KINDS.items():
        published = kind.model.objects.published().filter(domain=OuterRef("pk")).order_by()
        annotations[f"n_{key}"] = Coalesce(
            Subquery(published.values("domain").annotate(n=Count("pk")).values("n")), 0
        )
    return Domain.objects.annotate(**annotations)


def domain_overview(domain: Domain, *, per_factor: int = 5) -> DomainOverview:
    """A domain's published evidence grouped by factor (latest `per_factor` items of each
    kind per factor, with full counts), the factors with none ("help wanted") and the
    organizations involved. Pass a domain from domain_with_totals() to save a query per kind.

    At most six queries, whatever the data size: the factors, the current maturity snapshot
    (the counts per factor of the kinds it records, SNAPSHOT_CELL_FIELDS), the latest items
    of each kind (one query each, four kinds), and the organizations."""
    counted = {}  # the kinds the snapshot does not count, counted with the factors
    for key, kind in KINDS.items():
        if key not in SNAPSHOT_CELL_FIELDS:
            links, _item = _published_links(kind, domain)
            same = links.filter(factor_id=OuterRef("pk")).order_by().values("factor_id")
            counted[f"n_{key}"] = Coalesce(Subquery(same.annotate(n=Count("pk")).values("n")), 0)
    factors = list(Factor.objects.with_phase().annotate(**counted))
    by_factor = {
        f.pk: FactorEvidence(
            factor=f, kinds={key: KindEvidence(kind) for key, kind in KINDS.items()}
        )
        for f in factors
    }
    for f in factors:
        for key in KINDS:
            if f"n_{key}" in counted:
                by_factor[f.pk].kinds[key].n = getattr(f, f"n_{key}")
    cells = snapshot_domain_cells(domain.pk)
    for factor_id, cell in cells.items():
        if factor_id not in by_factor:
            continue
        for key, names in SNAPSHOT_CELL_FIELDS.items():
            part = by_factor[factor_id].kinds[key]
            part.n = sum(cell[name] for name in names)
            if len(names) > 1:
                part.outcomes = {name: cell[name] for name in names if cell[name]}
    totals = []
    in_domain = Q()
    for key, kind in KINDS.items():
        model = kind.model
        _links, item = model.factor_links()
        outcome = model.outcome_path.split("__")[-1] if model.outcome_path else ""
        ids = [f.pk for f in factors]
        for link in _latest_links(kind, domain, ids, per_factor):
            if link.factor_id not in by_factor:
                continue
            part = by_factor[link.factor_id].kinds[key]
            shown = getattr(link, item) if item else link
            part.items.append((shown, link if outcome else None))
        n = getattr(domain, f"n_{key}", None)
        if n is None:
            n = model.objects.published().filter(domain=domain).count()
        totals.append((kind, n))
        published = model.objects.published().filter(domain=domain)
        in_domain |= Q(pk__in=published.values("organization_id"))

    orgs = Organization.objects.filter(in_domain).select_related("domain")
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
        totals=totals,
    )


def grouped_public_names(orgs: list[Organization]) -> list[tuple[str, int]]:
    """Anonymized organizations by public name ("a healthcare organization"), with counts."""
    counts = defaultdict(int)
    for org in orgs:
        counts[org.public_name] += 1
    return sorted(counts.items())

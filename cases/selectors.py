"""Reads for the public domain pages, each in a fixed number of queries.

`domains_with_counts()` for the domain list; `domain_overview(domain)` for a domain's
page. Only published evidence counts (SubmissionQuerySet.published()). Every kind of
evidence (cases/kinds.py) is read the same way, through its model's factor links.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber

from factors.models import Factor

from .kinds import KINDS, Kind
from .models import Domain, Organization


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


def _latest(qs, partition, order, per_factor):
    return qs.annotate(row=Window(RowNumber(), partition_by=[F(partition)], order_by=order)).filter(
        row__lte=per_factor
    )


def domain_overview(domain: Domain, *, per_factor: int = 5) -> DomainOverview:
    """A domain's published evidence grouped by factor (latest `per_factor` items of each
    kind per factor, with full counts), the factors with none ("help wanted") and the
    organizations involved. Three queries per kind and two more, whatever the data size."""
    factors = list(Factor.objects.with_phase())
    by_factor = {
        f.pk: FactorEvidence(
            factor=f, kinds={key: KindEvidence(kind) for key, kind in KINDS.items()}
        )
        for f in factors
    }
    totals = []
    in_domain = Q()
    for key, kind in KINDS.items():
        model = kind.model
        links, item = model.published_factor_links()
        prefix = f"{item}__" if item else ""
        links = links.filter(**{f"{prefix}domain": domain})
        outcome = model.outcome_path.split("__")[-1] if model.outcome_path else ""
        grouped = ("factor_id", outcome) if outcome else ("factor_id",)
        for row in links.order_by().values_list(*grouped).annotate(n=Count("pk")):
            part = by_factor[row[0]].kinds[key]
            part.n += row[-1]
            if outcome:
                part.outcomes[row[1]] = row[-1]
        order = [F(f"{prefix}published_at").desc(), F(f"{item}_id" if item else "pk").desc()]
        latest = _latest(
            links.select_related(item) if item else links, "factor_id", order, per_factor
        )
        for link in latest:
            shown = getattr(link, item) if item else link
            by_factor[link.factor_id].kinds[key].items.append((shown, link if outcome else None))
        published = model.objects.published().filter(domain=domain)
        totals.append((kind, published.count()))
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

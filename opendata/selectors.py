"""Reads of published evidence shared by the feeds, the API, the exports and the snapshot.

Every queryset here starts from `.published()` (state published, not hidden): nothing
else is ever served by the open-data endpoints. Each one joins what its consumers show
(the kind's `with_open_data_relations`) so that a page costs a fixed number of queries
whatever the data size.
"""

from itertools import islice

from django.db.models import QuerySet

from cases.kinds import KINDS
from cases.models import Domain
from factors.models import Factor

NEWEST_FIRST = ("-published_at", "-id")


def published(kind: str) -> QuerySet:
    """Published items of a kind, newest first, with everything the open data shows."""
    model = KINDS[kind].model
    return model.with_open_data_relations(model.objects.published()).order_by(*NEWEST_FIRST)


def for_factor(kind: str, qs: QuerySet, factor: Factor) -> QuerySet:
    return KINDS[kind].model.filter_by_factor(qs, factor=factor)


def for_domain(qs: QuerySet, domain: Domain) -> QuerySet:
    return qs.filter(domain=domain)


def latest_evidence(
    *, limit: int = 30, factor: Factor | None = None, domain: Domain | None = None
) -> list:
    """The newest published items of every kind, merged newest first.

    One query per kind (plus prefetches), whatever the data size: each kind is cut at
    `limit` in the database, then the short lists are merged.
    """
    lists = []
    for kind in KINDS:
        qs = published(kind)
        if factor is not None:
            qs = for_factor(kind, qs, factor)
        if domain is not None:
            qs = for_domain(qs, domain)
        lists.append(list(qs[:limit]))
    merged = sorted(
        (item for items in lists for item in items),
        # Ties (items published in the same instant) broken by slug, which a snapshot round
        # trip keeps, not by primary key, which it does not.
        key=lambda item: (item.published_at or item.created_at, item.slug),
        reverse=True,
    )
    return list(islice(merged, limit))


def _outcome_of(classification) -> dict[int, str]:
    """Domain id -> its outcome (as_written, adapted, mixed or failed) for one factor."""
    outcome_of = {}
    for outcome, ids in (
        ("as_written", classification.as_written),
        ("adapted", classification.adapted),
        ("mixed", classification.mixed),
        ("failed", classification.failed),
    ):
        for pk in ids:
            outcome_of[getattr(pk, "pk", pk)] = outcome
    return outcome_of


def domain_outcomes(*classifications) -> list[list[tuple[Domain, str]]]:
    """Each factor's outcome in each domain with published evidence about it, domains in name
    order: one list of (domain, outcome) per classification given, outcome one of
    factors.classification.DomainOutcome.

    The classifications name their domains by id (as in maturity_report()); one query for
    them all (none when no domain has an outcome).
    """
    outcomes = [_outcome_of(c) for c in classifications]
    ids = {pk for o in outcomes for pk in o}
    domains = list(Domain.objects.filter(pk__in=ids).order_by("name", "pk")) if ids else []
    return [[(d, o[d.pk]) for d in domains if d.pk in o] for o in outcomes]

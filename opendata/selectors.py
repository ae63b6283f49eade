"""Reads of published evidence shared by the feeds, the API, the exports and the snapshot.

Every queryset here starts from `.published()` (state published, not hidden): nothing
else is ever served by the open-data endpoints. Each one joins what its consumers show
so that a page costs a fixed number of queries whatever the data size.
"""

from itertools import islice

from django.db.models import Prefetch, QuerySet

from cases.models import Adaptation, CaseStudy, Domain, FactorApplication, FailureReport
from factors.models import Factor

KINDS = ("case_study", "adaptation", "failure")
KIND_LABELS = {"case_study": "Case study", "adaptation": "Adaptation", "failure": "Failure report"}
NEWEST_FIRST = ("-published_at", "-id")


def case_studies() -> QuerySet:
    return (
        CaseStudy.objects.published()
        .select_related("domain", "organization__domain", "author")
        .prefetch_related(
            Prefetch(
                "applications",
                queryset=FactorApplication.objects.select_related("factor").order_by(
                    "factor__number"
                ),
            ),
            "quantified",
        )
        .order_by(*NEWEST_FIRST)
    )


def adaptations() -> QuerySet:
    return (
        Adaptation.objects.published()
        .select_related("domain", "organization__domain", "author", "factor", "case_study")
        .order_by(*NEWEST_FIRST)
    )


def failures() -> QuerySet:
    return (
        FailureReport.objects.published()
        .select_related("domain", "organization__domain", "author", "case_study")
        .prefetch_related(Prefetch("factors", queryset=Factor.objects.order_by("number")))
        .order_by(*NEWEST_FIRST)
    )


QUERYSETS = {"case_study": case_studies, "adaptation": adaptations, "failure": failures}


def for_factor(kind: str, qs: QuerySet, factor: Factor) -> QuerySet:
    if kind == "case_study":
        return qs.filter(applications__factor=factor)
    if kind == "adaptation":
        return qs.filter(factor=factor)
    return qs.filter(factors=factor)


def for_domain(qs: QuerySet, domain: Domain) -> QuerySet:
    return qs.filter(domain=domain)


def latest_evidence(
    *, limit: int = 30, factor: Factor | None = None, domain: Domain | None = None
) -> list:
    """The newest published items of all three kinds, merged newest first.

    One query per kind (plus prefetches), whatever the data size: each kind is cut at
    `limit` in the database, then the three short lists are merged.
    """
    lists = []
    for kind, make in QUERYSETS.items():
        qs = make()
        if factor is not None:
            qs = for_factor(kind, qs, factor)
        if domain is not None:
            qs = for_domain(qs, domain)
        lists.append(list(qs[:limit]))
    merged = sorted(
        (item for items in lists for item in items),
        key=lambda item: (item.published_at or item.created_at, item.pk),
        reverse=True,
    )
    return list(islice(merged, limit))

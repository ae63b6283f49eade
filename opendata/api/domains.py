"""Domains with their counts of published evidence."""

from django.http import Http404
from django.urls import reverse
from ninja import Router, Schema

from cases.selectors import domains_with_counts

from .errors import NOT_FOUND
from .schemas import absolute

router = Router(tags=["domains"])


class DomainOut(Schema):
    slug: str
    name: str
    description: str
    url: str
    feed_url: str
    case_studies: int
    adaptations: int
    failures: int
    reference_implementations: int
    factors_with_evidence: int


def _domain(request, domain) -> dict:
    return {
        "slug": domain.slug,
        "name": domain.name,
        "description": domain.description,
        "url": absolute(request, domain.get_absolute_url()),
        "feed_url": absolute(request, reverse("opendata:feed_domain", args=[domain.slug])),
        "case_studies": domain.n_case_studies,
        "adaptations": domain.n_adaptations,
        "failures": domain.n_failures,
        "reference_implementations": domain.n_reference_implementations,
        "factors_with_evidence": domain.n_factors,
    }


@router.get("/domains", response=list[DomainOut])
def domains(request):
    """Every domain with its counts of published evidence."""
    return [_domain(request, d) for d in domains_with_counts()]


@router.get("/domains/{slug:slug}", response={200: DomainOut, **NOT_FOUND})
def domain(request, slug: str):
    """One domain by slug, with its counts of published evidence."""
    found = [d for d in domains_with_counts() if d.slug == slug]
    if not found:
        raise Http404
    return _domain(request, found[0])

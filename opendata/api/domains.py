"""Domains with their counts of published evidence (cases.selectors.domains_with_counts)."""

from django.http import Http404
from django.urls import reverse
from ninja import Field, Router, Schema

from cases.selectors import domains_with_counts

from .errors import NOT_FOUND
from .schemas import absolute, page_url

router = Router(tags=["domains"])


class DomainOut(Schema):
    slug: str
    name: str
    description: str
    url: str
    feed_url: str
    case_studies: int = Field(validation_alias="n_case_studies")
    adaptations: int = Field(validation_alias="n_adaptations")
    failures: int = Field(validation_alias="n_failures")
    reference_implementations: int = Field(validation_alias="n_reference_implementations")
    factors_with_evidence: int = Field(validation_alias="n_factors")

    resolve_url = staticmethod(page_url)

    @staticmethod
    def resolve_feed_url(domain, context):
        path = reverse("opendata:feed_domain", args=[domain.slug])
        return absolute(context["request"], path)


@router.get("/domains", response=list[DomainOut])
def domains(request):
    """Every domain with its counts of published evidence."""
    return domains_with_counts()


@router.get("/domains/{slug:slug}", response={200: DomainOut, **NOT_FOUND})
def domain(request, slug: str):
    """One domain by slug, with its counts of published evidence."""
    found = [d for d in domains_with_counts() if d.slug == slug]
    if not found:
        raise Http404
    return found[0]

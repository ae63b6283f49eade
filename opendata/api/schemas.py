"""What the API's resources share: the choice types (each an enum in the OpenAPI document),
the short references to a domain and to a factor, and the resolvers' helpers (absolute URLs,
an organization's public name, rounded changes)."""

from decimal import Decimal
from typing import Literal

from django.urls import reverse
from ninja import Schema

from cases.filters import SORTS
from cases.improvement import Direction, Verdict
from cases.kinds import KINDS
from cases.models import Better, Deployment, Outcome, Severity
from factors.classification import DomainOutcome
from factors.models import Tier


def _enum(values):
    """A Literal of the given values: validated by ninja, an enum in the OpenAPI schema."""
    return Literal[tuple(values)]


TierName = _enum(Tier.values)
OutcomeName = _enum(Outcome.values)
SeverityName = _enum(Severity.values)
DeploymentName = _enum(Deployment.values)
SortName = _enum(SORTS)
KindName = _enum(KINDS)  # every kind of evidence (cases/kinds.py)
BetterName = _enum(Better.values)
DirectionName = _enum(Direction)
VerdictName = _enum(Verdict)
DomainOutcomeName = _enum([o.value for o in DomainOutcome])


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def page_url(obj, context) -> str:
    """The absolute URL of an object's page (a resolver's helper: context holds the request)."""
    return absolute(context["request"], obj.get_absolute_url())


def api_url(item, context) -> str:
    """The absolute URL of a published item's API detail (api:<its kind>)."""
    return absolute(context["request"], reverse(f"api:{item.KIND}", args=[item.slug]))


def organization_name(item) -> str | None:
    """The public name of an item's organization (None when it names none)."""
    return item.organization.public_name if item.organization else None


def rounded(change: Decimal | None) -> Decimal | None:
    """A relative change to four places (-0.4 is -40 %)."""
    return None if change is None else change.quantize(Decimal("0.0001"))


class Ref(Schema):
    slug: str
    name: str


class FactorRef(Schema):
    number: int
    slug: str
    title: str


class PublishedItemOut(Schema):
    """No fields: the resolvers of every schema of a published item (url, api_url and
    organization), for it to inherit."""

    resolve_url = staticmethod(page_url)
    resolve_api_url = staticmethod(api_url)
    resolve_organization = staticmethod(organization_name)

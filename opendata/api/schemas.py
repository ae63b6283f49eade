"""What the API's resources share: the choice types (each an enum in the OpenAPI document),
the short references to a domain and to a factor, absolute URLs and rounded changes."""

from decimal import Decimal
from typing import Literal

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


def rounded(change: Decimal | None) -> Decimal | None:
    """A relative change to four places (-0.4 is -40 %)."""
    return None if change is None else change.quantize(Decimal("0.0001"))


def factor_ref(factor) -> dict:
    return {"number": factor.number, "slug": factor.slug, "title": factor.title}


class Ref(Schema):
    slug: str
    name: str


class FactorRef(Schema):
    number: int
    slug: str
    title: str

"""The reference implementations' part of the maturity measures, registered with
factors/measuring.py (like community/measures.py) from CasesConfig.ready().

- reference_implementations: per factor, published reference implementations that
  implement it; framework-wide, published reference implementations.
- reference_implementation_domains: per factor, the distinct domains of those; framework-wide,
  the distinct domains of all published reference implementations.

Only published items count (state published, not hidden). The two per-factor measures
share one grouped query, the two framework-wide ones one aggregate.
"""

from django.db.models import Count

from factors.measuring import factor_measure, framework_measure
from factors.selectors import EVIDENCE_SECTIONS, EvidenceSection

from .models import FactorImplementation, ReferenceImplementation

KIND = ReferenceImplementation.KIND


def _by_factor(ev) -> dict[int, dict]:
    """{factor_id: {"n": implementations, "domains": distinct domains}}, once per Evidence."""
    cached = getattr(ev, "_reference_implementations", None)
    if cached is None:
        rows = (
            ev._only(FactorImplementation.objects, "factor")
            .filter(reference_implementation__in=ev.published(ReferenceImplementation))
            .values("factor_id")
            .annotate(
                n=Count("reference_implementation", distinct=True),
                domains=Count("reference_implementation__domain", distinct=True),
            )
            .order_by()
        )
        cached = {row["factor_id"]: row for row in rows}
        ev._reference_implementations = cached
    return cached


def _totals(ev) -> dict:
    cached = getattr(ev, "_reference_implementation_totals", None)
    if cached is None:
        cached = ev.published(ReferenceImplementation).aggregate(
            n=Count("pk"), domains=Count("domain", distinct=True)
        )
        ev._reference_implementation_totals = cached
    return cached


@factor_measure("reference_implementations")
def factor_reference_implementations(ev) -> dict[int, int]:
    return {f: row["n"] for f, row in _by_factor(ev).items()}


@factor_measure("reference_implementation_domains")
def factor_reference_implementation_domains(ev) -> dict[int, int]:
    return {f: row["domains"] for f, row in _by_factor(ev).items()}


@framework_measure("reference_implementations")
def framework_reference_implementations(ev) -> int:
    return _totals(ev)["n"] or 0


@framework_measure("reference_implementation_domains")
def framework_reference_implementation_domains(ev) -> int:
    return _totals(ev)["domains"] or 0


def implementations_of(factor) -> list[EvidenceSection]:
    """The evidence behind both measures on a factor's page: its reference implementations,
    grouped by domain."""
    qs = (
        ReferenceImplementation.objects.published()
        .filter(implementations__factor=factor)
        .select_related("domain", "organization__domain")
    )
    return [EvidenceSection(KIND, "Reference implementations", qs)]


EVIDENCE_SECTIONS["reference_implementations"] = implementations_of
EVIDENCE_SECTIONS["reference_implementation_domains"] = implementations_of

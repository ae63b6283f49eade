"""/maturity/measures/: every measure a criterion may name, defined in the site's words.

Generated from the registry (factors/measures.py), so a measure added there is defined
here at once; each lists the criteria that use it today. Kept apart from
factorpages/views.py (the maturity pages) because it reads no evidence: two queries
whatever the data size.
"""

from dataclasses import dataclass, field

from django.shortcuts import render

from factors.measures import FACTOR, FRAMEWORK, MEASURES, Measure
from factors.models import Criterion

SCOPE_WORDS = {FACTOR: "per factor", FRAMEWORK: "framework-wide"}


@dataclass
class MeasureRow:
    measure: Measure
    criteria: list[Criterion] = field(default_factory=list)

    @property
    def scopes(self) -> str:
        return " and ".join(SCOPE_WORDS[s] for s in self.measure.scopes)

    @property
    def factor_definition(self) -> str:
        return self.measure.definition if FACTOR in self.measure.scopes else ""

    @property
    def framework_definition(self) -> str:
        if FRAMEWORK not in self.measure.scopes:
            return ""
        if FACTOR in self.measure.scopes and not self.measure.framework_definition:
            return ""  # the same words as per factor
        return self.measure.definition_for(FRAMEWORK)


def measure_rows() -> list[MeasureRow]:
    """Every registered measure in registry order, with the criteria naming it (one query)."""
    rows = {key: MeasureRow(m) for key, m in MEASURES.items()}
    for criterion in Criterion.objects.select_related("phase").order_by(
        "phase__order", "scope", "pk"
    ):
        if criterion.measure in rows:
            rows[criterion.measure].criteria.append(criterion)
    return list(rows.values())


def measure_list(request):
    return render(request, "factors/measure_list.html", {"rows": measure_rows()})

"""The evidence filters of the HTML lists (cases.filters), with what the API and the CSV
exports show on top: quantified results of case studies, and the case study an
adaptation or a failure report links to. Same parameters, same validation, same order.
"""

from cases.filters import FilterResult
from cases.filters import evidence_filter as list_filter

_EXTRA = {
    "case_study": lambda qs: qs.prefetch_related("quantified"),
    "adaptation": lambda qs: qs.select_related("case_study"),
    "failure": lambda qs: qs.select_related("case_study"),
}


def evidence_filter(kind: str, params) -> FilterResult:
    """cases.filters.evidence_filter, with the relations the open-data views read joined."""
    result = list_filter(kind, params)
    result.queryset = _EXTRA[kind](result.queryset)
    return result

"""The evidence filters of the HTML lists (cases.filters), with what the API and the CSV
exports show on top (each kind's `with_open_data_relations`: quantified results of case
studies, the case study an adaptation or a failure report links to). Same parameters,
same validation, same order.
"""

from cases.filters import FilterResult
from cases.filters import evidence_filter as list_filter
from cases.kinds import KINDS


def evidence_filter(kind: str, params) -> FilterResult:
    """cases.filters.evidence_filter, with the relations the open-data views read joined."""
    result = list_filter(kind, params)
    result.queryset = KINDS[kind].model.with_open_data_relations(result.queryset)
    return result

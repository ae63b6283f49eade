"""CSV downloads of the evidence lists, with the same filters as the pages and the API.

`/case-studies.csv?domain=health&factor=continuous-validation` gives the rows that
`/case-studies/?domain=health&factor=continuous-validation` lists. Cells that a
spreadsheet would read as a formula are defused with a leading quote.
"""

import csv

from django.http import HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_safe

from cases.kinds import KINDS
from factors.selectors import maturity_report

from .filtering import evidence_filter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 500


def safe_cell(value) -> str:
    """A CSV cell that no spreadsheet will run as a formula (OWASP's CSV-injection advice)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


COMMON_HEADER = ["slug", "title", "url", "domain", "organization"]
TAIL_HEADER = ["credit", "published_at", "updated_at", "confirmed_at", "ageing"]


def evidence_header(kind: str) -> list[str]:
    """The columns of a kind's CSV: the common ones, the kind's own (csv_columns), the credit."""
    return [*COMMON_HEADER, *KINDS[kind].model.csv_columns, *TAIL_HEADER]


def evidence_row(item, request) -> list:
    return [
        item.slug,
        item.title,
        request.build_absolute_uri(item.get_absolute_url()),
        item.domain.name,
        item.organization.public_name if item.organization else "",
        *item.csv_values(request.build_absolute_uri),
        item.credit,
        item.published_at,
        item.updated_at,
        item.confirmed_at,
        item.is_ageing,
    ]


def csv_response(filename: str, header: list[str], rows) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([safe_cell(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def evidence_csv(request, kind: str):
    """A kind's published items as CSV (/case-studies.csv …), filtered like its list."""
    filtered = evidence_filter(kind, request.GET)
    if filtered.errors:
        message = "\n".join(f"{name}: {text}" for name, text in filtered.errors.items())
        return HttpResponse(message + "\n", status=400, content_type="text/plain; charset=utf-8")
    rows = (evidence_row(item, request) for item in filtered.queryset.iterator(chunk_size=CHUNK))
    return csv_response(f"{KINDS[kind].list_path}.csv", evidence_header(kind), rows)


@require_safe
def maturity_csv(request):
    """The maturity table: one row per factor, one column per per-factor criterion's value."""
    report = maturity_report(with_framework=False)
    columns = report.factor_criteria
    header = ["number", "roman", "slug", "title", "tier", "phase", "eligible", "next_phase"]
    header += ["classification"]
    header += [
        f"{c.phase}/{c.measure} ({'at most' if c.at_most else 'needs'} {c.threshold})"
        for c in columns
    ]

    def rows():
        for status in report.factors:
            f, e = status.factor, status.eligibility
            yield [
                f.number, f.roman, f.slug, f.title, f.tier, f.phase.slug,
                e.eligible, e.next_phase.slug if e.next_phase else "",
                status.classification.kind,
                *[status.all_verdicts[c.id].value for c in columns],
            ]  # fmt: skip

    return csv_response("maturity.csv", header, rows())

"""CSV downloads of the evidence lists, with the same filters as the pages and the API.

`/case-studies.csv?domain=health&factor=continuous-validation` gives the rows that
`/case-studies/?domain=health&factor=continuous-validation` lists. Cells that a
spreadsheet would read as a formula are defused with a leading quote.
"""

import csv

from django.http import HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_safe

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


def _common(item, request):
    return [
        item.slug,
        item.title,
        request.build_absolute_uri(item.get_absolute_url()),
        item.domain.name,
        item.organization.public_name if item.organization else "",
    ]


COMMON_HEADER = ["slug", "title", "url", "domain", "organization"]
TAIL_HEADER = ["credit", "published_at", "updated_at"]


def _tail(item):
    return [item.credit, item.published_at, item.updated_at]


def _casestudy_row(item, request):
    factors = "; ".join(f"{a.factor.roman} {a.outcome}" for a in item.applications.all())
    return [
        *_common(item, request),
        item.deployment,
        item.duration_months,
        item.team_size,
        factors,
        len(item.quantified.all()),
        item.summary,
        *_tail(item),
    ]


def _adaptation_row(item, request):
    cs = item.case_study
    return [
        *_common(item, request),
        f"{item.factor.roman} {item.factor.title}",
        request.build_absolute_uri(cs.get_absolute_url()) if cs and cs.is_published else "",
        *_tail(item),
    ]


def _failure_row(item, request):
    cs = item.case_study
    return [
        *_common(item, request),
        item.severity,
        "; ".join(f"{f.roman} {f.title}" for f in item.factors.all()),
        request.build_absolute_uri(cs.get_absolute_url()) if cs and cs.is_published else "",
        *_tail(item),
    ]


LAYOUTS = {
    "case_study": (
        "case-studies.csv",
        [
            *COMMON_HEADER,
            "deployment",
            "duration_months",
            "team_size",
            "factors",
            "quantified_results",
            "summary",
            *TAIL_HEADER,
        ],
        _casestudy_row,
    ),
    "adaptation": (
        "adaptations.csv",
        [*COMMON_HEADER, "factor", "case_study", *TAIL_HEADER],
        _adaptation_row,
    ),
    "failure": (
        "failures.csv",
        [*COMMON_HEADER, "severity", "factors", "case_study", *TAIL_HEADER],
        _failure_row,
    ),
}


def csv_response(filename: str, header: list[str], rows) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([safe_cell(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _evidence_csv(request, kind):
    filtered = evidence_filter(kind, request.GET)
    if filtered.errors:
        message = "\n".join(f"{name}: {text}" for name, text in filtered.errors.items())
        return HttpResponse(message + "\n", status=400, content_type="text/plain; charset=utf-8")
    filename, header, make_row = LAYOUTS[kind]
    rows = (make_row(item, request) for item in filtered.queryset.iterator(chunk_size=CHUNK))
    return csv_response(filename, header, rows)


@require_safe
def casestudy_csv(request):
    return _evidence_csv(request, "case_study")


@require_safe
def adaptation_csv(request):
    return _evidence_csv(request, "adaptation")


@require_safe
def failure_csv(request):
    return _evidence_csv(request, "failure")


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

"""CSV downloads of the evidence lists, with the same filters as the pages and the API.

`/case-studies.csv?domain=health&factor=continuous-validation` gives the rows that
`/case-studies/?domain=health&factor=continuous-validation` lists. Cells that a
spreadsheet would read as a formula are defused with a leading quote.
"""

import csv
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from cases.kinds import KINDS
from cases.measures import improvements
from factors.models import Factor
from factors.selectors import maturity_report
from failuremodes.selectors import public_mode_list as failure_mode_list

from .filtering import evidence_filter
from .selectors import domain_outcomes

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


DOMAIN_OUTCOME_HEADER = [
    "factor_number", "factor_slug", "classification", "domain_slug", "domain", "outcome",
    "evidence_url",
]  # fmt: skip


@require_safe
def domain_outcomes_csv(request):
    """Universal or context-specific: one row per factor and domain with published evidence
    about it, with the domain's outcome (as_written, adapted, mixed, failed) and the factor's
    classification; factors with no such domain are left out."""
    report = maturity_report(with_framework=False)

    def rows():
        grids = domain_outcomes(*(status.classification for status in report.factors))
        for status, grid in zip(report.factors, grids, strict=True):
            f, c = status.factor, status.classification
            for domain, outcome in grid:
                url = reverse("factors:domain_evidence", args=[f.slug, domain.slug])
                yield [
                    f.number, f.slug, c.kind, domain.slug, domain.name, outcome,
                    request.build_absolute_uri(url),
                ]  # fmt: skip

    return csv_response("domain-outcomes.csv", DOMAIN_OUTCOME_HEADER, rows())


IMPROVEMENT_HEADER = [
    "factor_number", "factor_slug", "case_studies_improved", "metric", "metric_name", "better",
    "results", "improved", "worsened", "unchanged", "without_relative_change",
    "median_change", "lowest_change", "highest_change",
]  # fmt: skip
FAILURE_MODE_HEADER = [
    "slug", "title", "url", "status", "severity", "factors", "reports", "domains",
    "organizations", "report_urls", "addressed_at", "addressed_by", "updated_at",
]  # fmt: skip


@require_safe
def improvement_csv(request):
    """Quantified improvement: one row per factor and vocabulary metric (relative changes as
    fractions, -0.4 for -40 %); a factor with no vocabulary result has one row without a
    metric. Two queries for the summaries, one for the factors."""
    by_factor = improvements()

    def change(value):
        # a number (a float) so that a negative change is not defused as a formula
        return "" if value is None else float(value.quantize(Decimal("0.0001")))

    def rows():
        for factor in Factor.objects.order_by("number"):
            summary = by_factor.get(factor.pk)
            improved = summary.improved if summary else 0
            head = [factor.number, factor.slug, improved]
            if not summary or not summary.metrics:
                yield [*head, *[""] * (len(IMPROVEMENT_HEADER) - len(head))]
                continue
            for metric, s in summary.metrics:
                yield [
                    *head, metric.slug, metric.name, metric.better, s.results, s.improved,
                    s.worsened, s.unchanged, s.without_relative_change, change(s.median),
                    change(s.lowest), change(s.highest),
                ]  # fmt: skip

    return csv_response("improvement.csv", IMPROVEMENT_HEADER, rows())


@require_safe
def failure_modes_csv(request):
    """Public failure modes, one row each (failuremodes: at least one published report)."""
    absolute = request.build_absolute_uri

    def rows():
        for mode in failure_mode_list():
            adaptation = mode.addressed_by if mode.is_addressed else None
            yield [
                mode.slug, mode.title, absolute(mode.get_absolute_url()),
                "addressed" if mode.is_addressed else "open", mode.severity,
                "; ".join(f"{f.roman} {f.title}" for f in mode.factor_list),
                len(mode.published_reports), mode.domain_count, mode.organization_count,
                " ".join(absolute(r.get_absolute_url()) for r in mode.published_reports),
                mode.addressed_at if mode.is_addressed else None,
                absolute(adaptation.get_absolute_url())
                if adaptation and adaptation.is_published else "",
                mode.updated_at,
            ]  # fmt: skip

    return csv_response("failure-modes.csv", FAILURE_MODE_HEADER, rows())

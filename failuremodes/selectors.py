"""Reads of failure modes for the pages, the API, the CSV and the snapshot.

Each function runs a fixed number of queries whatever the number of modes or reports.
Only published, visible reports are shown or counted on public reads.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from cases import search
from cases.models import FailureReport, State

from .models import FailureMode, highest_severity, published_reports

PUBLISHED = Q(reports__state=State.PUBLISHED, reports__hidden_at__isnull=True)

# Words too common to say two reports are alike.
STOP_WORDS = frozenset(
    "the and for with from into when that this then than were was are our their its after "
    "before over under without about".split()
)
SIMILAR_LIMIT = 5


def is_addressed(mode: FailureMode) -> bool:
    return mode.is_addressed


def _published_reports_prefetch(to_attr: str = "published_reports") -> Prefetch:
    return Prefetch(
        "reports",
        FailureReport.objects.published()
        .select_related("domain", "organization__domain")
        .order_by("domain__name", "-published_at", "pk"),
        to_attr=to_attr,
    )


def _decorate(modes) -> list[FailureMode]:
    modes = list(modes)
    for mode in modes:
        reports = getattr(mode, "published_reports", None)
        if reports is not None:
            mode.severity = highest_severity(r.severity for r in reports)
            mode.domain_count = len({r.domain_id for r in reports})
            mode.organization_count = len({r.organization_id for r in reports if r.organization_id})
    return modes


def public_modes(*, factor=None):
    """Public modes (at least one published, visible report), with their published reports,
    factors and what addresses them: three queries (two for one factor's modes)."""
    qs = FailureMode.objects.public().select_related("addressed_by")
    if factor is not None:
        return qs.filter(factors=factor).prefetch_related(_published_reports_prefetch())
    return qs.prefetch_related(
        _published_reports_prefetch(), Prefetch("factors", to_attr="factor_list")
    )


def public_mode_list(*, factor=None) -> list[FailureMode]:
    return _decorate(public_modes(factor=factor))


def public_mode(slug: str) -> FailureMode | None:
    modes = _decorate(public_modes().filter(slug=slug))
    return modes[0] if modes else None


@dataclass
class FactorModes:
    """A factor's known failure modes, for its page."""

    modes: list = field(default_factory=list)

    @property
    def open(self) -> int:
        return sum(1 for m in self.modes if not m.is_addressed)

    @property
    def addressed(self) -> int:
        return len(self.modes) - self.open


def factor_modes(factor) -> FactorModes:
    """A factor's public modes (as public_mode_list(factor=…)), each with its published
    reports: one query (the links of its modes to their published reports, with the mode and
    what addresses it), whatever the number of modes or reports."""
    links = (
        FailureMode.reports.through.objects.filter(
            failuremode__factors=factor, failurereport__in=published_reports()
        )
        .select_related("failuremode__addressed_by", "failurereport")
        .order_by(
            *(f"failuremode__{o}" for o in FailureMode._meta.ordering),
            "failurereport__domain__name",
            "-failurereport__published_at",
            "failurereport__pk",
        )
    )
    modes: dict[int, FailureMode] = {}
    for link in links:
        if link.failuremode_id not in modes:
            modes[link.failuremode_id] = link.failuremode
            link.failuremode.published_reports = []
        modes[link.failuremode_id].published_reports.append(link.failurereport)
    return FactorModes(_decorate(modes.values()))


def report_modes(report) -> list[FailureMode]:
    """The modes a (published) report is in, for its page: one query."""
    return _decorate(report.failure_modes.select_related("addressed_by").order_by("title"))


def manage_mode_list() -> list[FailureMode]:
    """Every mode, for maintainers: with how many reports are published and how many not."""
    return _decorate(
        FailureMode.objects.select_related("addressed_by", "updated_by")
        .annotate(
            n_published=Count("reports", filter=PUBLISHED, distinct=True),
            n_reports=Count("reports", distinct=True),
        )
        .order_by("title", "pk")
    )


def mode_for_maintainer(slug: str) -> FailureMode | None:
    return (
        FailureMode.objects.select_related("addressed_by", "created_by", "updated_by")
        .prefetch_related(
            "factors",
            Prefetch(
                "reports",
                FailureReport.objects.select_related("domain", "organization__domain").order_by(
                    "-published_at", "pk"
                ),
            ),
        )
        .filter(slug=slug)
        .first()
    )


def mode_history(mode: FailureMode) -> list:
    return list(mode.revisions.select_related("author").order_by("-number"))


def similarity_words(report: FailureReport) -> str:
    """The words of a report's title that say what it is about (no short or common ones)."""
    words = [w for w in search.terms(report.title) if len(w) > 3 and w not in STOP_WORDS]
    return " ".join(dict.fromkeys(words))


def similar_reports(report: FailureReport, *, limit: int = SIMILAR_LIMIT) -> list[FailureReport]:
    """Published reports most like this one (full-text search on their title and bodies
    for the words of its title), each with the modes it is in: two queries."""
    words = similarity_words(report)
    if not words:
        return []
    qs = search.apply(FailureReport.objects.published().exclude(pk=report.pk), words, any_word=True)
    return list(
        qs.select_related("domain", "organization__domain")
        .prefetch_related(Prefetch("failure_modes", FailureMode.objects.order_by("title")))
        .order_by("-rank", "-published_at", "pk")[:limit]
    )


def reports_to_link(mode: FailureMode, query: str, *, limit: int = 10) -> list[FailureReport]:
    """Published reports matching a search, not yet in the mode (the mode page's finder)."""
    query, _notice = search.clean_query(query)
    if not query:
        return []
    qs = search.apply(FailureReport.objects.published().exclude(failure_modes=mode), query)
    return list(
        qs.select_related("domain", "organization__domain").order_by("-rank", "-published_at")[
            :limit
        ]
    )


def export_modes() -> list[FailureMode]:
    """Public modes for the API list, the CSV and the snapshot."""
    return public_mode_list()

"""Failure modes in the open-data snapshot (opendata/snapshot/ calls these).

Only public modes are exported (at least one published, visible report), with only their
published reports (by slug) and the adaptation that addresses them when it is published.
Maintainers' names are not exported (the modes are the project's, not a person's).
A snapshot made before failure modes existed has none: loading it leaves none.
"""

from datetime import datetime

from cases.models import Adaptation, FailureReport

from .models import FailureMode
from .selectors import public_mode_list

TEXT = ("title", "what_happens", "detection", "prevention")


def _iso(value):
    return value.isoformat() if value else None


def export_failure_modes() -> list[dict]:
    data = []
    for mode in public_mode_list():
        adaptation = mode.addressed_by if mode.is_addressed and mode.addressed_by else None
        data.append(
            {
                "slug": mode.slug,
                **{name: getattr(mode, name) for name in TEXT},
                "factors": [f.number for f in mode.factor_list],
                "reports": [r.slug for r in mode.published_reports],
                "severity": mode.severity,
                "addressed_at": _iso(mode.addressed_at) if mode.is_addressed else None,
                "addressed_by": adaptation.slug if adaptation and adaptation.is_published else None,
                "refinement": mode.refinement if mode.is_addressed else "",
                "is_demo": mode.is_demo,
                "created_at": _iso(mode.created_at),
                "updated_at": _iso(mode.updated_at),
            }
        )
    return data


def import_failure_modes(rows: list[dict], *, factors: dict) -> int:
    """Load exported modes (after the evidence they name). Returns how many."""
    reports = dict(FailureReport.objects.values_list("slug", "pk"))
    adaptations = {a.slug: a for a in Adaptation.objects.all()}
    for row in rows:
        mode = FailureMode.objects.filter(slug=row["slug"]).first() or FailureMode(slug=row["slug"])
        for name in TEXT:
            setattr(mode, name, row.get(name, ""))
        mode.refinement = row.get("refinement", "")
        mode.is_demo = row.get("is_demo", False)
        mode.addressed_by = adaptations.get(row.get("addressed_by"))
        at = row.get("addressed_at")
        mode.addressed_at = datetime.fromisoformat(at) if at else None
        mode.save()
        mode.factors.set([factors[n] for n in row.get("factors", [])])
        mode.reports.set([reports[s] for s in row.get("reports", []) if s in reports])
        stamps = {
            name: datetime.fromisoformat(row[name])
            for name in ("created_at", "updated_at")
            if row.get(name)
        }
        if stamps:
            FailureMode.objects.filter(pk=mode.pk).update(**stamps)  # pagecache: import bumps
    return len(rows)

"""Demo failure modes for seed_demo (demo/seed.py calls these).

The demo's failure reports are written from six title templates (phrases.toml
FAILURE_TITLES); reports from one template share a cause, so each template with a published
report becomes a failure mode grouping its published reports. Deterministic: the same demo data
gives the same modes. Two of them are addressed (one by a published adaptation of one of its
factors, one by a refinement of the factor); the others stay open, so the factor pages show
both kinds.
"""

import re
from collections import Counter

from django.utils import timezone

from cases.models import Adaptation, FailureReport
from failuremodes.models import FailureMode

from .phrases import T

MODES = [
    (
        "Retry storms",
        "Agents retry a failing tool call again and again; the queue behind them grows and the "
        "failing service is hammered harder.",
        "Tool-call rate per agent against its usual level; queue depth.",
        "A retry budget per task, exponential back-off, and errors classed as permanent or "
        "temporary.",
    ),
    (
        "Runaway loops without a budget",
        "An agent loops on its own output for hours, spending model calls without progress.",
        "Model spend per task and per hour; steps per task over a ceiling.",
        "A budget on steps, time and spend for every task, with a clean stop when it is reached.",
    ),
    (
        "Silent prompt regressions",
        "A prompt change drops an instruction; outputs still look plausible but are wrong.",
        "Evaluation runs on every prompt change; sampled human review of outputs.",
        "Versioned prompts, a regression suite run before release, and quick rollback.",
    ),
    (
        "Cascading tool outages",
        "One tool goes down and every agent depending on it fails or blocks with it.",
        "Per-tool error rates and dependency health on one dashboard.",
        "Circuit breakers per tool, fallbacks, and agents that degrade instead of failing.",
    ),
    (
        "Acting on stale context",
        "An agent loads its context once and keeps acting on it after the world has changed.",
        "Context age recorded with every action; alerts when it passes a limit.",
        "Refresh context during long runs and check key facts before acting on them.",
    ),
    (
        "Unchecked writes to production",
        "An agent writes to a production system with no check between its decision and the write.",
        "Audit logs of agent writes, reviewed against expected changes.",
        "A validation step (or a person) between an agent and any irreversible write.",
    ),
]

REFINEMENT = (
    "The factor now says explicitly to refresh context during long runs and to check key facts "
    "before acting on them."
)


def _pattern(template: str) -> re.Pattern:
    parts = re.split(r"\{[a-z_]+\}", template)
    return re.compile("^" + ".+".join(re.escape(p) for p in parts) + "$", re.IGNORECASE)


def seed_failure_modes(report) -> None:
    """Group the published demo failure reports into demo failure modes."""
    published = list(
        FailureReport.objects.published()
        .filter(is_demo=True)
        .prefetch_related("factors")
        .order_by("pk")
    )
    adaptations = {}
    for a in Adaptation.objects.published().filter(is_demo=True).order_by("pk"):
        adaptations.setdefault(a.factor_id, a)
    now = timezone.now()
    made = 0
    for template, (title, happens, detection, prevention) in zip(
        T.FAILURE_TITLES, MODES, strict=True
    ):
        pattern = _pattern(template)
        reports = [r for r in published if pattern.match(r.title)]
        if not reports:
            continue
        counts = Counter(f for r in reports for f in r.factors.all())
        factors = sorted([f for f, _n in counts.most_common(2)], key=lambda f: f.number)
        mode = FailureMode(
            title=title,
            what_happens=happens,
            detection=detection,
            prevention=prevention,
            is_demo=True,
        )
        if title == "Acting on stale context":
            mode.refinement, mode.addressed_at = REFINEMENT, now
        elif title == "Retry storms":
            adaptation = next((adaptations[f.pk] for f in factors if f.pk in adaptations), None)
            if adaptation is not None:
                mode.addressed_by, mode.addressed_at = adaptation, now
        mode.save()
        mode.factors.set(factors)
        mode.reports.set(reports)
        made += 1
    report.created["failure modes"] = made


def remove_demo_failure_modes(report) -> None:
    demo = FailureMode.objects.filter(is_demo=True)
    report.removed["failure modes"] = demo.count()
    demo.delete()

"""Demo failure modes: the demo's failure reports grouped the way a maintainer would.

Connected to cases.signals.demo_seeded / demo_removing (failuremodes/apps.py), so that
`manage.py seed_demo` shows failure modes and their measures (failure_modes,
open_failure_modes, open_severe_failure_modes) with something in them: some open, one
addressed by a refinement of the factor, one by a published adaptation when the demo has one.

Each mode groups the demo's failure reports (not drafts) whose title tells the same story
(cases/demo_text.py FAILURE_TITLES); only its published, visible reports are shown or counted,
as for any mode. Written through failuremodes/services.py by a demo maintainer, so each mode
has its revisions like a maintainer's.
"""

from cases.models import Adaptation, FailureReport, State
from factors.models import Factor

from .models import FailureMode
from .services import failure_mode_create, failure_mode_set_addressed

OPEN, REFINED, ADAPTED = "open", "refined", "adapted"

# (words in the reports' titles, title, what happens, detection, prevention, how addressed,
#  numbers of the factors it concerns besides those its published reports name)
DEMO_MODES = [
    (
        "looped for hours without a budget",
        "Runaway loop without a budget",
        "An agent repeats the same step (a tool call, a plan, a retry) with no limit on time, "
        "calls or spend, until someone notices.",
        "Spend or call volume per run far above its usual range; the same tool call repeated "
        "within one run.",
        "- A budget per run (calls, tokens, wall-clock time) that stops the run.\n"
        "- An alert on the budget, not on each call.",
        OPEN,
        (11,),
    ),
    (
        "wrote to production without a check",
        "Write to production without a check",
        "An agent changes a production system directly, with no validation step or approval "
        "between its decision and the write.",
        "People downstream find wrong or duplicate records; the change has no review trace.",
        "- Writes go through a validation gate (schema, policy, dry run).\n"
        "- High-impact writes need a person's approval.",
        OPEN,
        (8, 11),
    ),
    (
        "retry storm in",
        "Retry storm against a failing tool",
        "When a tool slows down or fails, every agent retries at once and the load keeps the "
        "tool down.",
        "Error rate and queue depth rise together; retries outnumber first attempts.",
        "- Retries with backoff and jitter, and a circuit breaker per tool.",
        REFINED,
        (11,),
    ),
    (
        "silent prompt regression",
        "Silent prompt regression",
        "A prompt or model change drops an instruction; outputs still look plausible but are "
        "wrong, and nothing alerts.",
        "Evaluation scores on a fixed test set fall after a change; complaints rise later.",
        "- Every prompt or model change runs the evaluation set before release.\n"
        "- Changes roll out gradually, with a way back.",
        ADAPTED,
        (4,),
    ),
    (
        "stale context led",
        "Acting on stale context",
        "An agent acts on context loaded earlier (a record, a policy, a price) that has since "
        "changed, because nothing tells it the context is out of date.",
        "Actions contradict the current state of the system of record; the context's age is "
        "not logged with the action.",
        "- Context carries its source and time, and is reloaded past a maximum age.\n"
        "- Writes check the record's version before acting.",
        OPEN,
        (2,),
    ),
]
REFINEMENT = (
    "The factor now asks for retries with backoff and a circuit breaker on every tool an "
    "agent calls, so a failing tool is given room to recover."
)


def seed_failure_modes(*, maintainers, rng, report, **kwargs) -> list[FailureMode]:
    """Group the demo's failure reports into DEMO_MODES (receiver of demo_seeded)."""
    if not maintainers:
        return []
    actor = rng.choice(maintainers)
    reports = list(
        FailureReport.objects.filter(is_demo=True)
        .exclude(state=State.DRAFT)
        .prefetch_related("factors")
        .order_by("pk")
    )
    modes = []
    numbered = {f.number: f for f in Factor.objects.all()}
    for words, title, what, detection, prevention, how, concerns in DEMO_MODES:
        members = [r for r in reports if words in r.title.lower()]
        if not members:
            continue
        published = [r for r in members if r.state == State.PUBLISHED] or members
        factors = {f for r in published for f in r.factors.all()}
        factors |= {numbered[n] for n in concerns if n in numbered}
        factors = sorted(factors, key=lambda f: f.number)
        mode = failure_mode_create(
            actor=actor,
            title=title,
            what_happens=what,
            detection=detection,
            prevention=prevention,
            factors=factors,
            reports=members,
        )
        if how == REFINED:
            failure_mode_set_addressed(
                mode=mode, actor=actor, addressed=True, refinement=REFINEMENT
            )
        elif how == ADAPTED:
            adaptation = (
                Adaptation.objects.published()
                .filter(is_demo=True, factor__in=factors)
                .order_by("pk")
                .first()
            )
            if adaptation is not None:
                failure_mode_set_addressed(
                    mode=mode, actor=actor, addressed=True, adaptation=adaptation
                )
        modes.append(mode)
    FailureMode.objects.filter(pk__in=[m.pk for m in modes]).update(is_demo=True)
    if modes:
        report.created["failure modes"] += len(modes)
    return modes


def remove_failure_modes(*, report, **kwargs) -> None:
    """Delete the demo's failure modes and their revisions (receiver of demo_removing)."""
    removed = FailureMode.objects.filter(is_demo=True).delete()[1].get("failuremodes.FailureMode")
    if removed:
        report.removed["failure modes"] += removed

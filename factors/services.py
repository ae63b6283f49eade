"""Writes to the framework: loading the default data, and promotion / demotion of phases."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.permissions import is_maintainer
from common.errors import ServiceError
from pagecache.generation import generation_bump_on_commit

from . import maturity, signals
from .history import snapshot_record
from .measures import AT_LEAST
from .models import Criterion, Factor, Framework, MaturitySnapshot, Phase, PhaseChange
from .selectors import factor_status, maturity_report

DEFAULT_FRAMEWORK_FILE = Path(__file__).resolve().parent / "data" / "framework.json"


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _sync(model, lookup: dict, values: dict, *, update: bool, report: LoadReport, label: str):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        report.created.append(label)
        return obj
    if update:
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.full_clean()
            obj.save()
            report.updated.append(f"{label} ({', '.join(changed)})")
            return obj
    report.unchanged += 1
    return obj


@transaction.atomic
def framework_load(*, path: Path = DEFAULT_FRAMEWORK_FILE, update: bool = False) -> LoadReport:
    """Load phases, factors and criteria from a data file.

    Idempotent: what exists is left alone (a maintainer's edits win) unless
    update=True, which brings texts and thresholds back to the file's values.
    A factor's current phase is never changed here: only promotion moves it.
    """
    data = json.loads(Path(path).read_text())
    report = LoadReport()

    phases = {}
    for item in data["phases"]:
        phases[item["slug"]] = _sync(
            Phase,
            {"slug": item["slug"]},
            {"name": item["name"], "order": item["order"], "description": item["description"]},
            update=update,
            report=report,
            label=f"phase {item['name']}",
        )
    first = min(phases.values(), key=lambda p: p.order)

    for item in data["factors"]:
        values = {k: item[k] for k in ("slug", "title", "tier", "summary", "body")}
        factor = Factor.objects.filter(number=item["number"]).first()
        if factor is None:
            Factor(number=item["number"], phase=first, **values).save()
            report.created.append(f"factor {item['number']}")
        else:
            _sync(
                Factor, {"number": item["number"]}, values,
                update=update, report=report, label=f"factor {item['number']}",
            )  # fmt: skip

    fw = data.get("framework", {})
    settings = {"classification_min_domains": fw.get("classification_min_domains", 3)}
    framework = Framework.objects.first()
    if framework is None:
        Framework.objects.create(
            name=fw.get("name", "12-Factor AgentOps"),
            phase=phases[fw.get("phase", first.slug)],
            **settings,
        )
        report.created.append("framework")
    else:  # the phase only moves by promotion; the settings follow --update
        _sync(Framework, {"pk": framework.pk}, settings,
              update=update, report=report, label="framework")  # fmt: skip

    for item in data["criteria"]:
        # A criterion's text is worded from these fields; an older file's "description" is
        # ignored.
        _sync(
            Criterion,
            {"phase": phases[item["phase"]], "scope": item["scope"], "measure": item["measure"]},
            {"threshold": item["threshold"], "comparator": item.get("comparator", AT_LEAST)},
            update=update,
            report=report,
            label=f"criterion {item['phase']}/{item['scope']}/{item['measure']}",
        )
    return report


# -- promotion ---------------------------------------------------------------------------------


class PromotionRefused(ServiceError):
    """Promotion asked for while some criteria of the current phase do not hold (`unmet`)."""

    def __init__(self, unmet: list[maturity.Verdict]):
        self.unmet = unmet
        listed = "; ".join(f"{v.criterion.description} ({v.value_text})" for v in unmet)
        super().__init__(
            f"Not promoted: these criteria do not hold yet: {listed}. "
            "To promote anyway, tick the override and give a reason."
        )


class StalePreview(ServiceError):
    """The figures moved between the preview the maintainer saw and the confirmation.

    `snapshot` is the snapshot of the figures now (not stored: the transaction is rolled
    back); the view shows the preview again on these figures and asks to confirm again.
    """

    def __init__(self, seen_id: int | None):
        self.seen_id = seen_id
        super().__init__(
            "Not promoted: the figures changed since your preview. Check what the promotion "
            "would change now, and confirm again."
        )


def _require_maintainer(user) -> None:
    if not is_maintainer(user):
        raise PermissionDenied("Only maintainers can change a phase.")


def _require_text(value: str, field_name: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ServiceError({field_name: message})
    return value


def _neighbour(phase: Phase, *, later: bool) -> Phase | None:
    if later:
        return Phase.objects.filter(order__gt=phase.order).order_by("order").first()
    return Phase.objects.filter(order__lt=phase.order).order_by("-order").first()


def _record(
    *, factor, from_phase, to_phase, by, rationale, unmet, override_reason="", snapshot, shown
):
    change = PhaseChange(
        snapshot=snapshot,
        shown=shown or {},
        factor=factor,
        from_phase=from_phase,
        to_phase=to_phase,
        changed_by=by,
        rationale=rationale,
        override=bool(unmet),
        override_reason=override_reason if unmet else "",
        unmet_criteria=[v.as_record() for v in unmet],
    )
    change.full_clean()
    change.save()
    return change


def _move(
    subject,
    *,
    factor,
    to_phase,
    by,
    rationale,
    unmet=(),
    override_reason="",
    snapshot=None,
    shown=None,
):
    """Record the change of phase of `subject` (a Factor or the Framework) and make it.

    The figures the maintainer decided on are kept: a maturity snapshot taken before the
    move (the latest one when nothing changed since), linked from the phase change, and
    `shown`, what the preview showed (a promotion confirmed from its preview).
    """
    subject_name = str(factor) if factor else "the framework"
    if snapshot is None:
        snapshot = snapshot_record(reason=f"before {subject_name} moved to {to_phase}")
    change = _record(
        shown=shown,
        snapshot=snapshot,
        factor=factor,
        from_phase=subject.phase,
        to_phase=to_phase,
        by=by,
        rationale=rationale,
        unmet=list(unmet),
        override_reason=override_reason,
    )
    type(subject).objects.filter(pk=subject.pk).update(phase=to_phase)
    generation_bump_on_commit()  # update() sends no signal
    return change


def _check_override(unmet, *, override: bool, override_reason: str) -> str:
    if not unmet:
        return ""
    if not override:
        raise PromotionRefused(unmet)
    return _require_text(
        override_reason,
        "override_reason",
        "Give the reason for promoting although criteria do not hold.",
    )


def _tell_followers(factor: Factor, change: PhaseChange) -> None:
    """Once the change is committed, announce it (factors/signals.py): the community app tells
    the factor's followers (inbox/email)."""
    transaction.on_commit(
        lambda: signals.phase_changed.send(sender=Factor, factor=factor, change=change)
    )


def factor_promotion_check(
    *, factor: Factor, by, rationale: str, override: bool = False, override_reason: str = ""
) -> tuple[Phase, list[maturity.Verdict], str, str]:
    """Whether `by` may promote `factor` now, without promoting it (the preview asks first).

    Returns (the next phase, the unmet criteria, the rationale and the override reason,
    cleaned); raises what factor_promote would raise: PermissionDenied, ServiceError (no
    rationale, last phase), PromotionRefused (criteria unmet and no override with a reason).
    `factor` must come with its phase.
    """
    _require_maintainer(by)
    rationale = _require_text(rationale, "rationale", "Say why the factor moves on.")
    target = _neighbour(factor.phase, later=True)
    if target is None:
        raise ServiceError(f"{factor} is already in the last phase, {factor.phase}.")
    unmet = factor_status(factor).eligibility.unmet
    override_reason = _check_override(unmet, override=override, override_reason=override_reason)
    return target, unmet, rationale, override_reason


@transaction.atomic
def factor_promote(
    *,
    factor: Factor,
    by,
    rationale: str,
    override: bool = False,
    override_reason: str = "",
    seen_snapshot: int | None = None,
    shown: dict | None = None,
) -> PhaseChange:
    """Move a factor to the next phase, recorded with who, when, from, to and why.

    Only maintainers. Refused (PromotionRefused, listing the unmet criteria) when the
    per-factor criteria of the current phase do not all hold, unless `override` is set
    with a reason: the change is then recorded as an override, with the unmet criteria.

    Confirmed from a preview, `seen_snapshot` is the maturity snapshot the preview showed
    and `shown` what it showed (stored with the change). When the figures have moved since
    (the snapshot of the figures now differs from it), nothing changes: StalePreview.
    """
    factor = Factor.objects.select_for_update().select_related("phase").get(pk=factor.pk)
    target, unmet, rationale, override_reason = factor_promotion_check(
        factor=factor,
        by=by,
        rationale=rationale,
        override=override,
        override_reason=override_reason,
    )
    snapshot = snapshot_record(reason=f"before {factor} moved to {target}")
    if seen_snapshot is not None:
        seen = MaturitySnapshot.objects.filter(pk=seen_snapshot).only("digest").first()
        if seen is None or seen.digest != snapshot.digest:
            raise StalePreview(seen_snapshot)
        snapshot = seen  # the same figures: link the very snapshot that was shown
    change = _move(
        factor,
        factor=factor,
        to_phase=target,
        by=by,
        rationale=rationale,
        unmet=unmet,
        override_reason=override_reason,
        snapshot=snapshot,
        shown=shown,
    )
    _tell_followers(factor, change)
    return change


@transaction.atomic
def factor_demote(*, factor: Factor, by, reason: str) -> PhaseChange:
    """Move a factor back to the previous phase; a reason is required and recorded."""
    _require_maintainer(by)
    factor = Factor.objects.select_for_update().select_related("phase").get(pk=factor.pk)
    reason = _require_text(reason, "rationale", "Say why the factor moves back.")
    target = _neighbour(factor.phase, later=False)
    if target is None:
        raise ServiceError(f"{factor} is already in the first phase, {factor.phase}.")
    change = _move(factor, factor=factor, to_phase=target, by=by, rationale=reason)
    _tell_followers(factor, change)
    return change


@transaction.atomic
def framework_promote(
    *, by, rationale: str, override: bool = False, override_reason: str = ""
) -> PhaseChange:
    """Move the framework to the next phase: the same rules, on the framework-wide criteria."""
    _require_maintainer(by)
    framework = Framework.objects.select_for_update().select_related("phase").get()
    rationale = _require_text(rationale, "rationale", "Say why the framework moves on.")
    target = _neighbour(framework.phase, later=True)
    if target is None:
        raise ServiceError(f"The framework is already in the last phase, {framework.phase}.")
    unmet = maturity_report().framework_eligibility.unmet
    override_reason = _check_override(unmet, override=override, override_reason=override_reason)
    return _move(
        framework,
        factor=None,
        to_phase=target,
        by=by,
        rationale=rationale,
        unmet=unmet,
        override_reason=override_reason,
    )


@transaction.atomic
def framework_demote(*, by, reason: str) -> PhaseChange:
    """Move the framework back to the previous phase, with a recorded reason."""
    _require_maintainer(by)
    framework = Framework.objects.select_for_update().select_related("phase").get()
    reason = _require_text(reason, "rationale", "Say why the framework moves back.")
    target = _neighbour(framework.phase, later=False)
    if target is None:
        raise ServiceError(f"The framework is already in the first phase, {framework.phase}.")
    return _move(framework, factor=None, to_phase=target, by=by, rationale=reason)

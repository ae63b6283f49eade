"""What maintainers do with failure modes: create, edit, link reports, mark addressed.

Only maintainers may; every service checks it (the views check it too, with
accounts.permissions.maintainer_required). A refusal raises common.errors.ServiceError
with a message for the person (a {field: message} dict when it is about one field).
Every change records a cases.Revision of the mode as saved (who, when, the fields,
factors and reports), so nothing written is lost and each edit has an author and a time.
Saves and M2M changes send signals: the page cache's generation moves (a mode is on
public pages).
"""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.permissions import is_maintainer
from cases.models import Adaptation, FailureReport, Revision, State
from common.errors import ServiceError

from .models import FailureMode

TEXT_FIELDS = ("title", "what_happens", "detection", "prevention")


class NotPermitted(ServiceError):
    pass


def check_may_change(actor) -> None:
    if not is_maintainer(actor):
        raise NotPermitted("Only maintainers can change failure modes.")


def _snapshot(mode: FailureMode) -> dict[str, Any]:
    return {
        **{name: getattr(mode, name) for name in (*TEXT_FIELDS, "refinement")},
        "addressed_by": mode.addressed_by.slug if mode.addressed_by_id else None,
        "addressed_at": mode.addressed_at.isoformat() if mode.addressed_at else None,
        "factors": sorted(mode.factors.values_list("number", flat=True)),
        "reports": sorted(mode.reports.values_list("slug", flat=True)),
    }


def _record(mode: FailureMode, actor) -> Revision:
    """Keep the mode as it now is, with who changed it and when."""
    ct = ContentType.objects.get_for_model(FailureMode)
    last = Revision.objects.filter(content_type=ct, object_id=mode.pk).aggregate(n=Max("number"))
    return Revision.objects.create(
        content_type=ct,
        object_id=mode.pk,
        number=(last["n"] or 0) + 1,
        author=actor,
        data=_snapshot(mode),
    )


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ServiceError({"title": "Give the failure mode a title."})
    return title


@transaction.atomic
def failure_mode_create(*, actor, title: str, factors=(), reports=(), **fields) -> FailureMode:
    """A new failure mode. `fields`: what_happens, detection, prevention (Markdown)."""
    check_may_change(actor)
    mode = FailureMode(title=_clean_title(title), created_by=actor, updated_by=actor)
    for name, value in fields.items():
        if name not in TEXT_FIELDS:
            raise ValueError(f"{name} cannot be set on a failure mode")
        setattr(mode, name, value or "")
    mode.full_clean(exclude=["slug"], validate_unique=False)
    mode.save()
    mode.factors.set(list(factors))
    if reports:
        mode.reports.set(list(reports))
    _record(mode, actor)
    return mode


def failure_mode_from_report(*, actor, report: FailureReport, title: str) -> FailureMode:
    """A new mode started from one report: its detection and prevention, its factors."""
    return failure_mode_create(
        actor=actor,
        title=title,
        what_happens=report.symptom,
        detection=report.detection,
        prevention=report.prevention,
        factors=list(report.factors.all()),
    )


@transaction.atomic
def failure_mode_update(*, mode: FailureMode, actor, factors=None, **fields) -> FailureMode:
    """Change the mode's text and factors."""
    check_may_change(actor)
    mode = FailureMode.objects.select_for_update().get(pk=mode.pk)
    for name, value in fields.items():
        if name not in TEXT_FIELDS:
            raise ValueError(f"{name} cannot be set on a failure mode")
        setattr(mode, name, _clean_title(value) if name == "title" else (value or ""))
    mode.updated_by = actor
    mode.full_clean(exclude=["slug"], validate_unique=False)
    mode.save()
    if factors is not None:
        mode.factors.set(list(factors))
    _record(mode, actor)
    return mode


@transaction.atomic
def failure_mode_set_addressed(
    *, mode: FailureMode, actor, addressed: bool, adaptation: Adaptation | None = None,
    refinement: str = "",
) -> FailureMode:  # fmt: skip
    """Mark the mode addressed (by a published adaptation and/or a refinement of the
    factor), or open again (the reasons are kept in the revisions, and cleared)."""
    check_may_change(actor)
    mode = FailureMode.objects.select_for_update().get(pk=mode.pk)
    refinement = (refinement or "").strip()
    if addressed:
        if adaptation is None and not refinement:
            raise ServiceError(
                {
                    "refinement": "Say what addresses it: name a published adaptation, or "
                    "describe the refinement of the factor."
                }
            )
        if adaptation is not None and not adaptation.is_published:
            raise ServiceError({"adaptation": "That adaptation is not published."})
        mode.addressed_by = adaptation
        mode.refinement = refinement
        mode.addressed_at = mode.addressed_at or timezone.now()
    else:
        mode.addressed_by, mode.refinement, mode.addressed_at = None, "", None
    mode.updated_by = actor
    mode.save()
    _record(mode, actor)
    return mode


@transaction.atomic
def failure_mode_link(*, mode: FailureMode, actor, report: FailureReport) -> FailureMode:
    """Put a report in the mode. A published report is shown at once; one under review
    joins when it is published (failure_mode_join, from the review page). Drafts of others
    never."""
    check_may_change(actor)
    if report.state == State.DRAFT:
        raise ServiceError("A draft can't be put in a failure mode.")
    mode.reports.add(report)
    FailureMode.objects.filter(pk=mode.pk).update(  # pagecache: reports.add() bumps (m2m)
        updated_by=actor, updated_at=timezone.now()
    )
    _record(mode, actor)
    return mode


@transaction.atomic
def failure_mode_unlink(*, mode: FailureMode, actor, report: FailureReport) -> FailureMode:
    check_may_change(actor)
    mode.reports.remove(report)
    FailureMode.objects.filter(pk=mode.pk).update(  # pagecache: reports.remove() bumps (m2m)
        updated_by=actor, updated_at=timezone.now()
    )
    _record(mode, actor)
    return mode


def failure_mode_join(
    *, actor, report: FailureReport, mode: FailureMode | None = None, new_mode_title: str = ""
) -> FailureMode | None:
    """Put a report just published from its review page in the mode picked there, or in a new
    mode started from it (`new_mode_title`); neither, nothing. It runs inside the review
    decision's transaction (cases.review_panels.decide; the panel is failuremodes/review.py)."""
    if mode is None and new_mode_title.strip():
        mode = failure_mode_from_report(actor=actor, report=report, title=new_mode_title)
    if mode is not None:
        failure_mode_link(mode=mode, actor=actor, report=report)
    return mode

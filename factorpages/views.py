"""The framework's pages: home, factors, the evidence behind each number, the maturity dashboard.

Views are thin: they read the request, call the reads (factorpages/selectors.py,
factors/selectors.py, factors/history.py) or factors/services.py (promotion), and render.
Every page runs a fixed number of queries.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.permissions import is_maintainer, maintainer_required
from cases.measures import ImprovementShown, recent_improvements
from cases.models import Domain
from common.errors import show_error
from factors.forms import AsOfForm, DemoteForm, PromoteForm
from factors.history import current_report, factor_history_chart, read_snapshot, snapshot_as_of
from factors.measures import FACTOR, FRAMEWORK, MEASURES
from factors.measuring import Evidence, measure_factors
from factors.models import Factor, Framework, MaturitySnapshot, PhaseChange, Tier
from factors.selectors import confirmed_sections, maturity_report, sections_for_measure
from factors.services import (
    StalePreview,
    factor_demote,
    factor_promote,
    factor_promotion_check,
    framework_demote,
    framework_promote,
)
from failuremodes.selectors import factor_modes

from .promotion import OPEN_FAILURE_MODES, promotion_preview, promotion_ranking
from .selectors import (
    EVIDENCE_PAGE_SIZE,
    current_factor_status,
    evidence_groups,
    newest_items,
    section_items,
    sections_for_factor,
    snapshot_evidence_page,
)

RECENT = 10  # items of each kind listed on a factor's page


def _grouped_by_tier(items, tier=lambda item: item.tier):
    by_tier = {value: [] for value in Tier.values}
    for item in items:
        by_tier[tier(item)].append(item)
    return [(Tier(value).label, group) for value, group in by_tier.items()]


def home(request):
    factors = Factor.objects.with_phase()
    framework = Framework.objects.select_related("phase").first()
    return render(
        request,
        "home.html",
        {"tiers": _grouped_by_tier(factors), "framework": framework},
    )


def factor_list(request):
    # The latest snapshot: no recomputation after a change.
    report = current_report(with_framework=False)
    tiers = _grouped_by_tier(report.factors, tier=lambda s: s.factor.tier)
    return render(request, "factors/factor_list.html", {"tiers": tiers, "report": report})


def _change_phase(request, form, act, describe) -> bool:
    """Run a promote or demote form through its service (`act(**cleaned_data)`).

    Refusals and validation errors land on the form (the page shows them once, in a summary
    at its top, and answers 400); on success the message says what moved
    (`describe(change)`). Returns whether the phase changed.
    """
    if not form.is_valid():
        return False
    try:
        change = act(**form.cleaned_data)
    except ValidationError as error:  # PromotionRefused lists the unmet criteria
        show_error(request, error, form=form)
        return False
    messages.success(request, describe(change))
    return True


def _override_note(change) -> str:
    return " as an override" if change.override else ""


def factor_detail(request, slug, *, promote_form=None, demote_form=None, status=200):
    state = current_factor_status(slug)  # the factor, its figures from the latest snapshot
    if state is None:
        raise Http404("No such factor.")
    factor = state.factor
    # The factor's own page lists the most recent first (measure pages group by domain).
    recent = newest_items(factor, RECENT)
    context = {
        "factor": factor,
        "status": state,
        # Every measure over all published evidence (a criterion counting only confirmed
        # evidence shows that count in its own row).
        "measures": [(MEASURES[k], value) for k, value in state.measures.items() if k in MEASURES],
        "totals": state.totals,
        "case_studies": recent["case_study"],
        "adaptations": recent["adaptation"],
        "failures": recent["failure"],
        "reference_implementations": recent["reference_implementation"],
        "improvement": ImprovementShown(
            improved=state.measures.get("case_studies_improved", 0),
            quantified=state.measures.get("quantified_case_studies", 0),
            metrics=state.improvement_metrics,
            case_studies=recent_improvements(factor, limit=RECENT),
        ),
        "failure_modes": factor_modes(factor),
        "history": factor.phase_changes.select_related("from_phase", "to_phase", "changed_by"),
        "measure_history": factor_history_chart(factor, state),
        "can_change_phase": is_maintainer(request.user),
        "has_previous": any(p.order < factor.phase.order for p in state.phases),
        "promote_form": promote_form or PromoteForm(),
        "demote_form": demote_form or DemoteForm(),
    }
    return render(request, "factors/factor_detail.html", context, status=status)


def _seen_snapshot(data) -> int | None:
    """The snapshot a confirmation says its preview showed (None when absent or garbled)."""
    try:
        value = int(data.get("snapshot") or "")
    except ValueError:
        return None
    return value if 0 < value < 2**63 else None  # a key the database can compare


def _promotion_preview(request, factor, form, *, stale=False):
    """The preview of a promotion: what it will change, then the confirmation form."""
    preview = promotion_preview(factor)
    context = {"factor": factor, "form": form, "preview": preview, "stale": stale}
    return render(request, "factors/promotion_preview.html", context, status=409 if stale else 200)


@require_POST
@maintainer_required
def factor_promote_view(request, slug):
    """Two steps, without script: the form posts here for a preview of what the promotion
    will change (nothing is written but a snapshot of the figures); the preview's form
    posts again with `confirm` and the snapshot it showed. Refusals answer 400 on the
    factor's page; figures that moved in between answer 409 with the new preview."""
    factor = get_object_or_404(Factor.objects.with_phase(), slug=slug)
    form = PromoteForm(request.POST)
    if not form.is_valid():
        return factor_detail(request, slug, promote_form=form, status=400)
    try:
        factor_promotion_check(factor=factor, by=request.user, **form.cleaned_data)
        seen = _seen_snapshot(request.POST)
        if "confirm" not in request.POST or seen is None:
            return _promotion_preview(request, factor, form)
        preview = promotion_preview(factor)
        change = factor_promote(
            factor=factor,
            by=request.user,
            seen_snapshot=seen,
            shown=preview.as_record(),
            **form.cleaned_data,
        )
    except StalePreview:
        return _promotion_preview(request, factor, form, stale=True)
    except ValidationError as error:  # PromotionRefused lists the unmet criteria
        show_error(request, error, form=form)
        return factor_detail(request, slug, promote_form=form, status=400)
    messages.success(
        request,
        f"{factor} promoted from {change.from_phase} to {change.to_phase}{_override_note(change)}.",
    )
    return redirect(factor)


@require_POST
@maintainer_required
def factor_demote_view(request, slug):
    factor = get_object_or_404(Factor.objects.with_phase(), slug=slug)
    form = DemoteForm(request.POST)
    if _change_phase(
        request,
        form,
        lambda **data: factor_demote(factor=factor, by=request.user, **data),
        lambda change: f"{factor} moved back from {change.from_phase} to {change.to_phase}.",
    ):
        return redirect(factor)
    return factor_detail(request, slug, demote_form=form, status=400)


def _paged_sections(request, sections, factor):
    """Each section paginated on its own (?p1=2, ?p2=3 ...): two queries per section."""
    return _paged(request, [(section, section_items(section, factor)) for section in sections])


def _paged(request, sections):
    """[(section, its items)], each paginated on its own (?p1=2, ?p2=3 ...)."""
    paged = []
    for number, (section, items) in enumerate(sections, start=1):
        param = f"p{number}"
        paginator = Paginator(items, EVIDENCE_PAGE_SIZE)
        paged.append(
            {"section": section, "param": param, "page": paginator.get_page(request.GET.get(param))}
        )
    return paged


def factor_evidence(request, slug, measure):
    """The items behind one number on a factor's page (e.g. the three domains and their items)."""
    definition = MEASURES.get(measure)
    if definition is None or FACTOR not in definition.scopes:
        raise Http404("No such measure.")
    # ?fresh=1: only evidence confirmed within the ageing window, what a criterion that counts
    # only confirmed evidence counts (its value links here so); a measure that counts no
    # evidence (Measure.ages) ignores it.
    fresh = request.GET.get("fresh") == "1" and definition.ages
    if not fresh:
        # The figures of the current snapshot: a few queries whatever the amount of evidence
        # (selectors.snapshot_evidence_page; None for the measures it cannot read there).
        read = snapshot_evidence_page(slug, measure)
        if read is not None:
            context = {"measure": definition, "fresh_months": 0, **read}
            context["sections"] = _paged(request, read["sections"])
            return render(request, "factors/factor_evidence.html", context)
    factor = get_object_or_404(Factor.objects.with_phase(), slug=slug)
    sections = sections_for_measure(factor, measure)
    evidence = Evidence(factor_ids=[factor.pk])
    fresh_months = settings.EVIDENCE_AGEING_MONTHS if fresh else 0
    if fresh_months:
        evidence = evidence.fresh()
        sections = confirmed_sections(sections, evidence.confirmed_since)
    value = measure_factors([factor.pk], evidence=evidence, keys=[measure])[factor.pk][measure]
    context = {
        "factor": factor,
        "measure": definition,
        "fresh_months": fresh_months,
        "value": value,
        "groups": evidence_groups(sections),
        "group_by": sections[0].group_by if sections else "domain",
        "sections": _paged_sections(request, sections, factor),
    }
    return render(request, "factors/factor_evidence.html", context)


def factor_domain_evidence(request, slug, domain_slug):
    """Everything published about a factor in one domain: one cell of the coverage matrix."""
    factor = get_object_or_404(Factor.objects.with_phase(), slug=slug)
    domain = get_object_or_404(Domain, slug=domain_slug)
    sections = sections_for_factor(factor, domain=domain)
    context = {
        "factor": factor,
        "domain": domain,
        "sections": _paged_sections(request, sections, factor),
    }
    return render(request, "factors/factor_domain_evidence.html", context)


def maturity_dashboard(request, *, promote_form=None, demote_form=None, status=200):
    as_of_form = AsOfForm(request.GET) if "as_of" in request.GET else AsOfForm()
    if as_of_form.is_bound and as_of_form.is_valid():
        return _maturity_as_of(request, as_of_form)
    if as_of_form.is_bound:
        status = 400
    report = current_report()  # the latest snapshot: no recomputation after a change
    columns = report.factor_criteria
    rows = [(s, [s.all_verdicts[c.id] for c in columns]) for s in report.factors]
    context = {
        "report": report,
        "columns": columns,
        "rows": rows,
        "coverage": report.coverage(),
        "framework_measures": [
            (MEASURES[k].label, MEASURES[k].definition_for(FRAMEWORK), v)
            for k, v in report.framework_measures.items()
            if k in MEASURES
        ],
        "history": PhaseChange.objects.filter(factor__isnull=True).select_related(
            "from_phase", "to_phase", "changed_by"
        ),
        "can_change_phase": is_maintainer(request.user),
        "has_previous": bool(
            report.framework and any(p.order < report.framework.phase.order for p in report.phases)
        ),
        "promote_form": promote_form or PromoteForm(),
        "demote_form": demote_form or DemoteForm(),
        "as_of_form": as_of_form,
    }
    return render(request, "factors/maturity_dashboard.html", context, status=status)


@maintainer_required
def maturity_decide(request):
    """Maintainers: every factor ranked by how clearly it meets its next phase."""
    report = maturity_report()
    rows = promotion_ranking(report)
    context = {
        "rows": rows,
        "report": report,
        "ready": [r for r in rows if r.readiness == "eligible"],
        "failure_modes_measured": any(r.item.open_failure_modes is not None for r in rows),
        "failure_modes_key": OPEN_FAILURE_MODES,
    }
    return render(request, "factors/maturity_decide.html", context)


def _maturity_as_of(request, form):
    day = form.cleaned_data["as_of"]
    snapshot = snapshot_as_of(day)
    first = None if snapshot else MaturitySnapshot.objects.order_by("taken_at").first()
    context = {
        "as_of": day,
        "as_of_form": form,
        "snapshot": snapshot,
        "first_snapshot": first,
        "past": read_snapshot(snapshot) if snapshot else None,
    }
    return render(request, "factors/maturity_as_of.html", context)


def snapshot_detail(request, pk):
    """The figures recorded at one moment (the page a promotion links to)."""
    snapshot = get_object_or_404(MaturitySnapshot, pk=pk)
    context = {
        "snapshot": snapshot,
        "past": read_snapshot(snapshot),
        "decisions": snapshot.phase_changes.select_related(
            "factor", "from_phase", "to_phase", "changed_by"
        ),
        "as_of_form": AsOfForm(),
    }
    return render(request, "factors/maturity_as_of.html", context)


@require_POST
@maintainer_required
def framework_promote_view(request):
    form = PromoteForm(request.POST)
    if _change_phase(
        request,
        form,
        lambda **data: framework_promote(by=request.user, **data),
        lambda change: (
            f"The framework moved from {change.from_phase} to {change.to_phase}"
            f"{_override_note(change)}."
        ),
    ):
        return redirect("maturity")
    return maturity_dashboard(request, promote_form=form, status=400)


@require_POST
@maintainer_required
def framework_demote_view(request):
    form = DemoteForm(request.POST)
    if _change_phase(
        request,
        form,
        lambda **data: framework_demote(by=request.user, **data),
        lambda change: f"The framework moved back from {change.from_phase} to {change.to_phase}.",
    ):
        return redirect("maturity")
    return maturity_dashboard(request, demote_form=form, status=400)

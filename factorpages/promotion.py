"""Reads for the maintainer's decision: the promotion ranking and a promotion's preview.

(The preview records a maturity snapshot when the figures moved since the last one, so that
what the maintainer sees is kept; it changes nothing else.)

The rules are pure (factors/ranking.py ranks, factors/decision.py works out what a
promotion changes); this module only gathers their inputs, in a fixed number of queries:
the maturity report (factors/selectors.py), one grouped query for the case studies in
production, and one per kind of evidence for the date of the newest published item.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Q
from django.utils import timezone

from cases.kinds import KINDS
from cases.models import CaseStudy, Deployment
from factors import decision, ranking
from factors.history import read_snapshot, snapshot_record
from factors.measuring import FACTOR_COMPUTATIONS
from factors.models import Factor, MaturitySnapshot
from factors.selectors import MaturityReport, maturity_report

OPEN_FAILURE_MODES = "open_failure_modes"  # shown when some app registers it


def case_studies_in_production() -> dict[int, dict]:
    """{factor_id: {"n": published case studies applying it, "production": in production}}."""
    rows = (
        CaseStudy.objects.published()
        .values("applications__factor")
        .annotate(
            n=Count("pk", distinct=True),
            production=Count("pk", distinct=True, filter=Q(deployment=Deployment.PRODUCTION)),
        )
        .order_by()
    )
    return {row["applications__factor"]: row for row in rows if row["applications__factor"]}


def newest_evidence() -> dict[int, date]:
    """{factor_id: the day its newest published item (of any kind) was published}."""
    newest: dict[int, date] = {}
    for kind in KINDS.values():
        path = kind.model.factor_path
        rows = (
            kind.model.objects.published()
            .filter(published_at__isnull=False)
            .values(path)
            .annotate(newest=Max("published_at"))
            .order_by()
        )
        for row in rows:
            factor_id, day = row[path], timezone.localdate(row["newest"])
            if factor_id is not None and (factor_id not in newest or day > newest[factor_id]):
                newest[factor_id] = day
    return newest


def promotion_ranking(report: MaturityReport | None = None) -> list[ranking.RankedRow]:
    """Every factor, ranked by how clearly it meets its next phase (factors/ranking.py)."""
    report = report or maturity_report()
    production = case_studies_in_production()
    newest = newest_evidence()
    with_failure_modes = OPEN_FAILURE_MODES in FACTOR_COMPUTATIONS
    items = []
    for s in report.factors:
        f = s.factor
        counts = production.get(f.pk, {})
        items.append(
            ranking.RankInput(
                factor_id=f.pk,
                number=f.number,
                name=f"{f.roman}. {f.title}",
                url=f.get_absolute_url(),
                eligibility=s.eligibility,
                organizations=s.measures.get("organizations", 0),
                case_studies=counts.get("n", 0),
                case_studies_in_production=counts.get("production", 0),
                classification=str(s.classification.kind) if s.classification else "",
                classification_label=s.classification.label if s.classification else "",
                newest_evidence=newest.get(f.pk),
                open_failure_modes=(
                    s.measures.get(OPEN_FAILURE_MODES, 0) if with_failure_modes else None
                ),
            )
        )
    return ranking.rank(items)


@dataclass
class PromotionPreview:
    """What the promotion form shows before the maintainer confirms, and keeps afterwards."""

    snapshot: MaturitySnapshot  # the figures shown (recorded if they were not yet)
    effects: decision.PromotionEffects
    row: ranking.RankedRow  # the factor's row of the promotion ranking
    of: int  # factors ranked

    def as_record(self) -> dict:
        """Stored with the phase change (PhaseChange.shown): what the maintainer saw."""
        return {
            "previewed_at": timezone.now().isoformat(),
            "snapshot": self.snapshot.pk,
            "ranking": {**self.row.as_record(), "of": self.of},
            "changes": self.effects.as_record(),
        }


def promotion_preview(factor: Factor) -> PromotionPreview:
    """What promoting `factor` would change, on the figures recorded now.

    The figures are those of a maturity snapshot (the latest, or a new one when the
    figures moved since), read back: the preview is reproducible from the snapshot it
    links to, and the confirmation is refused if a newer snapshot differs from it.
    """
    snapshot = snapshot_record(reason="promotion preview")
    past = read_snapshot(snapshot)
    effects = decision.promotion_effects(
        factor_id=factor.pk,
        badge_label=f"Factor {factor.roman}",
        phases=past.phases,
        criteria=past.criteria,
        factor_phases={f.factor.pk: f.phase for f in past.factors},
        factor_measures={f.factor.pk: f.measures for f in past.factors},
        framework_phase=past.framework_phase,
        framework_measures=past.framework_measures,
    )
    rows = promotion_ranking()
    row = next(r for r in rows if r.item.factor_id == factor.pk)
    return PromotionPreview(snapshot=snapshot, effects=effects, row=row, of=len(rows))

"""The maintainer's decision: factors ranked by how clearly they meet their next phase.

Pure: measures and verdicts in, ranked rows out (tested without a database in
tests/factors/test_ranking.py). factorpages/promotion.py gathers the inputs from the database.

Margin, per criterion of the factor's current phase (the criteria to leave it):

- "at least N": margin = value - N; "at most N": margin = N - value. A margin of 0 or more
  means the criterion holds; below 0 it does not (-2: two short, or two too many).
- Normalised margin = margin / max(N, 1), capped to the range -1 .. +1, so criteria of
  different sizes compare: -1 means nothing toward it (or at least as far over an "at most"
  as the threshold, or 1 over "at most 0"), 0 exactly at the threshold, +1 at least double
  what is needed (or, for "at most", none where up to N were allowed).
  Example: "at least 3 organizations" with 5 gives +2, normalised +0.67; with 1 it gives -2,
  normalised -0.67; "at most 0 domains where it only failed" with 2 gives -2, normalised -1.

The order (first = most clearly ready):

1. factors with a next phase before those already in the last phase;
2. fewer unmet criteria first (eligible factors, with none unmet, lead);
3. the larger weakest normalised margin (the criterion it meets least clearly);
4. the larger sum of normalised margins;
5. more distinct organizations;
6. newer evidence (the date of its newest published item; none at all comes last);
7. the factor's number.

Ties through all seven keep the factor's number order. A factor whose phase has no
per-factor criteria is eligible with no margins (weakest and sum count as 0).
Distinct organizations, share in production, open failure modes, classification and the
newest evidence are shown beside each row; only organizations and the newest date break
ties. Nothing here moves a factor: the ranking is advice for the maintainer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from .maturity import Eligibility, Verdict
from .measures import MEASURES

READY = "eligible"
NOT_YET = "not_yet"
LAST_PHASE = "last_phase"
READINESS_LABELS = {READY: "Eligible", NOT_YET: "Not yet", LAST_PHASE: "Last phase"}


def margin(verdict: Verdict) -> int:
    """value - threshold for "at least"; threshold - value for "at most" (>= 0: it holds)."""
    c = verdict.criterion
    return c.threshold - verdict.value if c.at_most else verdict.value - c.threshold


def normalised_margin(verdict: Verdict) -> float:
    """margin / max(threshold, 1), capped to -1 .. +1 (see the module's docstring)."""
    raw = margin(verdict) / max(verdict.criterion.threshold, 1)
    return max(-1.0, min(1.0, raw))


def signed(number: float) -> str:
    """A margin as "+0.67", "-1.00" or "0.00": the sign always written, never colour alone."""
    text = f"{number:+.2f}"
    return "0.00" if text in ("+0.00", "-0.00") else text


def signed_int(number: int) -> str:
    return f"{number:+d}" if number else "0"


@dataclass(frozen=True)
class CriterionMargin:
    verdict: Verdict

    @property
    def margin(self) -> int:
        return margin(self.verdict)

    @property
    def normalised(self) -> float:
        return normalised_margin(self.verdict)

    @property
    def met(self) -> bool:
        return self.verdict.met

    @property
    def label(self) -> str:
        """The measure's short name, e.g. "Domains" (the criterion's full text is longer)."""
        m = MEASURES.get(self.verdict.criterion.measure)
        return m.label if m else self.verdict.criterion.measure

    @property
    def short_text(self) -> str:
        """E.g. "5 of 3: +2 (+0.67)"."""
        return f"{self.verdict.value_text}: {signed_int(self.margin)} ({signed(self.normalised)})"

    @property
    def text(self) -> str:
        """E.g. "5 of 3, margin +2 (+0.67)"."""
        return (
            f"{self.verdict.value_text}, margin {signed_int(self.margin)} "
            f"({signed(self.normalised)})"
        )

    def as_record(self) -> dict:
        c = self.verdict.criterion
        return {
            "measure": c.measure,
            "comparator": c.comparator,
            "description": c.description,
            "value": self.verdict.value,
            "threshold": c.threshold,
            "met": self.met,
            "margin": self.margin,
            "normalised": round(self.normalised, 4),
        }


@dataclass(frozen=True)
class RankInput:
    """What the ranking needs of one factor (plain values; factorpages/promotion.py builds it)."""

    factor_id: int
    number: int
    name: str  # e.g. "I. Codebase"
    eligibility: Eligibility
    url: str = ""  # the factor's page
    organizations: int = 0
    case_studies: int = 0
    case_studies_in_production: int = 0
    classification: str = ""  # a Classification value
    classification_label: str = ""
    newest_evidence: date | None = None
    open_failure_modes: int | None = None  # None: no such measure registered


@dataclass(frozen=True)
class RankedRow:
    rank: int
    item: RankInput
    margins: tuple[CriterionMargin, ...] = field(default_factory=tuple)

    @property
    def eligibility(self) -> Eligibility:
        return self.item.eligibility

    @property
    def met(self) -> int:
        return sum(1 for m in self.margins if m.met)

    @property
    def unmet(self) -> int:
        return len(self.margins) - self.met

    @property
    def weakest(self) -> float | None:
        """The smallest normalised margin (None when the phase has no criteria)."""
        return min((m.normalised for m in self.margins), default=None)

    @property
    def total(self) -> float:
        return sum(m.normalised for m in self.margins)

    @property
    def readiness(self) -> str:
        if self.eligibility.is_last_phase:
            return LAST_PHASE
        return READY if self.eligibility.eligible else NOT_YET

    @property
    def readiness_label(self) -> str:
        return READINESS_LABELS[self.readiness]

    @property
    def production_share(self) -> float | None:
        """Share of its published case studies in production (None with no case study)."""
        if not self.item.case_studies:
            return None
        return self.item.case_studies_in_production / self.item.case_studies

    @property
    def production_short(self) -> str:
        """E.g. "2 of 3 (67 %)", or "No case study"."""
        share = self.production_share
        if share is None:
            return "No case study"
        item = self.item
        return f"{item.case_studies_in_production} of {item.case_studies} ({round(share * 100)} %)"

    @property
    def production_text(self) -> str:
        """E.g. "2 of 3 case studies (67 %)", or "No case study"."""
        share = self.production_share
        if share is None:
            return "No case study"
        n = self.item.case_studies
        return (
            f"{self.item.case_studies_in_production} of {n} case stud{'y' if n == 1 else 'ies'} "
            f"({round(share * 100)} %)"
        )

    def as_record(self) -> dict:
        """A JSON-able copy of the row, as stored with a promotion (what the maintainer saw)."""
        item = self.item
        return {
            "rank": self.rank,
            "factor": item.name,
            "number": item.number,
            "phase": self.eligibility.phase.name,
            "next_phase": self.eligibility.next_phase.name if self.eligibility.next_phase else None,
            "readiness": self.readiness_label,
            "met": self.met,
            "unmet": self.unmet,
            "weakest": None if self.weakest is None else round(self.weakest, 4),
            "total": round(self.total, 4),
            "criteria": [m.as_record() for m in self.margins],
            "organizations": item.organizations,
            "case_studies": item.case_studies,
            "case_studies_in_production": item.case_studies_in_production,
            "production": self.production_text,
            "open_failure_modes": item.open_failure_modes,
            "classification": item.classification_label,
            "newest_evidence": item.newest_evidence.isoformat() if item.newest_evidence else None,
        }


def _order(row: RankedRow) -> tuple:
    newest = row.item.newest_evidence
    return (
        row.readiness == LAST_PHASE,
        row.unmet,
        -(row.weakest or 0.0),
        -row.total,
        -row.item.organizations,
        -(newest.toordinal() if newest else 0),
        row.item.number,
    )


def rank(items: Iterable[RankInput]) -> list[RankedRow]:
    """The factors in the order above, numbered from 1 (ties get consecutive ranks)."""
    rows = [
        RankedRow(rank=0, item=i, margins=tuple(CriterionMargin(v) for v in i.eligibility.verdicts))
        for i in items
    ]
    rows.sort(key=_order)
    return [RankedRow(rank=n, item=r.item, margins=r.margins) for n, r in enumerate(rows, 1)]

"""Universal or context-specific: a factor's classification from its outcome in each domain.

Pure: this module imports no models and touches no database (tested in
tests/factors/test_classification.py). The evidence source registered with
factors/measuring.py (cases/evidence_measures.py) counts the published evidence per factor
and domain; the rules below turn those counts into words.

A domain's outcome, from the published evidence about one factor in one domain:

- W: case-study applications of the factor that worked as written;
- A: case-study applications that worked with adaptation, plus published adaptations;
- F: case-study applications that failed, plus published failure reports naming it.

    W > 0, F = 0          -> worked as written (adaptations there may exist too)
    W = 0, A > 0          -> worked only with adaptation (a failure there, if any, is
                             addressed by the adaptation)
    W > 0, F > 0          -> mixed (worked as written for some, failed for others)
    W = 0, A = 0, F > 0   -> failed (only failure, nothing there that addresses it)
    nothing               -> no outcome (the domain is not in the grid)

A factor's classification, with N the framework's setting "domains needed to classify
a factor" (data: Framework.classification_min_domains, edited in the admin):

1. contested: at least one domain where it only failed;
2. universal so far: worked as written in at least N domains, none needing adaptation;
3. context-specific: worked (as written or with adaptation) in at least N domains,
   needing adaptation in at least one of them;
4. unproven: anything else (worked in fewer than N domains; mixed domains count
   toward neither side).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class DomainOutcome(StrEnum):
    AS_WRITTEN = "as_written"
    ADAPTED = "adapted"
    MIXED = "mixed"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return DOMAIN_OUTCOME_LABELS[self]


DOMAIN_OUTCOME_LABELS = {
    DomainOutcome.AS_WRITTEN: "Worked as written",
    DomainOutcome.ADAPTED: "Worked only with adaptation",
    DomainOutcome.MIXED: "Mixed: worked as written and failed",
    DomainOutcome.FAILED: "Failed",
}


class Classification(StrEnum):
    UNIVERSAL = "universal"
    CONTEXT_SPECIFIC = "context_specific"
    CONTESTED = "contested"
    UNPROVEN = "unproven"

    @property
    def label(self) -> str:
        return CLASSIFICATION_LABELS[self]


CLASSIFICATION_LABELS = {
    Classification.UNIVERSAL: "Universal so far",
    Classification.CONTEXT_SPECIFIC: "Context-specific",
    Classification.CONTESTED: "Contested",
    Classification.UNPROVEN: "Unproven",
}


def domain_outcome(*, worked: int, adapted: int, failed: int) -> DomainOutcome | None:
    """One domain's outcome from the counts W (worked), A (adapted), F (failed) above."""
    if worked and failed:
        return DomainOutcome.MIXED
    if worked:
        return DomainOutcome.AS_WRITTEN
    if adapted:
        return DomainOutcome.ADAPTED
    if failed:
        return DomainOutcome.FAILED
    return None


def _names(items) -> str:
    names = [str(i) for i in items]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _domains(n: int) -> str:
    return f"{n} domain{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class FactorClassification:
    """A factor's classification and the domains behind it (in the order given)."""

    kind: Classification
    min_domains: int
    as_written: tuple[Hashable, ...] = field(default_factory=tuple)
    adapted: tuple[Hashable, ...] = field(default_factory=tuple)
    mixed: tuple[Hashable, ...] = field(default_factory=tuple)
    failed: tuple[Hashable, ...] = field(default_factory=tuple)

    @property
    def label(self) -> str:
        return self.kind.label

    @property
    def working(self) -> int:
        """Domains where it worked, as written or with adaptation."""
        return len(self.as_written) + len(self.adapted)

    @property
    def classified(self) -> bool:
        return self.kind != Classification.UNPROVEN

    @property
    def explanation(self) -> str:
        """One plain sentence saying why (domains named by their str())."""
        if self.kind == Classification.CONTESTED:
            return (
                f"Failed in {_names(self.failed)} with nothing there that shows it working, as "
                "written or adapted."
            )
        if self.kind == Classification.UNIVERSAL:
            return (
                f"Worked as written in {_domains(len(self.as_written))} "
                f"({_names(self.as_written)}), with no domain where it needed adaptation or "
                "only failed."
            )
        if self.kind == Classification.CONTEXT_SPECIFIC:
            return (
                f"Works in {_domains(self.working)}, but needed adaptation in "
                f"{_names(self.adapted)}."
            )
        needed = f"{_domains(self.min_domains)} {'is' if self.min_domains == 1 else 'are'} needed"
        if not (self.working or self.mixed):
            return f"No published evidence of it working yet; {needed} to classify it."
        text = f"Worked in {_domains(self.working)} so far; {needed} to classify it."
        if self.mixed:
            text += f" The evidence is mixed in {_names(self.mixed)}."
        return text


def classify(
    outcomes: Mapping[Hashable, DomainOutcome | None], *, min_domains: int
) -> FactorClassification:
    """A factor's classification from its outcome in each domain (keys: domains or names)."""
    by: dict[DomainOutcome, list[Hashable]] = {o: [] for o in DomainOutcome}
    for domain, outcome in outcomes.items():
        if outcome is not None:
            by[DomainOutcome(outcome)].append(domain)
    as_written, adapted = by[DomainOutcome.AS_WRITTEN], by[DomainOutcome.ADAPTED]
    min_domains = max(1, int(min_domains))
    if by[DomainOutcome.FAILED]:
        kind = Classification.CONTESTED
    elif len(as_written) >= min_domains and not adapted:
        kind = Classification.UNIVERSAL
    elif len(as_written) + len(adapted) >= min_domains and adapted:
        kind = Classification.CONTEXT_SPECIFIC
    else:
        kind = Classification.UNPROVEN
    return FactorClassification(
        kind=kind,
        min_domains=min_domains,
        as_written=tuple(as_written),
        adapted=tuple(adapted),
        mixed=tuple(by[DomainOutcome.MIXED]),
        failed=tuple(by[DomainOutcome.FAILED]),
    )

"""How the demo spreads its evidence: the states it takes, and how each factor is treated.

Everything the generator draws at random is weighted here, so the spread the demo shows (two
widely used factors ready for Beta, one contested, some context-specific, most unproven) is
read and changed in one place.
"""

import random
from dataclasses import dataclass

from cases.models import Consent, Outcome, Severity, State

STATE_WEIGHTS = {
    State.PUBLISHED: 62,
    State.SUBMITTED: 10,
    State.CHANGES_REQUESTED: 8,
    State.REJECTED: 6,
    State.WITHDRAWN: 5,
    State.DRAFT: 9,
}
# The first items of each kind take every state in turn, so even a tiny run has them all.
STATE_CYCLE = [
    State.PUBLISHED,
    State.SUBMITTED,
    State.CHANGES_REQUESTED,
    State.REJECTED,
    State.WITHDRAWN,
    State.DRAFT,
]
CONSENT_WEIGHTS = {Consent.NAME: 60, Consent.ROLE: 25, Consent.ANONYMOUS: 15}
SEVERITY_WEIGHTS = {Severity.CRITICAL: 10, Severity.HIGH: 30, Severity.MEDIUM: 40, Severity.LOW: 20}


@dataclass(frozen=True)
class FactorProfile:
    """How the demo treats one factor, so that the factors do not all look alike: some
    unproven, some context-specific, one contested, one or two ready for Beta."""

    popularity: float  # weight when a case study picks the factors it applied
    outcomes: dict  # weights of its applications' outcomes
    adaptation: float  # weight when an adaptation (not from a case study) picks its factor
    failure: float  # weight when a failure report (not from a case study) picks factors


W, A, F = Outcome.WORKED, Outcome.ADAPTED, Outcome.FAILED
WIDELY_USED = FactorProfile(5, {W: 92, A: 8, F: 0}, 0, 0)  # in most domains, as written
CONTESTED = FactorProfile(1.5, {W: 35, A: 10, F: 55}, 0, 1)  # fails where nothing else worked
CONTEXT_SPECIFIC = FactorProfile(1.2, {W: 30, A: 70, F: 0}, 3, 0)  # needs adapting
GROWING = FactorProfile(0.4, {W: 85, A: 15, F: 0}, 0.3, 0)  # a few domains so far
THIN = FactorProfile(0.02, {W: 75, A: 25, F: 0}, 0.1, 0)  # too little evidence yet
FACTOR_PROFILES = {
    1: WIDELY_USED,
    2: WIDELY_USED,
    3: CONTESTED,
    4: CONTEXT_SPECIFIC,
    5: GROWING,
    6: GROWING,
}
# Every other factor is THIN; its failures come only from failure reports of case studies
# that applied it, where it also worked, so they never make it contested.


def weighted(rng: random.Random, weights: dict):
    """One key of `weights`, drawn by its weight."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def weighted_sample(rng: random.Random, items: list, weights: list[float], k: int) -> list:
    """k distinct items (fewer if fewer have a weight), each draw weighted."""
    pool = [(item, w) for item, w in zip(items, weights, strict=True) if w > 0]
    chosen = []
    for _ in range(min(k, len(pool))):
        i = rng.choices(range(len(pool)), weights=[w for _, w in pool])[0]
        chosen.append(pool.pop(i)[0])
    return chosen


def state_for(rng: random.Random, index: int):
    """The state of the index-th item of a kind: every state in turn first, then weighted."""
    return STATE_CYCLE[index] if index < len(STATE_CYCLE) else weighted(rng, STATE_WEIGHTS)

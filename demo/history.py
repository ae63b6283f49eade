"""A review history for each demo item, consistent with the state it ends in, spread over the
last 18 months and wholly in the past."""

from datetime import timedelta

from cases.models import State

from .phrases import T

HISTORY_DAYS = 548  # about 18 months
# The comment of the decision that ends in each state.
DECISION_COMMENTS = {
    State.PUBLISHED: T.PUBLISH_COMMENTS,
    State.REJECTED: T.REJECT_COMMENTS,
    State.WITHDRAWN: T.WITHDRAW_COMMENTS,
}


def timeline(rng, now, state):
    """({created_at, updated_at, submitted_at, published_at}, events) for an item in `state`;
    each event is (from, to, by a maintainer, comment, at)."""
    created = now - timedelta(seconds=rng.uniform(3600, HISTORY_DAYS * 86400))
    events = []
    t = created
    submitted_at = published_at = None
    if state != State.DRAFT:
        t += timedelta(hours=rng.uniform(1, 14 * 24))
        events.append((State.DRAFT, State.SUBMITTED, False, "", t))
        submitted_at = t
        if state == State.CHANGES_REQUESTED or (
            state in (State.PUBLISHED, State.WITHDRAWN) and rng.random() < 0.3
        ):
            t += timedelta(hours=rng.uniform(4, 10 * 24))
            comment = rng.choice(T.CHANGES_COMMENTS)
            events.append((State.SUBMITTED, State.CHANGES_REQUESTED, True, comment, t))
            if state != State.CHANGES_REQUESTED:
                t += timedelta(hours=rng.uniform(4, 10 * 24))
                comment = rng.choice(T.RESUBMIT_COMMENTS)
                events.append((State.CHANGES_REQUESTED, State.SUBMITTED, False, comment, t))
                submitted_at = t
        if state in DECISION_COMMENTS:
            t += timedelta(hours=rng.uniform(2, 21 * 24))
            by_maintainer = state != State.WITHDRAWN
            comment = rng.choice(DECISION_COMMENTS[state])
            events.append((State.SUBMITTED, state, by_maintainer, comment, t))
            if state == State.PUBLISHED:
                published_at = t
    else:
        t += timedelta(hours=rng.uniform(0, 5 * 24))
    # Keep the whole story in the past.
    shift = t - (now - timedelta(minutes=5))
    if shift > timedelta(0):
        created -= shift
        t -= shift
        events = [(a, b, m, c, at - shift) for a, b, m, c, at in events]
        submitted_at = submitted_at and submitted_at - shift
        published_at = published_at and published_at - shift
    return {
        "created_at": created,
        "updated_at": t,
        "submitted_at": submitted_at,
        "published_at": published_at,
    }, events

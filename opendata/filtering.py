"""Filters for the API and the CSV exports, from plain GET-style parameters.

Each filter is validated: an unknown value is reported against the parameter's name
(`errors["severity"] = "..."`) rather than silently ignored, so API clients get a 400
that says what to fix.
"""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from cases.models import Deployment, Domain, Outcome, Severity
from factors.models import Factor, Tier

from . import selectors

SORTS = {"newest": ("-published_at", "-id"), "updated": ("-updated_at", "-id")}
MAX_QUERY_LENGTH = 200

# Which parameters each kind accepts, beyond the common ones.
COMMON = ("domain", "factor", "tier", "sort", "q")
EXTRA = {"case_study": ("deployment", "outcome"), "adaptation": (), "failure": ("severity",)}


@dataclass
class Filtered:
    queryset: QuerySet
    errors: dict[str, str] = field(default_factory=dict)
    active: dict[str, str] = field(default_factory=dict)


def _choice(value: str, choices, name: str, errors: dict) -> str | None:
    if value in choices:
        return value
    errors[name] = f"Unknown {name} {value!r}; expected one of: {', '.join(choices)}."
    return None


def evidence_filter(kind: str, params) -> Filtered:
    """Published evidence of one kind, filtered and sorted by params (a QueryDict or dict)."""
    qs = selectors.QUERYSETS[kind]()
    errors: dict[str, str] = {}
    active: dict[str, str] = {}
    allowed = COMMON + EXTRA[kind]

    def get(name):
        value = params.get(name)
        if value is None:
            return None
        value = str(value).replace("\x00", "").strip()
        return value or None

    for name in ("deployment", "severity", "outcome"):
        if name not in allowed and get(name) is not None:
            errors[name] = f"{name} does not apply to this list."

    if (slug := get("domain")) is not None:
        domain = Domain.objects.filter(slug=slug).first()
        if domain is None:
            errors["domain"] = f"Unknown domain {slug!r}."
        else:
            qs = selectors.for_domain(qs, domain)
            active["domain"] = slug
    if (slug := get("factor")) is not None:
        lookup = {"number": int(slug)} if slug.isdigit() and len(slug) < 4 else {"slug": slug}
        factor = Factor.objects.filter(**lookup).first()
        if factor is None:
            errors["factor"] = f"Unknown factor {slug!r}."
        else:
            qs = selectors.for_factor(kind, qs, factor)
            active["factor"] = factor.slug
    if (tier := get("tier")) is not None and _choice(tier, Tier.values, "tier", errors):
        qs = {
            "case_study": lambda: qs.filter(applications__factor__tier=tier),
            "adaptation": lambda: qs.filter(factor__tier=tier),
            "failure": lambda: qs.filter(factors__tier=tier),
        }[kind]().distinct()
        active["tier"] = tier
    if "deployment" in allowed and (value := get("deployment")) is not None:
        if _choice(value, Deployment.values, "deployment", errors):
            qs = qs.filter(deployment=value)
            active["deployment"] = value
    if "severity" in allowed and (value := get("severity")) is not None:
        if _choice(value, Severity.values, "severity", errors):
            qs = qs.filter(severity=value)
            active["severity"] = value
    if "outcome" in allowed and (value := get("outcome")) is not None:
        if _choice(value, Outcome.values, "outcome", errors):
            qs = qs.filter(applications__outcome=value).distinct()
            active["outcome"] = value
    if (q := get("q")) is not None:
        if len(q) > MAX_QUERY_LENGTH:
            errors["q"] = f"The search is too long (at most {MAX_QUERY_LENGTH} characters)."
        else:
            qs = qs.filter(Q(title__icontains=q) | Q(slug__icontains=q))
            active["q"] = q
    sort = get("sort") or "newest"
    if _choice(sort, list(SORTS), "sort", errors):
        qs = qs.order_by(*SORTS[sort])
        if sort != "newest":
            active["sort"] = sort
    return Filtered(queryset=qs, errors=errors, active=active)

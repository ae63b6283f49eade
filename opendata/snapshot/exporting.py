"""Export: all published data as one JSON-ready dict (see the package's docstring)."""

import itertools
from datetime import datetime

from django.utils import timezone

from cases.kinds import KINDS
from cases.models import Consent, Domain, Metric, Organization
from factors.models import Criterion, Factor, Framework, Phase, PhaseChange
from factors.selectors import maturity_report
from failuremodes.snapshot import export_failure_modes

from .. import selectors
from ..carried import activity_export
from ..licence import LICENCE
from .format import FORMAT, VERSION, iso

SUBMISSION_FIELDS = ("title", "slug", "consent", "published_at", "created_at", "updated_at")


class _People:
    """Pseudonymous keys for the people the public pages name."""

    def __init__(self):
        self.keys: dict[int, str] = {}
        self.names: dict[str, str] = {}
        self._next = itertools.count(1)

    def key(self, user) -> str | None:
        if user is None:
            return None
        if user.pk not in self.keys:
            key = f"person-{next(self._next)}"
            self.keys[user.pk] = key
            self.names[key] = user.public_name
        return self.keys[user.pk]

    def as_list(self) -> list[dict]:
        return [{"key": k, "public_name": name} for k, name in self.names.items()]


def _credit(item, people: _People) -> dict:
    data = {"consent": item.consent, "credit": item.credit, "author": None, "role": ""}
    if item.consent == Consent.NAME:
        data["author"] = people.key(item.author)
    elif item.consent == Consent.ROLE:
        data["role"] = item.attribution_role
    return data


def _history(changes, people: _People) -> list[dict]:
    return [
        {
            "from_phase": c.from_phase.slug if c.from_phase else None,
            "to_phase": c.to_phase.slug,
            "changed_at": iso(c.changed_at),
            "changed_by": people.key(c.changed_by),
            "rationale": c.rationale,
            "override": c.override,
            "unmet_criteria": c.unmet_criteria,
            # What the maintainer was shown before confirming (figures only, no person).
            "shown": c.shown,
        }
        for c in changes
    ]


def _factors(report, all_changes, people: _People) -> list[dict]:
    statuses = {status.factor.pk: status for status in report.factors}
    return [
        {
            "number": f.number,
            "slug": f.slug,
            "title": f.title,
            "tier": f.tier,
            "summary": f.summary,
            "body": f.body,
            "phase": f.phase.slug,
            "phase_history": _history((c for c in all_changes if c.factor_id == f.pk), people),
            "measures": statuses[f.pk].measures,
            "eligible_for_next_phase": statuses[f.pk].eligibility.eligible,
        }
        for f in Factor.objects.with_phase()
    ]


def _criteria() -> list[dict]:
    return [
        {
            "phase": c.phase.slug,
            "scope": c.scope,
            "measure": c.measure,
            "comparator": c.comparator,
            "threshold": c.threshold,
            "fresh_only": c.fresh_only,
            "description": c.text,
        }
        for c in Criterion.objects.select_related("phase")
    ]


def _organizations(evidence: dict) -> tuple[dict[int, str], list[dict]]:
    """The organizations that published evidence, each under a key: (key by pk, the list)."""
    organizations: dict[int, Organization] = {}
    for items in evidence.values():
        for item in items:
            if item.organization_id:
                organizations[item.organization_id] = item.organization
    org_keys = {}
    org_list = []
    for n, org in enumerate(sorted(organizations.values(), key=lambda o: o.pk), start=1):
        key = f"org-{n}"
        org_keys[org.pk] = key
        org_list.append(
            {
                "key": key,
                "name": None if org.anonymized else org.name,
                "anonymized": org.anonymized,
                "domain": org.domain.slug,
                "size_band": org.size_band,
                "is_demo": org.is_demo,
            }
        )
    return org_keys, org_list


def _item(item, *, people: _People, org_keys: dict, published_cs: dict) -> dict:
    data = {name: getattr(item, name) for name in SUBMISSION_FIELDS}
    data["confirmed_at"] = item.confirmed_at  # its latest re-confirmation, if any
    for name in ("published_at", "confirmed_at", "created_at", "updated_at"):
        data[name] = iso(data[name])
    data |= _credit(item, people)
    data["domain"] = item.domain.slug
    data["organization"] = org_keys.get(item.organization_id)
    data["is_demo"] = item.is_demo
    data |= {name: getattr(item, name) for name in item.export_fields}
    data |= item.export_related(published_cs)
    return data


def _metrics() -> list[dict]:
    # The metric vocabulary (quantified results name one by slug, or none for "other").
    return [
        {
            "slug": m.slug,
            "name": m.name,
            "unit": m.unit,
            "better": m.better,
            "definition": m.definition,
            "order": m.order,
        }
        for m in Metric.objects.all()
    ]


def snapshot_export(*, now: datetime | None = None) -> dict:
    """All published data as one JSON-ready dict."""
    now = now or timezone.now()
    people = _People()
    phases = list(Phase.objects.all())
    framework = Framework.objects.select_related("phase").first()
    all_changes = list(
        PhaseChange.objects.select_related("from_phase", "to_phase", "changed_by").order_by(
            "changed_at", "pk"
        )
    )
    # Measures and eligibility are derived from the evidence below; they are exported
    # for readers of the file and recomputed (not loaded) by import_snapshot.
    report = maturity_report()
    factors = _factors(report, all_changes, people)
    criteria = _criteria()

    evidence = {
        kind: list(selectors.published(kind).order_by("published_at", "id")) for kind in KINDS
    }
    published_cs = {cs.pk: cs.slug for cs in evidence["case_study"]}
    org_keys, org_list = _organizations(evidence)
    evidence_data = {
        KINDS[kind].plural_key: [
            _item(item, people=people, org_keys=org_keys, published_cs=published_cs)
            for item in items
        ]
        for kind, items in evidence.items()
    }
    snapshot = {
        "format": FORMAT,
        "version": VERSION,
        "generated_at": iso(now),
        "licence": LICENCE,
        "framework": {
            "name": framework.name if framework else "12-Factor AgentOps",
            "phase": framework.phase.slug if framework else None,
            "phase_history": _history((c for c in all_changes if c.factor_id is None), people),
            "measures": report.framework_measures,
        },
        "phases": [
            {"slug": p.slug, "name": p.name, "order": p.order, "description": p.description}
            for p in phases
        ],
        "factors": factors,
        "criteria": criteria,
        "domains": [
            {"slug": d.slug, "name": d.name, "description": d.description, "is_demo": d.is_demo}
            for d in Domain.objects.all()
        ],
        "organizations": org_list,
        "metrics": _metrics(),
        **evidence_data,
    }
    # Failure modes (failuremodes/snapshot.py): public modes, their published reports by slug.
    snapshot["failure_modes"] = export_failure_modes()
    snapshot["people"] = people.as_list()
    # The activity measures' people, as times only (opendata/carried.py).
    snapshot["activity"] = activity_export(now)
    snapshot["counts"] = {
        key: len(snapshot[key])
        for key in (
            "domains",
            "organizations",
            *(kind.plural_key for kind in KINDS.values()),
            "failure_modes",
        )
    }
    return snapshot

"""Versioned JSON snapshots of all published data, and loading one into an empty site.

`snapshot_export()` gathers the framework (phases, factors with their phase and phase
history, criteria), domains, the organizations that published evidence names (public
names only), and published evidence of every kind — never drafts, submissions under
review, rejected, withdrawn or hidden items. People appear only as their public credit:
never an email; a pseudonymous key links the items of a person credited by name, and
nothing identifies an author who chose role or anonymous credit. The activity measures'
people are carried as times only (opendata/carried.py).

`snapshot_import()` loads such a snapshot in one transaction so that the public pages
read the same as on the site it came from.
"""

import itertools
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cases.kinds import KINDS
from cases.models import CaseStudy, Consent, Domain, Metric, Organization, State
from factors.models import Criterion, Factor, Framework, Phase, PhaseChange
from factors.selectors import maturity_report
from failuremodes.snapshot import export_failure_modes, import_failure_modes
from pagecache.generation import generation_bump_on_commit

from . import selectors
from .carried import PLACEHOLDER_EMAIL_DOMAIN, activity_export, activity_import
from .licence import LICENCE

FORMAT = "agentops-web-snapshot"
VERSION = 1
# Imported people (credited by name on the source site) become accounts that cannot sign
# in (no usable password, no verified address: an address under the reserved .invalid
# domain), active so that their contributor pages show what they published.

SUBMISSION_FIELDS = ("title", "slug", "consent", "published_at", "created_at", "updated_at")


# Kinds of evidence added after version 1: a snapshot made before them has none (an empty
# list is assumed), so it still loads.
LATER_KINDS = {"reference_implementations"}


class SnapshotError(Exception):
    """The snapshot cannot be loaded (wrong format, version, or a non-empty site)."""


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _parse_dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


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


def snapshot_export(*, now: datetime | None = None) -> dict:
    """All published data as one JSON-ready dict."""
    now = now or timezone.now()
    people = _People()
    phases = list(Phase.objects.all())
    framework = Framework.objects.select_related("phase").first()

    def history(changes):
        return [
            {
                "from_phase": c.from_phase.slug if c.from_phase else None,
                "to_phase": c.to_phase.slug,
                "changed_at": _iso(c.changed_at),
                "changed_by": people.key(c.changed_by),
                "rationale": c.rationale,
                "override": c.override,
                "unmet_criteria": c.unmet_criteria,
                # What the maintainer was shown before confirming (figures only, no person).
                "shown": c.shown,
            }
            for c in changes
        ]

    all_changes = list(
        PhaseChange.objects.select_related("from_phase", "to_phase", "changed_by").order_by(
            "changed_at", "pk"
        )
    )
    # Measures and eligibility are derived from the evidence below; they are exported
    # for readers of the file and recomputed (not loaded) by import_snapshot.
    report = maturity_report()
    statuses = {status.factor.pk: status for status in report.factors}
    factors = [
        {
            "number": f.number,
            "slug": f.slug,
            "title": f.title,
            "tier": f.tier,
            "summary": f.summary,
            "body": f.body,
            "phase": f.phase.slug,
            "phase_history": history(c for c in all_changes if c.factor_id == f.pk),
            "measures": statuses[f.pk].measures,
            "eligible_for_next_phase": statuses[f.pk].eligibility.eligible,
        }
        for f in Factor.objects.with_phase()
    ]
    criteria = [
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

    evidence = {
        kind: list(selectors.published(kind).order_by("published_at", "id")) for kind in KINDS
    }
    published_cs = {cs.pk: cs.slug for cs in evidence["case_study"]}
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

    def item_data(kind, item) -> dict:
        data = {name: getattr(item, name) for name in SUBMISSION_FIELDS}
        data["confirmed_at"] = item.confirmed_at  # its latest re-confirmation, if any
        for name in ("published_at", "confirmed_at", "created_at", "updated_at"):
            data[name] = _iso(data[name])
        data |= _credit(item, people)
        data["domain"] = item.domain.slug
        data["organization"] = org_keys.get(item.organization_id)
        data["is_demo"] = item.is_demo
        data |= {name: getattr(item, name) for name in item.export_fields}
        data |= item.export_related(published_cs)
        return data

    evidence_data = {
        KINDS[kind].plural_key: [item_data(kind, item) for item in items]
        for kind, items in evidence.items()
    }
    snapshot = {
        "format": FORMAT,
        "version": VERSION,
        "generated_at": _iso(now),
        "licence": LICENCE,
        "framework": {
            "name": framework.name if framework else "12-Factor AgentOps",
            "phase": framework.phase.slug if framework else None,
            "phase_history": history(c for c in all_changes if c.factor_id is None),
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
        # The metric vocabulary (quantified results name one by slug, or none for "other").
        "metrics": [
            {
                "slug": m.slug,
                "name": m.name,
                "unit": m.unit,
                "better": m.better,
                "definition": m.definition,
                "order": m.order,
            }
            for m in Metric.objects.all()
        ],
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


# --- import --------------------------------------------------------------------------


@dataclass
class ImportReport:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, key: str, n: int = 1):
        self.counts[key] = self.counts.get(key, 0) + n


def snapshot_validate(data) -> None:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SnapshotError(f"Not an agentops-web snapshot (expected format {FORMAT!r}).")
    if data.get("version") != VERSION:
        raise SnapshotError(
            f"Snapshot version {data.get('version')!r} is not supported (this site reads "
            f"version {VERSION})."
        )
    required = ("phases", "factors", "criteria", "domains", "organizations", "people",
                *(kind.plural_key for kind in KINDS.values() if kind.plural_key not in LATER_KINDS),
                "framework")  # fmt: skip
    missing = [key for key in required if key not in data]
    if missing:
        raise SnapshotError(f"The snapshot lacks: {', '.join(missing)}.")


def site_is_empty() -> bool:
    """No evidence, domains or organizations yet (a loaded framework is fine)."""
    return not (
        Domain.objects.exists()
        or Organization.objects.exists()
        or any(kind.model.objects.exists() for kind in KINDS.values())
    )


def _upsert(model, lookup: dict, values: dict):
    obj, _ = model.objects.update_or_create(**lookup, defaults=values)
    return obj


@transaction.atomic
def snapshot_import(*, data: dict, force: bool = False, progress=None) -> ImportReport:
    """Load a snapshot. Refuses a site with evidence, domains or organizations unless force.

    With force, items are matched by slug (domains, factors, evidence) and updated.
    Everything runs in one transaction: a failure leaves the site as it was.
    """
    snapshot_validate(data)
    if not force and not site_is_empty():
        raise SnapshotError(
            "This site already has domains, organizations or evidence. Import into an empty "
            "site, or pass --force to merge (items are matched by slug and overwritten)."
        )
    say = progress or (lambda message: None)
    report = ImportReport()
    User = get_user_model()

    phases = {}
    for p in data["phases"]:
        phases[p["slug"]] = _upsert(
            Phase, {"slug": p["slug"]},
            {"name": p["name"], "order": p["order"], "description": p.get("description", "")},
        )  # fmt: skip
        report.add("phases")

    people = {}
    for person in data["people"]:
        email = f"{person['key']}-{uuid.uuid4().hex[:12]}@{PLACEHOLDER_EMAIL_DOMAIN}"
        user = User(email=email, display_name=person["public_name"], is_active=True)
        user.set_unusable_password()
        user.save()
        people[person["key"]] = user
        report.add("people")

    def record_history(changes, factor):
        for c in changes:
            change = PhaseChange.objects.create(
                factor=factor,
                from_phase=phases[c["from_phase"]] if c["from_phase"] else None,
                to_phase=phases[c["to_phase"]],
                changed_by=people.get(c["changed_by"]),
                rationale=c["rationale"],
                override=c["override"],
                unmet_criteria=c.get("unmet_criteria", []),
                shown=c.get("shown") or {},
            )
            PhaseChange.objects.filter(pk=change.pk).update(changed_at=_parse_dt(c["changed_at"]))
            report.add("phase changes")

    factors = {}
    for f in data["factors"]:
        factor = Factor.objects.filter(number=f["number"]).first() or Factor(number=f["number"])
        for name in ("slug", "title", "tier", "summary", "body"):
            setattr(factor, name, f[name])
        factor.phase = phases[f["phase"]]
        factor.save()
        factor.phase_changes.all().delete()
        record_history(f["phase_history"], factor)
        factors[f["number"]] = factor
        report.add("factors")
    say(f"Framework: {len(phases)} phases, {len(factors)} factors.")

    fw = data["framework"]
    if fw.get("phase"):
        framework = Framework.objects.first() or Framework(name=fw["name"])
        framework.name, framework.phase = fw["name"], phases[fw["phase"]]
        framework.save()
        PhaseChange.objects.filter(factor__isnull=True).delete()
        record_history(fw.get("phase_history", []), None)

    for c in data["criteria"]:
        _upsert(
            Criterion,
            {"phase": phases[c["phase"]], "scope": c["scope"], "measure": c["measure"]},
            {
                "threshold": c["threshold"],
                "comparator": c.get("comparator", "at_least"),
                "fresh_only": c.get("fresh_only", False),
            },
        )
        report.add("criteria")

    domains = {}
    for d in data["domains"]:
        domains[d["slug"]] = _upsert(
            Domain, {"slug": d["slug"]},
            {"name": d["name"], "description": d.get("description", ""),
             "is_demo": d.get("is_demo", False)},
        )  # fmt: skip
        report.add("domains")

    organizations = {}
    for o in data["organizations"]:
        domain = domains[o["domain"]]
        name = o["name"] or f"Anonymized organization {o['key']}"
        organizations[o["key"]] = _upsert(
            Organization, {"name": name, "domain": domain},
            {"anonymized": o["anonymized"], "size_band": o.get("size_band", ""),
             "is_demo": o.get("is_demo", False)},
        )  # fmt: skip
        report.add("organizations")
    say(f"{len(domains)} domains, {len(organizations)} organizations.")

    # The metric vocabulary (a snapshot made before it has none: the site's own is kept, and
    # its results stay "other").
    for m in data.get("metrics", []):
        _upsert(
            Metric, {"slug": m["slug"]},
            {"name": m["name"], "unit": m.get("unit", ""), "better": m["better"],
             "definition": m.get("definition", ""), "order": m.get("order", 0)},
        )  # fmt: skip
        report.add("metrics")

    def author_for(item):
        if item["consent"] == Consent.NAME:
            return people.get(item["author"])
        if item["consent"] == Consent.ROLE:
            # A role credit needs an author to show; one unlinkable placeholder per item.
            key = f"role-{uuid.uuid4().hex[:12]}"
            user = User(email=f"{key}@{PLACEHOLDER_EMAIL_DOMAIN}", is_active=False)
            user.set_unusable_password()
            user.save()
            return user
        return None

    def save_item(kind, item, related):
        model = kind.model
        obj = model.objects.filter(slug=item["slug"]).first() or model(slug=item["slug"])
        values = {
            "title": item["title"],
            "author": author_for(item),
            "domain": domains[item["domain"]],
            "organization": organizations.get(item["organization"]),
            "state": State.PUBLISHED,
            "consent": item["consent"],
            "attribution_role": item.get("role", ""),
            "published_at": _parse_dt(item["published_at"]),
            "submitted_at": _parse_dt(item["published_at"]),
            "confirmed_at": _parse_dt(item.get("confirmed_at")),
            "hidden_at": None,
            "is_demo": item.get("is_demo", False),
            **{name: item[name] for name in model.export_fields},
            **obj.import_related(item, factors=factors, case_studies=related),
        }
        for name, value in values.items():
            setattr(obj, name, value)
        obj.save()
        model.objects.filter(pk=obj.pk).update(
            created_at=_parse_dt(item["created_at"]), updated_at=_parse_dt(item["updated_at"])
        )
        obj.import_related_after_save(item, factors=factors)
        report.add(kind.plural_key)
        return obj

    # Case studies first: the other kinds may link to one (by slug).
    case_studies: dict = {}
    for kind in KINDS.values():
        for item in data.get(kind.plural_key, []):
            obj = save_item(kind, item, case_studies)
            if kind.model is CaseStudy:
                case_studies[obj.slug] = obj
        say(f"{len(data.get(kind.plural_key, []))} {kind.plural}.")
    modes = import_failure_modes(data.get("failure_modes", []), factors=factors)
    report.add("failure modes", modes)
    say(f"{modes} failure modes.")
    report.add("carried activity", activity_import(data.get("activity")))
    # Some writes above (update(), bulk_create()) send no signal: make every cached page
    # stale once the import commits.
    generation_bump_on_commit()
    return report

"""Import: load a snapshot into a site, in one transaction (see the package's docstring).

`snapshot_import()` checks the file and the site, then runs the steps of `_Loader` in
order: each step reads one part of the file and keeps what later steps link to (phases,
people, factors, domains, organizations, case studies) by the key the file uses.
"""

import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from cases.kinds import KINDS
from cases.models import CaseStudy, Consent, Domain, Metric, Organization, State
from factors.models import Criterion, Factor, Framework, Phase, PhaseChange
from failuremodes.snapshot import import_failure_modes
from pagecache.generation import generation_bump_on_commit

from ..carried import PLACEHOLDER_EMAIL_DOMAIN, activity_import
from .format import SnapshotError, parse_dt, snapshot_validate


@dataclass
class ImportReport:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, key: str, n: int = 1):
        self.counts[key] = self.counts.get(key, 0) + n


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


class _Loader:
    """The steps of an import, and what each keeps for the next ones."""

    def __init__(self, data: dict, say):
        self.data = data
        self.say = say
        self.report = ImportReport()
        self.User = get_user_model()
        self.phases: dict[str, Phase] = {}
        self.people: dict = {}
        self.factors: dict[int, Factor] = {}
        self.domains: dict[str, Domain] = {}
        self.organizations: dict[str, Organization] = {}
        self.case_studies: dict[str, CaseStudy] = {}

    # --- the framework ------------------------------------------------------------------

    def load_phases(self):
        for p in self.data["phases"]:
            self.phases[p["slug"]] = _upsert(
                Phase, {"slug": p["slug"]},
                {"name": p["name"], "order": p["order"], "description": p.get("description", "")},
            )  # fmt: skip
            self.report.add("phases")

    def load_people(self):
        # Imported people (credited by name on the source site) become accounts that cannot
        # sign in (no usable password, no verified address: an address under the reserved
        # .invalid domain), active so that their contributor pages show what they published.
        for person in self.data["people"]:
            email = f"{person['key']}-{uuid.uuid4().hex[:12]}@{PLACEHOLDER_EMAIL_DOMAIN}"
            user = self.User(email=email, display_name=person["public_name"], is_active=True)
            user.set_unusable_password()
            user.save()
            self.people[person["key"]] = user
            self.report.add("people")

    def record_history(self, changes, factor):
        for c in changes:
            change = PhaseChange.objects.create(
                factor=factor,
                from_phase=self.phases[c["from_phase"]] if c["from_phase"] else None,
                to_phase=self.phases[c["to_phase"]],
                changed_by=self.people.get(c["changed_by"]),
                rationale=c["rationale"],
                override=c["override"],
                unmet_criteria=c.get("unmet_criteria", []),
                shown=c.get("shown") or {},
            )
            PhaseChange.objects.filter(pk=change.pk).update(changed_at=parse_dt(c["changed_at"]))
            self.report.add("phase changes")

    def load_factors(self):
        for f in self.data["factors"]:
            factor = Factor.objects.filter(number=f["number"]).first() or Factor(number=f["number"])
            for name in ("slug", "title", "tier", "summary", "body"):
                setattr(factor, name, f[name])
            factor.phase = self.phases[f["phase"]]
            factor.save()
            factor.phase_changes.all().delete()
            self.record_history(f["phase_history"], factor)
            self.factors[f["number"]] = factor
            self.report.add("factors")
        self.say(f"Framework: {len(self.phases)} phases, {len(self.factors)} factors.")

    def load_framework(self):
        fw = self.data["framework"]
        if fw.get("phase"):
            framework = Framework.objects.first() or Framework(name=fw["name"])
            framework.name, framework.phase = fw["name"], self.phases[fw["phase"]]
            framework.save()
            PhaseChange.objects.filter(factor__isnull=True).delete()
            self.record_history(fw.get("phase_history", []), None)

    def load_criteria(self):
        for c in self.data["criteria"]:
            _upsert(
                Criterion,
                {"phase": self.phases[c["phase"]], "scope": c["scope"], "measure": c["measure"]},
                {
                    "threshold": c["threshold"],
                    "comparator": c.get("comparator", "at_least"),
                    "fresh_only": c.get("fresh_only", False),
                },
            )
            self.report.add("criteria")

    # --- where the evidence comes from, and what it measures -------------------------------

    def load_domains(self):
        for d in self.data["domains"]:
            self.domains[d["slug"]] = _upsert(
                Domain, {"slug": d["slug"]},
                {"name": d["name"], "description": d.get("description", ""),
                 "is_demo": d.get("is_demo", False)},
            )  # fmt: skip
            self.report.add("domains")

    def load_organizations(self):
        for o in self.data["organizations"]:
            domain = self.domains[o["domain"]]
            name = o["name"] or f"Anonymized organization {o['key']}"
            self.organizations[o["key"]] = _upsert(
                Organization, {"name": name, "domain": domain},
                {"anonymized": o["anonymized"], "size_band": o.get("size_band", ""),
                 "is_demo": o.get("is_demo", False)},
            )  # fmt: skip
            self.report.add("organizations")
        self.say(f"{len(self.domains)} domains, {len(self.organizations)} organizations.")

    def load_metrics(self):
        # The metric vocabulary (a snapshot made before it has none: the site's own is kept,
        # and its results stay "other").
        for m in self.data.get("metrics", []):
            _upsert(
                Metric, {"slug": m["slug"]},
                {"name": m["name"], "unit": m.get("unit", ""), "better": m["better"],
                 "definition": m.get("definition", ""), "order": m.get("order", 0)},
            )  # fmt: skip
            self.report.add("metrics")

    # --- the evidence ---------------------------------------------------------------------

    def author_for(self, item):
        if item["consent"] == Consent.NAME:
            return self.people.get(item["author"])
        if item["consent"] == Consent.ROLE:
            # A role credit needs an author to show; one unlinkable placeholder per item.
            key = f"role-{uuid.uuid4().hex[:12]}"
            user = self.User(email=f"{key}@{PLACEHOLDER_EMAIL_DOMAIN}", is_active=False)
            user.set_unusable_password()
            user.save()
            return user
        return None

    def save_item(self, kind, item):
        model = kind.model
        obj = model.objects.filter(slug=item["slug"]).first() or model(slug=item["slug"])
        values = {
            "title": item["title"],
            "author": self.author_for(item),
            "domain": self.domains[item["domain"]],
            "organization": self.organizations.get(item["organization"]),
            "state": State.PUBLISHED,
            "consent": item["consent"],
            "attribution_role": item.get("role", ""),
            "published_at": parse_dt(item["published_at"]),
            "submitted_at": parse_dt(item["published_at"]),
            "confirmed_at": parse_dt(item.get("confirmed_at")),
            "hidden_at": None,
            "is_demo": item.get("is_demo", False),
            **{name: item[name] for name in model.export_fields},
            **obj.import_related(item, factors=self.factors, case_studies=self.case_studies),
        }
        for name, value in values.items():
            setattr(obj, name, value)
        obj.save()
        model.objects.filter(pk=obj.pk).update(
            created_at=parse_dt(item["created_at"]), updated_at=parse_dt(item["updated_at"])
        )
        obj.import_related_after_save(item, factors=self.factors)
        self.report.add(kind.plural_key)
        return obj

    def load_evidence(self):
        # Case studies first: the other kinds may link to one (by slug).
        for kind in KINDS.values():
            for item in self.data.get(kind.plural_key, []):
                obj = self.save_item(kind, item)
                if kind.model is CaseStudy:
                    self.case_studies[obj.slug] = obj
            self.say(f"{len(self.data.get(kind.plural_key, []))} {kind.plural}.")

    def load_failure_modes(self):
        modes = import_failure_modes(self.data.get("failure_modes", []), factors=self.factors)
        self.report.add("failure modes", modes)
        self.say(f"{modes} failure modes.")

    def load_activity(self):
        self.report.add("carried activity", activity_import(self.data.get("activity")))


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
    loader = _Loader(data, say=progress or (lambda message: None))
    loader.load_phases()
    loader.load_people()  # before the factors: a phase change names who made it
    loader.load_factors()
    loader.load_framework()
    loader.load_criteria()
    loader.load_domains()
    loader.load_organizations()
    loader.load_metrics()
    loader.load_evidence()
    loader.load_failure_modes()
    loader.load_activity()
    # Some writes above (update(), bulk_create()) send no signal: make every cached page
    # stale once the import commits.
    generation_bump_on_commit()
    return loader.report

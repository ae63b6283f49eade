"""Writes to the framework: loading the default data, and (later) promotion."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from .models import Criterion, Factor, Framework, Phase

DEFAULT_FRAMEWORK_FILE = Path(__file__).resolve().parent / "data" / "framework.json"


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _sync(model, lookup: dict, values: dict, *, update: bool, report: LoadReport, label: str):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        report.created.append(label)
        return obj
    if update:
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.full_clean()
            obj.save()
            report.updated.append(f"{label} ({', '.join(changed)})")
            return obj
    report.unchanged += 1
    return obj


@transaction.atomic
def framework_load(*, path: Path = DEFAULT_FRAMEWORK_FILE, update: bool = False) -> LoadReport:
    """Load phases, factors and criteria from a data file.

    Idempotent: what exists is left alone (a maintainer's edits win) unless
    update=True, which brings texts and thresholds back to the file's values.
    A factor's current phase is never changed here: only promotion moves it.
    """
    data = json.loads(Path(path).read_text())
    report = LoadReport()

    phases = {}
    for item in data["phases"]:
        phases[item["slug"]] = _sync(
            Phase,
            {"slug": item["slug"]},
            {"name": item["name"], "order": item["order"], "description": item["description"]},
            update=update,
            report=report,
            label=f"phase {item['name']}",
        )
    first = min(phases.values(), key=lambda p: p.order)

    for item in data["factors"]:
        values = {k: item[k] for k in ("slug", "title", "tier", "summary", "body")}
        factor = Factor.objects.filter(number=item["number"]).first()
        if factor is None:
            Factor(number=item["number"], phase=first, **values).save()
            report.created.append(f"factor {item['number']}")
        else:
            _sync(
                Factor, {"number": item["number"]}, values,
                update=update, report=report, label=f"factor {item['number']}",
            )  # fmt: skip

    fw = data.get("framework", {})
    if not Framework.objects.exists():
        Framework.objects.create(
            name=fw.get("name", "12-Factor AgentOps"), phase=phases[fw.get("phase", first.slug)]
        )
        report.created.append("framework")

    for item in data["criteria"]:
        _sync(
            Criterion,
            {"phase": phases[item["phase"]], "scope": item["scope"], "measure": item["measure"]},
            {"threshold": item["threshold"], "description": item["description"]},
            update=update,
            report=report,
            label=f"criterion {item['phase']}/{item['scope']}/{item['measure']}",
        )
    return report

"""Demo data: a living site for newcomers, and large sizes for benchmarks.

`demo_seed()` fills a site with clearly labelled demo domains, organizations, members and
evidence in every state, with a consistent review history (generator.py), then groups the
published demo failure reports into failure modes (modes.py). It is what `manage.py seed_demo`
calls. `demo_remove()` takes every demo row away again.

Speed: evidence is written with bulk_create in batches inside one transaction (writing.py says
how Markdown and timestamps are handled without save()).
"""

import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from accounts.models import User
from cases.models import (
    Adaptation,
    CaseStudy,
    Domain,
    FactorApplication,
    FactorImplementation,
    FailureReport,
    Organization,
    QuantifiedResult,
    ReferenceImplementation,
    Revision,
    StateChange,
)
from factors.models import Factor
from factors.services import framework_load
from pagecache.generation import generation_bump_on_commit

from .generator import KINDS, Generator
from .modes import remove_demo_failure_modes, seed_failure_modes

DEMO_EMAIL_REGEX = r"^demo-(member|maintainer)-[0-9]+@example\.org$"
_ANALYZE = (*KINDS, FactorApplication, QuantifiedResult, StateChange, Organization, Domain, User)


class DemoRefused(Exception):
    """The database holds data that seeding would mix with; nothing was written."""


@dataclass
class SeedReport:
    created: Counter = field(default_factory=Counter)
    states: dict = field(default_factory=lambda: defaultdict(Counter))
    removed: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    skipped: str = ""


def demo_present() -> int:
    return sum(m.objects.filter(is_demo=True).count() for m in KINDS)


def real_evidence_count() -> int:
    return sum(m.objects.filter(is_demo=False).count() for m in KINDS)


def demo_remove(report: SeedReport) -> None:
    """Delete every demo row: evidence with its history, organizations, domains, users."""
    remove_demo_failure_modes(report)
    for model in KINDS:
        ct = ContentType.objects.get_for_model(model)
        ids = model.objects.filter(is_demo=True).values("pk")
        report.removed["state changes"] += StateChange.objects.filter(
            content_type=ct, object_id__in=ids
        ).delete()[0]
        Revision.objects.filter(content_type=ct, object_id__in=ids).delete()
    FailureReport.factors.through.objects.filter(failurereport__is_demo=True).delete()
    FactorImplementation.objects.filter(reference_implementation__is_demo=True).delete()
    FactorApplication.objects.filter(case_study__is_demo=True).delete()
    QuantifiedResult.objects.filter(case_study__is_demo=True).delete()
    for model in (Adaptation, FailureReport, ReferenceImplementation, CaseStudy):
        report.removed[model._meta.verbose_name_plural] = model.objects.filter(
            is_demo=True
        ).delete()[0]
    report.removed["organizations"] = Organization.objects.filter(is_demo=True).delete()[0]
    report.removed["domains"] = Domain.objects.filter(is_demo=True).delete()[0]
    report.removed["users"] = User.objects.filter(email__regex=DEMO_EMAIL_REGEX).count()
    User.objects.filter(email__regex=DEMO_EMAIL_REGEX).delete()


@transaction.atomic
def demo_seed(
    *,
    size: int = 60,
    seed: int | None = None,
    force: bool = False,
    reset: bool = False,
    password: str | None = None,
    dry_run: bool = False,
    progress: Callable[[str], None] | None = None,
) -> SeedReport:
    """Fill the site with demo data: `size` case studies, and adaptations and failures in scale.

    Refuses (DemoRefused) when real evidence exists unless force=True. When demo
    evidence is already there it does nothing (report.skipped says why) unless
    reset=True, which removes the old demo data first. Demo users get unusable
    passwords unless `password` is given. dry_run builds everything and rolls back.
    """
    started = time.monotonic()
    say = progress or (lambda line: None)
    report = SeedReport()
    if size < 0:
        raise ValueError("size must be 0 or more")
    real = real_evidence_count()
    if real and not force:
        raise DemoRefused(
            f"The database holds {real} real (non-demo) evidence items; demo data would mix "
            "with them. Use --force to seed anyway."
        )
    present = demo_present()
    if present and not reset:
        report.skipped = (
            f"Demo data is already present ({present} evidence items); nothing was added. "
            "Use --reset to replace it."
        )
        return report
    if present:
        demo_remove(report)

    if Factor.objects.count() < 12:
        framework_load()
        say("Framework loaded (factors were missing).")
    gen = Generator(size=size, rng=random.Random(seed), report=report, say=say)
    gen.run(password=password)
    seed_failure_modes(report)  # groups the published demo failure reports

    report.seconds = time.monotonic() - started
    generation_bump_on_commit()  # bulk_create() sends no signal
    if dry_run:
        transaction.set_rollback(True)
        return report
    # bulk_create sends no signals: tell the whole-page cache that pages changed.
    generation_bump_on_commit()
    if connection.vendor == "postgresql":
        # Fresh planner statistics, so the first queries on a big seed are not misplanned.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(m._meta.db_table for m in _ANALYZE)}")
    return report

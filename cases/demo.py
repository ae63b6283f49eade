"""Demo data: a living site for newcomers, and large sizes for benchmarks.

`demo_seed()` fills a site with clearly labelled demo domains, organizations,
members and evidence in every state, with a consistent review history. It is
what `manage.py seed_demo` calls.

Speed: evidence is written with bulk_create in batches inside one transaction.
bulk_create skips save(), so Markdown is rendered here explicitly; each text is
made from templates (cases/demo_text.py) whose placeholders hold plain words, so
a combination of templates is rendered once and the HTML is then filled with
escaped words (`_Renderer`). auto_now/auto_now_add are switched off while
writing so the history can be spread over the last 18 months.
"""

import html
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from accounts.services import ensure_maintainers_group
from common.markdown import render_markdown
from factors.models import Factor
from factors.services import framework_load
from pagecache.generation import generation_bump_on_commit

from . import demo_text as T
from .models import (
    Adaptation,
    CaseStudy,
    Consent,
    Deployment,
    Domain,
    FactorApplication,
    FactorImplementation,
    FailureReport,
    Metric,
    Organization,
    Outcome,
    QuantifiedResult,
    ReferenceImplementation,
    Revision,
    Severity,
    State,
    StateChange,
)

DEMO_EMAIL_REGEX = r"^demo-(member|maintainer)-[0-9]+@example\.org$"
BATCH = 1000
HISTORY_DAYS = 548  # about 18 months


def _count(n: int, noun: str) -> str:
    """'1 week', '3 weeks'."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


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


def _weighted_sample(rng: random.Random, items: list, weights: list[float], k: int) -> list:
    """k distinct items (fewer if fewer have a weight), each draw weighted."""
    pool = [(item, w) for item, w in zip(items, weights, strict=True) if w > 0]
    chosen = []
    for _ in range(min(k, len(pool))):
        i = rng.choices(range(len(pool)), weights=[w for _, w in pool])[0]
        chosen.append(pool.pop(i)[0])
    return chosen


CONSENT_WEIGHTS = {Consent.NAME: 60, Consent.ROLE: 25, Consent.ANONYMOUS: 15}
SEVERITY_WEIGHTS = {Severity.CRITICAL: 10, Severity.HIGH: 30, Severity.MEDIUM: 40, Severity.LOW: 20}


class DemoRefused(Exception):
    """The database holds data that seeding would mix with; nothing was written."""


@dataclass
class SeedReport:
    created: Counter = field(default_factory=Counter)
    states: dict = field(default_factory=lambda: defaultdict(Counter))
    removed: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    skipped: str = ""


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _state_for(rng: random.Random, index: int):
    return STATE_CYCLE[index] if index < len(STATE_CYCLE) else _weighted(rng, STATE_WEIGHTS)


class _Renderer:
    """Markdown from templates, rendered once per combination of templates."""

    def __init__(self):
        self._cache: dict = {}

    def compose(self, rng, bank: list[str], k: int, values: dict, escaped: dict):
        idx = tuple(sorted(rng.sample(range(len(bank)), min(k, len(bank)))))
        template = "\n\n".join(bank[i] for i in idx)
        key = (id(bank), idx)
        rendered = self._cache.get(key)
        if rendered is None:
            rendered = self._cache[key] = render_markdown(template)
        return template.format_map(values), rendered.format_map(escaped)


class _Slugs:
    """Readable unique slugs for one model, checked in memory."""

    def __init__(self, model):
        self.taken = set(model.objects.values_list("slug", flat=True))
        self.next = {}

    def make(self, text: str, max_length: int = 80) -> str:
        base = slugify(text)[:max_length].strip("-") or "item"
        slug, n = base, self.next.get(base, 2)
        while slug in self.taken:
            suffix = f"-{n}"
            slug = f"{base[: max_length - len(suffix)]}{suffix}"
            n += 1
        self.next[base] = n
        self.taken.add(slug)
        return slug


@contextmanager
def _keep_given_timestamps(*models):
    """Let bulk_create store our created_at/updated_at instead of now()."""
    saved = []
    for model in models:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def demo_present() -> int:
    return sum(m.objects.filter(is_demo=True).count() for m in _KINDS)


def real_evidence_count() -> int:
    return sum(m.objects.filter(is_demo=False).count() for m in _KINDS)


_KINDS = (CaseStudy, Adaptation, FailureReport, ReferenceImplementation)
_ANALYZE = (*_KINDS, FactorApplication, QuantifiedResult, StateChange, Organization, Domain, User)


def demo_remove(report: SeedReport) -> None:
    """Delete every demo row: evidence with its history, organizations, domains, users."""
    from failuremodes.demo import remove_demo_failure_modes

    remove_demo_failure_modes(report)
    for model in _KINDS:
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
    gen = _Generator(size=size, rng=random.Random(seed), report=report, say=say)
    gen.run(password=password)
    from failuremodes.demo import seed_failure_modes

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


class _Generator:
    def __init__(self, *, size, rng, report, say):
        self.size = size
        self.rng = rng
        self.report = report
        self.say = say
        self.now = timezone.now()
        self.render = _Renderer()
        self.factors = list(Factor.objects.order_by("number"))
        self.profiles = {f: FACTOR_PROFILES.get(f.number, THIN) for f in self.factors}
        self.n_adaptations = max(len(STATE_CYCLE), size * 2 // 5) if size else 0
        self.n_failures = max(len(STATE_CYCLE), size * 3 // 10) if size else 0
        self.n_references = max(len(STATE_CYCLE), size // 6) if size else 0
        self.total = size + self.n_adaptations + self.n_failures + self.n_references
        self.done = 0
        self.next_tick = 1

    # -- progress -------------------------------------------------------------------------

    def _advance(self, n: int, label: str):
        self.done += n
        if not self.total:
            return
        pct = self.done * 100 // self.total
        if pct >= self.next_tick * 10 or self.done == self.total:
            self.say(f"{pct:3d}%  {self.done}/{self.total} evidence items ({label})")
            self.next_tick = pct // 10 + 1

    # -- people and places ----------------------------------------------------------------

    def run(self, *, password):
        self._domains()
        self._users(password)
        self.contenttypes = {m: ContentType.objects.get_for_model(m) for m in _KINDS}
        with _keep_given_timestamps(*_KINDS, StateChange):
            self._case_studies()
            self._adaptations()
            self._failures()
            self._references()

    def _domains(self):
        rng = self.rng
        existing = {d.name: d for d in Domain.objects.filter(name__in=list(T.DOMAINS))}
        slugs = _Slugs(Domain)
        new = [
            Domain(
                name=name,
                slug=slugs.make(name),
                is_demo=True,
                description=(
                    f"Demo domain: {name.lower()}. Made by seed_demo to show how the site "
                    "works; the evidence in it is invented."
                ),
            )
            for name in T.DOMAINS
            if name not in existing
        ]
        Domain.objects.bulk_create(new)
        self.report.created["domains"] = len(new)
        self.domains = [existing.get(d.name, d) for d in new] + list(existing.values())
        org_slugs = _Slugs(Organization)
        taken = set(Organization.objects.values_list("name", "domain_id"))
        orgs = []
        for domain in self.domains:
            for name in T.DOMAINS[domain.name][1]:
                if (name, domain.pk) in taken:
                    continue
                orgs.append(
                    Organization(
                        name=name,
                        slug=org_slugs.make(name),
                        domain=domain,
                        size_band=rng.choice(T.SIZE_BANDS),
                        anonymized=rng.random() < 0.3,
                        is_demo=True,
                    )
                )
        Organization.objects.bulk_create(orgs)
        self.report.created["organizations"] = len(orgs)
        self.orgs = defaultdict(list)
        for org in Organization.objects.filter(domain__in=self.domains).select_related("domain"):
            self.orgs[org.domain_id].append(org)

    def _users(self, password):
        rng = self.rng
        n_members = max(10, min(2000, self.size // 8))
        wanted = [f"demo-maintainer-{i}@example.org" for i in range(1, 5)] + [
            f"demo-member-{i}@example.org" for i in range(1, n_members + 1)
        ]
        existing = {u.email: u for u in User.objects.filter(email__in=wanted)}
        hashed = make_password(password) if password else None
        new = []
        for email in wanted:
            if email in existing:
                continue
            first, last = rng.choice(T.FIRST_NAMES), rng.choice(T.LAST_NAMES)
            new.append(
                User(
                    email=email,
                    display_name=f"{first} {last} (demo)",
                    password=hashed or make_password(None),
                    is_staff=email.startswith("demo-maintainer"),
                )
            )
        User.objects.bulk_create(new)
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in new]
        )
        self.report.created["users"] = len(new)
        users = {**existing, **{u.email: u for u in new}}
        self.maintainers = [users[e] for e in wanted if e.startswith("demo-maintainer")]
        self.members = [users[e] for e in wanted if e.startswith("demo-member")]
        ensure_maintainers_group().user_set.add(*self.maintainers)

    # -- shared pieces --------------------------------------------------------------------

    def _timeline(self, state):
        """Timestamps and review history consistent with the final state."""
        rng = self.rng
        created = self.now - timedelta(seconds=rng.uniform(3600, HISTORY_DAYS * 86400))
        events = []  # (from, to, by_maintainer, comment, at)
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
            if state in (State.PUBLISHED, State.REJECTED, State.WITHDRAWN):
                t += timedelta(hours=rng.uniform(2, 21 * 24))
                bank = {
                    State.PUBLISHED: T.PUBLISH_COMMENTS,
                    State.REJECTED: T.REJECT_COMMENTS,
                    State.WITHDRAWN: T.WITHDRAW_COMMENTS,
                }[state]
                by_maintainer = state != State.WITHDRAWN
                events.append((State.SUBMITTED, state, by_maintainer, rng.choice(bank), t))
                if state == State.PUBLISHED:
                    published_at = t
        else:
            t += timedelta(hours=rng.uniform(0, 5 * 24))
        # Keep the whole story in the past.
        shift = t - (self.now - timedelta(minutes=5))
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

    def _common(self, *, index, domain, org, author, title, slugs, extra_state=None):
        rng = self.rng
        state = extra_state or _state_for(rng, index)
        times, events = self._timeline(state)
        consent = _weighted(rng, CONSENT_WEIGHTS)
        role_bank = T.DOMAINS[domain.name][2]
        fields = {
            "title": title[:200],
            "slug": slugs.make(title),
            "author": author,
            "domain": domain,
            "organization": org,
            "state": state,
            "consent": consent,
            "attribution_role": (
                f"{rng.choice(role_bank)} at {_article(domain.name)} {domain.name.lower()} "
                "organization"
            )
            if consent == Consent.ROLE
            else "",
            "is_demo": True,
            **times,
        }
        if state == State.PUBLISHED and rng.random() < 0.01:
            fields["hidden_at"] = times["published_at"] + timedelta(days=1)
            fields["hidden_reason"] = T.HIDDEN_REASON
        return fields, events

    def _values(self, domain, agent, factor, extra=None):
        rng = self.rng
        values = {
            "domain": domain.name.lower(),
            "agent": agent,
            "factor": factor.title,
            "constraint": T.DOMAINS[domain.name][3],
            "team": str(rng.randint(3, 40)),
            "months": str(rng.randint(2, 18)),
            "parts": str(rng.randint(2, 6)),
            "count": f"{rng.randint(40, 4000):,}",
            "hours": str(rng.randint(2, 60)),
            "weeks": _count(rng.randint(1, 6), "week"),
        }
        article = "an" if values["domain"][:1] in "aeiou" else "a"
        values["a_domain"] = f"{article} {values['domain']}"
        values.update(extra or {})
        return values, {k: html.escape(v, quote=False) for k, v in values.items()}

    def _md(self, obj, name, bank, k, values, escaped):
        text, rendered = self.render.compose(self.rng, bank, k, values, escaped)
        setattr(obj, name, text)
        setattr(obj, f"{name}_html", rendered)

    def _history(self, model, objs_events):
        ct = self.contenttypes[model]
        rows = []
        for obj, events in objs_events:
            for from_state, to_state, by_maintainer, comment, at in events:
                rows.append(
                    StateChange(
                        content_type=ct,
                        object_id=obj.pk,
                        actor=self.rng.choice(self.maintainers) if by_maintainer else obj.author,
                        from_state=from_state,
                        to_state=to_state,
                        comment=comment,
                        created_at=at,
                    )
                )
        StateChange.objects.bulk_create(rows)
        self.report.created["state changes"] += len(rows)

    def _count(self, label, objs):
        self.report.created[label] += len(objs)
        for obj in objs:
            self.report.states[label][obj.state] += 1

    def _pick_domain(self):
        domain = self.rng.choice(self.domains)
        orgs = self.orgs[domain.pk]
        org = self.rng.choice(orgs) if orgs and self.rng.random() < 0.9 else None
        return domain, org

    # -- the three kinds ------------------------------------------------------------------

    def _case_studies(self):
        rng = self.rng
        slugs = _Slugs(CaseStudy)
        self.cases = []  # (pk, domain, org, author, state, {factor: outcome})
        # The metric vocabulary (migration cases 0007): a metric missing here stays "other".
        vocabulary = {m.slug: m for m in Metric.objects.all()}
        for start in range(0, self.size, BATCH):
            batch, apps, quantified = [], [], []
            for i in range(start, min(start + BATCH, self.size)):
                domain, org = self._pick_domain()
                agent = rng.choice(T.DOMAINS[domain.name][0])
                chosen = _weighted_sample(
                    rng,
                    self.factors,
                    [self.profiles[f].popularity for f in self.factors],
                    rng.randint(2, 5),
                )
                values, escaped = self._values(domain, agent, chosen[0])
                title = rng.choice(T.CASE_TITLES).format_map(values)
                title = title[0].upper() + title[1:]
                fields, events = self._common(
                    index=i,
                    domain=domain,
                    org=org,
                    author=rng.choice(self.members),
                    title=title,
                    slugs=slugs,
                )
                obj = CaseStudy(
                    **fields,
                    summary=rng.choice(T.CASE_SUMMARIES).format_map(values),
                    deployment=Deployment.PRODUCTION if rng.random() < 0.6 else Deployment.PILOT,
                    duration_months=int(values["months"]),
                    team_size=int(values["team"]),
                )
                self._md(obj, "context", T.CONTEXT, 2, values, escaped)
                self._md(obj, "approach", T.APPROACH, 2, values, escaped)
                draft_half = obj.state == State.DRAFT and rng.random() < 0.5
                if draft_half:
                    obj.results = obj.results_html = obj.lessons = obj.lessons_html = ""
                else:
                    self._md(obj, "results", T.RESULTS, 2, values, escaped)
                    self._md(obj, "lessons", T.LESSONS, 2, values, escaped)
                outcomes = {f: _weighted(rng, self.profiles[f].outcomes) for f in chosen}
                batch.append((obj, events, outcomes, values))
            CaseStudy.objects.bulk_create([b[0] for b in batch])
            for obj, _events, outcomes, values in batch:
                for factor, outcome in outcomes.items():
                    apps.append(
                        FactorApplication(
                            case_study=obj,
                            factor=factor,
                            outcome=outcome,
                            note=rng.choice(T.APPLICATION_NOTES[outcome]).format_map(values),
                        )
                    )
                if obj.state != State.DRAFT and rng.random() < 0.5:
                    for metric, unit, lo, hi, rlo, rhi, slug in rng.sample(
                        T.METRICS, rng.randint(1, 3)
                    ):
                        before = rng.randint(lo, hi)
                        after = round(before * rng.uniform(rlo, rhi), 1)
                        quantified.append(
                            QuantifiedResult(
                                case_study=obj,
                                standard_metric=vocabulary.get(slug),
                                metric=metric,
                                before=Decimal(before),
                                after=Decimal(str(after)),
                                unit=unit,
                            )
                        )
                self.cases.append(
                    (obj.pk, obj.domain, obj.organization, obj.author, obj.state, outcomes)
                )
            FactorApplication.objects.bulk_create(apps)
            QuantifiedResult.objects.bulk_create(quantified)
            self.report.created["factor applications"] += len(apps)
            self.report.created["quantified results"] += len(quantified)
            self._history(CaseStudy, [(b[0], b[1]) for b in batch])
            self._count("case studies", [b[0] for b in batch])
            self._advance(len(batch), "case studies")
        self.published_cases = [c for c in self.cases if c[4] == State.PUBLISHED]

    def _linked_case(self, state, outcome):
        """A case study to link to (published items link only to published ones), or None."""
        rng = self.rng
        pool = self.published_cases if state == State.PUBLISHED else self.cases
        if not pool or rng.random() < 0.4:
            return None
        # A few tries at one that had this outcome, else any.
        for _ in range(4):
            case = rng.choice(pool)
            if outcome in case[5].values():
                return case
        return rng.choice(pool)

    def _adaptations(self):
        rng = self.rng
        slugs = _Slugs(Adaptation)
        for start in range(0, self.n_adaptations, BATCH):
            batch = []
            for i in range(start, min(start + BATCH, self.n_adaptations)):
                state = _state_for(rng, i)
                case = self._linked_case(state, Outcome.ADAPTED)
                if case:
                    _pk, domain, org, author, _s, outcomes = case
                    adapted = [f for f, o in outcomes.items() if o == Outcome.ADAPTED]
                    factor = rng.choice(adapted or list(outcomes))
                else:
                    domain, org = self._pick_domain()
                    author = rng.choice(self.members)
                    [factor] = _weighted_sample(
                        rng, self.factors, [self.profiles[f].adaptation for f in self.factors], 1
                    )
                agent = rng.choice(T.DOMAINS[domain.name][0])
                values, escaped = self._values(domain, agent, factor)
                title = rng.choice(T.ADAPTATION_TITLES).format_map(values)
                fields, events = self._common(
                    index=i,
                    domain=domain,
                    org=org,
                    author=author,
                    title=title[0].upper() + title[1:],
                    slugs=slugs,
                    extra_state=state,
                )
                obj = Adaptation(**fields, factor=factor, case_study_id=case[0] if case else None)
                self._md(obj, "changes", T.ADAPTATION_CHANGES, 2, values, escaped)
                self._md(obj, "outcome", T.ADAPTATION_OUTCOMES, 1, values, escaped)
                batch.append((obj, events))
            Adaptation.objects.bulk_create([b[0] for b in batch])
            self._history(Adaptation, batch)
            self._count("adaptations", [b[0] for b in batch])
            self._advance(len(batch), "adaptations")

    def _failures(self):
        rng = self.rng
        slugs = _Slugs(FailureReport)
        through = FailureReport.factors.through
        for start in range(0, self.n_failures, BATCH):
            batch, links = [], []
            for i in range(start, min(start + BATCH, self.n_failures)):
                state = _state_for(rng, i)
                case = self._linked_case(state, Outcome.FAILED)
                if case:
                    _pk, domain, org, author, _s, outcomes = case
                    failed = [f for f, o in outcomes.items() if o == Outcome.FAILED]
                    factors = failed or rng.sample(list(outcomes), 1)
                else:
                    domain, org = self._pick_domain()
                    author = rng.choice(self.members)
                    factors = _weighted_sample(
                        rng,
                        self.factors,
                        [self.profiles[f].failure for f in self.factors],
                        rng.randint(1, 3),
                    )
                agent = rng.choice(T.DOMAINS[domain.name][0])
                values, escaped = self._values(domain, agent, factors[0])
                title = rng.choice(T.FAILURE_TITLES).format_map(values)
                fields, events = self._common(
                    index=i,
                    domain=domain,
                    org=org,
                    author=author,
                    title=title[0].upper() + title[1:],
                    slugs=slugs,
                    extra_state=state,
                )
                obj = FailureReport(
                    **fields,
                    severity=_weighted(rng, SEVERITY_WEIGHTS),
                    case_study_id=case[0] if case else None,
                )
                self._md(obj, "symptom", T.FAILURE_SYMPTOM, 1, values, escaped)
                self._md(obj, "impact", T.FAILURE_IMPACT, 1, values, escaped)
                self._md(obj, "root_cause", T.FAILURE_ROOT_CAUSE, 1, values, escaped)
                self._md(obj, "detection", T.FAILURE_DETECTION, 1, values, escaped)
                self._md(obj, "prevention", T.FAILURE_PREVENTION, 2, values, escaped)
                batch.append((obj, events))
                links.append((obj, factors))
            FailureReport.objects.bulk_create([b[0] for b in batch])
            through.objects.bulk_create(
                [through(failurereport_id=o.pk, factor_id=f.pk) for o, fs in links for f in fs]
            )
            self._history(FailureReport, batch)
            self._count("failure reports", [b[0] for b in batch])
            self._advance(len(batch), "failure reports")

    def _references(self):
        rng = self.rng
        slugs = _Slugs(ReferenceImplementation)
        for start in range(0, self.n_references, BATCH):
            batch, links = [], []
            for i in range(start, min(start + BATCH, self.n_references)):
                domain, org = self._pick_domain()
                author = rng.choice(self.members)
                factors = rng.sample(self.factors, rng.randint(1, 3))
                agent = rng.choice(T.DOMAINS[domain.name][0])
                values, escaped = self._values(domain, agent, factors[0])
                title = rng.choice(T.REFERENCE_TITLES).format_map(values)
                fields, events = self._common(
                    index=i,
                    domain=domain,
                    org=org,
                    author=author,
                    title=title[0].upper() + title[1:],
                    slugs=slugs,
                )
                repo = slugify(title)[:60]
                checked = fields["updated_at"] - timedelta(days=rng.randint(0, 90))
                obj = ReferenceImplementation(
                    **fields,
                    url=f"https://example.org/demo/{repo}",
                    licence=rng.choice(T.LICENCES),
                    maintained=rng.random() < 0.8,
                    last_checked=checked.date(),
                    summary=rng.choice(T.REFERENCE_SUMMARIES).format_map(values),
                )
                self._md(obj, "description", T.REFERENCE_DESCRIPTIONS, 3, values, escaped)
                batch.append((obj, events))
                links.append((obj, factors))
            ReferenceImplementation.objects.bulk_create([b[0] for b in batch])
            FactorImplementation.objects.bulk_create(
                FactorImplementation(
                    reference_implementation_id=o.pk,
                    factor_id=f.pk,
                    note=rng.choice(T.REFERENCE_NOTES),
                )
                for o, fs in links
                for f in fs
            )
            self._history(ReferenceImplementation, batch)
            self._count("reference implementations", [b[0] for b in batch])
            self._advance(len(batch), "reference implementations")


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"

"""The demo's evidence: case studies, adaptations, failure reports and reference
implementations, in every state with their review history, written in batches.

`Generator.run()` makes the people and places (world.py), then each kind in turn. Everything
is drawn from one random.Random, in a fixed order, so a seed repeats a run exactly.
auto_now/auto_now_add are switched off while writing so the history can be spread over the
last 18 months (history.py).
"""

from datetime import timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.text import slugify

from cases.models import (
    Adaptation,
    CaseStudy,
    Consent,
    Deployment,
    FactorApplication,
    FactorImplementation,
    FailureReport,
    Metric,
    Outcome,
    QuantifiedResult,
    ReferenceImplementation,
    State,
    StateChange,
)
from factors.models import Factor

from .history import timeline
from .phrases import T, article, placeholders
from .profiles import (
    CONSENT_WEIGHTS,
    FACTOR_PROFILES,
    SEVERITY_WEIGHTS,
    STATE_CYCLE,
    THIN,
    state_for,
    weighted,
    weighted_sample,
)
from .world import make_people, make_places
from .writing import Renderer, Slugs, keep_given_timestamps

BATCH = 1000
KINDS = (CaseStudy, Adaptation, FailureReport, ReferenceImplementation)
# Each kind's Markdown fields: (field, phrase bank, how many of its paragraphs).
CASE_TEXTS = (("context", T.CONTEXT, 2), ("approach", T.APPROACH, 2))
CASE_OUTCOME_TEXTS = (("results", T.RESULTS, 2), ("lessons", T.LESSONS, 2))  # half the drafts lack
ADAPTATION_TEXTS = (("changes", T.ADAPTATION_CHANGES, 2), ("outcome", T.ADAPTATION_OUTCOMES, 1))
FAILURE_TEXTS = (
    ("symptom", T.FAILURE_SYMPTOM, 1),
    ("impact", T.FAILURE_IMPACT, 1),
    ("root_cause", T.FAILURE_ROOT_CAUSE, 1),
    ("detection", T.FAILURE_DETECTION, 1),
    ("prevention", T.FAILURE_PREVENTION, 2),
)
REFERENCE_TEXTS = (("description", T.REFERENCE_DESCRIPTIONS, 3),)


def _capitalized(text: str) -> str:
    return text[0].upper() + text[1:]


class Generator:
    def __init__(self, *, size, rng, report, say):
        self.size = size
        self.rng = rng
        self.report = report
        self.say = say
        self.now = timezone.now()
        self.render = Renderer()
        self.factors = list(Factor.objects.order_by("number"))
        self.profiles = {f: FACTOR_PROFILES.get(f.number, THIN) for f in self.factors}
        self.n_adaptations = max(len(STATE_CYCLE), size * 2 // 5) if size else 0
        self.n_failures = max(len(STATE_CYCLE), size * 3 // 10) if size else 0
        self.n_references = max(len(STATE_CYCLE), size // 6) if size else 0
        self.total = size + self.n_adaptations + self.n_failures + self.n_references
        self.done = 0
        self.next_tick = 1

    def run(self, *, password):
        self.domains, self.orgs = make_places(self.rng, self.report)
        self.maintainers, self.members = make_people(
            self.rng, self.report, size=self.size, password=password
        )
        self.contenttypes = {m: ContentType.objects.get_for_model(m) for m in KINDS}
        with keep_given_timestamps(*KINDS, StateChange):
            self._case_studies()
            self._adaptations()
            self._failures()
            self._references()

    # -- shared pieces --------------------------------------------------------------------

    def _advance(self, n: int, label: str):
        self.done += n
        if not self.total:
            return
        pct = self.done * 100 // self.total
        if pct >= self.next_tick * 10 or self.done == self.total:
            self.say(f"{pct:3d}%  {self.done}/{self.total} evidence items ({label})")
            self.next_tick = pct // 10 + 1

    def _begin(self, *, index, domain, org, author, agent, factor, titles, slugs, state=None):
        """What every kind starts with: the words its texts are filled with, its title, its
        fields shared by every kind and its review history (events). With author None, a
        member is drawn once the title is (as case studies do)."""
        values, escaped = placeholders(self.rng, domain, agent, factor)
        title = _capitalized(self.rng.choice(titles).format_map(values))
        if author is None:
            author = self.rng.choice(self.members)
        fields, events = self._common(
            index=index, domain=domain, org=org, author=author, title=title, slugs=slugs,
            state=state,
        )  # fmt: skip
        return values, escaped, fields, events

    def _common(self, *, index, domain, org, author, title, slugs, state=None):
        rng = self.rng
        state = state or state_for(rng, index)
        times, events = timeline(rng, self.now, state)
        consent = weighted(rng, CONSENT_WEIGHTS)
        role_bank = T.DOMAINS[domain.name]["roles"]
        fields = {
            "title": title[:200],
            "slug": slugs.make(title),
            "author": author,
            "domain": domain,
            "organization": org,
            "state": state,
            "consent": consent,
            "attribution_role": (
                f"{rng.choice(role_bank)} at {article(domain.name)} {domain.name.lower()} "
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

    def _texts(self, obj, banks, values, escaped):
        """Fill each Markdown field of obj (and its _html) from (field, bank, paragraphs)."""
        for name, bank, k in banks:
            text, rendered = self.render.compose(self.rng, bank, k, values, escaped)
            setattr(obj, name, text)
            setattr(obj, f"{name}_html", rendered)

    def _finish(self, model, label, batch):
        """After a batch of one kind is written: its review history, counts and progress."""
        ct = self.contenttypes[model]
        rows = [
            StateChange(
                content_type=ct,
                object_id=obj.pk,
                actor=self.rng.choice(self.maintainers) if by_maintainer else obj.author,
                from_state=from_state,
                to_state=to_state,
                comment=comment,
                created_at=at,
            )
            for obj, events in batch
            for from_state, to_state, by_maintainer, comment, at in events
        ]
        StateChange.objects.bulk_create(rows)  # pagecache: seed bumps
        self.report.created["state changes"] += len(rows)
        self.report.created[label] += len(batch)
        for obj, _events in batch:
            self.report.states[label][obj.state] += 1
        self._advance(len(batch), label)

    def _pick_domain(self):
        domain = self.rng.choice(self.domains)
        orgs = self.orgs[domain.pk]
        org = self.rng.choice(orgs) if orgs and self.rng.random() < 0.9 else None
        return domain, org

    def _draw_factors(self, weight: str, k: int) -> list:
        """k factors, each drawn by the `weight` of its profile (popularity, adaptation, …)."""
        weights = [getattr(self.profiles[f], weight) for f in self.factors]
        return weighted_sample(self.rng, self.factors, weights, k)

    def _agent(self, domain):
        return self.rng.choice(T.DOMAINS[domain.name]["agents"])

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

    def _origin(self, state, outcome, weight: str, how_many):
        """Where an adaptation or a failure report comes from: (case study pk, domain,
        organization, author, factors, candidates). Linked to a case study (_linked_case), it
        shares its domain, organization and author; factors are the case study's factors that
        had `outcome` there (maybe none), candidates all of them. Else the pk is None, the
        domain and author its own, and factors (and candidates) how_many() factors drawn by
        their profiles' `weight`."""
        case = self._linked_case(state, outcome)
        if case:
            pk, domain, org, author, _state, outcomes = case
            had = [f for f, o in outcomes.items() if o == outcome]
            return pk, domain, org, author, had, list(outcomes)
        domain, org = self._pick_domain()
        author = self.rng.choice(self.members)
        drawn = self._draw_factors(weight, how_many())
        return None, domain, org, author, drawn, drawn

    # -- the four kinds -------------------------------------------------------------------

    def _case_studies(self):
        rng = self.rng
        slugs = Slugs(CaseStudy)
        self.cases = []  # (pk, domain, org, author, state, {factor: outcome})
        # The metric vocabulary (migration cases 0007): a metric missing here stays "other".
        vocabulary = {m.slug: m for m in Metric.objects.all()}
        for start in range(0, self.size, BATCH):
            batch, apps, quantified = [], [], []
            for i in range(start, min(start + BATCH, self.size)):
                domain, org = self._pick_domain()
                agent = self._agent(domain)
                chosen = self._draw_factors("popularity", rng.randint(2, 5))
                values, escaped, fields, events = self._begin(
                    index=i, domain=domain, org=org, author=None, agent=agent,
                    factor=chosen[0], titles=T.CASE_TITLES, slugs=slugs,
                )  # fmt: skip
                obj = CaseStudy(
                    **fields,
                    summary=rng.choice(T.CASE_SUMMARIES).format_map(values),
                    deployment=Deployment.PRODUCTION if rng.random() < 0.6 else Deployment.PILOT,
                    duration_months=int(values["months"]),
                    team_size=int(values["team"]),
                )
                self._texts(obj, CASE_TEXTS, values, escaped)
                draft_half = obj.state == State.DRAFT and rng.random() < 0.5
                if draft_half:
                    obj.results = obj.results_html = obj.lessons = obj.lessons_html = ""
                else:
                    self._texts(obj, CASE_OUTCOME_TEXTS, values, escaped)
                outcomes = {f: weighted(rng, self.profiles[f].outcomes) for f in chosen}
                batch.append((obj, events, outcomes, values))
            CaseStudy.objects.bulk_create([b[0] for b in batch])  # pagecache: seed bumps
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
                    quantified += self._quantified(obj, vocabulary)
                self.cases.append(
                    (obj.pk, obj.domain, obj.organization, obj.author, obj.state, outcomes)
                )
            FactorApplication.objects.bulk_create(apps)  # pagecache: seed bumps
            QuantifiedResult.objects.bulk_create(quantified)  # pagecache: seed bumps
            self.report.created["factor applications"] += len(apps)
            self.report.created["quantified results"] += len(quantified)
            self._finish(CaseStudy, "case studies", [(b[0], b[1]) for b in batch])
        self.published_cases = [c for c in self.cases if c[4] == State.PUBLISHED]

    def _quantified(self, case_study, vocabulary) -> list[QuantifiedResult]:
        """One to three results of a case study, before and after (see METRICS)."""
        rng = self.rng
        results = []
        for metric, unit, lo, hi, rlo, rhi, slug in rng.sample(T.METRICS, rng.randint(1, 3)):
            before = rng.randint(lo, hi)
            after = round(before * rng.uniform(rlo, rhi), 1)
            results.append(
                QuantifiedResult(
                    case_study=case_study,
                    standard_metric=vocabulary.get(slug),
                    metric=metric,
                    before=Decimal(before),
                    after=Decimal(str(after)),
                    unit=unit,
                )
            )
        return results

    def _adaptations(self):
        rng = self.rng
        slugs = Slugs(Adaptation)
        for start in range(0, self.n_adaptations, BATCH):
            batch = []
            for i in range(start, min(start + BATCH, self.n_adaptations)):
                state = state_for(rng, i)
                case_pk, domain, org, author, adapted, every = self._origin(
                    state, Outcome.ADAPTED, "adaptation", lambda: 1
                )
                factor = adapted[0] if case_pk is None else rng.choice(adapted or every)
                values, escaped, fields, events = self._begin(
                    index=i, domain=domain, org=org, author=author, agent=self._agent(domain),
                    factor=factor, titles=T.ADAPTATION_TITLES, slugs=slugs, state=state,
                )  # fmt: skip
                obj = Adaptation(**fields, factor=factor, case_study_id=case_pk)
                self._texts(obj, ADAPTATION_TEXTS, values, escaped)
                batch.append((obj, events))
            Adaptation.objects.bulk_create([b[0] for b in batch])  # pagecache: seed bumps
            self._finish(Adaptation, "adaptations", batch)

    def _failures(self):
        rng = self.rng
        slugs = Slugs(FailureReport)
        through = FailureReport.factors.through
        for start in range(0, self.n_failures, BATCH):
            batch, links = [], []
            for i in range(start, min(start + BATCH, self.n_failures)):
                state = state_for(rng, i)
                case_pk, domain, org, author, failed, every = self._origin(
                    state, Outcome.FAILED, "failure", lambda: rng.randint(1, 3)
                )
                factors = failed or [rng.choice(every)]
                values, escaped, fields, events = self._begin(
                    index=i, domain=domain, org=org, author=author, agent=self._agent(domain),
                    factor=factors[0], titles=T.FAILURE_TITLES, slugs=slugs, state=state,
                )  # fmt: skip
                obj = FailureReport(
                    **fields,
                    severity=weighted(rng, SEVERITY_WEIGHTS),
                    case_study_id=case_pk,
                )
                self._texts(obj, FAILURE_TEXTS, values, escaped)
                batch.append((obj, events))
                links.append((obj, factors))
            FailureReport.objects.bulk_create([b[0] for b in batch])  # pagecache: seed bumps
            through.objects.bulk_create(  # pagecache: seed bumps
                [through(failurereport_id=o.pk, factor_id=f.pk) for o, fs in links for f in fs]
            )
            self._finish(FailureReport, "failure reports", batch)

    def _references(self):
        rng = self.rng
        slugs = Slugs(ReferenceImplementation)
        for start in range(0, self.n_references, BATCH):
            batch, links = [], []
            for i in range(start, min(start + BATCH, self.n_references)):
                domain, org = self._pick_domain()
                author = rng.choice(self.members)
                factors = rng.sample(self.factors, rng.randint(1, 3))
                values, escaped, fields, events = self._begin(
                    index=i, domain=domain, org=org, author=author, agent=self._agent(domain),
                    factor=factors[0], titles=T.REFERENCE_TITLES, slugs=slugs,
                )  # fmt: skip
                repo = slugify(fields["title"])[:60]
                checked = fields["updated_at"] - timedelta(days=rng.randint(0, 90))
                obj = ReferenceImplementation(
                    **fields,
                    url=f"https://example.org/demo/{repo}",
                    licence=rng.choice(T.LICENCES),
                    maintained=rng.random() < 0.8,
                    last_checked=checked.date(),
                    summary=rng.choice(T.REFERENCE_SUMMARIES).format_map(values),
                )
                self._texts(obj, REFERENCE_TEXTS, values, escaped)
                batch.append((obj, events))
                links.append((obj, factors))
            ReferenceImplementation.objects.bulk_create(  # pagecache: seed bumps
                [b[0] for b in batch]
            )
            FactorImplementation.objects.bulk_create(  # pagecache: seed bumps
                FactorImplementation(
                    reference_implementation_id=o.pk,
                    factor_id=f.pk,
                    note=rng.choice(T.REFERENCE_NOTES),
                )
                for o, fs in links
                for f in fs
            )
            self._finish(ReferenceImplementation, "reference implementations", batch)

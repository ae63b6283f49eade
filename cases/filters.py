"""Filtering, searching and sorting published evidence from GET parameters.

One module for every reader of the evidence lists: the HTML lists, the site-wide
search, and (built on top) the JSON API, CSV export and feeds. Usage:

    from cases.filters import evidence_filter, page_of

    result = evidence_filter("case_study", request.GET)   # or "adaptation", "failure"
    if result.errors:               # {"domain": 'No domain "mars". …', …}
        return 400 with result.errors (the API) / show them beside the fields (HTML)
    page = page_of(result.queryset, request.GET.get("page"), per_page=20)
    search.attach_snippets(page.object_list, result.query)   # if result.query

`evidence_filter(kind, params) -> FilterResult`
  kind:    "case_study" | "adaptation" | "failure" | … (a key of cases.kinds.KINDS;
           anything else raises KeyError).
  params:  any Mapping of str -> str (a QueryDict: the last value of a repeated key wins).
           Empty values are ignored; unknown keys are ignored; NUL bytes are removed.
    q           search text (full-text on PostgreSQL, words-must-all-occur elsewhere);
                capped at 200 characters (result.notices says so)
    domain      a domain slug
    factor      a factor number (1-12) or slug
    tier        foundation | operations | improvement
    outcome     worked | adapted | failed. Case studies: applied a factor with that
                outcome (the same factor, when factor/tier are given too). Adaptations
                are all "adapted", failure reports all "failed": the other values give
                an empty result, not an error (Submission.filter_by_factor).
    deployment  production | pilot            (case studies only)
    severity    critical | high | medium | low (failure reports only)
                (a kind's own filters are its model's filter_params)
    sort        newest (published_at desc, the default without q) | updated
                (updated_at desc) | relevance (the default with q; without q = newest).
                Every ordering ends with -pk, so pages are stable.
  FilterResult:
    queryset  published (state published, not hidden) rows only, filtered and ordered,
              with select_related/prefetch_related for list display (fixed query count);
              `.none()` when there are errors. With q, rows carry `rank`.
    errors    {param: message}: unknown values and parameters that do not apply to kind
    params    {param: value} of the valid, applied parameters (for links and forms)
    query     the cleaned search text ("" if none)
    sort      the ordering applied
    notices   [str]: things worth telling the reader that are not errors
    domain, factor: the Domain / Factor objects when those filters were applied
    querystring: urlencoded params (no page), for pagination and "share this" links

`page_of(queryset, raw_page, *, per_page)` -> a Django Page; a missing, non-numeric or
  < 1 page number gives page 1, a page past the end gives the last page (never an error).

`best_matches(result, *, per_page)` -> BestMatches: for the site-wide search, the best few
  matches of a search (result.query) with snippets, and the matches counted up to a limit,
  in one query whatever the amount of evidence (see its docstring for what it ranks).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, QuerySet, TextField, Value, When, Window
from django.db.models.functions import RowNumber
from django.db.models.lookups import LessThanOrEqual

from factors.models import Factor, Tier

from . import search
from .kinds import KINDS
from .models import Deployment, Domain, Outcome, Severity

SORTS = {"newest": "Newest first", "updated": "Recently updated", "relevance": "Best match"}
PARAMS = ("q", "domain", "factor", "tier", "outcome", "deployment", "severity", "sort")
# Filters that apply to one kind only (declared as filter_params on its model).
ONLY_FOR = {
    name: (key, choices)
    for key, kind in KINDS.items()
    for name, choices in kind.model.filter_params.items()
}
MAX_VALUE_LENGTH = 200


@dataclass
class FilterResult:
    kind: str
    queryset: QuerySet
    errors: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    query: str = ""
    sort: str = "newest"
    notices: list[str] = field(default_factory=list)
    domain: object = None
    factor: object = None

    @property
    def querystring(self) -> str:
        return urlencode(self.params)

    @property
    def is_filtered(self) -> bool:
        return bool(set(self.params) - {"sort"})


def _choice_error(name: str, value: str, choices) -> str:
    allowed = ", ".join(choices)
    return f"Unknown {name} “{value}”. Choose one of: {allowed}."


def list_queryset(kind: str) -> QuerySet:
    """Published rows of a kind, with what a list row shows, in a fixed number of queries."""
    model = KINDS[kind].model
    return model.with_list_relations(model.objects.published())


def evidence_filter(kind: str, params: Mapping) -> FilterResult:
    """Published evidence of one kind filtered, searched and sorted by GET-style params."""
    raw = {}
    for name in PARAMS:
        value = params.get(name)
        if value is None:
            continue
        value = str(value).replace("\x00", "").strip()
        if value:
            raw[name] = value if name == "q" else value[:MAX_VALUE_LENGTH]

    result = FilterResult(kind=kind, queryset=list_queryset(kind))
    qs = result.queryset
    errors, applied = result.errors, result.params

    for name, (only, _choices) in ONLY_FOR.items():
        if name in raw and kind != only:
            errors[name] = f"“{name}” applies only to {KINDS[only].plural}."
            raw.pop(name)

    if "domain" in raw:
        domain = Domain.objects.filter(slug=raw["domain"]).first()
        if domain is None:
            errors["domain"] = f"No domain “{raw['domain']}”. Choose one from the list."
        else:
            result.domain = domain
            applied["domain"] = domain.slug
            qs = qs.filter(domain=domain)

    factor = None
    if "factor" in raw:
        value = raw["factor"]
        lookup = {"number": int(value)} if value.isdecimal() and len(value) < 4 else {"slug": value}
        factor = Factor.objects.filter(**lookup).first()
        if factor is None:
            errors["factor"] = (
                f"No factor “{value}”. Give a number from 1 to 12 or a factor's slug."
            )
        else:
            result.factor = factor
            applied["factor"] = str(factor.number)

    tier = raw.get("tier")
    if tier is not None:
        if tier not in Tier.values:
            errors["tier"] = _choice_error("tier", tier, Tier.values)
            tier = None
        else:
            applied["tier"] = tier

    outcome = raw.get("outcome")
    if outcome is not None:
        if outcome not in Outcome.values:
            errors["outcome"] = _choice_error("outcome", outcome, Outcome.values)
            outcome = None
        else:
            applied["outcome"] = outcome

    for name, (_only, choices) in ONLY_FOR.items():
        if name not in raw:
            continue
        if raw[name] not in choices.values:
            errors[name] = _choice_error(name, raw[name], choices.values)
        else:
            applied[name] = raw[name]
            qs = qs.filter(**{name: raw[name]})

    # Factor, tier and outcome describe one link between an item and a factor.
    qs = KINDS[kind].model.filter_by_factor(qs, factor=factor, tier=tier, outcome=outcome)

    if "q" in raw:
        query, notice = search.clean_query(raw["q"])
        if notice:
            result.notices.append(notice)
        if query:
            result.query = query
            applied["q"] = query
            qs = search.apply(qs, query)

    sort = raw.get("sort")
    if sort is not None and sort not in SORTS:
        errors["sort"] = _choice_error("sort", sort, SORTS)
        sort = None
    if sort:
        applied["sort"] = sort
    if not sort or (sort == "relevance" and not result.query):
        sort = "relevance" if result.query else "newest"
    result.sort = sort
    if sort == "relevance":
        qs = qs.order_by("-rank", "-published_at", "-pk")
    elif sort == "updated":
        qs = qs.order_by("-updated_at", "-pk")
    else:
        qs = qs.order_by("-published_at", "-pk")

    result.queryset = qs.none() if errors else qs
    return result


def page_of(queryset, raw_page, *, per_page: int = 20) -> Page:
    """The requested page, clamped into range: bad input never raises."""
    paginator = Paginator(queryset, per_page)
    try:
        number = int(str(raw_page).strip()) if raw_page is not None else 1
    except (TypeError, ValueError):
        number = 1
    number = max(1, min(number, paginator.num_pages))
    return paginator.page(number)


# The site-wide search ranks the newest matches of each kind, at most this many, and counts
# matches up to this many: its cost stays the same whatever the amount of evidence.
SEARCH_CANDIDATES = 200


@dataclass
class BestMatches:
    """The best `items` of one kind for a search, and `count`, its matches counted up to
    `limit` (`capped`: there are more than `limit`)."""

    items: list
    count: int
    limit: int

    @property
    def capped(self) -> bool:
        return self.count > self.limit

    @property
    def counted(self) -> int:
        """The count to show: exact, or `limit` when capped ("more than `limit`")."""
        return min(self.count, self.limit)

    @property
    def has_more(self) -> bool:
        return self.count > len(self.items)

    def __iter__(self):
        return iter(self.items)


def best_matches(
    result: FilterResult, *, per_page: int, candidates: int | None = None
) -> BestMatches:
    """The `per_page` best matches of `result` (a search: evidence_filter with q), each with
    its `snippet`, from the `candidates` (default SEARCH_CANDIDATES) most recently published
    matches, and how many match (counted up to `candidates` + 1). One query: the candidates
    are found newest first (index casestudy_state_pub and its kin), ranked, counted and cut
    in the same statement, and only the rows shown get a headline. With fewer matches than
    `candidates` (a smaller site, a rarer word) this is exactly the best of all matches.

    Why bounded: ranking (and counting) every match reads every matching row's search
    vector, so a common word costs in proportion to the evidence; the kind's own list
    (`All … matching`) ranks and counts them all."""
    query = result.query
    candidates = candidates or SEARCH_CANDIDATES
    if not query or result.errors:
        return BestMatches(items=[], count=0, limit=candidates)
    model = result.queryset.model
    newest = [F("published_at").desc(), F("pk").desc()]
    # One more than `candidates`: whether there are more; it is not ranked (dropped below).
    pks = result.queryset.order_by(*newest).values("pk")[: candidates + 1]
    order = [F("rank").desc(), *newest]
    rows = (
        model.objects.filter(pk__in=pks)
        .select_related("domain")
        .annotate(
            rank=search.rank(model, query),
            n=Window(Count("pk")),
            recency=Window(RowNumber(), order_by=newest),
        )
    )
    if search.is_postgres():  # a headline for the rows fetched only: it reads their text
        fetched = LessThanOrEqual(Window(RowNumber(), order_by=order), per_page + 1)
        rows = rows.annotate(
            headline=Case(
                When(fetched, then=search.headline(model, query)),
                default=Value(""),
                output_field=TextField(),
            )
        )
    fetched = list(rows.order_by(*order)[: per_page + 1])
    items = [item for item in fetched if item.recency <= candidates][:per_page]
    for item in items:
        item.snippet = search.snippet(item, query)
    count = fetched[0].n if fetched else 0
    return BestMatches(items=items, count=count, limit=candidates)


class FilterForm(forms.Form):
    """The filter form of an HTML list: renders what was asked, with the errors beside it.

    Validation is evidence_filter()'s job; this form only presents (choices, labels, the
    values typed, the messages). Two queries: domains and factors for the choices.
    """

    q = forms.CharField(
        label="Search",
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Words, “a phrase”, -not"}),
    )
    domain = forms.CharField(label="Domain", required=False, widget=forms.Select)
    factor = forms.CharField(label="Factor", required=False, widget=forms.Select)
    tier = forms.CharField(
        label="Tier",
        required=False,
        widget=forms.Select(choices=[("", "All tiers"), *Tier.choices]),
    )
    outcome = forms.CharField(
        label="Outcome",
        required=False,
        widget=forms.Select(choices=[("", "Any outcome"), *Outcome.choices]),
    )
    deployment = forms.CharField(
        label="Production or pilot",
        required=False,
        widget=forms.Select(choices=[("", "Both"), *Deployment.choices]),
    )
    severity = forms.CharField(
        label="Severity",
        required=False,
        widget=forms.Select(choices=[("", "Any severity"), *Severity.choices]),
    )
    sort = forms.CharField(
        label="Sort by",
        required=False,
        widget=forms.Select(choices=[("", "Default"), *SORTS.items()]),
    )

    def __init__(self, kind, data, *, errors=None):
        data = {k: str(v).replace("\x00", "") for k, v in data.items() if k in PARAMS}
        super().__init__(data)
        self.fields["domain"].widget.choices = [("", "All domains")] + [
            (d.slug, d.name) for d in Domain.objects.all()
        ]
        self.fields["factor"].widget.choices = [("", "All factors")] + [
            (str(f.number), str(f)) for f in Factor.objects.all()
        ]
        for name, (only, _choices) in ONLY_FOR.items():
            if kind != only and name not in (errors or {}):
                del self.fields[name]
        self.full_clean()
        for name, message in (errors or {}).items():
            if name in self.fields:
                self.add_error(name, message)

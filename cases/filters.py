"""Filtering, searching and sorting published evidence from GET parameters.

One module for every reader of the evidence lists: the HTML lists, the site-wide
search, and (built on top) the JSON API, CSV export and feeds. Usage:

    from cases.filters import FilterForm, evidence_filter, page_of

    form = FilterForm("case_study", request.GET)   # an HTML list: the form shows the filters
    result = form.result()                         # elsewhere: evidence_filter(kind, params)
    if result.errors:               # {"domain": 'No domain "mars". …', …}
        return 400 with result.errors (the API) / show them beside the fields (HTML)
    page = page_of(result.queryset, request.GET.get("page"), per_page=20)
    search.attach_snippets(page.object_list, result.query)   # if result.query

`FilterForm(kind, params)`, a Django form, validates the parameters (each message beside its
field) and `.result() -> FilterResult` applies them (the queryset's `filtered()` method);
`evidence_filter(kind, params)` is the two in one.
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
from django.core.exceptions import ValidationError
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


def list_queryset(kind: str) -> QuerySet:
    """Published rows of a kind, with what a list row shows, in a fixed number of queries."""
    model = KINDS[kind].model
    return model.with_list_relations(model.objects.published())


def evidence_filter(kind: str, params: Mapping) -> FilterResult:
    """Published evidence of one kind filtered, searched and sorted by GET-style params:
    FilterForm(kind, params).result(), for readers that show no form (search, API, CSV)."""
    return FilterForm(kind, params).result()


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


def _trimmed(value):
    """A filter value as it is matched: spaces around it dropped, at most MAX_VALUE_LENGTH."""
    return value if value is None else str(value).strip()[:MAX_VALUE_LENGTH]


class _Choice(forms.ChoiceField):
    """One of fixed values; the message names the parameter and lists the values."""

    def __init__(self, name, choices, *, label, empty_label):
        values = ", ".join(str(value) for value, _label in choices)
        super().__init__(
            label=label,
            required=False,
            choices=[("", empty_label), *choices],
            error_messages={
                "invalid_choice": f"Unknown {name} “%(value)s”. Choose one of: {values}."
            },
        )

    def to_python(self, value):
        return super().to_python(_trimmed(value))


class _ModelChoice(forms.ModelChoiceField):
    """A row by one of its fields. Its choices are read only when the field is shown."""

    def __init__(self, queryset, *, field: str, label: str, empty_label: str, message: str):
        super().__init__(
            queryset,
            to_field_name=field,
            label=label,
            required=False,
            empty_label=empty_label,
            error_messages={"invalid_choice": message},
        )

    def to_python(self, value):
        return super().to_python(_trimmed(value))


class _FactorChoice(_ModelChoice):
    """A factor by its number (1-12) or its slug; the list offers the numbers."""

    def to_python(self, value):
        value = _trimmed(value)
        if value in self.empty_values:
            return None
        lookup = {"number": int(value)} if value.isdecimal() and len(value) < 4 else {"slug": value}
        factor = self.queryset.filter(**lookup).first()
        if factor is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return factor


class _OtherKindsOnly(forms.ChoiceField):
    """A filter of another kind, given anyway: shown as asked, with why it does not apply."""

    def __init__(self, field: forms.ChoiceField, message: str):
        super().__init__(label=field.label, required=False, choices=field.choices)
        self.message = message

    def clean(self, value):
        raise ValidationError(self.message, code="other_kind")


class FilterForm(forms.Form):
    """The evidence filters, validated: what the HTML lists show (choices, labels, the values
    typed, the messages beside the fields) and, through result(), what every reader of the
    lists filters by (the HTML lists, search, the API, the CSV exports).

    Checking the values runs a query only for a domain or a factor given (one each); the
    domain and factor choices are read when the form is rendered (one query each).
    """

    q = forms.CharField(
        label="Search",
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Words, “a phrase”, -not"}),
    )
    domain = _ModelChoice(
        Domain.objects.all(),
        field="slug",
        label="Domain",
        empty_label="All domains",
        message="No domain “%(value)s”. Choose one from the list.",
    )
    factor = _FactorChoice(
        Factor.objects.all(),
        field="number",
        label="Factor",
        empty_label="All factors",
        message="No factor “%(value)s”. Give a number from 1 to 12 or a factor's slug.",
    )
    tier = _Choice("tier", Tier.choices, label="Tier", empty_label="All tiers")
    outcome = _Choice("outcome", Outcome.choices, label="Outcome", empty_label="Any outcome")
    deployment = _Choice(
        "deployment", Deployment.choices, label="Production or pilot", empty_label="Both"
    )
    severity = _Choice("severity", Severity.choices, label="Severity", empty_label="Any severity")
    sort = _Choice("sort", list(SORTS.items()), label="Sort by", empty_label="Default")

    def __init__(self, kind: str, params: Mapping):
        data = {
            name: str(value).replace("\x00", "")
            for name, value in params.items()
            if name in PARAMS and value is not None
        }
        super().__init__(data)
        self.kind = kind
        self.notices: list[str] = []
        for name, (only, _choices) in ONLY_FOR.items():
            if kind == only:
                continue
            if _trimmed(data.get(name)):
                message = f"“{name}” applies only to {KINDS[only].plural}."
                self.fields[name] = _OtherKindsOnly(self.fields[name], message)
            else:
                del self.fields[name]

    def clean_q(self):
        query, notice = search.clean_query(self.cleaned_data["q"])
        if notice:
            self.notices.append(notice)
        return query

    def result(self) -> FilterResult:
        """The published items of the form's kind that match its valid filters (none at all
        when a filter is not understood), with what was applied."""
        self.is_valid()
        valid = self.cleaned_data
        errors = {name: messages[0] for name, messages in self.errors.items()}
        own = {name: valid[name] for name in self.kind_params() if valid.get(name)}
        query = valid.get("q", "")
        sort = valid.get("sort") or ""
        applied = {}
        if valid.get("domain") is not None:
            applied["domain"] = valid["domain"].slug
        if valid.get("factor") is not None:
            applied["factor"] = str(valid["factor"].number)
        for name in ("tier", "outcome"):
            if valid.get(name):
                applied[name] = valid[name]
        applied.update(own)
        if query:
            applied["q"] = query
        if sort:
            applied["sort"] = sort
        if not sort or (sort == "relevance" and not query):
            sort = "relevance" if query else "newest"
        queryset = list_queryset(self.kind).filtered(
            domain=valid.get("domain"),
            factor=valid.get("factor"),
            tier=valid.get("tier"),
            outcome=valid.get("outcome"),
            query=query,
            sort=sort,
            **own,
        )
        return FilterResult(
            kind=self.kind,
            queryset=queryset.none() if errors else queryset,
            errors=errors,
            params=applied,
            query=query,
            sort=sort,
            notices=self.notices,
            domain=valid.get("domain"),
            factor=valid.get("factor"),
        )

    def kind_params(self) -> list[str]:
        """The filters only this form's kind has (its model's filter_params)."""
        return [name for name, (only, _choices) in ONLY_FOR.items() if only == self.kind]

"""Full-text search over published evidence: ranked results and highlighted snippets.

PostgreSQL: a stored, generated `tsvector` column `search_vector` per table (title A,
summary B, the Markdown bodies C; GIN-indexed; made by migration cases 0002, not a model
field) matched with `websearch_to_tsquery` (quotes, `or`, `-word` work; nothing a person
types is a syntax error), ranked with `ts_rank`, snippets from `ts_headline`.

SQLite (and any other database): every word must occur somewhere (icontains);
title matches rank above body matches; snippets are cut in Python.

Snippets are HTML-safe: everything is escaped except the `<mark>` we add.
"""

import re

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.models import Case, IntegerField, Q, TextField, Value, When
from django.db.models.expressions import Expression
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

CONFIG = "english"
VECTOR_COLUMN = "search_vector"
MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
SNIPPET_CHARS = 240


def fields(model) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """(title, secondary fields weighted B, body fields weighted C) of a kind's model: its
    summary_fields and its Markdown fields (the same as its search_vector column)."""
    return "title", model.summary_fields, model.markdown_fields


# Private-use characters mark highlights inside ts_headline output until escaping is done.
_START, _STOP = "\ue000", "\ue001"


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def clean_query(raw) -> tuple[str, str]:
    """(query, notice): NULs and control characters removed, spaces collapsed, length capped."""
    text = re.sub(r"[\x00-\x1f\x7f\ue000\ue001]", " ", str(raw or ""))
    text = " ".join(text.split())
    notice = ""
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0] or text[:MAX_QUERY_LENGTH]
        notice = f"Your search was shortened to its first {MAX_QUERY_LENGTH} characters."
    return text, notice


def terms(query: str) -> list[str]:
    """The words of a query, for the simple fallback and for highlighting."""
    return [t for t in re.findall(r"\w+", query.lower())][:MAX_TERMS]


class _VectorColumn(Expression):
    """The `search_vector` column of a query's own table, under the alias the query gives it:
    unlike a raw "table"."column", it stays right when the query becomes a subquery of a
    query over the same table (Django renames the inner table, e.g. to U0)."""

    output_field = SearchVectorField()

    def __init__(self, table: str, alias: str | None = None):
        super().__init__()
        self.table, self.alias = table, alias

    def __repr__(self):
        return f"{self.__class__.__name__}({self.table!r}, {self.alias!r})"

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False,
                           for_save=False):  # fmt: skip
        clone = self.copy()
        if query is not None and query.model is not None:
            if query.model._meta.db_table == self.table:
                clone.alias = query.get_initial_alias()
        return clone

    def relabeled_clone(self, change_map):
        clone = self.copy()
        clone.alias = change_map.get(self.alias, self.alias)
        return clone

    def as_sql(self, compiler, connection):
        table = compiler.quote_name(self.alias or self.table)
        return f"{table}.{connection.ops.quote_name(VECTOR_COLUMN)}", []


def vector(model) -> Expression:
    """The stored, weighted tsvector column of a model (PostgreSQL; migration cases 0002)."""
    return _VectorColumn(model._meta.db_table)


def _word_matches(model, words: list[str]) -> list[tuple[Q, Q]]:
    """(in the title, in another searched field) per word: the fallback's matching."""
    title, secondary, body = fields(model)
    matches = []
    for word in words:
        in_body = Q()
        for name in (*secondary, *body):
            in_body |= Q(**{f"{name}__icontains": word})
        matches.append((Q(**{f"{title}__icontains": word}), in_body))
    return matches


def rank(model, query: str):
    """The relevance of a row of `model` to `query` (higher is better), as `apply()` annotates
    it, for rows already known to match: `ts_rank` on PostgreSQL; elsewhere 3 per word in
    the title and 1 per word in the other fields."""
    if is_postgres():
        return SearchRank(vector(model), SearchQuery(query, search_type="websearch", config=CONFIG))
    value = Value(0)
    for in_title, in_body in _word_matches(model, terms(query)):
        value = (
            value
            + Case(When(in_title, then=Value(3)), default=Value(0), output_field=IntegerField())
            + Case(When(in_body, then=Value(1)), default=Value(0), output_field=IntegerField())
        )
    return value


def apply(queryset, query: str, *, any_word: bool = False):
    """Only the rows matching query, annotated with `rank` (higher is better).

    `any_word`: rows matching any of the query's words (not all of them), ranked by how
    many and where: for "more like this" (similar failure reports), not for a search box.
    """
    model = queryset.model
    if is_postgres():
        if any_word:
            query = " or ".join(terms(query))
        sq = SearchQuery(query, search_type="websearch", config=CONFIG)
        return (
            queryset.alias(search_vector=vector(model))
            .filter(search_vector=sq)
            .annotate(rank=SearchRank(vector(model), sq))
        )
    words = terms(query)
    if not words:
        return queryset.annotate(rank=Value(0)).none()
    matches_any = Q()
    for in_title, in_body in _word_matches(model, words):
        if any_word:
            matches_any |= in_title | in_body
        else:
            queryset = queryset.filter(in_title | in_body)
    if any_word:
        queryset = queryset.filter(matches_any)
    return queryset.annotate(rank=rank(model, query))


def headline(model, query: str):
    """PostgreSQL: the `ts_headline` of a row's searched fields (title aside), highlights
    marked for `safe_headline()`. For an annotation on the few rows shown."""
    _title, secondary, body = fields(model)
    names = (*secondary, *body)
    parts = []
    for name in names:
        parts += [name, Value("\n")]
    return SearchHeadline(
        Concat(*parts[:-1], output_field=TextField()) if len(parts) > 2 else names[0],
        SearchQuery(query, search_type="websearch", config=CONFIG),
        config=CONFIG,
        start_sel=_START,
        stop_sel=_STOP,
        max_words=40,
        min_words=15,
        max_fragments=2,
        fragment_delimiter=" … ",
    )


def snippet(item, query: str) -> SafeString:
    """An item's snippet: from its `headline` annotation (PostgreSQL, see `headline()`),
    else cut from its fields in Python."""
    if hasattr(item, "headline"):
        return _safe_headline(item.headline or "")
    _title, secondary, body = fields(type(item))
    words = terms(query)
    text = "\n".join(getattr(item, n) or "" for n in (*secondary, *body))
    return highlight(_window(text, words), words)


def attach_snippets(items, query: str) -> None:
    """Give each item (a page of results, all of one model) a `snippet`: safe HTML.

    PostgreSQL: one query for the whole page (ts_headline on the page's rows only).
    """
    items = list(items)
    if not items or not query:
        return
    model = type(items[0])
    if is_postgres():
        headlines = dict(
            model.objects.filter(pk__in=[i.pk for i in items])
            .annotate(headline=headline(model, query))
            .values_list("pk", "headline")
        )
        for item in items:
            item.snippet = _safe_headline(headlines.get(item.pk, ""))
        return
    for item in items:
        item.snippet = snippet(item, query)


_LINE_MARKERS = re.compile(
    r"^[ \t]*(?:>[ \t]*)*(?:#{1,6}[ \t]+|[-+*][ \t]+|\d{1,9}[.)][ \t]+)?", re.M
)
_LINKS = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3}|`+|~~)(?=\S)(.+?)(?<=\S)\1")


def _plain(text: str) -> str:
    """Markdown source reads better in a snippet without its markup: no list bullets, heading
    or quote marks at line starts, links as their text, emphasis and code marks dropped."""
    text = _LINE_MARKERS.sub("", text)
    text = _LINKS.sub(r"\1", text)
    text = _EMPHASIS.sub(r"\2", text)
    text = re.sub(r"[*#`]+", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _safe_headline(headline: str) -> SafeString:
    text = escape(_plain(headline or ""))
    opened = 0
    out = []
    for piece in re.split(f"([{_START}{_STOP}])", text):
        if piece == _START and not opened:
            out.append("<mark>")
            opened = 1
        elif piece == _STOP and opened:
            out.append("</mark>")
            opened = 0
        elif piece not in (_START, _STOP):
            out.append(piece)
    if opened:
        out.append("</mark>")
    return mark_safe("".join(out))  # noqa: S308  # nosec B308 B703: every piece was escaped


def _window(text: str, words: list[str]) -> str:
    text = _plain(text)
    lower = text.lower()
    hits = [lower.find(w) for w in words if w in lower]
    at = min(hits) if hits else 0
    start = max(0, at - SNIPPET_CHARS // 3)
    snippet = text[start : start + SNIPPET_CHARS]
    return ("… " if start else "") + snippet + (" …" if start + SNIPPET_CHARS < len(text) else "")


def highlight(text: str, words: list[str]) -> SafeString:
    """Escape text and wrap each occurrence of the words in <mark>."""
    if not words:
        return escape(text)
    pattern = re.compile(
        "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)), re.I
    )
    out, last = [], 0
    for m in pattern.finditer(text):
        out.append(escape(text[last : m.start()]))
        out.append(f"<mark>{escape(m.group())}</mark>")
        last = m.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308  # nosec B308 B703: every piece was escaped

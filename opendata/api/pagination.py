"""Pages of an evidence list: the page parameters, the page envelope and the paging itself.

A page is filtered and sorted exactly like the HTML list (opendata.filtering, over
cases.filters: newest first unless `sort` says otherwise, every order ending with the id so
that pages are stable); `limit` is capped.
"""

from ninja import Query, Schema

from ..filtering import evidence_filter
from .errors import ApiParamError
from .schemas import absolute

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
MAX_PAGE = 1_000_000


class PageParams(Schema):
    page: int = Query(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    limit: int = Query(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Items per page, 1 to {MAX_LIMIT}."
    )


class Page(Schema):
    notices: list[str]
    count: int
    page: int
    limit: int
    pages: int
    next: str | None
    previous: str | None


def paginate(request, kind: str, page: int, limit: int) -> dict:
    """One page of the published items of `kind` that the request's filters select (the
    items themselves, for the page schema's `results`); a filter error raises ApiParamError."""
    filtered = evidence_filter(kind, request.GET)
    if filtered.errors:
        raise ApiParamError(filtered.errors)
    qs = filtered.queryset
    count = qs.count()
    pages = max(1, -(-count // limit))
    offset = (page - 1) * limit
    items = list(qs[offset : offset + limit]) if offset < count else []

    def link(number):
        params = request.GET.copy()
        params["page"] = str(number)
        params["limit"] = str(limit)
        return absolute(request, f"{request.path}?{params.urlencode()}")

    return {
        "notices": filtered.notices,
        "count": count,
        "page": page,
        "limit": limit,
        "pages": pages,
        "next": link(page + 1) if page < pages else None,
        "previous": link(min(page - 1, pages)) if page > 1 else None,
        "results": items,
    }

"""Review pages for maintainers: the queue (newest first, or oldest) and one item to decide."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import CharField, Value
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.permissions import maintainer_required
from common.errors import show_error

from . import review_panels
from .forms import DecisionForm, QueueFilterForm
from .kinds import KINDS
from .views_submit import item_context, managed_item

QUEUE_PAGE_SIZE = 25


def _queue_keys(*, kind: str = "", factor=None, oldest_first: bool = False):
    """(pk, submitted_at, kind) of every submitted item, one union query, newest first."""
    order = ("submitted_at", "pk") if oldest_first else ("-submitted_at", "-pk")
    parts = []
    for key, k in KINDS.items():
        if kind and key != kind:
            continue
        qs = k.model.objects.awaiting_review()
        if factor is not None:
            qs = k.model.filter_by_factor(qs, factor=factor)
        parts.append(
            qs.order_by()
            .annotate(kind=Value(key, output_field=CharField()))
            .values_list("pk", "submitted_at", "kind")
        )
    if len(parts) == 1:
        return parts[0].order_by(*order)
    return parts[0].union(*parts[1:], all=True).order_by(*order)


def _load_page(keys) -> list:
    """The page's items, each kind fetched once with what the queue shows."""
    wanted: dict[str, list[int]] = {}
    for pk, _submitted_at, kind in keys:
        wanted.setdefault(kind, []).append(pk)
    loaded = {}
    for kind, pks in wanted.items():
        model = KINDS[kind].model
        for item in model.with_list_relations(model.objects.filter(pk__in=pks)):
            loaded[(kind, item.pk)] = item
    rows = []
    for pk, _submitted_at, kind in keys:
        item = loaded.get((kind, pk))
        if item is not None:
            rows.append({"item": item, "kind": KINDS[kind], "factors": item.factor_list()})
    return rows


@maintainer_required
def review_queue(request):
    filters = QueueFilterForm(request.GET or None)
    kind, factor = "", None
    if filters.is_bound and filters.is_valid():
        kind = filters.cleaned_data["kind"]
        factor = filters.cleaned_data["factor"]
    # The order holds even when another filter was not understood.
    oldest_first = request.GET.get("sort") == "oldest"
    keys = _queue_keys(kind=kind, factor=factor, oldest_first=oldest_first)
    page = Paginator(keys, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/review_queue.html",
        {
            "filters": filters,
            "page_obj": page,
            "rows": _load_page(list(page.object_list)),
            "oldest_first": oldest_first,
            "query_string": query.urlencode(),
        },
    )


@maintainer_required
@require_http_methods(["GET", "POST"])
def review_item(request, kind: str, pk: int):
    item = managed_item(request, kind, pk)
    form = DecisionForm(request.POST or None)
    # What other apps add for this item (e.g. the failure mode a failure report joins).
    panels = review_panels.panels_for(item, request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid() and all(p.is_valid() for p in panels):
        try:
            review_panels.decide(
                item=item,
                actor=request.user,
                action=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
                panels=panels,
            )
        except ValidationError as error:
            show_error(request, error, form=form)
            status = 403 if review_panels.is_not_permitted(error, panels) else 409
            item = managed_item(request, kind, pk)
            for panel in panels:
                panel.item = item
        else:
            messages.success(request, f"Decision recorded: “{item.title}” — the author is told.")
            return redirect("cases:review_queue")
    context = item_context(item, request.user)
    context["form"] = form
    context["own"] = item.author_id == request.user.pk
    for panel in panels:
        panel.load()
    context["panels"] = panels
    return render(request, "cases/review_item.html", context, status=status)

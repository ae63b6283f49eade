"""Public pages for published evidence: lists with filters and search, details, domains.

Thin views: filtering and search live in cases/filters.py and cases/search.py, domain
reads in cases/selectors.py, citations in cases/citation.py. The list and detail views
serve every kind (cases/kinds.py): cases/urls.py routes each kind's paths to them.
"""

from django.shortcuts import get_object_or_404, render

from . import search
from .citation import citation
from .filters import FilterForm, best_matches, evidence_filter, page_of
from .kinds import KINDS
from .selectors import (
    domain_overview,
    domain_with_totals,
    domains_with_counts,
    grouped_public_names,
)
from .workflow import can_reconfirm

PAGE_SIZE = 20
SEARCH_PAGE_SIZE = 5


def evidence_list(request, kind: str):
    """The published items of one kind, filtered and searched (cases/<kind>_list.html)."""
    spec = KINDS[kind]
    form = FilterForm(kind, request.GET)
    result = form.result()
    page = page_of(result.queryset, request.GET.get("page"), per_page=PAGE_SIZE)
    search.attach_snippets(page.object_list, result.query)
    context = {
        "title": spec.title,
        "kind": kind,
        "kind_label": spec.plural,
        "page_obj": page,
        "result": result,
        "query_string": result.querystring,
        "form": form,
    }
    template = f"cases/{spec.template_name}_list.html"
    return render(request, template, context, status=400 if result.errors else 200)


def search_all(request):
    """One search box over every kind: the best few of each, and links to the rest. One
    query per kind (cases/filters.py best_matches: bounded, whatever the amount of evidence)."""
    result_q, notice = search.clean_query(request.GET.get("q", ""))
    sections = []
    if result_q:
        for kind, spec in KINDS.items():
            result = evidence_filter(kind, {"q": result_q})
            matches = best_matches(result, per_page=SEARCH_PAGE_SIZE)
            sections.append({"kind": kind, "title": spec.title, "url_name": spec.list_url_name,
                             "matches": matches, "querystring": result.querystring})  # fmt: skip
    return render(
        request,
        "cases/search.html",
        {
            "q": result_q,
            "notice": notice,
            "sections": sections,
            "total": sum(s["matches"].counted for s in sections),
            "capped": any(s["matches"].capped for s in sections),
        },
    )


def evidence_detail(request, slug, kind: str):
    """One published item (cases/<kind>_detail.html); anything else is 404."""
    spec = KINDS[kind]
    model = spec.model
    item = get_object_or_404(model.with_public_relations(model.objects.published()), slug=slug)
    context = {
        "item": item,
        "kind": spec,
        "cite": citation(item),
        "case_study": item.published_case_study(),
        "can_reconfirm": can_reconfirm(item, request.user),
    }
    return render(request, f"cases/{spec.template_name}_detail.html", context)


def domain_list(request):
    context = {"domains": domains_with_counts(), "kinds": KINDS.values()}
    return render(request, "cases/domain_list.html", context)


def domain_detail(request, slug):
    domain = get_object_or_404(domain_with_totals(), slug=slug)
    overview = domain_overview(domain)
    return render(
        request,
        "cases/domain_detail.html",
        {
            "domain": domain,
            "overview": overview,
            "anonymized": grouped_public_names(overview.anonymized),
        },
    )

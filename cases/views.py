"""Public pages for published evidence: lists with filters and search, details, domains.

Thin views: filtering and search live in cases/filters.py and cases/search.py, domain
reads in cases/selectors.py, citations in cases/citation.py. (The authoring and review
pages come later.)
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from . import search
from .citation import citation
from .filters import KIND_LABELS, FilterForm, evidence_filter, page_of
from .models import Adaptation, CaseStudy, Domain, FactorApplication, FailureReport
from .selectors import domain_overview, domains_with_counts, grouped_public_names

PAGE_SIZE = 20
SEARCH_PAGE_SIZE = 5
LIST_PAGES = {
    "case_study": ("cases/casestudy_list.html", "Case studies", "cases:casestudy_list"),
    "adaptation": ("cases/adaptation_list.html", "Adaptations", "cases:adaptation_list"),
    "failure": ("cases/failurereport_list.html", "Failure reports", "cases:failure_list"),
}


def _list(request, kind):
    template, title, _url = LIST_PAGES[kind]
    result = evidence_filter(kind, request.GET)
    page = page_of(result.queryset, request.GET.get("page"), per_page=PAGE_SIZE)
    search.attach_snippets(page.object_list, result.query)
    context = {
        "title": title,
        "kind": kind,
        "kind_label": KIND_LABELS[kind],
        "page_obj": page,
        "result": result,
        "query_string": result.querystring,
        "form": FilterForm(kind, request.GET, errors=result.errors),
    }
    return render(request, template, context, status=400 if result.errors else 200)


def casestudy_list(request):
    return _list(request, "case_study")


def adaptation_list(request):
    return _list(request, "adaptation")


def failure_list(request):
    return _list(request, "failure")


def search_all(request):
    """One search box over the three kinds: the best few of each, and links to the rest."""
    result_q, notice = search.clean_query(request.GET.get("q", ""))
    sections = []
    if result_q:
        for kind, (_template, title, url_name) in LIST_PAGES.items():
            result = evidence_filter(kind, {"q": result_q})
            page = page_of(result.queryset, 1, per_page=SEARCH_PAGE_SIZE)
            search.attach_snippets(page.object_list, result.query)
            sections.append({"kind": kind, "title": title, "url_name": url_name,
                             "page": page, "querystring": result.querystring})  # fmt: skip
    return render(
        request,
        "cases/search.html",
        {
            "q": result_q,
            "notice": notice,
            "sections": sections,
            "total": sum(s["page"].paginator.count for s in sections),
        },
    )


def casestudy_detail(request, slug):
    item = get_object_or_404(
        CaseStudy.objects.published()
        .select_related("domain", "organization__domain", "author")
        .prefetch_related(
            Prefetch("applications", FactorApplication.objects.select_related("factor")),
            "quantified",
            Prefetch("adaptations", Adaptation.objects.published().select_related("factor")),
            Prefetch("failure_reports", FailureReport.objects.published()),
        ),
        slug=slug,
    )
    return render(request, "cases/casestudy_detail.html", {"item": item, "cite": citation(item)})


def _published_case_study(item):
    """The linked case study, only if it is public too."""
    case = item.case_study
    return case if case is not None and case.is_published else None


def adaptation_detail(request, slug):
    item = get_object_or_404(
        Adaptation.objects.published().select_related(
            "domain", "organization__domain", "author", "factor__phase", "case_study"
        ),
        slug=slug,
    )
    context = {"item": item, "cite": citation(item), "case_study": _published_case_study(item)}
    return render(request, "cases/adaptation_detail.html", context)


def failure_detail(request, slug):
    item = get_object_or_404(
        FailureReport.objects.published()
        .select_related("domain", "organization__domain", "author", "case_study")
        .prefetch_related("factors"),
        slug=slug,
    )
    context = {"item": item, "cite": citation(item), "case_study": _published_case_study(item)}
    return render(request, "cases/failurereport_detail.html", context)


def domain_list(request):
    return render(request, "cases/domain_list.html", {"domains": domains_with_counts()})


def domain_detail(request, slug):
    domain = get_object_or_404(Domain, slug=slug)
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

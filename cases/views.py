"""Public pages for published evidence. (The authoring and review pages come later.)"""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from .models import Adaptation, CaseStudy, Domain, FailureReport

PAGE_SIZE = 20


def _list(request, queryset, template, title):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, template, {"page_obj": page, "title": title})


def casestudy_list(request):
    qs = CaseStudy.objects.published().select_related("domain", "organization__domain", "author")
    return _list(request, qs, "cases/casestudy_list.html", "Case studies")


def adaptation_list(request):
    qs = Adaptation.objects.published().select_related("domain", "factor", "author")
    return _list(request, qs, "cases/adaptation_list.html", "Adaptations")


def failure_list(request):
    qs = FailureReport.objects.published().select_related("domain", "author")
    return _list(request, qs, "cases/failurereport_list.html", "Failure reports")


def casestudy_detail(request, slug):
    item = get_object_or_404(
        CaseStudy.objects.published().select_related("domain", "organization__domain", "author"),
        slug=slug,
    )
    return render(request, "cases/casestudy_detail.html", {"item": item})


def adaptation_detail(request, slug):
    item = get_object_or_404(
        Adaptation.objects.published().select_related("domain", "factor", "author"), slug=slug
    )
    return render(request, "cases/adaptation_detail.html", {"item": item})


def failure_detail(request, slug):
    item = get_object_or_404(
        FailureReport.objects.published().select_related("domain", "author"), slug=slug
    )
    return render(request, "cases/failurereport_detail.html", {"item": item})


def domain_list(request):
    return render(request, "cases/domain_list.html", {"domains": Domain.objects.all()})


def domain_detail(request, slug):
    domain = get_object_or_404(Domain, slug=slug)
    return render(request, "cases/domain_detail.html", {"domain": domain})


def submit(request):
    return render(request, "cases/submit.html")

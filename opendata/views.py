from django.shortcuts import render

from cases.models import Domain
from factors.models import Factor

from .licence import LICENCE


def open_data(request):
    """What we publish as data, where to get it, and under which licence."""
    return render(
        request,
        "opendata/open_data.html",
        {
            "licence": LICENCE,
            "factor": Factor.objects.order_by("number").first(),
            "domain": Domain.objects.order_by("name").first(),
        },
    )

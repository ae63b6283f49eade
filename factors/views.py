from django.shortcuts import get_object_or_404, render

from .models import Factor, Framework, Tier


def _grouped_by_tier(factors):
    by_tier = {value: [] for value in Tier.values}
    for factor in factors:
        by_tier[factor.tier].append(factor)
    return [(Tier(value).label, items) for value, items in by_tier.items()]


def home(request):
    factors = Factor.objects.with_phase()
    framework = Framework.objects.select_related("phase").first()
    return render(
        request,
        "home.html",
        {"tiers": _grouped_by_tier(factors), "framework": framework},
    )


def factor_list(request):
    factors = Factor.objects.with_phase()
    return render(request, "factors/factor_list.html", {"tiers": _grouped_by_tier(factors)})


def factor_detail(request, slug):
    factor = get_object_or_404(Factor.objects.with_phase(), slug=slug)
    history = factor.phase_changes.select_related("from_phase", "to_phase", "changed_by")
    return render(request, "factors/factor_detail.html", {"factor": factor, "history": history})

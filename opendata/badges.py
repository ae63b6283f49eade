"""SVG badges: a factor's phase ("Factor IV · Beta") and the framework's, to embed elsewhere.

Text-based, accessible (role="img", <title>, aria-label), no script. Served with a short
public cache and an ETag so that embedding sites do not hammer us.
"""

import hashlib

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_safe

from factors.models import Factor, Framework

CACHE_SECONDS = 300
# Phase colours; the phase name is always written on the badge, so colour is never
# the only signal.
PHASE_COLOURS = {"alpha": "#b4540a", "beta": "#1d6fb8", "v1-0": "#2a7d3a"}
MISSING_COLOUR = "#6b6f76"


def _text_width(text: str) -> int:
    """Approximate rendered width of 11px Verdana text (shields.io-style estimate)."""
    wide = sum(1 for ch in text if ch.isupper() or ch in "mwMW@%")
    return int(len(text) * 6.5 + wide * 1.5) + 10


def badge_svg(label: str, value: str, colour: str) -> str:
    label_width, value_width = _text_width(label), _text_width(value)
    return render_to_string(
        "opendata/badge.svg",
        {
            "label": label,
            "value": value,
            "colour": colour,
            "label_width": label_width,
            "value_width": value_width,
            "width": label_width + value_width,
            "label_x": label_width / 2,
            "value_x": label_width + value_width / 2,
        },
    )


def _svg_response(request, svg: str, *, status: int = 200, max_age: int = CACHE_SECONDS):
    etag = '"' + hashlib.sha256(svg.encode()).hexdigest()[:32] + '"'
    if status == 200:
        conditional = get_conditional_response(request, etag=etag)
        if conditional is not None:
            patch_cache_control(conditional, public=True, max_age=max_age)
            return conditional
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8", status=status)
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=max_age)
    # Embeddable from any site as an image; never a document that runs anything.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def _phase_colour(phase) -> str:
    return PHASE_COLOURS.get(phase.slug, MISSING_COLOUR)


@require_safe
def factor_badge(request, slug):
    factor = Factor.objects.with_phase().filter(slug=slug).first()
    if factor is None:
        svg = badge_svg("Factor", "not found", MISSING_COLOUR)
        return _svg_response(request, svg, status=404, max_age=60)
    svg = badge_svg(f"Factor {factor.roman}", factor.phase.name, _phase_colour(factor.phase))
    return _svg_response(request, svg)


@require_safe
def framework_badge(request):
    framework = Framework.objects.select_related("phase").first()
    if framework is None:
        svg = badge_svg("12-Factor AgentOps", "not loaded", MISSING_COLOUR)
        return _svg_response(request, svg, status=404, max_age=60)
    svg = badge_svg(framework.name, framework.phase.name, _phase_colour(framework.phase))
    return _svg_response(request, svg)

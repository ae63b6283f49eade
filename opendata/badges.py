"""Badges: a factor's phase ("Factor IV · Beta") and the framework's, to embed elsewhere.

SVG: text-based, accessible (role="img", <title>, aria-label), no script.
JSON beside each SVG (same path, `.json`): the shields.io endpoint format
(`{"schemaVersion": 1, "label", "message", "color"}`), for a badge drawn in another style
(https://img.shields.io/endpoint?url=...) or read by a script; 404 with the same shape.
Both served with a short public cache and an ETag so that embedding sites do not hammer us.
"""

import hashlib
import json

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


def badge_json(label: str, value: str, colour: str) -> str:
    """The shields.io endpoint schema, exactly (it refuses unknown keys)."""
    data = {"schemaVersion": 1, "label": label, "message": value, "color": colour}
    return json.dumps(data, ensure_ascii=False)


def _json_response(request, text: str, *, status: int = 200, max_age: int = CACHE_SECONDS):
    response = _svg_response(request, text, status=status, max_age=max_age)
    if response.status_code != 304:
        response["Content-Type"] = "application/json"
    # Readable by scripts on any site (shields.io fetches it server-side).
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _factor_badge(slug) -> tuple[tuple[str, str, str], int]:
    factor = Factor.objects.with_phase().filter(slug=slug).first()
    if factor is None:
        return ("Factor", "not found", MISSING_COLOUR), 404
    return (f"Factor {factor.roman}", factor.phase.name, _phase_colour(factor.phase)), 200


def _framework_badge() -> tuple[tuple[str, str, str], int]:
    framework = Framework.objects.select_related("phase").first()
    if framework is None:
        return ("12-Factor AgentOps", "not loaded", MISSING_COLOUR), 404
    return (framework.name, framework.phase.name, _phase_colour(framework.phase)), 200


def _max_age(status: int) -> int:
    return CACHE_SECONDS if status == 200 else 60


@require_safe
def factor_badge(request, slug):
    badge, status = _factor_badge(slug)
    return _svg_response(request, badge_svg(*badge), status=status, max_age=_max_age(status))


@require_safe
def factor_badge_json(request, slug):
    badge, status = _factor_badge(slug)
    return _json_response(request, badge_json(*badge), status=status, max_age=_max_age(status))


@require_safe
def framework_badge(request):
    badge, status = _framework_badge()
    return _svg_response(request, badge_svg(*badge), status=status, max_age=_max_age(status))


@require_safe
def framework_badge_json(request):
    badge, status = _framework_badge()
    return _json_response(request, badge_json(*badge), status=status, max_age=_max_age(status))

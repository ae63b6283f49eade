import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from factors.models import Phase

SVG = "{http://www.w3.org/2000/svg}"


def test_factor_badge_shows_its_number_and_phase(client, framework):
    factor = framework[4]
    factor.phase = Phase.objects.get(slug="beta")
    factor.save()
    response = client.get(reverse("opendata:badge_factor", args=[factor.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    root = ET.fromstring(response.content)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Factor IV · Beta"
    assert root.get("aria-label") == "Factor IV · Beta"
    assert [t.text for t in root.iter(f"{SVG}text")] == ["Factor IV", "Beta"]


def test_framework_badge_shows_the_framework_phase(client, framework):
    response = client.get(reverse("opendata:badge_framework"))
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.find(f"{SVG}title").text == "12-Factor AgentOps · Alpha"


@pytest.mark.parametrize("url", ["/badges/framework.svg", "/badges/factor/automated-tracking.svg"])
def test_badges_are_cacheable_and_have_no_script(client, framework, url):
    response = client.get(url)
    cache = response["Cache-Control"]
    assert "public" in cache and "max-age=300" in cache
    assert response["ETag"]
    assert b"<script" not in response.content.lower()
    assert b"onload" not in response.content.lower()
    # A revalidation with the same ETag costs nothing.
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_badge_changes_when_the_phase_changes(client, framework):
    url = reverse("opendata:badge_factor", args=[framework[1].slug])
    before = client.get(url)
    framework[1].phase = Phase.objects.get(slug="v1-0")
    framework[1].save()
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert b"V1.0" in after.content


@pytest.mark.parametrize("slug", ["no-such-factor", "AUTOMATED-TRACKING", "x" * 300, "1"])
def test_unknown_factor_badge_is_404_svg(client, framework, slug):
    response = client.get(f"/badges/factor/{slug}.svg")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("image/svg+xml")
    assert b"not found" in response.content


def test_badge_path_with_odd_characters_is_404(client, framework):
    assert client.get("/badges/factor/%00.svg").status_code == 404
    assert client.get("/badges/factor/..%2F.svg").status_code == 404


def test_badge_refuses_post(client, framework):
    assert client.post("/badges/framework.svg").status_code == 405

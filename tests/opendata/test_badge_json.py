"""Each phase badge also as JSON beside its SVG, in the shields.io endpoint format."""

from django.urls import reverse

from factors.models import Phase


def test_factor_badge_json_says_what_the_svg_says(client, framework):
    factor = framework[4]
    factor.phase = Phase.objects.get(slug="beta")
    factor.save()
    url = reverse("opendata:badge_factor_json", args=[factor.slug])
    assert url == f"/badges/factor/{factor.slug}.json"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    # Exactly the shields.io endpoint schema: it refuses unknown keys.
    assert response.json() == {
        "schemaVersion": 1,
        "label": "Factor IV",
        "message": "Beta",
        "color": "#1d6fb8",
    }


def test_framework_badge_json(client, framework):
    response = client.get("/badges/framework.json")
    assert response.status_code == 200
    assert response.json()["label"] == "12-Factor AgentOps"
    assert response.json()["message"] == "Alpha"


def test_an_unknown_factor_answers_404_in_the_same_shape(client, framework):
    response = client.get("/badges/factor/no-such-factor.json")
    assert response.status_code == 404
    assert response.json()["message"] == "not found"


def test_badge_json_is_cacheable_and_revalidates(client, framework):
    first = client.get("/badges/framework.json")
    assert "max-age=300" in first["Cache-Control"]
    again = client.get("/badges/framework.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304

"""A Permissions-Policy header on every response: no page may use the camera, microphone,
location or other powerful browser features, nor let anything it embeds use them."""

import pytest
from django.test import Client

DENIED = ["camera", "microphone", "geolocation", "payment", "usb", "display-capture"]


def policy(response) -> dict[str, str]:
    header = response["Permissions-Policy"]
    return dict(part.strip().split("=", 1) for part in header.split(","))


@pytest.mark.parametrize(
    "path", ["/", "/factors/", "/no/such/page/", "/api/v1/factors", "/accounts/login/"]
)
def test_every_kind_of_response_denies_powerful_features(framework, path):
    response = Client().get(path)
    features = policy(response)
    for feature in DENIED:
        assert features[feature] == "()", (path, feature)


def test_pages_from_the_page_cache_carry_it_too(framework):
    client = Client()
    client.get("/factors/")
    response = client.get("/factors/")
    assert response["X-Cache"] == "hit"
    assert policy(response)["camera"] == "()"


def test_redirects_and_refusals_carry_it(member):
    client = Client()
    assert "Permissions-Policy" in client.get("/submissions/")  # 302 to sign in
    client.force_login(member)
    assert "Permissions-Policy" in client.get("/review/")  # 403

"""The API over HTTP: a versioned address, JSON for every error under /api/, cross-origin
reads, validators for cheap repeats, and enums declared in the OpenAPI schema."""

import pytest
from django.test import Client

JSON = "application/json"


@pytest.fixture
def api_client(db):
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "path",
    [
        "framework",
        "factors",
        "factors/tracing",
        "domains",
        "case-studies",
        "case-studies/tracing-every-agent-run",
        "adaptations",
        "failures?severity=high",
    ],
)
def test_api_v1_and_api_answer_the_same(api_client, evidence, path):
    v1, plain = api_client.get(f"/api/v1/{path}"), api_client.get(f"/api/{path}")
    assert v1.status_code == plain.status_code
    assert v1.json() == plain.json()


def test_links_in_answers_point_to_v1(api_client, evidence):
    data = api_client.get("/api/case-studies").json()
    assert data["results"][0]["api_url"].startswith("http://testserver/api/v1/case-studies/")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/case-studies/no-such-item",
        "/api/factors/no-such-factor",
        "/api/v1/domains/no-such-domain",
        "/api/v1/no-such-endpoint",
        "/api/no/such/path/at/all",
        "/api/v2/factors",
        "/api/",
        "/api/v1/",
    ],
)
def test_every_unknown_path_under_api_answers_a_json_404(api_client, framework, path):
    response = api_client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith(JSON)
    assert response.json() == {"detail": "Not found."}
    assert response["Access-Control-Allow-Origin"] == "*"


def test_writes_are_refused_in_json(api_client, evidence):
    response = api_client.post("/api/v1/case-studies")
    assert response.status_code == 405
    assert response["Content-Type"].startswith(JSON)
    assert response.json() == {"detail": "Method not allowed."}
    assert "GET" in response["Allow"]


def test_a_bad_parameter_is_json_and_cross_origin(api_client, evidence):
    response = api_client.get("/api/v1/failures", {"severity": "apocalyptic"})
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json()["detail"][0]["param"] == "severity"


@pytest.mark.parametrize("path", ["/api/v1/factors", "/api/v1/case-studies?limit=5"])
def test_gets_are_cross_origin_cacheable_and_revalidate_with_304(api_client, evidence, path):
    first = api_client.get(path)
    assert first.status_code == 200
    assert first["Access-Control-Allow-Origin"] == "*"
    assert "public" in first["Cache-Control"] and "max-age=60" in first["Cache-Control"]
    etag = first["ETag"]
    assert etag.startswith('"') and etag.endswith('"')

    again = api_client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Access-Control-Allow-Origin"] == "*"

    assert api_client.get(path, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_a_304_from_the_page_cache_keeps_the_cors_header(api_client, evidence):
    etag = api_client.get("/api/v1/domains")["ETag"]
    again = api_client.get("/api/v1/domains", HTTP_IF_NONE_MATCH=etag)
    assert again["X-Cache"] == "hit"
    assert again.status_code == 304
    assert again["Access-Control-Allow-Origin"] == "*"


def test_a_304_straight_from_the_view(api_client, evidence, settings):
    settings.PAGE_CACHE_VIEWS = []
    etag = api_client.get("/api/v1/domains")["ETag"]
    again = api_client.get("/api/v1/domains", HTTP_IF_NONE_MATCH=etag)
    assert "X-Cache" not in again
    assert again.status_code == 304
    assert again["Access-Control-Allow-Origin"] == "*"


def test_the_etag_changes_when_the_data_does(api_client, evidence):
    from tests.factories import CaseStudyFactory

    before = api_client.get("/api/v1/case-studies")["ETag"]
    CaseStudyFactory(title="A brand new case study")
    after = api_client.get("/api/v1/case-studies")
    assert after["ETag"] != before
    assert api_client.get("/api/v1/case-studies", HTTP_IF_NONE_MATCH=before).status_code == 200


def _params(schema, path):
    operation = schema["paths"][path]["get"]
    return {p["name"]: p["schema"] for p in operation["parameters"]}


def _enum(param_schema):
    """The enum of a parameter that may be null (anyOf [enum, null])."""
    for option in param_schema.get("anyOf", [param_schema]):
        if "enum" in option:
            return set(option["enum"])
    return None


def test_every_choice_parameter_is_an_enum_in_the_openapi_schema(api_client, framework):
    schema = api_client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/case-studies", "/api/v1/adaptations", "/api/v1/failures"):
        params = _params(schema, path)
        assert _enum(params["tier"]) == {"foundation", "operations", "improvement"}, path
        assert _enum(params["outcome"]) == {"worked", "adapted", "failed"}, path
        assert _enum(params["sort"]) == {"newest", "updated", "relevance"}, path
    assert _enum(_params(schema, "/api/v1/case-studies")["deployment"]) == {"production", "pilot"}
    assert _enum(_params(schema, "/api/v1/failures")["severity"]) == {
        "critical",
        "high",
        "medium",
        "low",
    }
    components = schema["components"]["schemas"]
    assert set(components["FailureOut"]["properties"]["severity"]["enum"]) == {
        "critical",
        "high",
        "medium",
        "low",
    }
    assert set(components["CaseStudyOut"]["properties"]["kind"]["enum"]) == {
        "case_study",
        "adaptation",
        "failure",
        "reference_implementation",
    }
    assert set(components["CaseStudyOut"]["properties"]["deployment"]["enum"]) == {
        "production",
        "pilot",
    }

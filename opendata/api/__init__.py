"""The read-only JSON API (django-ninja), at /api/v1/ (and, unchanged, at /api/).

Only published evidence, ever: lists go through opendata.filtering (the HTML lists' filters of
cases.filters, published rows only) and details through opendata.selectors.
Errors have one shape (opendata.api.errors): `{"detail": [{"param": "severity", "message":
"..."}]}` with status 400 for a bad parameter, and `{"detail": "Not found."}` with 404 for an
unknown slug (and for any unknown path under /api/: agentops_web.errors). Lists are paginated
with a stable order (newest first by default, then id) and a capped limit
(opendata.api.pagination). Every choice parameter and field is declared as an enum in the
OpenAPI schema (opendata.api.schemas).

One module per resource, each with its schemas and its router: framework (the framework, the
factors, the metrics), domains, evidence (each kind's list and detail) and failure_modes.
`api_urlpatterns()` wraps every view for HTTP caching and cross-origin use (opendata.api.caching).
"""

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from . import domains, errors, evidence, failure_modes, framework
from .caching import wrapped


class OpenDataAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        # As when the API was the one module opendata.api ("opendata_api_case_studies"): the
        # OpenAPI document and the docs page's anchors stay the same whatever module holds a view.
        return f"opendata_api_{operation.view_func.__name__}"


api = OpenDataAPI(
    title="12-Factor AgentOps open data API",
    version="1",
    description=(
        "Read-only access to the published evidence and the maturity of the 12-Factor "
        "AgentOps framework. Data licence: CC BY 4.0. Only published items are served."
    ),
    urls_namespace="api",
    # Swagger UI from our own static files (ninja is in INSTALLED_APPS), never a CDN.
    docs=Swagger(settings={"persistAuthorization": False, "tryItOutEnabled": True}),
)
errors.install(api)
for module in (framework, domains, evidence, failure_modes):
    api.add_router("", module.router)

_URLPATTERNS = None


def api_urlpatterns():
    """The API's URL patterns, each view wrapped by http_caching (built once, shared by the
    /api/v1/ and /api/ mounts)."""
    global _URLPATTERNS
    if _URLPATTERNS is None:
        patterns, _app_name, _namespace = api.urls
        _URLPATTERNS = wrapped(patterns)
    return _URLPATTERNS

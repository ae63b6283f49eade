"""The API's one error shape, and the handlers that give it.

`{"detail": [{"param": "severity", "message": "..."}]}` with status 400 for a bad parameter
(a value refused by its declared type and the filters' own findings, together, each parameter
once); `{"detail": "Not found."}` with 404 for an unknown slug.
"""

from django.http import Http404
from ninja import Schema
from ninja.errors import ValidationError

from cases.kinds import KINDS

from ..filtering import evidence_filter


class ApiParamError(Exception):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors


class ErrorItem(Schema):
    param: str
    message: str


class BadRequest(Schema):
    detail: list[ErrorItem]


class NotFound(Schema):
    detail: str


ERRORS = {400: BadRequest}
NOT_FOUND = {404: NotFound}

# The list endpoints by the last part of their path (each kind's list_path): a parameter refused
# by its declared type (an enum) is reported together with the filters' own findings (an
# unknown domain...).
_LIST_KINDS = {kind.list_path: kind.key for kind in KINDS.values()}


def _param_errors(errors: dict[str, str]) -> list[dict]:
    return [{"param": name, "message": message} for name, message in errors.items()]


def install(api) -> None:
    """Register the handlers that answer errors in the shape above on `api`."""

    @api.exception_handler(ApiParamError)
    def _bad_param(request, exc: ApiParamError):
        return api.create_response(request, {"detail": _param_errors(exc.errors)}, status=400)

    @api.exception_handler(ValidationError)
    def _invalid(request, exc: ValidationError):
        errors = {}
        for error in exc.errors:
            loc = [part for part in error.get("loc", ()) if part not in ("query", "path")]
            name = str(loc[0]) if loc else "request"
            errors.setdefault(name, error.get("msg", "Invalid value."))
        kind = _LIST_KINDS.get(request.path_info.rstrip("/").rsplit("/", 1)[-1])
        if kind is not None:
            for name, message in evidence_filter(kind, request.GET).errors.items():
                errors.setdefault(name, message)
        return api.create_response(request, {"detail": _param_errors(errors)}, status=400)

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return api.create_response(request, {"detail": "Not found."}, status=404)

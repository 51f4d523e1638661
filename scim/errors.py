"""SCIM errors (RFC 7644 §3.12): every failure under /scim/v2/ answers in this format."""

import json
from typing import Any

from django.http import HttpResponse

from scim.resources import ERROR_SCHEMA

CONTENT_TYPE = "application/scim+json"


class ScimError(Exception):
    """A refusal that becomes a SCIM error response; nothing was changed."""

    def __init__(self, status: int, detail: str, scim_type: str | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.scim_type = scim_type


def not_found(what: str = "Resource") -> ScimError:
    return ScimError(404, f"{what} not found.")


def invalid_value(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidValue")


def scim_json(payload: Any, status: int = 200, **headers: str) -> HttpResponse:
    """A SCIM JSON response (application/scim+json)."""
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False), status=status, content_type=CONTENT_TYPE
    )
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def error_response(error: ScimError) -> HttpResponse:
    body: dict[str, Any] = {
        "schemas": [ERROR_SCHEMA],
        "status": str(error.status),
        "detail": error.detail,
    }
    if error.scim_type:
        body["scimType"] = error.scim_type
    response = scim_json(body, error.status)
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="SCIM"'
    return response

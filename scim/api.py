"""The SCIM 2.0 endpoints (RFC 7644) under /scim/v2/.

Each view: authenticate the bearer token (its organization scopes every query), parse
and validate the JSON with scim2-models, call a service, answer application/scim+json.
Every failure answers in the SCIM error format.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from pydantic import ValidationError as PydanticValidationError
from scim2_models import (
    Context,
    ListResponse,
    Meta,
    PatchOp,
    ResponseParameters,
    SCIMException,
    SearchRequest,
)

from people.models import Organization, Person, Team
from scim import selectors, services
from scim.auth import authenticate
from scim.errors import ScimError, error_response, invalid_value, not_found, scim_json
from scim.filters import GROUP_COLUMNS, USER_COLUMNS, Column, filter_q
from scim.resources import (
    DEFAULT_COUNT,
    ENTERPRISE_SCHEMA,
    MAX_RESULTS,
    Group,
    User,
    resource_types,
    schemas,
    service_provider_config,
)

# Larger bodies are refused (413) before they are parsed; a Group PUT with a few
# thousand members fits well within it.
MAX_BODY = 1_000_000
JSON_TYPES = ("application/scim+json", "application/json")

logger = logging.getLogger(__name__)

View = Callable[..., HttpResponse]


def scim_endpoint(*methods: str) -> Callable[[View], View]:
    """Authenticate, restrict methods and turn every ScimError into a SCIM error response."""

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                organization = authenticate(request)
                if request.method not in methods:
                    response = error_response(
                        ScimError(405, f"{request.method} is not allowed here.")
                    )
                    response["Allow"] = ", ".join(methods)
                    return response
                return view(request, organization, *args, **kwargs)
            except ScimError as error:
                return error_response(error)
            except SCIMException as exc:
                return error_response(
                    ScimError(exc.status, exc.detail or str(exc), exc.scim_type or None)
                )
            except Exception:
                # Logged with the path only: the request's headers carry the token.
                logger.exception("SCIM %s %s failed", request.method, request.path)
                return error_response(ScimError(500, "Rapport failed to handle the request."))

        return wrapped

    return decorate


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("scim:root")).rstrip("/")


def _body(request: HttpRequest) -> dict[str, Any]:
    """The JSON object of the request body; 413 when too large, 400 when not JSON."""
    content_type = request.content_type or ""
    if content_type and content_type not in JSON_TYPES:
        raise ScimError(415, "Send application/scim+json.", "invalidSyntax")
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > MAX_BODY:
        raise ScimError(413, f"The body is larger than {MAX_BODY} bytes.", "tooLarge")
    raw = request.read(MAX_BODY + 1)
    if len(raw) > MAX_BODY:
        raise ScimError(413, f"The body is larger than {MAX_BODY} bytes.", "tooLarge")
    try:
        payload = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ScimError(400, f"The body is not valid JSON: {exc}", "invalidSyntax") from None
    except RecursionError:
        raise ScimError(400, "The body is nested too deeply.", "invalidSyntax") from None
    if _has_nul(payload):
        # PostgreSQL cannot store NUL characters in text.
        raise invalid_value("The body contains a NUL character.")
    if not isinstance(payload, dict):
        raise ScimError(400, "The body must be a JSON object.", "invalidSyntax")
    return payload


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


def _pydantic_detail(exc: PydanticValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in error['loc']) or 'body'}: {error['msg']}"
        for error in exc.errors()
    )


# --- Input clean-up: attributes Rapport does not serve are dropped (RFC 7644 §3.3), and a
# few well-known identity-provider habits are accepted (Entra ID sends "True" strings and
# the manager as a bare id).

USER_KEYS = {
    "schemas",
    "externalid",
    "username",
    "name",
    "displayname",
    "title",
    "timezone",
    "active",
    "emails",
    ENTERPRISE_SCHEMA.lower(),
}
SUB_KEYS = {
    "name": {"formatted", "familyname", "givenname"},
    "emails": {"value", "type", "primary"},
    "members": {"value", "$ref", "type"},
}
GROUP_KEYS = {"schemas", "externalid", "displayname", "members"}


def _bool(value: Any) -> Any:
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


def _manager(value: Any) -> Any:
    return {"value": value} if isinstance(value, str) else value


def _pick(value: Any, allowed: set[str]) -> Any:
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if k.lower() in allowed}
    if isinstance(value, list):
        return [_pick(item, allowed) for item in value]
    return value


def _clean(payload: dict[str, Any], keys: set[str]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key, value in payload.items():
        lower = key.lower()
        if lower not in keys:
            continue
        if lower in SUB_KEYS:
            value = _pick(value, SUB_KEYS[lower])
        elif lower == "active":
            value = _bool(value)
        elif lower == ENTERPRISE_SCHEMA.lower() and isinstance(value, dict):
            value = {k: _manager(v) for k, v in value.items() if k.lower() == "manager"}
            if isinstance(value.get("manager"), dict):
                value["manager"] = _pick(value["manager"], {"value"})
        cleaned[key] = value
    return cleaned


def _resource[R: (User, Group)](payload: dict[str, Any], model: type[R], keys: set[str]) -> R:
    try:
        return model.model_validate(_clean(payload, keys), scim_ctx=Context.DEFAULT)
    except PydanticValidationError as exc:
        raise invalid_value(_pydantic_detail(exc)) from None


def _patch_op[R: (User, Group)](payload: dict[str, Any], model: type[R]) -> PatchOp[R]:
    operations = payload.get("Operations", payload.get("operations"))
    if not isinstance(operations, list) or not operations:
        raise ScimError(400, "A PATCH needs a non-empty Operations list.", "invalidSyntax")
    fixed = []
    for operation in operations:
        if not isinstance(operation, dict):
            raise ScimError(400, "Each operation must be a JSON object.", "invalidSyntax")
        operation = dict(operation)
        if isinstance(operation.get("op"), str):
            operation["op"] = operation["op"].lower()
        path = str(operation.get("path") or "").lower()
        value = operation.get("value")
        if path.endswith("manager"):
            operation["value"] = _pick(_manager(value), {"value"})
        elif path == "active":
            operation["value"] = _bool(value)
        elif not path and isinstance(value, dict):
            keys = USER_KEYS if model is User else GROUP_KEYS
            operation["value"] = _clean(value, keys)
        fixed.append(operation)
    body = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": fixed}
    try:
        return PatchOp[model].model_validate(body, scim_ctx=Context.RESOURCE_PATCH_REQUEST)  # type: ignore[valid-type]
    except PydanticValidationError as exc:
        raise invalid_value(_pydantic_detail(exc)) from None


def _parameters[R: (User, Group)](
    request: HttpRequest, model: type[R], body: dict[str, Any] | None = None
) -> ResponseParameters[R]:
    source: dict[str, Any] = body if body is not None else request.GET
    attributes = source.get("attributes")
    excluded = source.get("excludedAttributes")
    try:
        return ResponseParameters[model].model_validate(  # type: ignore[valid-type]
            {"attributes": attributes or None, "excludedAttributes": excluded or None}
        )
    except (PydanticValidationError, SCIMException, ValueError) as exc:
        raise invalid_value(f"attributes or excludedAttributes is not valid: {exc}") from None


def _dump(resource: User | Group, parameters: ResponseParameters[Any] | None = None) -> Any:
    return resource.model_dump(
        scim_ctx=Context.RESOURCE_QUERY_RESPONSE, response_parameters=parameters
    )


def _created(resource: User | Group) -> HttpResponse:
    location = resource.meta.location if resource.meta else ""
    return scim_json(_dump(resource), 201, Location=location or "")


# --- Discovery --------------------------------------------------------------------------


@scim_endpoint("GET")
def service_provider_config_view(request: HttpRequest, organization: Organization) -> HttpResponse:
    config = service_provider_config()
    config.meta = _meta("ServiceProviderConfig", f"{_base(request)}/ServiceProviderConfig")
    return scim_json(config.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


def _meta(kind: str, location: str) -> Meta:
    return Meta(resource_type=kind, location=location)


def _listed(items: list[dict[str, Any]]) -> HttpResponse:
    return scim_json(
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
            "totalResults": len(items),
            "startIndex": 1,
            "itemsPerPage": len(items),
            "Resources": items,
        }
    )


def _resource_type_documents(request: HttpRequest) -> dict[str, dict[str, Any]]:
    documents = {}
    for resource_type in resource_types():
        resource_type.meta = _meta(
            "ResourceType", f"{_base(request)}/ResourceTypes/{resource_type.id}"
        )
        documents[str(resource_type.id)] = resource_type.model_dump(
            scim_ctx=Context.RESOURCE_QUERY_RESPONSE
        )
    return documents


@scim_endpoint("GET")
def resource_types_view(
    request: HttpRequest, organization: Organization, type_id: str | None = None
) -> HttpResponse:
    documents = _resource_type_documents(request)
    if type_id is None:
        return _listed(list(documents.values()))
    if type_id not in documents:
        raise not_found("ResourceType")
    return scim_json(documents[type_id])


@scim_endpoint("GET")
def schemas_view(
    request: HttpRequest, organization: Organization, schema_id: str | None = None
) -> HttpResponse:
    documents = {}
    for schema in schemas():
        schema.meta = _meta("Schema", f"{_base(request)}/Schemas/{schema.id}")
        documents[str(schema.id)] = schema.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
    if schema_id is None:
        return _listed(list(documents.values()))
    if schema_id not in documents:
        raise not_found("Schema")
    return scim_json(documents[schema_id])


# --- Lists ------------------------------------------------------------------------------


def _int(source: Any, name: str, default: int) -> int:
    raw = source.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise invalid_value(f"{name} must be an integer.") from None


def _page[R: (User, Group)](
    request: HttpRequest,
    queryset: QuerySet[Any],
    columns: dict[str, Column] | Any,
    to_resource: Callable[[Any], User | Group],
    model: type[R],
    source: Any,
) -> HttpResponse:
    """A ListResponse page: filter, then startIndex (1-based) and count (capped)."""
    parameters = _parameters(request, model, source if source is not request.GET else None)
    expression = source.get("filter")
    if expression:
        queryset = queryset.filter(filter_q(str(expression), columns)).distinct()
    start = min(max(_int(source, "startIndex", 1), 1), 2**31)
    count = min(max(_int(source, "count", DEFAULT_COUNT), 0), MAX_RESULTS)
    total = queryset.count()
    rows = list(queryset[start - 1 : start - 1 + count]) if count else []
    page = ListResponse[model](  # type: ignore[valid-type]
        total_results=total,
        start_index=start,
        items_per_page=len(rows),
        resources=[to_resource(row) for row in rows] or None,
    )
    payload = page.model_dump(scim_ctx=Context.SEARCH_RESPONSE, response_parameters=parameters)
    payload.setdefault("Resources", [])
    return scim_json(payload)


# --- Users ------------------------------------------------------------------------------


def _user(request: HttpRequest, person: Person) -> User:
    return selectors.user_resource(person, _base(request))


def _fresh_user(request: HttpRequest, organization: Organization, person: Person) -> User:
    selectors.groups_ensure(organization)
    return _user(request, selectors.person_get(organization, str(person.uuid)))


@scim_endpoint("GET", "POST")
def users_view(request: HttpRequest, organization: Organization) -> HttpResponse:
    if request.method == "POST":
        user = _resource(_body(request), User, USER_KEYS)
        person = services.user_create(organization=organization, user=user)
        return _created(_fresh_user(request, organization, person))
    selectors.groups_ensure(organization)
    return _page(
        request,
        selectors.people(organization),
        USER_COLUMNS,
        lambda person: _user(request, person),
        User,
        request.GET,
    )


@scim_endpoint("POST")
def users_search_view(request: HttpRequest, organization: Organization) -> HttpResponse:
    body = _search_body(request)
    selectors.groups_ensure(organization)
    return _page(
        request,
        selectors.people(organization),
        USER_COLUMNS,
        lambda person: _user(request, person),
        User,
        body,
    )


def _search_body(request: HttpRequest) -> dict[str, Any]:
    body = _body(request)
    try:
        SearchRequest.model_validate(body, scim_ctx=Context.SEARCH_REQUEST)
    except PydanticValidationError as exc:
        raise invalid_value(_pydantic_detail(exc)) from None
    for key in ("attributes", "excludedAttributes"):
        if isinstance(body.get(key), list):
            body[key] = ",".join(str(item) for item in body[key])
    return body


@scim_endpoint("GET", "PUT", "PATCH", "DELETE")
def user_view(request: HttpRequest, organization: Organization, user_id: str) -> HttpResponse:
    selectors.groups_ensure(organization)
    person = selectors.person_get(organization, user_id)
    if request.method == "GET":
        return scim_json(_dump(_user(request, person), _parameters(request, User)))
    if request.method == "DELETE":
        services.user_delete(person=person)
        return HttpResponse(status=204)
    if request.method == "PUT":
        user = _resource(_body(request), User, USER_KEYS)
        services.user_replace(organization=organization, person=person, user=user)
    else:
        before = _user(request, person)
        patched = before.model_copy(deep=True)
        _patch_op(_body(request), User).patch(patched)
        services.user_replace(organization=organization, person=person, user=patched, before=before)
    return scim_json(_dump(_fresh_user(request, organization, person)))


# --- Groups -----------------------------------------------------------------------------


def _group(request: HttpRequest, team: Team) -> Group:
    return selectors.group_resource(team, _base(request))


def _fresh_group(request: HttpRequest, organization: Organization, team: Team) -> Group:
    return _group(request, selectors.team_get(organization, str(team.scim.uuid)))


@scim_endpoint("GET", "POST")
def groups_view(request: HttpRequest, organization: Organization) -> HttpResponse:
    if request.method == "POST":
        group = _resource(_body(request), Group, GROUP_KEYS)
        team = services.group_create(organization=organization, group=group)
        return _created(_fresh_group(request, organization, team))
    selectors.groups_ensure(organization)
    return _page(
        request,
        selectors.teams(organization),
        GROUP_COLUMNS,
        lambda team: _group(request, team),
        Group,
        request.GET,
    )


@scim_endpoint("POST")
def groups_search_view(request: HttpRequest, organization: Organization) -> HttpResponse:
    body = _search_body(request)
    selectors.groups_ensure(organization)
    return _page(
        request,
        selectors.teams(organization),
        GROUP_COLUMNS,
        lambda team: _group(request, team),
        Group,
        body,
    )


@scim_endpoint("GET", "PUT", "PATCH", "DELETE")
def group_view(request: HttpRequest, organization: Organization, group_id: str) -> HttpResponse:
    team = selectors.team_get(organization, group_id)
    if request.method == "GET":
        return scim_json(_dump(_group(request, team), _parameters(request, Group)))
    if request.method == "DELETE":
        services.group_delete(organization=organization, team=team)
        return HttpResponse(status=204)
    if request.method == "PUT":
        group = _resource(_body(request), Group, GROUP_KEYS)
    else:
        group = _group(request, team).model_copy(deep=True)
        _patch_op(_body(request), Group).patch(group)
    services.group_replace(organization=organization, team=team, group=group)
    return scim_json(_dump(_fresh_group(request, organization, team)))


# --- The rest ---------------------------------------------------------------------------


@scim_endpoint("POST")
def root_search_view(request: HttpRequest, organization: Organization) -> HttpResponse:
    """Searching all resource types at once is not supported (RFC 7644 §3.4.3: 501)."""
    raise ScimError(501, "Search /Users/.search or /Groups/.search instead.")


@csrf_exempt
def unknown_route(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Anything else under /scim/v2/: 401 without a valid token, else 404."""
    try:
        authenticate(request)
    except ScimError as error:
        return error_response(error)
    return error_response(not_found("Endpoint"))

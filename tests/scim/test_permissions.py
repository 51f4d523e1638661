"""Who may reach the SCIM URLs: the settings page and its actions, and the API itself.

Rows are (url name, method, target, maya, ravi, olga, ada, otto) like the other tables.
The settings page and its POST actions are for Ada, the org admin of Acme; everyone else
gets 404 like for a page that does not exist (Otto, not an admin, included). The API
ignores sign-in sessions: without a bearer token everybody, anonymous included, gets 401
(API rows are driven by `test_api_permission`, since anonymous is 401, not a redirect).
"""

import pytest
from django.test import Client
from django.urls import reverse

from people.models import Organization, Person
from scim.models import ScimToken
from scim.services import token_create
from tests.conftest import client_for
from tests.permissions import ARGS, GO, NO, OK, ROLES, WRONG_METHOD, Row, cases, check

W = WRONG_METHOD
UNAUTHORIZED = 401

SETTINGS: list[Row] = [
    # name             method  target    maya  ravi  olga  ada   otto
    ("settings",       "GET",  "",       NO,   NO,   NO,   OK,   NO),
    ("settings",       "POST", "",       W,    W,    W,    W,    W),
    ("token_create",   "GET",  "",       W,    W,    W,    W,    W),
    ("token_create",   "POST", "",       NO,   NO,   NO,   OK,   NO),
    ("token_rotate",   "GET",  "",       W,    W,    W,    W,    W),
    ("token_rotate",   "POST", "",       NO,   NO,   NO,   OK,   NO),
    ("token_revoke",   "GET",  "",       W,    W,    W,    W,    W),
    ("token_revoke",   "POST", "",       NO,   NO,   NO,   GO,   NO),
    # Another organization's token is like a token that does not exist.
    ("token_revoke",   "POST", "globex", NO,   NO,   NO,   NO,   NO),
]  # fmt: skip

U = UNAUTHORIZED
API_NAMES = [
    "root", "spc", "resource_types", "resource_type", "schemas", "schema", "users",
    "users_search", "user", "groups", "groups_search", "group", "search", "unknown",
]  # fmt: skip
API: list[Row] = [
    (name, method, "", U, U, U, U, U) for name in API_NAMES for method in ("GET", "POST")
]

TABLE: list[Row] = SETTINGS + API


@pytest.fixture
def tokens(
    acme: Organization, globex: Organization, ada: Person, otto: Person
) -> dict[str, ScimToken]:
    return {
        "": token_create(actor=ada, organization=acme).token,
        "globex": token_create(actor=otto, organization=globex).token,
    }


@pytest.mark.parametrize(ARGS, cases(SETTINGS))
def test_settings_permission(
    request: pytest.FixtureRequest,
    tokens: dict[str, ScimToken],
    name: str,
    method: str,
    target: str,
    role: str,
    expected: int,
) -> None:
    for persona in ROLES[:-1]:
        request.getfixturevalue(persona)
    actor: Person | None = None if role == "anonymous" else request.getfixturevalue(role)
    args = [tokens[target].uuid] if name == "token_revoke" else []
    check(actor, method, reverse(f"scim:{name}", args=args), {}, expected)
    if name == "token_revoke" and expected != GO:
        assert tokens[target].is_usable()


def _api_url(name: str) -> str:
    args = {
        "resource_type": ["User"],
        "schema": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "user": ["00000000-0000-0000-0000-000000000000"],
        "group": ["00000000-0000-0000-0000-000000000000"],
        "unknown": ["Nothing"],
    }.get(name, [])
    return reverse(f"scim:{name}", args=args)


@pytest.mark.parametrize(ARGS, cases(API))
def test_api_permission(
    request: pytest.FixtureRequest, name: str, method: str, target: str, role: str, expected: int
) -> None:
    """A session is not a SCIM credential: signed in or not, no token is 401."""
    actor: Person | None = None if role == "anonymous" else request.getfixturevalue(role)
    client = client_for(actor) if actor else Client()
    url = _api_url(name)
    response = (
        client.get(url)
        if method == "GET"
        else client.post(url, "{}", content_type="application/scim+json")
    )
    assert response.status_code == UNAUTHORIZED
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["status"] == "401"

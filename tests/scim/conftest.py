"""Fixtures for the SCIM tests: a token for acme (and one for globex) and a JSON client."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from people.models import Organization, Person
from scim.services import token_create

SCIM = "application/scim+json"


class ScimClient:
    """Django's test client speaking SCIM with a bearer token."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def call(self, method: str, path: str, body: Any = None, **extra: Any) -> Any:
        url = path if path.startswith("/") else f"/scim/v2/{path}"
        data = (
            body
            if isinstance(body, (str, bytes))
            else json.dumps(body)
            if body is not None
            else None
        )
        return (
            getattr(self.client, method.lower())(
                url,
                data=data,
                content_type=extra.pop("content_type", SCIM),
                headers={**self.headers, **extra},
            )
            if data is not None
            else getattr(self.client, method.lower())(url, headers={**self.headers, **extra})
        )

    def get(self, path: str, **extra: Any) -> Any:
        return self.call("GET", path, **extra)

    def post(self, path: str, body: Any, **extra: Any) -> Any:
        return self.call("POST", path, body, **extra)

    def put(self, path: str, body: Any, **extra: Any) -> Any:
        return self.call("PUT", path, body, **extra)

    def patch(self, path: str, *operations: dict[str, Any], **extra: Any) -> Any:
        body = {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": list(operations),
        }
        return self.call("PATCH", path, body, **extra)

    def delete(self, path: str, **extra: Any) -> Any:
        return self.call("DELETE", path, **extra)


@pytest.fixture
def acme_token(acme: Organization, ada: Person) -> str:
    return token_create(actor=ada, organization=acme).secret


@pytest.fixture
def scim(acme_token: str) -> ScimClient:
    return ScimClient(acme_token)


@pytest.fixture
def globex_scim(globex: Organization, otto: Person) -> ScimClient:
    return ScimClient(token_create(actor=otto, organization=globex).secret)


@pytest.fixture
def scim_for() -> Callable[[str | None], ScimClient]:
    return ScimClient

"""The driver shared by the permission tables (tests/meetings, tests/growth).

A table has one row per (url name, method, target) with the status expected for
maya, ravi, olga, ada and otto; anonymous visitors are always sent to the login page.
Each test module builds its own world, URL and post data, then calls `check`.
"""

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from people.models import Person
from tests.conftest import client_for

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

OK, GO, BAD, DENY, NO, WRONG_METHOD = 200, 302, 400, 403, 404, 405
ROLES = ("maya", "ravi", "olga", "ada", "otto", "anonymous")

# (url name, method, target, maya, ravi, olga, ada, otto)
Row = tuple[str, str, str, int, int, int, int, int]

# The argument names of the parametrized test, in the order `cases` gives them.
ARGS = ("name", "method", "target", "role", "expected")


def cases(table: list[Row]) -> list[pytest.ParameterSet]:
    """One pytest param per row and role (anonymous last, expecting a redirect)."""
    return [
        pytest.param(
            name, method, target, role, expected, id=f"{name}-{method}-{target or 'shared'}-{role}"
        )
        for name, method, target, *statuses in table
        for role, expected in zip(ROLES, [*statuses, GO], strict=True)
    ]


def check(
    actor: Person | None,
    method: str,
    url: str,
    data: Mapping[str, str],
    expected: int,
    *,
    refused: bool = False,
) -> "TestResponse":
    """Fetch `url` as `actor` (None: anonymous) and assert the outcome; return the response.

    Anonymous visitors must be sent to the login page whatever `expected` says. Anyone
    else must get `expected`; a redirect must not lead to the login page and, unless the
    row is `refused` (input turned down with a message), must carry no error message.
    """
    client = client_for(actor) if actor else Client()
    response = client.get(url) if method == "GET" else client.post(url, data)

    login = reverse("account_login")
    if actor is None:
        assert response.status_code == 302
        assert response["Location"].startswith(f"{login}?next=")
        return response
    assert response.status_code == expected, response.content.decode()[:2000]
    if expected == GO:
        assert not response["Location"].startswith(login)
        if not refused:
            errors = [m for m in get_messages(response.wsgi_request) if m.level == messages.ERROR]
            assert errors == [], "the input was meant to be valid"
    return response

"""Who may open the accounts URLs: every role, with the shared driver (tests/permissions.py).

The security hub is each person's own page: everyone signed in gets it, anonymous
visitors are sent to sign in. The invitation page belongs to whoever holds the link,
signed in or not (the token is the credential), so its rows are checked below with
anonymous visitors getting the page too; an unknown token is a 404 for everybody.
"""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.services import invitation_create
from people.models import Organization, Person
from people.services import person_add
from tests.conftest import client_for
from tests.permissions import ARGS, NO, OK, WRONG_METHOD, Row, cases, check

W = WRONG_METHOD

# Targets: "" the shared case; for invite, "" is a pending invitation's link and
# "unknown" a token that opens nothing.
TABLE: list[Row] = [
    # name                 method  target     maya  ravi  olga  ada   otto
    ("accounts:security",  "GET",  "",        OK,   OK,   OK,   OK,   OK),
    ("accounts:security",  "POST", "",        W,    W,    W,    W,    W),
    ("accounts:invite",    "GET",  "",        OK,   OK,   OK,   OK,   OK),
    ("accounts:invite",    "POST", "",        OK,   OK,   OK,   OK,   OK),
    ("accounts:invite",    "GET",  "unknown", NO,   NO,   NO,   NO,   NO),
    ("accounts:invite",    "POST", "unknown", NO,   NO,   NO,   NO,   NO),
]  # fmt: skip

SIGNED_IN_PAGES = [row for row in TABLE if row[0] != "accounts:invite"]


@pytest.mark.parametrize(ARGS, cases(SIGNED_IN_PAGES))
def test_signed_in_pages(
    name: str,
    method: str,
    target: str,
    role: str,
    expected: int,
    request: pytest.FixtureRequest,
) -> None:
    actor = None if role == "anonymous" else request.getfixturevalue(role)
    check(actor, method, reverse(name), {}, expected)


@pytest.mark.parametrize(
    ("method", "target", "role", "expected"),
    [
        (method, target, role, status)
        for name, method, target, *statuses in TABLE
        if name == "accounts:invite"
        for role, status in zip(
            ("maya", "ravi", "olga", "ada", "otto", "anonymous"),
            # The link is the credential: anonymous visitors get what everyone gets.
            [*statuses, statuses[0]],
            strict=True,
        )
    ],
)
def test_the_invitation_link(
    method: str, target: str, role: str, expected: int, request: pytest.FixtureRequest
) -> None:
    ada: Person = request.getfixturevalue("ada")
    acme: Organization = request.getfixturevalue("acme")
    actor = None if role == "anonymous" else request.getfixturevalue(role)
    invitee = person_add(organization=acme, email="nina@acme.test", name="Nina", password=None)
    token = invitation_create(actor=ada, person=invitee, base_url="http://testserver").token
    url = reverse("accounts:invite", args=["unknown" if target else token])
    client = client_for(actor) if actor else Client()
    # A too-short password: the POST shows the form again and accepts nothing.
    data = {"new_password1": "short", "new_password2": "short"}
    response = client.get(url) if method == "GET" else client.post(url, data)
    assert response.status_code == expected

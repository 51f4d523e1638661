"""Who may use the CalDAV page: everyone signed in, for their own calendar only.

Rows are (url name, method, target, maya, ravi, olga, ada, otto) like
tests/accounts/test_permissions.py. The URL takes no argument: a person can only ever
reach their own connection. Every persona has one here (pointing at an address that
is never called: nothing runs the worker), and after each request the others' are
checked untouched.

Targets: "" shows the page; "push" and "disconnect" are the page's buttons; "invalid"
is a connect form with no address (shown again with its errors, nothing saved);
"unknown" an action that does not exist.
"""

import pytest
from django.urls import reverse

from lib.secrets import encrypt
from meetings.models import Relationship
from notifications.models import CalDavAccount, Delivery
from people.models import Person
from tests.permissions import ARGS, BAD, GO, OK, ROLES, Row, cases, check

pytestmark = pytest.mark.django_db

TABLE: list[Row] = [
    # name                    method  target        maya  ravi  olga  ada   otto
    ("notifications:caldav",  "GET",  "",           OK,   OK,   OK,   OK,   OK),
    ("notifications:caldav",  "POST", "push",       GO,   GO,   GO,   GO,   GO),
    ("notifications:caldav",  "POST", "disconnect", GO,   GO,   GO,   GO,   GO),
    ("notifications:caldav",  "POST", "invalid",    OK,   OK,   OK,   OK,   OK),
    ("notifications:caldav",  "POST", "unknown",    BAD,  BAD,  BAD,  BAD,  BAD),
]  # fmt: skip

DATA = {
    "": {},
    "push": {"action": "push"},
    "disconnect": {"action": "disconnect"},
    "invalid": {"action": "connect", "url": "", "username": "", "password": ""},
    "unknown": {"action": "explode"},
}


@pytest.fixture
def everyone(request: pytest.FixtureRequest, one_on_one: Relationship) -> dict[str, Person]:
    people = {role: request.getfixturevalue(role) for role in ROLES if role != "anonymous"}
    for role, person in people.items():
        CalDavAccount.objects.create(
            person=person,
            url=f"https://dav.example.com/{role}/work/",
            username=role,
            password_encrypted=encrypt(f"{role}-secret"),
        )
    return people


@pytest.mark.parametrize(ARGS, cases(TABLE))
def test_permission(
    everyone: dict[str, Person], name: str, method: str, target: str, role: str, expected: int
) -> None:
    actor = everyone.get(role)
    before = {a.person_id: (a.url, a.is_active) for a in CalDavAccount.objects.all()}

    response = check(actor, method, reverse(name), DATA[target], expected)

    others = {pk: state for pk, state in before.items() if actor is None or pk != actor.pk}
    after = {a.person_id: (a.url, a.is_active) for a in CalDavAccount.objects.all()}
    assert {pk: after.get(pk) for pk in others} == others
    pushed = {d.person_id for d in Delivery.objects.filter(channel=Delivery.Channel.CALDAV)}
    assert pushed <= ({actor.pk} if actor else set())
    if actor is not None and method == "GET":
        page = response.content.decode()
        assert f"https://dav.example.com/{role}/work/" in page
        assert "secret" not in page
        assert not any(f"dav.example.com/{r}/" in page for r in everyone if r != role)
    if actor is not None and target == "push":
        # Maya and Ravi have a 1:1: their push queues it; the others have none.
        assert len(pushed) == (1 if role in ("maya", "ravi") else 0)
    if actor is not None and target == "disconnect":
        assert not CalDavAccount.objects.filter(person=actor).exists()
    if actor is not None and expected == GO:
        assert response["Location"] == reverse(name)

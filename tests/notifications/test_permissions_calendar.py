"""Who may use the calendar link page: everyone signed in, for their own link only.

Rows are (url name, method, target, maya, ravi, olga, ada, otto) like
tests/accounts/test_permissions.py. The URLs take no argument: a person only ever
reaches their own link. Every persona has a link here, and after each request the
others' links are checked untouched. The public feed itself (namespace "feed") is
reached with its token instead of a session: tests/notifications/test_feed.py.
"""

import pytest
from django.urls import reverse

from lib.secrets import encrypt, new_token
from notifications.models import CalendarFeed
from people.models import Person
from tests.permissions import ARGS, GO, OK, ROLES, WRONG_METHOD, Row, cases, check

pytestmark = pytest.mark.django_db

W = WRONG_METHOD

TABLE: list[Row] = [
    # name                             method  target  maya  ravi  olga  ada   otto
    ("notifications:calendar",         "GET",  "",     OK,   OK,   OK,   OK,   OK),
    ("notifications:calendar",         "POST", "",     W,    W,    W,    W,    W),
    ("notifications:calendar_create",  "GET",  "",     W,    W,    W,    W,    W),
    ("notifications:calendar_create",  "POST", "",     GO,   GO,   GO,   GO,   GO),
    ("notifications:calendar_reset",   "GET",  "",     W,    W,    W,    W,    W),
    ("notifications:calendar_reset",   "POST", "",     GO,   GO,   GO,   GO,   GO),
    ("notifications:calendar_off",     "GET",  "",     W,    W,    W,    W,    W),
    ("notifications:calendar_off",     "POST", "",     GO,   GO,   GO,   GO,   GO),
]  # fmt: skip


@pytest.fixture
def everyone(request: pytest.FixtureRequest) -> dict[str, Person]:
    people = {role: request.getfixturevalue(role) for role in ROLES if role != "anonymous"}
    for person in people.values():
        token, digest = new_token()
        CalendarFeed.objects.create(
            person=person, token_digest=digest, token_encrypted=encrypt(token)
        )
    return people


@pytest.mark.parametrize(ARGS, cases(TABLE))
def test_permission(
    everyone: dict[str, Person], name: str, method: str, target: str, role: str, expected: int
) -> None:
    actor = everyone.get(role)
    before = dict(CalendarFeed.objects.values_list("person_id", "token_digest"))
    check(actor, method, reverse(name), {}, expected)
    after = dict(CalendarFeed.objects.values_list("person_id", "token_digest"))
    for person in everyone.values():
        if actor is None or person.pk != actor.pk:
            assert after.get(person.pk) == before[person.pk], "someone else's link changed"

"""Who may open the personal insights pages: a 1:1's insights only its two participants.

Rows are (url name, method, target, maya, ravi, olga, ada, otto) like
tests/meetings/test_permissions.py. "rel" is Maya and Ravi's 1:1: Olga (another
manager), Ada (an org admin) and Otto (another organization) get 404, as for every
other page of a 1:1. The team view and the CSV take no argument: each person only
ever reaches their own.
"""

import pytest
from django.urls import reverse

from meetings.models import Relationship
from people.models import Person
from tests.permissions import ARGS, NO, OK, ROLES, WRONG_METHOD, Row, cases, check

pytestmark = pytest.mark.django_db

W = WRONG_METHOD

TABLE: list[Row] = [
    # name                        method  target  maya  ravi  olga  ada   otto
    ("insights:home",             "GET",  "",     OK,   OK,   OK,   OK,   OK),
    ("insights:home",             "POST", "",     W,    W,    W,    W,    W),
    ("insights:mine_csv",         "GET",  "",     OK,   OK,   OK,   OK,   OK),
    ("insights:mine_csv",         "POST", "",     W,    W,    W,    W,    W),
    ("insights:relationship",     "GET",  "rel",  OK,   OK,   NO,   NO,   NO),
    ("insights:relationship",     "POST", "rel",  W,    W,    W,    W,    W),
]  # fmt: skip


@pytest.fixture
def everyone(request: pytest.FixtureRequest, one_on_one: Relationship) -> dict[str, Person]:
    return {role: request.getfixturevalue(role) for role in ROLES if role != "anonymous"}


@pytest.mark.parametrize(ARGS, cases(TABLE))
def test_permission(
    everyone: dict[str, Person],
    one_on_one: Relationship,
    name: str,
    method: str,
    target: str,
    role: str,
    expected: int,
) -> None:
    url = reverse(name, args=[one_on_one.uuid]) if target == "rel" else reverse(name)
    check(everyone.get(role), method, url, {}, expected)

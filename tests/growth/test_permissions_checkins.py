"""Who may do what with checkins: every URL of the area, for every role.

Rows are (url name, method, target, maya, ravi, olga, ada, otto) like
tests/meetings/test_permissions.py; target "" is the shared case that
tests/growth/test_urls_covered.py requires for both methods of every URL.

Both participants check in for their meetings; everyone else gets 404, exactly
like a 1:1 that does not exist. Targets: "" the next meeting of the active 1:1;
"ended" the same meeting after the 1:1 ended (read-only history: 403);
"cancelled" a meeting that was cancelled, "over" a meeting long past that nobody
closed (for both, the page explains and a post is refused).
"""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from growth.models import CheckIn
from meetings.models import Relationship
from meetings.occurrences import key_slug
from meetings.services.meetings import meeting_cancel
from meetings.services.relationships import relationship_end
from people.models import Person
from tests.growth.checkins_world import VALID
from tests.meetings.conftest import FIRST, SECOND
from tests.permissions import ARGS, BAD, DENY, GO, NO, OK, Row, cases, check

# Time stands still at `now` (the `clock` of tests/growth/conftest.py).
pytestmark = pytest.mark.usefixtures("clock")


TABLE: list[Row] = [
    # name     method  target       maya  ravi  olga  ada   otto
    ("checkin", "GET",  "",          OK,   OK,   NO,   NO,   NO),
    ("checkin", "POST", "",          GO,   GO,   NO,   NO,   NO),
    ("checkin", "GET",  "ended",     DENY, DENY, NO,   NO,   NO),
    ("checkin", "POST", "ended",     DENY, DENY, NO,   NO,   NO),
    ("checkin", "GET",  "cancelled", OK,   OK,   NO,   NO,   NO),
    ("checkin", "POST", "cancelled", BAD,  BAD,  NO,   NO,   NO),
    ("checkin", "GET",  "over",      OK,   OK,   NO,   NO,   NO),
    ("checkin", "POST", "over",      BAD,  BAD,  NO,   NO,   NO),
]  # fmt: skip

CASES = cases(TABLE)


@pytest.mark.parametrize(ARGS, CASES)
def test_permission(
    clock: time_machine.Traveller,
    one_on_one: Relationship,
    maya: Person,
    ravi: Person,
    olga: Person,
    ada: Person,
    otto: Person,
    name: str,
    method: str,
    target: str,
    role: str,
    expected: int,
) -> None:
    people = {"maya": maya, "ravi": ravi, "olga": olga, "ada": ada, "otto": otto}
    key = FIRST
    if target == "ended":
        relationship_end(actor=maya, relationship=one_on_one)
    elif target == "cancelled":
        key = SECOND
        meeting_cancel(actor=maya, relationship=one_on_one, key=key, reason="", skip=False)
    elif target == "over":
        clock.move_to(SECOND - timedelta(days=1))
    actor = people.get(role)
    url = reverse(f"growth:{name}", args=[one_on_one.uuid, key_slug(key)])
    check(actor, method, url, VALID | {"version": "0"}, expected)

    if actor is None:
        return
    if expected == GO:
        assert CheckIn.objects.get(author=actor).wins == "Shipped"
    elif method == "POST":
        assert not CheckIn.objects.exists()

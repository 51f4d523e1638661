"""Who may share, withdraw and read shared meetings: every share URL, for every role.

The world (tests/meetings/test_shares_world.py): Ravi's manager changed from Maya to
Olga, which archived Maya and Ravi's 1:1. Only Ravi, its team member, shares and
withdraws (Maya, its other participant, gets 403); only Olga, the new manager, reads
what Ravi shared with her, and only while a share exists; everyone else gets 404,
exactly like a 1:1 or a person that does not exist. Rows are (url name, method,
target, maya, ravi, olga, ada, otto) as in tests/meetings/test_permissions.py.
"""

from collections.abc import Iterator, Sequence

import pytest
import time_machine
from django.urls import URLPattern, URLResolver, reverse

from growth import urls as growth_urls
from growth.models import Feedback
from meetings.models import ActionItem, MeetingShare, Relationship, TalkingPoint
from meetings.occurrences import key_slug
from meetings.services.shares import meetings_share
from people.models import Person
from tests.meetings.conftest import FIRST
from tests.meetings.test_shares import start_with_olga
from tests.meetings.test_shares_world import World, build
from tests.permissions import ARGS, DENY, GO, NO, OK, WRONG_METHOD, Row, cases, check

pytestmark = pytest.mark.usefixtures("fast_passwords")

# Targets: "" the archived 1:1 with Ravi's first meeting shared with Olga; "withdrawn"
# after Ravi withdrew every share; "ongoing" Olga and Ravi's new (active) manager 1:1.
TABLE: list[Row] = [
    # name              method  target       maya  ravi  olga  ada   otto
    ("share",           "GET",  "",          WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD),
    ("share",           "POST", "",          DENY, GO,   NO,   NO,   NO),
    ("share",           "POST", "ongoing",   NO,   DENY, DENY, NO,   NO),
    ("share_withdraw",  "GET",  "",          WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD),
    ("share_withdraw",  "POST", "",          DENY, GO,   NO,   NO,   NO),
    ("share_withdraw",  "POST", "ongoing",   NO,   DENY, DENY, NO,   NO),
    ("shared_history",  "GET",  "",          NO,   NO,   OK,   NO,   NO),
    ("shared_history",  "POST", "",          WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD),
    ("shared_history",  "GET",  "withdrawn", NO,   NO,   NO,   NO,   NO),
]  # fmt: skip

CASES = cases(TABLE)


@pytest.fixture
def world(
    clock: time_machine.Traveller,
    one_on_one: Relationship,
    maya: Person,
    ravi: Person,
    olga: Person,
    ada: Person,
    otto: Person,
) -> World:
    built = build(clock, one_on_one, ada, olga)
    meetings_share(actor=ravi, relationship=built.old, meeting_uuids=[built.first.uuid])
    return built


@pytest.mark.parametrize(ARGS, CASES)
def test_permission(
    world: World,
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
    actor = people.get(role)
    relationship = world.old
    if target == "ongoing":
        relationship = start_with_olga(olga, ravi)
    if target == "withdrawn":
        MeetingShare.objects.all().delete()
    if name == "shared_history":
        url = reverse("meetings:shared_history", args=[ravi.uuid])
    else:
        url = reverse(f"meetings:{name}", args=[relationship.uuid])
    data: dict[str, str] = {}
    if name == "share":
        data = {"meeting": str(world.second.uuid)}
    elif name == "share_withdraw":
        data = {"all": "1"}
    before = MeetingShare.objects.count()

    check(actor, method, url, data, expected)

    after = MeetingShare.objects.count()
    if actor is not None and expected == GO and name == "share":
        assert after == before + 1
    elif actor is not None and expected == GO and name == "share_withdraw":
        assert after == 0
    else:
        assert after == before


def _patterns(patterns: Sequence[URLPattern | URLResolver]) -> Iterator[URLPattern]:
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            yield pattern


def old_1on1_urls(
    world: World, patterns: Sequence[URLPattern | URLResolver]
) -> Iterator[tuple[str, str]]:
    """Every URL of the 1:1 and growth apps that points into the archived 1:1, by name."""
    old = world.old
    point = TalkingPoint.objects.filter(relationship=old, is_private=False).first()
    item = ActionItem.objects.filter(relationship=old).first()
    feedback = Feedback.objects.filter(relationship=old).first()
    assert point is not None
    assert item is not None
    assert feedback is not None
    values: dict[str, object] = {
        "relationship_uuid": old.uuid,
        "key": key_slug(FIRST),
        "point_uuid": point.uuid,
        "item_uuid": item.uuid,
        "feedback_uuid": feedback.uuid,
    }
    for namespace, found in (("meetings", patterns), ("growth", growth_urls.urlpatterns)):
        for pattern in _patterns(found):
            params = set(pattern.pattern.converters)
            if not params or not params <= set(values):
                continue
            kwargs = {param: values[param] for param in params}
            yield (
                f"{namespace}:{pattern.name}",
                reverse(f"{namespace}:{pattern.name}", kwargs=kwargs),
            )

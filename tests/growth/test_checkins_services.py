"""checkin_submit: who may check in, what it stores, and the blockers it puts on the agenda."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from activity.models import Activity
from growth.models import CheckIn
from growth.models.checkins import CHECKIN_TEXT
from growth.services.checkins import blocker_lines
from meetings.models import Meeting, Relationship, TalkingPoint, Theme
from meetings.services.agenda import point_delete, point_edit, point_set_discussed
from meetings.services.common import EditConflict
from meetings.services.meetings import meeting_cancel, meeting_close
from meetings.services.relationships import relationship_end
from people.models import Person
from tests.growth.checkins_world import submit
from tests.meetings.conftest import FIRST, SECOND

# Time stands still at `now` (the `clock` of tests/growth/conftest.py).
pytestmark = pytest.mark.usefixtures("clock")


def checkin_points(relationship: Relationship) -> list[TalkingPoint]:
    return list(
        TalkingPoint.objects.filter(relationship=relationship, source=TalkingPoint.Source.CHECKIN)
    )


def test_it_saves_a_check_in_for_the_meeting(one_on_one: Relationship, ravi: Person) -> None:
    before = one_on_one.shared_version
    checkin = submit(
        ravi, one_on_one, mood=2, workload="too_much", wins=" Shipped ", priorities="Q1"
    )
    assert checkin.meeting.occurrence_start == FIRST
    assert (checkin.author, checkin.mood, checkin.workload) == (ravi, 2, "too_much")
    assert (checkin.wins, checkin.priorities, checkin.version) == ("Shipped", "Q1", 0)
    one_on_one.refresh_from_db()
    assert one_on_one.shared_version > before
    activity = Activity.objects.get(verb="checkin.submit")
    assert activity.object_uuid == checkin.uuid
    assert "Shipped" not in str(activity.__dict__)


def test_either_participant_checks_in(one_on_one: Relationship, maya: Person, ravi: Person) -> None:
    submit(maya, one_on_one, mood=5)
    submit(ravi, one_on_one, mood=3)
    assert sorted(CheckIn.objects.values_list("mood", flat=True)) == [3, 5]
    assert Meeting.objects.count() == 1


def test_each_blocker_line_becomes_a_talking_point(one_on_one: Relationship, ravi: Person) -> None:
    submit(ravi, one_on_one, blockers="- Waiting on the API keys\n\n  * CI is slow  \nCI is slow")
    points = checkin_points(one_on_one)
    assert [p.text for p in points] == ["Waiting on the API keys", "CI is slow"]
    for point in points:
        assert point.theme == Theme.BLOCKERS
        assert point.author == ravi
        assert point.planned_for == FIRST
        assert not point.is_private


def test_editing_the_check_in_adds_only_new_blockers(
    one_on_one: Relationship, ravi: Person
) -> None:
    first = submit(ravi, one_on_one, blockers="API keys\nCI is slow")
    second = submit(ravi, one_on_one, blockers="API keys\nCI is slow\nNo test data", base_version=0)
    assert second.pk == first.pk
    assert second.version == 1
    submit(ravi, one_on_one, blockers="CI is slow\nNo test data", base_version=1)
    assert sorted(p.text for p in checkin_points(one_on_one)) == [
        "API keys",
        "CI is slow",
        "No test data",
    ]


def test_a_point_edited_or_removed_by_its_author_does_not_come_back(
    one_on_one: Relationship, ravi: Person
) -> None:
    submit(ravi, one_on_one, blockers="API keys\nCI is slow")
    keys, ci = checkin_points(one_on_one)
    point_edit(
        actor=ravi,
        point=keys,
        text="API keys (asked IT)",
        theme="blockers",
        is_private=False,
        base_version=0,
    )
    point_delete(actor=ravi, point=ci)
    submit(ravi, one_on_one, blockers="API keys\nCI is slow", wins="More", base_version=0)
    assert [p.text for p in checkin_points(one_on_one)] == ["API keys (asked IT)"]


def test_each_participant_gets_their_own_blocker_points(
    one_on_one: Relationship, maya: Person, ravi: Person
) -> None:
    submit(ravi, one_on_one, blockers="Budget")
    submit(maya, one_on_one, blockers="Budget")
    assert sorted(p.author.name for p in checkin_points(one_on_one)) == sorted(
        [maya.name, ravi.name]
    )


def test_a_stale_version_raises_a_conflict_and_changes_nothing(
    one_on_one: Relationship, ravi: Person
) -> None:
    submit(ravi, one_on_one, wins="One")
    submit(ravi, one_on_one, wins="Two", base_version=0)
    with pytest.raises(EditConflict) as raised:
        submit(ravi, one_on_one, wins="Three", blockers="New", base_version=0)
    assert raised.value.current_version == 1
    assert CheckIn.objects.get().wins == "Two"
    assert checkin_points(one_on_one) == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"mood": 0}, "mood from 1 to 5"),
        ({"mood": 6}, "mood from 1 to 5"),
        ({"workload": "crushing"}, "workload"),
        ({"wins": "x" * (CHECKIN_TEXT + 1)}, "too long"),
        ({"blockers": "x" * (CHECKIN_TEXT + 1)}, "too long"),
        ({"priorities": "a\x00b"}, "cannot be stored"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    one_on_one: Relationship, ravi: Person, fields: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        submit(ravi, one_on_one, **fields)  # type: ignore[arg-type]
    assert not CheckIn.objects.exists()
    assert not TalkingPoint.objects.exists()


def test_outsiders_cannot_check_in(one_on_one: Relationship, olga: Person) -> None:
    with pytest.raises(PermissionDenied):
        submit(olga, one_on_one)
    assert not CheckIn.objects.exists()


def test_an_ended_one_on_one_takes_no_check_ins(
    one_on_one: Relationship, maya: Person, ravi: Person
) -> None:
    relationship_end(actor=maya, relationship=one_on_one)
    with pytest.raises(PermissionDenied):
        submit(ravi, one_on_one)
    assert not CheckIn.objects.exists()


def test_there_is_no_check_in_for_a_time_without_a_meeting(
    one_on_one: Relationship, ravi: Person
) -> None:
    with pytest.raises(ValidationError, match="no meeting at that time"):
        submit(ravi, one_on_one, key=FIRST + timedelta(hours=1))
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("how", ["cancelled", "skipped", "held"])
def test_a_closed_meeting_takes_no_check_ins(
    one_on_one: Relationship,
    maya: Person,
    ravi: Person,
    clock: time_machine.Traveller,
    how: str,
) -> None:
    if how == "held":
        clock.move_to(FIRST + timedelta(minutes=20))
        meeting_close(actor=maya, relationship=one_on_one, key=FIRST)
    else:
        meeting_cancel(
            actor=maya, relationship=one_on_one, key=FIRST, reason="", skip=how == "skipped"
        )
    with pytest.raises(ValidationError, match=f"meeting is {how}"):
        submit(ravi, one_on_one, blockers="Late")
    assert not CheckIn.objects.exists()
    assert not checkin_points(one_on_one)


def test_check_ins_for_different_meetings_are_separate(
    one_on_one: Relationship, ravi: Person
) -> None:
    submit(ravi, one_on_one, blockers="Same")
    submit(ravi, one_on_one, key=SECOND, blockers="Same")
    assert CheckIn.objects.count() == 2
    assert {p.planned_for for p in checkin_points(one_on_one)} == {FIRST, SECOND}


def test_a_meeting_long_past_takes_no_check_in(
    one_on_one: Relationship, ravi: Person, clock: time_machine.Traveller
) -> None:
    # Nobody closed FIRST; a day before SECOND it is history, and SECOND is the focus.
    clock.move_to(SECOND - timedelta(days=1))
    with pytest.raises(ValidationError, match="meeting is over"):
        submit(ravi, one_on_one, key=FIRST, blockers="Old news")
    assert not CheckIn.objects.exists()
    assert not checkin_points(one_on_one)


def _hold_first(maya: Person, one_on_one: Relationship, clock: time_machine.Traveller) -> None:
    clock.move_to(FIRST + timedelta(minutes=20))
    meeting_close(actor=maya, relationship=one_on_one, key=FIRST)


def test_a_blocker_carried_over_stays_one_point_when_repeated(
    one_on_one: Relationship, maya: Person, ravi: Person, clock: time_machine.Traveller
) -> None:
    submit(ravi, one_on_one, blockers="API keys")
    _hold_first(maya, one_on_one, clock)  # not discussed: the point carries over to SECOND
    submit(ravi, one_on_one, key=SECOND, blockers="API keys\nNo staging database")
    points = checkin_points(one_on_one)
    assert sorted(p.text for p in points) == ["API keys", "No staging database"]
    assert {p.text: p.planned_for for p in points} == {
        "API keys": FIRST,
        "No staging database": SECOND,
    }


def test_a_blocker_discussed_last_time_is_raised_again(
    one_on_one: Relationship, maya: Person, ravi: Person, clock: time_machine.Traveller
) -> None:
    submit(ravi, one_on_one, blockers="API keys")
    (keys,) = checkin_points(one_on_one)
    point_set_discussed(actor=maya, point=keys, meeting_key=FIRST, discussed=True)
    _hold_first(maya, one_on_one, clock)
    submit(ravi, one_on_one, key=SECOND, blockers="API keys")
    assert {p.planned_for for p in checkin_points(one_on_one)} == {FIRST, SECOND}


def test_blocker_lines_strip_markers_and_blank_lines() -> None:
    assert blocker_lines("• one\r\n- two\n\n*   \n two") == ["one", "two"]

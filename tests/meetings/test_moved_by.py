"""Who moved a meeting is kept apart from who last changed its status."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from meetings.models import Meeting, Relationship
from meetings.services.meetings import (
    meeting_cancel,
    meeting_close,
    meeting_reopen,
    meeting_reschedule,
)
from people.models import Person

# Maya and Ravi meet on Tuesdays at 10:00 New York time (15:00 UTC in January).
FIRST = datetime(2027, 1, 5, 15, 0, tzinfo=UTC)
MOVED = FIRST + timedelta(hours=2)


@pytest.fixture
def clock(now: datetime) -> Iterator[time_machine.Traveller]:
    with time_machine.travel(now, tick=False) as traveller:
        yield traveller


def test_a_meeting_nobody_moved_has_no_mover(
    one_on_one: Relationship, maya: Person, clock: time_machine.Traveller
) -> None:
    clock.move_to(FIRST + timedelta(hours=1))
    meeting = meeting_close(actor=maya, relationship=one_on_one, key=FIRST)
    meeting.refresh_from_db()
    assert meeting.moved_by is None
    assert meeting.status_changed_by == maya


def test_rescheduling_records_who_moved_it(
    one_on_one: Relationship, ravi: Person, clock: time_machine.Traveller
) -> None:
    meeting_reschedule(
        actor=ravi, relationship=one_on_one, key=FIRST, new_start=MOVED, reason="Dentist"
    )
    meeting = Meeting.objects.get(relationship=one_on_one, occurrence_start=FIRST)
    assert meeting.moved_by == ravi
    assert meeting.start == MOVED


def test_closing_a_moved_meeting_keeps_who_moved_it(
    one_on_one: Relationship, maya: Person, ravi: Person, clock: time_machine.Traveller
) -> None:
    meeting_reschedule(
        actor=ravi, relationship=one_on_one, key=FIRST, new_start=MOVED, reason="Dentist"
    )
    clock.move_to(MOVED + timedelta(hours=1))
    meeting = meeting_close(actor=maya, relationship=one_on_one, key=FIRST)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert meeting.status_changed_by == maya
    assert meeting.moved_by == ravi


def test_cancelling_and_reopening_a_moved_meeting_keep_who_moved_it(
    one_on_one: Relationship, maya: Person, ravi: Person, clock: time_machine.Traveller
) -> None:
    meeting_reschedule(
        actor=ravi, relationship=one_on_one, key=FIRST, new_start=MOVED, reason="Dentist"
    )
    meeting = meeting_cancel(actor=maya, relationship=one_on_one, key=FIRST, reason="Ill")
    meeting_reopen(actor=maya, relationship=one_on_one, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status_changed_by == maya
    assert meeting.moved_by == ravi


def test_moving_it_again_records_the_last_mover(
    one_on_one: Relationship, maya: Person, ravi: Person, clock: time_machine.Traveller
) -> None:
    meeting_reschedule(
        actor=ravi, relationship=one_on_one, key=FIRST, new_start=MOVED, reason="Dentist"
    )
    meeting_reschedule(
        actor=maya,
        relationship=one_on_one,
        key=FIRST,
        new_start=MOVED + timedelta(days=1),
        reason="",
    )
    meeting = Meeting.objects.get(relationship=one_on_one, occurrence_start=FIRST)
    assert meeting.moved_by == maya

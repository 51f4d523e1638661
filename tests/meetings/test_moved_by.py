"""Who moved a meeting is kept apart from who last changed its status."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

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


def test_moves_made_before_the_field_existed_are_filled_from_the_audit_trail(
    one_on_one: Relationship, maya: Person, ravi: Person, clock: time_machine.Traveller
) -> None:
    """Migration 0010 reads the latest "meeting.reschedule" activity of each moved meeting."""
    from importlib import import_module

    from django.apps import apps

    backfill = import_module("meetings.migrations.0010_meeting_moved_by_from_activity")
    first = meeting_reschedule(
        actor=maya, relationship=one_on_one, key=FIRST, new_start=MOVED, reason=""
    )
    clock.move_to(timezone.now() + timedelta(minutes=5))
    meeting_reschedule(
        actor=ravi,
        relationship=one_on_one,
        key=FIRST,
        new_start=MOVED + timedelta(hours=1),
        reason="",
    )
    # Moved back to its own time by Maya: not "moved" any more, so nobody is recorded.
    second_key = FIRST + timedelta(days=7)
    meeting_reschedule(
        actor=maya,
        relationship=one_on_one,
        key=second_key,
        new_start=MOVED + timedelta(days=7),
        reason="",
    )
    clock.move_to(timezone.now() + timedelta(minutes=5))
    meeting_reschedule(
        actor=maya, relationship=one_on_one, key=second_key, new_start=second_key, reason=""
    )
    Meeting.objects.update(moved_by=None)  # as before the field existed

    backfill.moved_by_from_activity(apps, None)

    assert Meeting.objects.get(pk=first.pk).moved_by == ravi
    assert Meeting.objects.get(occurrence_start=second_key).moved_by is None

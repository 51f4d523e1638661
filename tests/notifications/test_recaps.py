"""Recaps after a 1:1 is closed, through the real worker to a real SMTP server."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine

from meetings.models import Relationship
from meetings.services.actions import action_add
from meetings.services.agenda import point_add
from meetings.services.common import meeting_materialize
from meetings.services.meetings import meeting_close, meeting_reopen
from meetings.services.notes import private_note_save, shared_notes_save
from notifications import outbox
from notifications.models import Delivery, Preferences
from people.models import Person
from tests.support.worker import run_worker

pytestmark = pytest.mark.django_db

FIRST = datetime(2027, 1, 5, 15, 0, tzinfo=UTC)  # Tuesday 10:00 New York


def deliver_due() -> None:
    outbox.dispatch_due()
    run_worker()


def recaps(server: Any, address: str) -> list[Any]:
    return [m for m in server.to(address) if m.subject.startswith("Recap of your 1:1")]


@pytest.fixture
def held(
    clock: time_machine.Traveller, one_on_one: Relationship, maya: Person, ravi: Person
) -> Any:
    """The first meeting, with notes, an action and points; closed at 10:30 New York."""
    rel = one_on_one
    point_add(actor=maya, relationship=rel, text="Left for next time")
    point_add(actor=ravi, relationship=rel, text="RAVI-PRIVATE point", is_private=True)
    clock.move_to(FIRST + timedelta(minutes=5))
    meeting = meeting_materialize(relationship=rel, key=FIRST)
    shared_notes_save(
        actor=maya, meeting=meeting, text="We agreed on **the plan**.", base_version=0
    )
    private_note_save(actor=ravi, meeting=meeting, text="RAVI-NOTE secret", base_version=0)
    private_note_save(actor=maya, meeting=meeting, text="MAYA-NOTE secret", base_version=0)
    action_add(
        actor=maya,
        relationship=rel,
        text="Write the proposal",
        owner=ravi,
        due_date=date(2027, 1, 12),
        meeting_key=FIRST,
    )
    clock.move_to(FIRST + timedelta(minutes=30))
    return meeting_close(actor=maya, relationship=rel, key=FIRST)


def test_the_recap_comes_10_minutes_after_the_close_with_notes_and_actions(
    clock: time_machine.Traveller, held: Any, maya: Person, ravi: Person, smtp_server: Any
) -> None:
    run_worker()
    clock.move_to(FIRST + timedelta(minutes=39))
    deliver_due()
    assert recaps(smtp_server, maya.email) == []
    clock.move_to(FIRST + timedelta(minutes=40))
    deliver_due()
    (to_maya,) = recaps(smtp_server, maya.email)
    (to_ravi,) = recaps(smtp_server, ravi.email)
    assert to_maya.subject == "Recap of your 1:1 with Ravi on 5 January"
    for mail in (to_maya, to_ravi):
        assert "We agreed on **the plan**." in mail.text
        assert "<strong>the plan</strong>" in mail.html
        assert "Write the proposal" in mail.text
        assert "12 January 2027" in mail.text
        assert "Left for next time" in mail.text  # carried over
        assert "RAVI-NOTE" not in mail.text + mail.html
        assert "MAYA-NOTE" not in mail.text + mail.html
        assert "/meetings/20270105T150000Z/" in mail.html
    assert "RAVI-PRIVATE" not in to_maya.text + to_maya.html
    assert "RAVI-PRIVATE" in to_ravi.text  # his own point, carried over
    key = f"recap:{held.pk}:{maya.pk}"
    assert Delivery.objects.get(key=key).status == Delivery.Status.SENT


def test_late_note_edits_are_in_the_recap(
    clock: time_machine.Traveller, held: Any, maya: Person, smtp_server: Any
) -> None:
    clock.move_to(FIRST + timedelta(minutes=35))
    held.refresh_from_db()
    shared_notes_save(actor=maya, meeting=held, text="Final words", base_version=held.notes_version)
    clock.move_to(FIRST + timedelta(minutes=40))
    deliver_due()
    (mail,) = recaps(smtp_server, maya.email)
    assert "Final words" in mail.text


def test_a_meeting_reopened_before_sending_gets_no_recap_until_closed_again(
    clock: time_machine.Traveller,
    held: Any,
    one_on_one: Relationship,
    maya: Person,
    ravi: Person,
    smtp_server: Any,
) -> None:
    clock.move_to(FIRST + timedelta(minutes=32))
    meeting_reopen(actor=maya, relationship=one_on_one, meeting=held)
    clock.move_to(FIRST + timedelta(minutes=40))
    deliver_due()
    assert recaps(smtp_server, maya.email) == []
    assert Delivery.objects.get(key=f"recap:{held.pk}:{maya.pk}").status == "skipped"

    clock.move_to(FIRST + timedelta(minutes=50))
    meeting_close(actor=maya, relationship=one_on_one, key=FIRST)
    assert Delivery.objects.get(key=f"recap:{held.pk}:{maya.pk}").status == "planned"
    clock.move_to(FIRST + timedelta(minutes=60))
    deliver_due()
    deliver_due()
    assert len(recaps(smtp_server, maya.email)) == 1
    assert len(recaps(smtp_server, ravi.email)) == 1


def test_recaps_off_means_no_recap(
    clock: time_machine.Traveller,
    one_on_one: Relationship,
    maya: Person,
    ravi: Person,
    smtp_server: Any,
) -> None:
    Preferences.objects.create(person=maya, email_recaps=False)
    clock.move_to(FIRST + timedelta(minutes=30))
    meeting_close(actor=maya, relationship=one_on_one, key=FIRST)
    clock.move_to(FIRST + timedelta(minutes=40))
    deliver_due()
    assert recaps(smtp_server, maya.email) == []
    assert len(recaps(smtp_server, ravi.email)) == 1

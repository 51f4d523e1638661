"""The nudge to the lead when a 1:1 has had no held meeting for twice its cadence."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine

from meetings.models import Relationship
from meetings.schedule import cadence_days
from meetings.services.agenda import point_add
from meetings.services.meetings import meeting_close
from meetings.services.relationships import relationship_pause
from notifications import outbox
from notifications.models import Delivery, Preferences
from notifications.reminders import nudge_plan
from people.models import Person
from tests.support.worker import run_worker

pytestmark = pytest.mark.django_db

FIRST = datetime(2027, 1, 5, 15, 0, tzinfo=UTC)  # the first weekly meeting


def nudges(server: Any, address: str) -> list[Any]:
    subjects = ("since your last 1:1", "has not happened yet")
    return [m for m in server.to(address) if any(s in m.subject for s in subjects)]


def run_at(clock: time_machine.Traveller, moment: datetime) -> None:
    clock.move_to(moment)
    nudge_plan(moment)
    outbox.dispatch_due()
    run_worker()


def test_cadence_intervals() -> None:
    assert cadence_days("FREQ=WEEKLY;INTERVAL=1;BYDAY=TU") == 7
    assert cadence_days("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU") == 14
    assert cadence_days("FREQ=WEEKLY;INTERVAL=4;BYDAY=TU") == 28
    assert cadence_days("FREQ=MONTHLY;BYDAY=+1TU") == 31


def test_the_lead_is_nudged_once_after_twice_the_cadence_without_a_meeting(
    clock: time_machine.Traveller,
    one_on_one: Relationship,
    maya: Person,
    ravi: Person,
    smtp_server: Any,
) -> None:
    point_add(actor=ravi, relationship=one_on_one, text="SECRET-TOPIC")
    run_at(clock, FIRST + timedelta(days=14, minutes=-1))
    assert nudges(smtp_server, maya.email) == []
    run_at(clock, FIRST + timedelta(days=14))
    (mail,) = nudges(smtp_server, maya.email)
    assert mail.subject == "Your 1:1 with Ravi has not happened yet"
    assert f"/1on1s/{one_on_one.uuid}/plan/" in mail.text
    assert f"/1on1s/{one_on_one.uuid}/plan/" in mail.html
    assert "14 days" in mail.text
    assert "SECRET-TOPIC" not in mail.text + mail.html
    assert nudges(smtp_server, ravi.email) == []
    run_at(clock, FIRST + timedelta(days=15))
    run_at(clock, FIRST + timedelta(days=20))
    assert len(nudges(smtp_server, maya.email)) == 1
    assert Delivery.objects.filter(key=f"nudge:{one_on_one.pk}:start").count() == 1


def test_each_lapse_after_a_held_meeting_gets_its_own_nudge(
    clock: time_machine.Traveller,
    one_on_one: Relationship,
    maya: Person,
    smtp_server: Any,
) -> None:
    held_at = FIRST + timedelta(days=21)
    clock.move_to(held_at + timedelta(minutes=30))
    meeting = meeting_close(actor=maya, relationship=one_on_one, key=held_at)
    run_at(clock, held_at + timedelta(days=13))
    assert nudges(smtp_server, maya.email) == []
    run_at(clock, held_at + timedelta(days=14))
    (mail,) = nudges(smtp_server, maya.email)
    assert mail.subject == "It has been 14 days since your last 1:1 with Ravi"
    assert Delivery.objects.filter(key=f"nudge:{one_on_one.pk}:{meeting.pk}").exists()
    run_at(clock, held_at + timedelta(days=30))
    assert len(nudges(smtp_server, maya.email)) == 1


def test_no_nudge_when_turned_off(
    clock: time_machine.Traveller,
    one_on_one: Relationship,
    maya: Person,
    smtp_server: Any,
) -> None:
    Preferences.objects.create(person=maya, email_nudges=False)
    run_at(clock, FIRST + timedelta(days=15))
    assert nudges(smtp_server, maya.email) == []
    assert not Delivery.objects.filter(kind="nudge").exists()


def test_a_paused_1on1_is_not_nudged(
    clock: time_machine.Traveller, one_on_one: Relationship, maya: Person, smtp_server: Any
) -> None:
    relationship_pause(actor=maya, relationship=one_on_one)
    run_at(clock, FIRST + timedelta(days=30))
    assert nudges(smtp_server, maya.email) == []


def test_a_meeting_held_before_sending_skips_the_nudge(
    clock: time_machine.Traveller, one_on_one: Relationship, maya: Person, smtp_server: Any
) -> None:
    moment = FIRST + timedelta(days=14)
    clock.move_to(moment + timedelta(minutes=30))
    nudge_plan(moment)
    meeting_close(actor=maya, relationship=one_on_one, key=moment)
    run_worker()
    assert nudges(smtp_server, maya.email) == []
    assert Delivery.objects.get(kind="nudge").status == "skipped"

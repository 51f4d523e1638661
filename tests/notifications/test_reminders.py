"""Reminders before a 1:1, through the real worker to a real SMTP server.

Maya (New York) and Ravi (Berlin) meet on Tuesdays at 10:00 New York time (15:00
UTC, 16:00 in Berlin). The clock starts on Monday 4 January 2027 at 08:00 UTC.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import Relationship
from meetings.schedule import Cadence, CadenceKind
from meetings.services.actions import action_add
from meetings.services.agenda import point_add
from meetings.services.meetings import meeting_cancel, meeting_reschedule
from meetings.services.relationships import relationship_pause, relationship_start
from notifications import outbox
from notifications.models import Delivery, Preferences
from notifications.reminders import plan_reminders, reminders_plan
from people.models import Person
from tests.conftest import client_for
from tests.support.worker import run_worker

pytestmark = pytest.mark.django_db

FIRST = datetime(2027, 1, 5, 15, 0, tzinfo=UTC)  # Tuesday 10:00 New York
SECOND = FIRST + timedelta(days=7)


def deliver_due() -> None:
    """What the worker's tick does: hand over what is due, then send it."""
    outbox.dispatch_due()
    run_worker()


class Inbox:
    """The reminders the SMTP server received (invitations and others are left out)."""

    def __init__(self, server: Any) -> None:
        self.server = server

    def to(self, address: str) -> list[Any]:
        return [m for m in self.server.to(address) if m.subject.startswith("Your 1:1 with")]

    @property
    def received(self) -> list[Any]:
        return [m for m in self.server.received if m.subject.startswith("Your 1:1 with")]


@pytest.fixture
def inbox(smtp_server: Any) -> Inbox:
    return Inbox(smtp_server)


@pytest.fixture
def rel(clock: time_machine.Traveller, one_on_one: Relationship) -> Relationship:
    return one_on_one


def test_starting_a_1on1_plans_reminders_a_day_before_each_meeting(
    rel: Relationship, maya: Person, ravi: Person
) -> None:
    due = sorted((d.person_id, d.due_at) for d in Delivery.objects.filter(kind="reminder"))
    day_before = FIRST - timedelta(hours=24)
    assert due == sorted([(maya.pk, day_before), (ravi.pk, day_before)])
    # The next one is more than 8 days ahead: a later planning run creates it.
    reminders_plan(FIRST)
    assert Delivery.objects.filter(kind="reminder", occurrence_key=SECOND).count() == 2
    assert {d.status for d in Delivery.objects.filter(kind="reminder")} == {"planned"}
    assert Delivery.objects.get(person=maya, occurrence_key=FIRST).key == (
        f"reminder:{maya.pk}:{rel.pk}:20270105T150000Z"
    )


def test_the_reminder_arrives_24_hours_before_in_each_persons_zone(
    clock: time_machine.Traveller,
    rel: Relationship,
    maya: Person,
    ravi: Person,
    inbox: Inbox,
) -> None:
    clock.move_to(FIRST - timedelta(hours=24, seconds=1))
    deliver_due()
    assert inbox.received == []

    clock.move_to(FIRST - timedelta(hours=24))
    deliver_due()
    (to_maya,) = inbox.to(maya.email)
    (to_ravi,) = inbox.to(ravi.email)
    assert to_maya.subject == "Your 1:1 with Ravi tomorrow at 10:00"
    assert to_ravi.subject == "Your 1:1 with Maya tomorrow at 16:00"
    assert "Tuesday 5 January 2027, 10:00 (America/New_York)" in to_maya.text
    assert "Tuesday 5 January 2027, 16:00 (Europe/Berlin)" in to_maya.text  # Ravi's time
    assert "Tuesday 5 January 2027, 16:00 (Europe/Berlin)" in to_ravi.html
    assert to_maya.html
    assert to_maya.text
    page = f"http://127.0.0.1:8000/1on1s/{rel.uuid}/"
    assert page in to_maya.text
    assert page + "#new-point" in to_ravi.html


def test_the_agenda_shows_shared_and_own_private_points_only(
    clock: time_machine.Traveller,
    rel: Relationship,
    maya: Person,
    ravi: Person,
    inbox: Inbox,
) -> None:
    point_add(actor=maya, relationship=rel, text="Shared roadmap")
    point_add(actor=maya, relationship=rel, text="MAYA-SECRET salary", is_private=True)
    point_add(actor=ravi, relationship=rel, text="RAVI-SECRET new job", is_private=True)
    action_add(actor=maya, relationship=rel, text="Book the offsite", owner=ravi)
    clock.move_to(FIRST - timedelta(hours=24))
    deliver_due()
    (to_maya,) = inbox.to(maya.email)
    (to_ravi,) = inbox.to(ravi.email)
    for mail in (to_maya, to_ravi):
        assert "Shared roadmap" in mail.text
        assert "Shared roadmap" in mail.html
        assert "Book the offsite" in mail.text
    assert "MAYA-SECRET" in to_maya.text
    assert "RAVI-SECRET" not in to_maya.text + to_maya.html
    assert "RAVI-SECRET" in to_ravi.html
    assert "MAYA-SECRET" not in to_ravi.text + to_ravi.html


def test_only_the_team_member_gets_a_check_in_link(
    clock: time_machine.Traveller,
    rel: Relationship,
    maya: Person,
    ravi: Person,
    inbox: Inbox,
) -> None:
    clock.move_to(FIRST - timedelta(hours=24))
    deliver_due()
    checkin = f"/1on1s/{rel.uuid}/meetings/20270105T150000Z/checkin/"
    assert checkin in inbox.to(ravi.email)[0].text
    assert checkin in inbox.to(ravi.email)[0].html
    assert "checkin" not in inbox.to(maya.email)[0].text
    assert "checkin" not in inbox.to(maya.email)[0].html
    # The links work for their recipient.
    assert client_for(ravi).get(checkin).status_code == 200
    assert client_for(maya).get(f"/1on1s/{rel.uuid}/").status_code == 200


def test_the_configured_hours_decide_when_it_comes(
    clock: time_machine.Traveller, maya: Person, ravi: Person, inbox: Inbox
) -> None:
    Preferences.objects.create(person=ravi, reminder_hours=2)
    Preferences.objects.create(person=maya, email_reminders=False)
    rel = relationship_start(
        actor=maya,
        other=ravi,
        kind=Relationship.Kind.MANAGER,
        cadence=Cadence(CadenceKind.WEEKLY, weekday=1),
        first_date=FIRST.date(),
        local_time=datetime(2027, 1, 5, 10, 0).time(),
        timezone="America/New_York",
        duration_minutes=30,
    )
    assert rel.pk
    clock.move_to(FIRST - timedelta(hours=24))
    deliver_due()
    assert inbox.received == []
    clock.move_to(FIRST - timedelta(hours=2))
    deliver_due()
    (mail,) = inbox.received
    assert mail.rcpt_tos == [ravi.email]
    assert mail.subject == "Your 1:1 with Maya today at 16:00"


def test_changing_the_hours_moves_planned_reminders(
    rel: Relationship, maya: Person, client: Any
) -> None:
    from notifications.reminders import preferences_update

    preferences_update(person=maya, reminder_hours=3)
    delivery = Delivery.objects.get(person=maya, occurrence_key=FIRST)
    assert delivery.due_at == FIRST - timedelta(hours=3)


def test_a_cancelled_meeting_gets_no_reminder(
    clock: time_machine.Traveller,
    rel: Relationship,
    maya: Person,
    ravi: Person,
    inbox: Inbox,
) -> None:
    meeting_cancel(actor=maya, relationship=rel, key=FIRST, reason="Travelling")
    clock.move_to(FIRST - timedelta(hours=24))
    deliver_due()
    assert inbox.received == []
    statuses = set(
        Delivery.objects.filter(kind="reminder", occurrence_key=FIRST).values_list(
            "status", flat=True
        )
    )
    assert statuses == {Delivery.Status.SKIPPED}


def test_a_rescheduled_meeting_is_reminded_once_at_its_new_time(
    clock: time_machine.Traveller,
    rel: Relationship,
    maya: Person,
    ravi: Person,
    inbox: Inbox,
) -> None:
    moved = FIRST + timedelta(days=1, hours=2)  # Wednesday 12:00 New York
    meeting_reschedule(actor=ravi, relationship=rel, key=FIRST, new_start=moved, reason="")
    clock.move_to(FIRST - timedelta(hours=24))
    deliver_due()
    assert inbox.received == []
    clock.move_to(moved - timedelta(hours=24))
    reminders_plan(moved - timedelta(hours=24))
    deliver_due()
    deliver_due()
    (to_maya,) = inbox.to(maya.email)
    assert to_maya.subject == "Your 1:1 with Ravi tomorrow at 12:00"
    assert len(inbox.to(ravi.email)) == 1


def test_a_meeting_moved_after_hand_over_waits_for_its_new_time(
    clock: time_machine.Traveller,
    rel: Relationship,
    maya: Person,
    ravi: Person,
    inbox: Inbox,
) -> None:
    clock.move_to(FIRST - timedelta(hours=24))
    outbox.dispatch_due()  # handed to the worker, not sent yet
    moved = FIRST + timedelta(days=2)
    meeting_reschedule(actor=maya, relationship=rel, key=FIRST, new_start=moved, reason="")
    run_worker()
    assert inbox.received == []
    clock.move_to(moved - timedelta(hours=24))
    deliver_due()
    assert len(inbox.to(maya.email)) == 1
    assert len(inbox.to(ravi.email)) == 1


def test_after_downtime_old_reminders_are_not_sent_but_recent_ones_are(
    clock: time_machine.Traveller, maya: Person, ravi: Person, one_on_one: Relationship
) -> None:
    Delivery.objects.all().delete()
    # The worker was down: planning runs 5 hours before the meeting (19 h late).
    clock.move_to(FIRST - timedelta(hours=5))
    plan_reminders([one_on_one], now=FIRST - timedelta(hours=5))
    assert not Delivery.objects.filter(occurrence_key=FIRST).exists()
    # 30 minutes late: sent at once.
    clock.move_to(FIRST - timedelta(hours=23, minutes=30))
    plan_reminders([one_on_one], now=FIRST - timedelta(hours=23, minutes=30))
    assert set(Delivery.objects.filter(occurrence_key=FIRST).values_list("status", flat=True)) == {
        Delivery.Status.PENDING
    }


def test_a_paused_1on1_gets_no_reminders(
    clock: time_machine.Traveller,
    rel: Relationship,
    maya: Person,
    inbox: Inbox,
) -> None:
    relationship_pause(actor=maya, relationship=rel)
    clock.move_to(FIRST - timedelta(hours=24))
    deliver_due()
    assert inbox.received == []


def test_reminders_off_means_nothing_is_sent(
    clock: time_machine.Traveller,
    rel: Relationship,
    maya: Person,
    ravi: Person,
    inbox: Inbox,
) -> None:
    from notifications.reminders import preferences_update

    preferences_update(person=maya, email_reminders=False)
    preferences_update(person=ravi, email_reminders=False)
    clock.move_to(FIRST - timedelta(hours=24))
    deliver_due()
    assert inbox.received == []


def test_two_planning_runs_and_two_workers_never_duplicate(
    clock: time_machine.Traveller,
    rel: Relationship,
    maya: Person,
    ravi: Person,
    inbox: Inbox,
) -> None:
    clock.move_to(FIRST - timedelta(hours=24))
    reminders_plan(FIRST - timedelta(hours=24))
    reminders_plan(FIRST - timedelta(hours=24))
    assert Delivery.objects.filter(occurrence_key=FIRST).count() == 2
    deliver_due()
    deliver_due()
    run_worker()
    assert len(inbox.to(maya.email)) == 1
    assert len(inbox.to(ravi.email)) == 1


def test_planning_costs_the_same_queries_for_more_1on1s(
    clock: time_machine.Traveller, rel: Relationship, acme: Any, maya: Person
) -> None:
    from datetime import date, time

    from tests.conftest import make_person

    Delivery.objects.all().delete()
    # Nothing new to create: only the reading queries count.
    reminders_plan(FIRST - timedelta(days=3))

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            reminders_plan(FIRST - timedelta(days=3))
        return len(queries)

    Delivery.objects.update(status=Delivery.Status.SENT)
    first = cost()
    for n in range(3):
        report = make_person(acme, f"r{n}@acme.test", f"Report {n}", manager=maya)
        relationship_start(
            actor=maya,
            other=report,
            kind=Relationship.Kind.MANAGER,
            cadence=Cadence(CadenceKind.WEEKLY, weekday=2),
            first_date=date(2027, 1, 6),
            local_time=time(9, 0),
            timezone="UTC",
            duration_minutes=30,
        )
    reminders_plan(FIRST - timedelta(days=3))
    Delivery.objects.update(status=Delivery.Status.SENT)
    assert cost() == first


def test_ending_the_1on1_marks_its_planned_reminders_not_needed(
    rel: Relationship, maya: Person
) -> None:
    from meetings.services.relationships import relationship_end

    relationship_end(actor=maya, relationship=rel)
    rows = Delivery.objects.filter(kind="reminder")
    assert rows.exists()
    assert set(rows.values_list("status", "last_error")) == {("skipped", "The 1:1 has ended.")}

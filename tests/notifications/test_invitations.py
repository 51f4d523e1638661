"""Calendar invitations end to end: the real services, the real worker, a real SMTP server.

What arrives is parsed back with icalendar; a simulated calendar app that applies every
message it gets must show exactly the meetings Rapport has.
"""

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings
from django.urls import resolve

from meetings.models import Meeting, Relationship
from meetings.schedule import Cadence, CadenceKind
from meetings.services.agenda import point_add
from meetings.services.meetings import meeting_cancel, meeting_reopen, meeting_reschedule
from meetings.services.relationships import (
    relationship_change_cadence,
    relationship_end,
    relationship_pause,
    relationship_resume,
    relationship_start,
)
from notifications import invitations
from notifications.models import Delivery, Preferences
from notifications.outbox import attempt
from notifications.tasks import deliver
from people.models import Person
from people.services import person_deactivate
from tests.notifications.test_ical import HI, LO, CalendarClient, expand, parse, rapport_slots
from tests.support.worker import run_worker

pytestmark = pytest.mark.django_db

FIRST = datetime(2027, 1, 5, 15, 0, tzinfo=UTC)  # Tuesday 10:00 New York, 16:00 Berlin
CALENDAR_KINDS = ("invitation", "occurrence_update", "occurrence_cancel", "series_cancel")


def calendar_mail(server: Any, address: str) -> list[Any]:
    return [m for m in server.to(address) if m.part("text/calendar")]


def calendar_part(received: Any) -> tuple[str, bytes]:
    """The method and bytes of the text/calendar alternative of a message."""
    for part in received.message.walk():
        if part.get_content_type() == "text/calendar":
            return str(part.get_param("method")), part.get_payload(decode=True)
    raise AssertionError("no text/calendar part")


def attachment(received: Any) -> bytes:
    for part in received.message.walk():
        if part.get_filename() == "invite.ics":
            payload: bytes = part.get_payload(decode=True)
            return payload
    raise AssertionError("no invite.ics attachment")


def links(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>]+", text)


def assert_links_work(received: Any) -> None:
    found = links(received.text) + links(received.html)
    assert found
    for url in found:
        assert url.startswith(settings.RAPPORT_BASE_URL)
        resolve(urlsplit(url).path)  # raises Resolver404 for a broken link


@pytest.fixture
def rel(clock: time_machine.Traveller, one_on_one: Relationship) -> Relationship:
    return one_on_one


def test_starting_a_1on1_invites_both_participants(
    smtp_server: Any, rel: Relationship, maya: Person, ravi: Person
) -> None:
    run_worker()
    for person in (maya, ravi):
        (received,) = calendar_mail(smtp_server, person.email)
        assert received.rcpt_tos == [person.email]
        assert received.subject.startswith("Invitation: 1:1 with")
        method, data = calendar_part(received)
        assert method == "REQUEST"
        assert received.message.get_content_type() == "multipart/mixed"
        assert received.text
        assert received.html
        assert attachment(received) == data
        calendar = parse(data)
        assert calendar["METHOD"] == "REQUEST"
        assert expand(calendar, LO, HI) == rapport_slots(rel, LO, HI)
        assert_links_work(received)
    # Times in each recipient's own zone, with the zone's name.
    (to_ravi,) = calendar_mail(smtp_server, ravi.email)
    assert "Tuesday 5 January 2027, 16:00 (Europe/Berlin, CET)" in to_ravi.text
    (to_maya,) = calendar_mail(smtp_server, maya.email)
    assert "Tuesday 5 January 2027, 10:00 (America/New_York, EST)" in to_maya.text
    assert "Ravi Report" in to_maya.text
    sent = Delivery.objects.filter(kind="invitation")
    assert {d.status for d in sent} == {"sent"}
    assert all(d.summary.startswith("Invitation: 1:1 Maya Manager / Ravi Report") for d in sent)


def test_a_calendar_app_fed_by_the_emails_shows_rapports_meetings(
    smtp_server: Any,
    clock: time_machine.Traveller,
    rel: Relationship,
    maya: Person,
    ravi: Person,
) -> None:
    client = CalendarClient()
    seen = 0

    def deliver() -> None:
        nonlocal seen
        run_worker()
        mail = calendar_mail(smtp_server, ravi.email)
        for received in mail[seen:]:
            client.apply(calendar_part(received)[1])
        seen = len(mail)
        assert client.slots(LO, HI) == rapport_slots(rel, LO, HI)

    deliver()
    key = FIRST + timedelta(weeks=1)
    meeting_reschedule(
        actor=maya, relationship=rel, key=key, new_start=key + timedelta(hours=3), reason=""
    )
    deliver()
    meeting_reschedule(
        actor=ravi, relationship=rel, key=key, new_start=key + timedelta(days=2), reason=""
    )
    deliver()
    cancelled = meeting_cancel(
        actor=maya, relationship=rel, key=FIRST + timedelta(weeks=2), reason=""
    )
    deliver()
    meeting_cancel(
        actor=maya, relationship=rel, key=FIRST + timedelta(weeks=3), reason="", skip=True
    )
    deliver()
    meeting_reopen(actor=ravi, relationship=rel, meeting=cancelled)
    deliver()
    relationship_change_cadence(
        actor=maya,
        relationship=rel,
        cadence=Cadence(CadenceKind.BIWEEKLY, weekday=3),
        from_date=date(2027, 3, 1),
        local_time=time(9, 0),
        timezone="Europe/Berlin",
        duration_minutes=45,
    )
    deliver()
    clock.move_to(datetime(2027, 3, 20, tzinfo=UTC))
    relationship_pause(actor=maya, relationship=rel)
    deliver()
    relationship_resume(actor=maya, relationship=rel, from_date=date(2027, 5, 1))
    deliver()
    moved = rapport_slots(rel, datetime(2027, 5, 1, tzinfo=UTC), HI)[1][0]
    meeting_reschedule(
        actor=maya, relationship=rel, key=moved, new_start=moved - timedelta(hours=2), reason=""
    )
    deliver()
    subjects = [m.subject for m in calendar_mail(smtp_server, ravi.email)]
    assert [s.split(":")[0] for s in subjects] == [
        "Invitation",
        "Moved",
        "Moved",
        "Cancelled",
        "Cancelled",
        "Back on",
        "New schedule",
        "Paused",
        "Resumed",
        "Moved",
    ]
    clock.move_to(datetime(2027, 6, 1, tzinfo=UTC))
    relationship_end(actor=maya, relationship=rel)
    run_worker()
    last = calendar_mail(smtp_server, ravi.email)[-1]
    assert last.subject == "Ended: 1:1 with Maya Manager"
    method, data = calendar_part(last)
    assert method == "CANCEL"
    client.apply(data)
    after = datetime(2027, 6, 1, tzinfo=UTC)
    assert client.slots(after, HI) == rapport_slots(rel, after, HI) == []


def test_changing_the_plan_before_the_first_meeting_withdraws_the_old_one(
    smtp_server: Any, rel: Relationship, maya: Person, ravi: Person
) -> None:
    client = CalendarClient()
    run_worker()
    relationship_change_cadence(
        actor=maya,
        relationship=rel,
        cadence=Cadence(CadenceKind.WEEKLY, weekday=2),
        from_date=date(2027, 1, 4),
        local_time=time(11, 0),
        timezone="America/New_York",
        duration_minutes=30,
    )
    run_worker()
    mail = calendar_mail(smtp_server, ravi.email)
    assert [calendar_part(m)[0] for m in mail] == ["REQUEST", "REQUEST", "CANCEL"]
    for received in mail:
        client.apply(calendar_part(received)[1])
    assert client.slots(LO, HI) == rapport_slots(rel, LO, HI)
    assert len(client.uids()) == 1


def test_updates_carry_no_private_content(
    smtp_server: Any, rel: Relationship, maya: Person, ravi: Person
) -> None:
    point_add(actor=ravi, relationship=rel, text="RAVI-PRIVATE-PLAN", is_private=True)
    point_add(actor=maya, relationship=rel, text="SHARED-AGENDA-ITEM", is_private=False)
    meeting_reschedule(
        actor=maya, relationship=rel, key=FIRST, new_start=FIRST + timedelta(hours=1), reason=""
    )
    meeting_cancel(actor=maya, relationship=rel, key=FIRST + timedelta(weeks=1), reason="")
    run_worker()
    assert len(smtp_server.received) == 6
    for received in smtp_server.received:
        raw = received.message.as_string()
        assert "RAVI-PRIVATE-PLAN" not in raw
        assert "SHARED-AGENDA-ITEM" not in raw
        assert_links_work(received)
    moved = [m for m in smtp_server.to(maya.email) if m.subject.startswith("Moved")]
    (update,) = moved
    assert "Tuesday 5 January 2027, 11:00 (America/New_York, EST)" in update.text
    method, data = calendar_part(update)
    assert method == "REQUEST"
    (event,) = parse(data).walk("VEVENT")
    assert event["RECURRENCE-ID"].dt.astimezone(UTC) == FIRST


def test_invitations_follow_the_preference(
    smtp_server: Any, clock: time_machine.Traveller, maya: Person, ravi: Person
) -> None:
    Preferences.objects.create(person=ravi, email_invitations=False)
    relationship_start(
        actor=maya,
        other=ravi,
        kind=Relationship.Kind.MANAGER,
        cadence=Cadence(CadenceKind.WEEKLY, weekday=1),
        first_date=date(2027, 1, 5),
        local_time=time(10, 0),
        timezone="America/New_York",
        duration_minutes=30,
    )
    run_worker()
    assert [m.rcpt_tos for m in smtp_server.received] == [[maya.email]]
    # Turned off after the message was queued: it is skipped when its time comes.
    Preferences.objects.create(person=maya, email_invitations=False)
    Preferences.objects.filter(person=ravi).update(email_invitations=True)
    rel = Relationship.objects.get()
    meeting_cancel(actor=ravi, relationship=rel, key=FIRST, reason="")
    Preferences.objects.filter(person=maya).update(email_invitations=False)
    run_worker()
    assert [m.rcpt_tos for m in smtp_server.received[1:]] == [[ravi.email]]


def test_a_queued_message_for_someone_who_left_is_skipped(
    smtp_server: Any, rel: Relationship, maya: Person, ravi: Person, ada: Person
) -> None:
    person_deactivate(actor=ada, person=ravi)
    run_worker()
    to_ravi = Delivery.objects.get(person=ravi, kind="invitation")
    assert to_ravi.status == "skipped"
    assert smtp_server.to(ravi.email) == []


def test_a_message_is_sent_once_however_often_the_task_runs(
    smtp_server: Any, rel: Relationship, maya: Person
) -> None:
    delivery = Delivery.objects.get(person=maya, kind="invitation")
    assert attempt(delivery.pk) == "sent"
    assert attempt(delivery.pk) == "not claimable"
    run_worker()
    deliver.enqueue(delivery.pk)  # a retried task
    run_worker()
    assert len(smtp_server.to(maya.email)) == 1
    # The signal again (a retried transaction, a second receiver) makes no second row.
    invitations.on_relationship_started(sender=None, relationship=rel)
    assert Delivery.objects.filter(person=maya, kind="invitation").count() == 1


def test_a_refusing_smtp_server_is_retried_and_the_message_arrives_once(
    smtp_server: Any, clock: time_machine.Traveller, rel: Relationship, maya: Person
) -> None:
    smtp_server.refuse_with = 451
    run_worker()
    delivery = Delivery.objects.get(person=maya, kind="invitation")
    assert delivery.status == "failed"
    assert "451" in delivery.last_error
    assert delivery.attempts == 1
    smtp_server.refuse_with = None
    run_worker()  # not due yet
    assert smtp_server.received == []
    clock.shift(timedelta(minutes=2))
    run_worker()
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == "sent"
    assert len(smtp_server.to(maya.email)) == 1


def test_a_stale_update_is_skipped_and_the_newest_is_sent(
    smtp_server: Any, rel: Relationship, maya: Person
) -> None:
    meeting_reschedule(
        actor=maya, relationship=rel, key=FIRST, new_start=FIRST + timedelta(hours=1), reason=""
    )
    meeting_reschedule(
        actor=maya, relationship=rel, key=FIRST, new_start=FIRST + timedelta(hours=2), reason=""
    )
    run_worker()
    updates = Delivery.objects.filter(person=maya, kind="occurrence_update").order_by("pk")
    assert [d.status for d in updates] == ["skipped", "sent"]
    (received,) = [m for m in smtp_server.to(maya.email) if m.subject.startswith("Moved")]
    (event,) = parse(calendar_part(received)[1]).walk("VEVENT")
    assert event["DTSTART"].dt.astimezone(UTC) == FIRST + timedelta(hours=2)
    assert int(event["SEQUENCE"]) == Meeting.objects.get().sequence == 2


def test_an_invitation_still_queued_when_the_1on1_ends_is_not_sent(
    smtp_server: Any, rel: Relationship, maya: Person, ravi: Person
) -> None:
    relationship_end(actor=maya, relationship=rel)
    run_worker()
    mine = Delivery.objects.filter(person=ravi, kind__in=CALENDAR_KINDS)
    statuses = dict(mine.values_list("kind", "status"))
    assert statuses == {"invitation": "skipped", "series_cancel": "sent"}
    (received,) = calendar_mail(smtp_server, ravi.email)
    assert received.subject == "Ended: 1:1 with Maya Manager"
    assert calendar_part(received)[0] == "CANCEL"

"""iCalendar files of a series, parsed back with icalendar and expanded with
recurring-ical-events: they must hold exactly the meetings Rapport has.

Every change goes through the real services. `CalendarClient` plays a calendar app
that receives an invitation and then each update or cancellation (by UID and
RECURRENCE-ID, the higher SEQUENCE winning), as RFC 5546 asks of it.
"""

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
import recurring_ical_events  # type: ignore[import-untyped]
import time_machine
from django.urls import resolve
from icalendar import Calendar, Event

from meetings.models import Meeting, Relationship, Schedule
from meetings.occurrences import segments
from meetings.schedule import Cadence, CadenceKind, occurrences
from meetings.services.meetings import (
    meeting_cancel,
    meeting_close,
    meeting_reopen,
    meeting_reschedule,
)
from meetings.services.relationships import (
    relationship_change_cadence,
    relationship_end,
    relationship_pause,
    relationship_resume,
    relationship_start,
)
from notifications import ical
from people.models import Person

Slot = tuple[datetime, timedelta]
WIDE = timedelta(days=120)


# Rapport's side: the schedule expanded, overlaid with the meeting rows.


def rapport_slots(relationship: Relationship, lo: datetime, hi: datetime) -> list[Slot]:
    """(start, duration) of every meeting that takes place in [lo, hi), as Rapport sees it."""
    schedules = list(Schedule.objects.filter(relationship=relationship).order_by("starts_at"))
    segs = segments(schedules)
    found: dict[datetime, Slot] = {}
    for key in occurrences(segs, lo - WIDE, hi + WIDE):
        owner = [s for s in segs if ical_owner_contains(s, key)][-1]
        found[key] = (key, timedelta(minutes=owner.duration_minutes))
    for meeting in Meeting.objects.filter(relationship=relationship):
        if meeting.status in (Meeting.Status.CANCELLED, Meeting.Status.SKIPPED):
            found.pop(meeting.occurrence_start, None)
        else:
            found[meeting.occurrence_start] = (
                meeting.start,
                timedelta(minutes=meeting.duration_minutes),
            )
    return sorted(slot for slot in found.values() if lo <= slot[0] < hi)


def ical_owner_contains(segment: Any, key: datetime) -> bool:
    from meetings.schedule import segment_occurrences

    return key in segment_occurrences(segment, key, key + timedelta(seconds=1))


# The calendar's side.


def expand(data: bytes | Calendar, lo: datetime, hi: datetime) -> list[Slot]:
    """(start in UTC, duration) of each instance recurring-ical-events finds in [lo, hi)."""
    calendar = Calendar.from_ical(data) if isinstance(data, bytes) else data
    slots: list[Slot] = []
    for event in recurring_ical_events.of(calendar).between(lo - WIDE, hi):
        start = event["DTSTART"].dt
        end = event["DTEND"].dt if "DTEND" in event else start + event["DURATION"].dt
        start_utc = start.astimezone(UTC)
        if lo <= start_utc < hi:
            slots.append((start_utc, end - start))
    return sorted(slots)


def parse(data: bytes) -> Any:
    """The calendar in `data`, checked for what every file needs (typed loosely, for tests)."""
    calendar: Any = Calendar.from_ical(data)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == ical.PRODID
    zones = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    for event in calendar.walk("VEVENT"):
        for name in ("DTSTART", "RECURRENCE-ID"):
            if name in event and "TZID" in event[name].params:
                assert event[name].params["TZID"] in zones, f"no VTIMEZONE for {name}"
    return calendar


def rid_key(event: Any) -> datetime | None:
    rid = event.get("RECURRENCE-ID")
    return rid.dt.astimezone(UTC) if rid is not None else None


class CalendarClient:
    """A calendar app's store: per UID a master and its overrides, fed by iTIP messages."""

    def __init__(self) -> None:
        self.store: dict[str, dict[datetime | None, Any]] = {}

    def apply(self, data: bytes) -> None:
        calendar = parse(data)
        method = str(calendar.get("METHOD", "PUBLISH"))
        incoming: dict[str, list[Any]] = {}
        for event in calendar.walk("VEVENT"):
            incoming.setdefault(str(event["UID"]), []).append(event)
        for uid, events in incoming.items():
            known = self.store.setdefault(uid, {})
            masters = [e for e in events if rid_key(e) is None]
            if method == "CANCEL":
                if masters:
                    if int(masters[0]["SEQUENCE"]) >= self._sequence(known.get(None)):
                        del self.store[uid]
                    continue
                for event in events:
                    if int(event["SEQUENCE"]) >= self._sequence(known.get(rid_key(event))):
                        known[rid_key(event)] = event
                continue
            if masters:
                if int(masters[0]["SEQUENCE"]) < self._sequence(known.get(None)):
                    continue  # an older version of the series
                # A new version of the whole series replaces what was known of it.
                self.store[uid] = {rid_key(e): e for e in events}
                continue
            for event in events:
                if int(event["SEQUENCE"]) >= self._sequence(known.get(rid_key(event))):
                    known[rid_key(event)] = event

    @staticmethod
    def _sequence(event: Any) -> int:
        return int(event["SEQUENCE"]) if event is not None else -1

    def calendar(self) -> Calendar:
        calendar = Calendar()
        calendar.add("prodid", "-//test client//EN")
        calendar.add("version", "2.0")
        for components in self.store.values():
            master = components.get(None)
            if master is None:
                continue
            master = Event.from_ical(master.to_ical())
            for key, event in components.items():
                if key is None:
                    continue
                if str(event.get("STATUS", "")) == "CANCELLED":
                    master.add("exdate", key)
                else:
                    calendar.add_component(event)
            calendar.add_component(master)
        calendar.add_missing_timezones()
        return calendar

    def slots(self, lo: datetime, hi: datetime) -> list[Slot]:
        return expand(self.calendar(), lo, hi)

    def uids(self) -> set[str]:
        return set(self.store)


# Fixtures and helpers.


def schedules_of(relationship: Relationship) -> list[Schedule]:
    return list(Schedule.objects.filter(relationship=relationship).order_by("starts_at"))


def meetings_of(relationship: Relationship) -> list[Meeting]:
    return list(Meeting.objects.filter(relationship=relationship))


def full(relationship: Relationship, method: str | None = "REQUEST") -> bytes:
    relationship.refresh_from_db()
    return bytes(
        ical.series_calendar(
            relationship,
            schedules=schedules_of(relationship),
            meetings=meetings_of(relationship),
            method=method,
        ).to_ical()
    )


@pytest.fixture
def frozen(now: datetime) -> Iterator[object]:
    with time_machine.travel(now, tick=False) as traveller:
        yield traveller


def start(
    lead: Person,
    member: Person,
    *,
    first: date,
    at: time,
    tz: str,
    cadence: Cadence | None = None,
    minutes: int = 30,
) -> Relationship:
    return relationship_start(
        actor=lead,
        other=member,
        kind=Relationship.Kind.MANAGER,
        cadence=cadence or Cadence(CadenceKind.WEEKLY, weekday=first.weekday()),
        first_date=first,
        local_time=at,
        timezone=tz,
        duration_minutes=minutes,
    )


def local(day: date, at: time, tz: str) -> datetime:
    from lib.timezones import zone

    return datetime.combine(day, at, tzinfo=zone(tz)).astimezone(UTC)


LO = datetime(2027, 1, 1, tzinfo=UTC)
HI = datetime(2028, 6, 1, tzinfo=UTC)


def assert_same(
    relationship: Relationship, data: bytes, lo: datetime = LO, hi: datetime = HI
) -> None:
    expected = rapport_slots(relationship, lo, hi)
    assert expected, "the window should hold meetings"
    assert expand(parse(data), lo, hi) == expected


# The tests.


def test_a_new_series_expands_to_its_meetings(one_on_one: Relationship, frozen: object) -> None:
    data = full(one_on_one)
    calendar = parse(data)
    assert calendar["METHOD"] == "REQUEST"
    (schedule,) = schedules_of(one_on_one)
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == ical.segment_uid(one_on_one, schedule)
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert event["DTSTART"].dt.replace(tzinfo=None) == datetime(2027, 1, 5, 10, 0)
    assert int(event["SEQUENCE"]) == 0
    assert event["RRULE"]["FREQ"] == ["WEEKLY"]
    assert "UNTIL" not in event["RRULE"]
    assert str(event["SUMMARY"]) == "1:1: Maya Manager / Ravi Report"
    assert str(event["ORGANIZER"]).startswith("mailto:")
    assert sorted(str(a) for a in event["ATTENDEE"]) == [
        "mailto:maya@acme.test",
        "mailto:ravi@acme.test",
    ]
    url = urlsplit(str(event["URL"]))
    assert url.scheme in ("http", "https")
    assert resolve(url.path).url_name == "relationship"
    assert_same(one_on_one, data)
    # Tuesdays 10:00 New York stay at 10:00 local after the change on 14 March: 15:00 → 14:00 UTC.
    slots = expand(data, datetime(2027, 3, 1, tzinfo=UTC), datetime(2027, 3, 31, tzinfo=UTC))
    assert [s.hour for s, _ in slots] == [15, 15, 14, 14, 14]


def test_moved_cancelled_skipped_and_reopened_meetings_are_exceptions(
    one_on_one: Relationship, maya: Person, ravi: Person, frozen: object
) -> None:
    tuesdays = [datetime(2027, 1, 5, 15, tzinfo=UTC) + timedelta(weeks=n) for n in range(6)]
    meeting_reschedule(
        actor=maya,
        relationship=one_on_one,
        key=tuesdays[1],
        new_start=tuesdays[1] + timedelta(days=1, hours=2),
        reason="Offsite",
    )
    meeting_cancel(actor=ravi, relationship=one_on_one, key=tuesdays[2], reason="")
    meeting_cancel(actor=maya, relationship=one_on_one, key=tuesdays[3], reason="", skip=True)
    cancelled = meeting_cancel(actor=maya, relationship=one_on_one, key=tuesdays[4], reason="")
    meeting_reopen(actor=maya, relationship=one_on_one, meeting=cancelled)
    data = full(one_on_one)
    slots = expand(data, LO, datetime(2027, 2, 15, tzinfo=UTC))
    starts = [s for s, _ in slots]
    assert tuesdays[1] not in starts
    assert tuesdays[1] + timedelta(days=1, hours=2) in starts
    assert tuesdays[2] not in starts
    assert tuesdays[3] not in starts
    assert tuesdays[4] in starts
    assert_same(one_on_one, data)
    (master,) = [e for e in parse(data).walk("VEVENT") if rid_key(e) is None]
    assert len(master.get("EXDATE")) == 2


def test_a_cadence_change_is_a_second_segment_with_its_own_uid(
    one_on_one: Relationship, maya: Person, frozen: object
) -> None:
    relationship_change_cadence(
        actor=maya,
        relationship=one_on_one,
        cadence=Cadence(CadenceKind.MONTHLY, weekday=3, nth=-1),
        from_date=date(2027, 3, 1),
        local_time=time(9, 30),
        timezone="Europe/Berlin",
        duration_minutes=45,
    )
    data = full(one_on_one)
    masters = [e for e in parse(data).walk("VEVENT") if rid_key(e) is None]
    first, second = schedules_of(one_on_one)
    assert [str(m["UID"]) for m in masters] == [
        ical.segment_uid(one_on_one, first),
        ical.segment_uid(one_on_one, second),
    ]
    assert [int(m["SEQUENCE"]) for m in masters] == [1, 0]
    assert "UNTIL" in masters[0]["RRULE"]
    assert {str(tz["TZID"]) for tz in parse(data).walk("VTIMEZONE")} == {
        "America/New_York",
        "Europe/Berlin",
    }
    assert_same(one_on_one, data)
    # Each segment alone is one CalDAV resource with one UID.
    for schedule in (first, second):
        part = ical.segment_calendar(one_on_one, schedule, meetings=meetings_of(one_on_one))
        assert {str(e["UID"]) for e in part.walk("VEVENT")} == {
            ical.segment_uid(one_on_one, schedule)
        }


def test_pause_and_resume(one_on_one: Relationship, maya: Person, now: datetime) -> None:
    with time_machine.travel(datetime(2027, 2, 1, 12, tzinfo=UTC), tick=False):
        relationship_pause(actor=maya, relationship=one_on_one)
        paused = full(one_on_one)
        assert expand(paused, datetime(2027, 2, 1, tzinfo=UTC), HI) == []
        assert_same(one_on_one, paused, LO, datetime(2027, 2, 1, tzinfo=UTC))
        relationship_resume(actor=maya, relationship=one_on_one, from_date=date(2027, 4, 1))
    assert_same(one_on_one, full(one_on_one))


@pytest.mark.parametrize(
    ("tz", "first", "at"),
    [
        ("America/New_York", date(2027, 3, 1), time(9, 0)),  # spring forward on 14 March
        ("America/New_York", date(2027, 10, 25), time(1, 30)),  # 01:30 happens twice on 7 Nov
        ("Europe/Berlin", date(2027, 3, 22), time(8, 0)),
        ("Europe/Berlin", date(2027, 10, 25), time(17, 0)),
        ("Australia/Adelaide", date(2027, 3, 29), time(10, 0)),
        ("Asia/Kolkata", date(2027, 1, 7), time(16, 30)),
    ],
)
def test_daylight_saving_keeps_the_wall_clock(
    maya: Person, ravi: Person, frozen: object, tz: str, first: date, at: time
) -> None:
    relationship = start(maya, ravi, first=first, at=at, tz=tz)
    data = full(relationship)
    assert_same(relationship, data)
    from lib.timezones import zone

    for slot, _ in expand(data, LO, HI):
        assert slot.astimezone(zone(tz)).time() == at


def test_a_moved_meeting_across_daylight_saving(maya: Person, ravi: Person, frozen: object) -> None:
    relationship = start(maya, ravi, first=date(2027, 3, 1), at=time(9, 0), tz="America/New_York")
    key = local(date(2027, 3, 8), time(9, 0), "America/New_York")  # before the change
    moved = local(date(2027, 3, 15), time(7, 0), "America/New_York")  # after it
    meeting_reschedule(actor=maya, relationship=relationship, key=key, new_start=moved, reason="")
    data = full(relationship)
    assert_same(relationship, data)
    update = ical.occurrence_update_calendar(
        relationship, Meeting.objects.get(occurrence_start=key)
    )
    (event,) = parse(update.to_ical()).walk("VEVENT")
    assert event["RECURRENCE-ID"].params["TZID"] == "America/New_York"
    assert event["RECURRENCE-ID"].dt.replace(tzinfo=None) == datetime(2027, 3, 8, 9, 0)
    assert event["DTSTART"].dt.astimezone(UTC) == moved


def test_occurrence_messages(one_on_one: Relationship, maya: Person, frozen: object) -> None:
    key = datetime(2027, 1, 12, 15, tzinfo=UTC)
    meeting = meeting_reschedule(
        actor=maya, relationship=one_on_one, key=key, new_start=key + timedelta(hours=1), reason=""
    )
    update = parse(ical.occurrence_update_calendar(one_on_one, meeting).to_ical())
    assert update["METHOD"] == "REQUEST"
    (event,) = update.walk("VEVENT")
    assert rid_key(event) == key
    assert event["DTSTART"].dt.astimezone(UTC) == key + timedelta(hours=1)
    assert int(event["SEQUENCE"]) == 1
    meeting = meeting_cancel(actor=maya, relationship=one_on_one, key=key, reason="")
    cancel = parse(ical.occurrence_cancel_calendar(one_on_one, meeting).to_ical())
    assert cancel["METHOD"] == "CANCEL"
    (event,) = cancel.walk("VEVENT")
    assert rid_key(event) == key
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 2


def test_a_calendar_app_that_follows_every_message_shows_rapports_meetings(
    maya: Person, ravi: Person, frozen: object
) -> None:
    relationship = start(maya, ravi, first=date(2027, 1, 6), at=time(9, 0), tz="Europe/Berlin")
    client = CalendarClient()
    initial = full(relationship)
    client.apply(initial)
    assert client.slots(LO, HI) == rapport_slots(relationship, LO, HI)

    def occurrence(meeting: Meeting) -> None:
        meeting.refresh_from_db()
        if meeting.status in ical.OFF_CALENDAR:
            client.apply(ical.occurrence_cancel_calendar(relationship, meeting).to_ical())
        else:
            client.apply(ical.occurrence_update_calendar(relationship, meeting).to_ical())
        assert client.slots(LO, HI) == rapport_slots(relationship, LO, HI)

    weds = [
        local(date(2027, 1, 6), time(9, 0), "Europe/Berlin") + timedelta(weeks=n) for n in range(12)
    ]
    occurrence(
        meeting_reschedule(
            actor=maya,
            relationship=relationship,
            key=weds[1],
            new_start=weds[1] + timedelta(hours=5),
            reason="",
        )
    )
    # Moved twice: the later SEQUENCE wins.
    occurrence(
        meeting_reschedule(
            actor=ravi,
            relationship=relationship,
            key=weds[1],
            new_start=weds[1] + timedelta(days=1),
            reason="",
        )
    )
    occurrence(meeting_cancel(actor=maya, relationship=relationship, key=weds[2], reason=""))
    skipped = meeting_cancel(
        actor=maya, relationship=relationship, key=weds[3], reason="", skip=True
    )
    occurrence(skipped)
    occurrence(meeting_reopen(actor=ravi, relationship=relationship, meeting=skipped))
    # A meeting that was held changes nothing on the calendar.
    with time_machine.travel(weds[5] + timedelta(minutes=5), tick=False):
        meeting_close(actor=maya, relationship=relationship, key=weds[5])
    assert client.slots(LO, HI) == rapport_slots(relationship, LO, HI)
    # A cadence change sends the whole series again (all segments).
    with time_machine.travel(weds[6], tick=False):
        relationship_change_cadence(
            actor=maya,
            relationship=relationship,
            cadence=Cadence(CadenceKind.BIWEEKLY, weekday=4),
            from_date=date(2027, 3, 1),
            local_time=time(15, 0),
            timezone="America/New_York",
            duration_minutes=60,
        )
    client.apply(full(relationship))
    assert client.slots(LO, HI) == rapport_slots(relationship, LO, HI)
    # A copy of the first invitation arriving late changes nothing (lower SEQUENCE).
    client.apply(initial)
    assert client.slots(LO, HI) == rapport_slots(relationship, LO, HI)
    # Ending the series cancels what was still on the calendar.
    with time_machine.travel(datetime(2027, 4, 1, tzinfo=UTC), tick=False):
        relationship_end(actor=maya, relationship=relationship)
        relationship.refresh_from_db()
        end = relationship.ended_at
        assert end is not None
        ended = [s for s in schedules_of(relationship) if s.until and s.until >= end]
        assert ended
        cancel = ical.series_cancel_calendar(relationship, ended)
    calendar = parse(cancel.to_ical())
    assert calendar["METHOD"] == "CANCEL"
    assert {str(e["STATUS"]) for e in calendar.walk("VEVENT")} == {"CANCELLED"}
    client.apply(cancel.to_ical())
    assert client.slots(datetime(2027, 4, 1, tzinfo=UTC), HI) == []
    assert rapport_slots(relationship, datetime(2027, 4, 1, tzinfo=UTC), HI) == []


def test_participants_in_different_zones_get_the_series_zone(
    maya: Person, ravi: Person, frozen: object
) -> None:
    # Maya is in New York, Ravi in Berlin; the series runs on Tokyo time.
    relationship = start(maya, ravi, first=date(2027, 1, 8), at=time(8, 0), tz="Asia/Tokyo")
    data = full(relationship)
    (event,) = parse(data).walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert_same(relationship, data)


def test_no_agenda_content_ever_reaches_a_file(
    one_on_one: Relationship, maya: Person, ravi: Person, frozen: object
) -> None:
    from meetings.services.agenda import point_add

    point_add(actor=ravi, relationship=one_on_one, text="SECRET-PRIVATE-POINT", is_private=True)
    point_add(actor=maya, relationship=one_on_one, text="SHARED-AGENDA-POINT", is_private=False)
    key = datetime(2027, 1, 12, 15, tzinfo=UTC)
    meeting = meeting_reschedule(
        actor=maya, relationship=one_on_one, key=key, new_start=key + timedelta(hours=1), reason=""
    )
    files = [
        full(one_on_one),
        ical.occurrence_update_calendar(one_on_one, meeting).to_ical(),
        ical.person_feed(ravi).to_ical(),
    ]
    for data in files:
        assert b"SECRET-PRIVATE-POINT" not in data
        assert b"SHARED-AGENDA-POINT" not in data


def test_the_person_feed_holds_every_series_in_three_queries(
    maya: Person,
    ravi: Person,
    olga: Person,
    oren: Person,
    frozen: object,
    django_assert_num_queries: Any,
) -> None:
    from tests.conftest import make_person

    first = start(maya, ravi, first=date(2027, 1, 5), at=time(10, 0), tz="America/New_York")
    peer = relationship_start(
        actor=maya,
        other=olga,
        kind=Relationship.Kind.PEER,
        cadence=Cadence(CadenceKind.MONTHLY, weekday=2, nth=1),
        first_date=date(2027, 2, 1),
        local_time=time(11, 0),
        timezone="UTC",
        duration_minutes=30,
    )
    others = start(olga, oren, first=date(2027, 1, 7), at=time(9, 0), tz="UTC")
    relationship_end(actor=maya, relationship=peer)
    with django_assert_num_queries(3):
        feed = ical.person_feed(maya)
    calendar = parse(feed.to_ical())
    assert "X-WR-CALNAME" in calendar
    assert "REFRESH-INTERVAL" in calendar
    uids = {str(e["UID"]) for e in calendar.walk("VEVENT")}
    assert any(uid.startswith(str(first.uuid)) for uid in uids)
    assert not any(uid.startswith(str(others.uuid)) for uid in uids)
    # The count stays at three with more series and more exceptions.
    meeting_cancel(
        actor=maya, relationship=first, key=datetime(2027, 1, 12, 15, tzinfo=UTC), reason=""
    )
    assert maya.organization is not None
    nina = make_person(maya.organization, "nina@acme.test", "Nina", manager=maya)
    start(maya, nina, first=date(2027, 1, 6), at=time(14, 0), tz="Europe/Berlin")
    with django_assert_num_queries(3):
        ical.person_feed(maya)

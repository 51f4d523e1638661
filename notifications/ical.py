"""iCalendar files for 1:1 series, built with the icalendar library.

A series is a list of Schedule segments; each segment is one iCalendar event (one
UID) with an RRULE in its own zone, so a meeting keeps its wall-clock time across
daylight saving. A touched occurrence (a Meeting row) becomes an EXDATE when it was
cancelled or skipped, and an override VEVENT (same UID, RECURRENCE-ID) when it moved
or was brought back. Files carry who and when and a link, never agenda content.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.db.models import F, Q
from django.urls import reverse
from django.utils.timezone import now
from icalendar import Calendar, Event, vCalAddress, vRecur

from lib.timezones import zone
from meetings.access import relationships_of
from meetings.models import Meeting, Relationship, Schedule
from meetings.occurrences import segments as to_segments
from meetings.schedule import Segment, segment_occurrences
from notifications.emails import absolute
from people.models import Person

PRODID = "-//Rapport//1:1 calendar//EN"
# How often a subscribed calendar should fetch the feed again.
FEED_REFRESH = timedelta(hours=1)
OFF_CALENDAR = (Meeting.Status.CANCELLED, Meeting.Status.SKIPPED)


def segment_uid(relationship: Relationship, schedule: Schedule) -> str:
    """The stable UID of one segment of a series (one calendar event)."""
    return f"{relationship.uuid}-{schedule.pk}@rapport"


def summary(relationship: Relationship) -> str:
    return f"1:1: {relationship.lead.name} / {relationship.member.name}"


def relationship_url(relationship: Relationship) -> str:
    return absolute(reverse("meetings:relationship", args=[relationship.uuid]))


def _segment(schedule: Schedule) -> Segment:
    (segment,) = to_segments([schedule])
    return segment


def _first_start(schedule: Schedule) -> datetime:
    return datetime.combine(
        schedule.first_date, schedule.local_time, tzinfo=zone(schedule.timezone)
    )


def has_occurrences(schedule: Schedule) -> bool:
    """False for a segment cut before its first meeting (nothing of it is on a calendar)."""
    return schedule.until is None or schedule.starts_at < schedule.until


def _local(instant: datetime, tz_name: str) -> datetime:
    """An instant as wall-clock time in a zone, or in UTC when that time is ambiguous."""
    local = instant.astimezone(zone(tz_name))
    if local.replace(fold=1 - local.fold).astimezone(UTC) != instant.astimezone(UTC):
        return instant.astimezone(UTC)  # the hour that repeats when clocks go back
    return local


def _organizer() -> vCalAddress:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address or 'rapport@localhost'}")
    organizer.params["CN"] = name or "Rapport"
    return organizer


def _attendee(person: Person) -> vCalAddress:
    attendee = vCalAddress(f"mailto:{person.email}")
    attendee.params["CN"] = person.name
    attendee.params["ROLE"] = "REQ-PARTICIPANT"
    attendee.params["PARTSTAT"] = "ACCEPTED"
    attendee.params["RSVP"] = "FALSE"
    return attendee


def _event(
    relationship: Relationship, schedule: Schedule, *, sequence: int, stamp: datetime
) -> Event:
    """The properties every component of a segment shares."""
    event = Event()
    event.add("uid", segment_uid(relationship, schedule))
    event.add("dtstamp", stamp)
    event.add("sequence", sequence)
    event.add("summary", summary(relationship))
    url = relationship_url(relationship)
    event.add("url", url)
    event.add("description", f"Your 1:1 in Rapport (agenda, notes and actions): {url}")
    event.add("organizer", _organizer())
    event.add("attendee", _attendee(relationship.lead))
    event.add("attendee", _attendee(relationship.member))
    event.add("transp", "OPAQUE")
    return event


def _rrule(schedule: Schedule) -> vRecur:
    rule: vRecur = vRecur.from_ical(schedule.rrule)
    if schedule.until is not None:
        # RRULE's UNTIL is inclusive, a segment's `until` is not; occurrences fall on whole seconds.
        last = (schedule.until - timedelta(microseconds=1)).astimezone(UTC).replace(microsecond=0)
        rule["UNTIL"] = [last]
    return rule


def _owner(schedules: Sequence[Schedule], key: datetime) -> Schedule | None:
    """The segment a meeting's original start belongs to (the latest that began before it)."""
    owner = None
    for schedule in schedules:
        if schedule.starts_at <= key and (schedule.until is None or key < schedule.until):
            owner = schedule
    if owner is None:
        earlier = [s for s in schedules if s.starts_at <= key and has_occurrences(s)]
        owner = earlier[-1] if earlier else None
    return owner


def _is_occurrence(schedule: Schedule, key: datetime) -> bool:
    segment = _segment(schedule)
    unbounded = Segment(
        segment.rrule, segment.first_date, segment.local_time, segment.timezone,
        segment.duration_minutes,
    )  # fmt: skip
    return key in segment_occurrences(unbounded, key, key + timedelta(seconds=1))


def _segment_components(
    relationship: Relationship,
    schedule: Schedule,
    meetings: Iterable[Meeting],
    stamp: datetime,
) -> list[Event]:
    """The master VEVENT of a segment and an override for every meeting that needs one."""
    tz_name = schedule.timezone
    master = _event(relationship, schedule, sequence=schedule.sequence, stamp=stamp)
    master.add("dtstart", _first_start(schedule))
    master.add("duration", timedelta(minutes=schedule.duration_minutes))
    master.add("rrule", _rrule(schedule))
    excluded: list[datetime] = []
    extra: list[datetime] = []
    overrides: list[Event] = []
    for meeting in sorted(meetings, key=lambda m: m.occurrence_start):
        key = meeting.occurrence_start
        in_rule = _is_occurrence(schedule, key)
        in_range = schedule.until is None or key < schedule.until
        if meeting.status in OFF_CALENDAR:
            if in_rule and in_range:
                excluded.append(_local(key, tz_name))
            continue
        if not (in_rule and in_range):
            extra.append(_local(key, tz_name))  # an occurrence kept after its segment changed
        elif meeting.start == key and meeting.sequence == 0:
            continue
        overrides.append(_override(relationship, schedule, meeting, stamp))
    # One property per date: an ambiguous time is written in UTC, the others in the zone.
    for moment in excluded:
        master.add("exdate", moment)
    for moment in extra:
        master.add("rdate", moment)
    return [master, *overrides]


def _override(
    relationship: Relationship, schedule: Schedule, meeting: Meeting, stamp: datetime
) -> Event:
    event = _event(relationship, schedule, sequence=meeting.sequence, stamp=stamp)
    event.add("recurrence-id", _local(meeting.occurrence_start, schedule.timezone))
    event.add("dtstart", _local(meeting.start, schedule.timezone))
    event.add("duration", timedelta(minutes=meeting.duration_minutes))
    return event


def _calendar(method: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    return calendar


def _finish(calendar: Calendar) -> Calendar:
    calendar.add_missing_timezones()
    return calendar


def _by_segment(
    schedules: Sequence[Schedule], meetings: Iterable[Meeting]
) -> dict[int, list[Meeting]]:
    grouped: dict[int, list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        owner = _owner(schedules, meeting.occurrence_start)
        if owner is not None:
            grouped[owner.pk].append(meeting)
    return grouped


def _add_series(
    calendar: Calendar,
    relationship: Relationship,
    schedules: Sequence[Schedule],
    meetings: Iterable[Meeting],
    stamp: datetime,
) -> None:
    ordered = sorted(schedules, key=lambda s: (s.starts_at, s.pk))
    grouped = _by_segment(ordered, meetings)
    for schedule in ordered:
        if has_occurrences(schedule):
            for component in _segment_components(
                relationship, schedule, grouped.get(schedule.pk, []), stamp
            ):
                calendar.add_component(component)


def series_calendar(
    relationship: Relationship,
    *,
    schedules: Sequence[Schedule],
    meetings: Iterable[Meeting],
    method: str | None = None,
) -> Calendar:
    """Every segment of a series with its exceptions (an invitation or a feed entry)."""
    calendar = _calendar(method)
    _add_series(calendar, relationship, schedules, meetings, now())
    return _finish(calendar)


def segment_calendar(
    relationship: Relationship,
    schedule: Schedule,
    *,
    meetings: Iterable[Meeting],
    method: str | None = None,
) -> Calendar:
    """One segment (one UID) with its exceptions: a CalDAV resource.

    `meetings` may hold the whole series' rows; those of other segments are left out.
    """
    siblings = list(Schedule.objects.filter(relationship_id=relationship.pk).order_by("starts_at"))
    if not any(s.pk == schedule.pk for s in siblings):
        siblings.append(schedule)
    grouped = _by_segment(sorted(siblings, key=lambda s: (s.starts_at, s.pk)), meetings)
    calendar = _calendar(method)
    if has_occurrences(schedule):
        for component in _segment_components(
            relationship, schedule, grouped.get(schedule.pk, []), now()
        ):
            calendar.add_component(component)
    return _finish(calendar)


def _schedules(relationship: Relationship) -> list[Schedule]:
    return list(relationship.schedules.order_by("starts_at", "pk"))


def owner_of(relationship: Relationship, meeting: Meeting) -> Schedule:
    schedules = _schedules(relationship)
    owner = _owner(schedules, meeting.occurrence_start)
    if owner is None:
        raise ValueError("This meeting belongs to no segment of its series.")
    return owner


def occurrence_update_calendar(relationship: Relationship, meeting: Meeting) -> Calendar:
    """METHOD:REQUEST for one occurrence: moved, or back on the calendar after a cancel."""
    schedule = owner_of(relationship, meeting)
    calendar = _calendar("REQUEST")
    calendar.add_component(_override(relationship, schedule, meeting, now()))
    return _finish(calendar)


def occurrence_cancel_calendar(relationship: Relationship, meeting: Meeting) -> Calendar:
    """METHOD:CANCEL for one occurrence of a series."""
    schedule = owner_of(relationship, meeting)
    event = _override(relationship, schedule, meeting, now())
    event.add("status", "CANCELLED")
    calendar = _calendar("CANCEL")
    calendar.add_component(event)
    return _finish(calendar)


def series_cancel_calendar(relationship: Relationship, schedules: Sequence[Schedule]) -> Calendar:
    """METHOD:CANCEL for whole segments (their UIDs): the series ended, or a plan was replaced."""
    calendar = _calendar("CANCEL")
    stamp = now()
    for schedule in schedules:
        event = _event(relationship, schedule, sequence=schedule.sequence, stamp=stamp)
        event.add("dtstart", _first_start(schedule))
        event.add("duration", timedelta(minutes=schedule.duration_minutes))
        event.add("status", "CANCELLED")
        calendar.add_component(event)
    return _finish(calendar)


def interesting_meetings() -> Q:
    """Meeting rows that change a calendar: moved, cancelled, skipped or brought back."""
    return Q(sequence__gt=0) | Q(status__in=OFF_CALENDAR) | ~Q(start=F("occurrence_start"))


def person_feed(person: Person) -> Calendar:
    """Every 1:1 series of a person, in any state, as one subscribable calendar.

    Three queries whatever the number of series: relationships, schedules, meetings.
    """
    relationships = list(
        relationships_of(person).select_related("lead", "member").order_by("created_at", "pk")
    )
    ids = [r.pk for r in relationships]
    schedules: dict[int, list[Schedule]] = defaultdict(list)
    meetings: dict[int, list[Meeting]] = defaultdict(list)
    if ids:
        for schedule in Schedule.objects.filter(relationship_id__in=ids).order_by(
            "starts_at", "pk"
        ):
            schedules[schedule.relationship_id].append(schedule)
        for meeting in Meeting.objects.filter(interesting_meetings(), relationship_id__in=ids):
            meetings[meeting.relationship_id].append(meeting)
    calendar = _calendar("PUBLISH")
    calendar.add("x-wr-calname", f"Rapport 1:1s of {person.name}")
    calendar.add("x-wr-caldesc", "Your 1:1s in Rapport. Only times and links, never content.")
    calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", FEED_REFRESH)
    stamp = now()
    for relationship in relationships:
        _add_series(
            calendar, relationship, schedules[relationship.pk], meetings[relationship.pk], stamp
        )
    return _finish(calendar)

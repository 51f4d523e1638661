"""Property-based: for arbitrary zones, cadences, times and dates, three views agree.

Rapport's own expansion (meetings.schedule), the iCalendar file expanded by
recurring-ical-events, and the reminder times (notifications.reminders.reminders_for)
shifted back by the reminder hours all name the same instants. Nothing touches the
database: the rows are built in memory.
"""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from meetings.models import Relationship, Schedule
from meetings.occurrences import Occurrence
from meetings.schedule import (
    NTH_CHOICES,
    Cadence,
    CadenceError,
    CadenceKind,
    Segment,
    first_occurrence_on_or_after,
    local_to_utc,
    occurrences,
    segment_for,
    validate_segment,
)
from notifications import ical
from notifications.reminders import reminders_for
from people.models import Person
from tests.notifications.test_ical import expand

# Daylight-saving-heavy zones, southern-hemisphere ones, half- and quarter-hour offsets,
# a zone whose DST change is at midnight and one with "negative" summer time in tzdata.
ZONES = [
    "UTC",
    "America/New_York",
    "America/Los_Angeles",
    "America/St_Johns",
    "America/Havana",
    "America/Santiago",
    "America/Sao_Paulo",
    "Europe/Berlin",
    "Europe/London",
    "Europe/Dublin",
    "Africa/Casablanca",
    "Asia/Tehran",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Tokyo",
    "Australia/Adelaide",
    "Australia/Lord_Howe",
    "Pacific/Auckland",
    "Pacific/Chatham",
    "Pacific/Apia",
]
EARLIER = datetime(2025, 6, 1, tzinfo=UTC)  # "now" when the series were planned


@st.composite
def cadences(draw: st.DrawFn) -> Cadence:
    kind = draw(st.sampled_from(list(CadenceKind)))
    nth = draw(st.sampled_from([n for n, _ in NTH_CHOICES]))
    return Cadence(kind, weekday=draw(st.integers(0, 6)), nth=nth)


@st.composite
def plans(draw: st.DrawFn) -> tuple[Cadence, str, date, time, int]:
    cadence = draw(cadences())
    tz = draw(st.sampled_from(ZONES))
    day = draw(st.dates(date(2026, 1, 1), date(2028, 12, 31)))
    at = time(draw(st.integers(0, 23)), draw(st.sampled_from([0, 15, 30, 45])))
    minutes = draw(st.integers(5, 480))
    return cadence, tz, day, at, minutes


def schedule_for(plan: tuple[Cadence, str, date, time, int]) -> Schedule:
    cadence, tz, day, at, minutes = plan
    rule = cadence.rrule()
    first = first_occurrence_on_or_after(rule, day, at)
    segment = Segment(rule, first, at, tz, minutes)
    try:
        starts_at = validate_segment(segment, now=EARLIER)
    except CadenceError:
        assume(False)  # a wall-clock time the zone skips: Rapport refuses such a cadence
        raise
    return Schedule(
        rrule=rule,
        first_date=first,
        local_time=at,
        timezone=tz,
        duration_minutes=minutes,
        starts_at=starts_at,
    )


def as_segment(schedule: Schedule) -> Segment:
    return Segment(
        schedule.rrule,
        schedule.first_date,
        schedule.local_time,
        schedule.timezone,
        schedule.duration_minutes,
        schedule.until,
    )


def relationship() -> Relationship:
    lead = Person(name="Lena Lead", email="lena@example.test")
    member = Person(name="Mo Member", email="mo@example.test")
    return Relationship(lead=lead, member=member)


@settings(max_examples=50, deadline=None)
@given(
    first=plans(),
    second=st.none() | plans(),
    offset=st.integers(0, 500),
    length=st.integers(1, 240),
    hours=st.tuples(st.integers(1, 168), st.integers(1, 168)),
)
def test_expansion_calendar_file_and_reminders_agree(
    first: tuple[Cadence, str, date, time, int],
    second: tuple[Cadence, str, date, time, int] | None,
    offset: int,
    length: int,
    hours: tuple[int, int],
) -> None:
    schedules = [schedule_for(first)]
    schedules[0].pk = 1
    if second is not None:
        # A cadence change: the first segment ends at the new one's first day, local midnight.
        later = schedule_for(second)
        assume(later.starts_at > schedules[0].starts_at)
        cut = local_to_utc(datetime.combine(later.first_date, time(0, 0)), later.timezone)
        assume(schedules[0].starts_at < cut <= later.starts_at)
        schedules[0].until = cut
        schedules[0].sequence = 1
        later.pk = 2
        schedules.append(later)
    segs = [as_segment(s) for s in schedules]
    lo = schedules[0].starts_at - timedelta(days=3) + timedelta(days=offset)
    hi = lo + timedelta(days=length)

    expected = occurrences(segs, lo, hi)
    durations = []
    for key in expected:
        segment = segment_for(segs, key)
        assert segment is not None
        durations.append(timedelta(minutes=segment.duration_minutes))

    calendar = ical.series_calendar(relationship(), schedules=schedules, meetings=[])
    found = expand(calendar.to_ical(), lo, hi)
    assert found == list(zip(expected, durations, strict=True))

    found_occurrences = [
        Occurrence(key, key, int(d.total_seconds() // 60), "UTC")
        for key, d in zip(expected, durations, strict=True)
    ]
    planned = reminders_for(found_occurrences, [(1, hours[0]), (2, hours[1])])
    for person_id, hour in ((1, hours[0]), (2, hours[1])):
        due = sorted(r.due_at for r in planned if r.person_id == person_id)
        assert [d + timedelta(hours=hour) for d in due] == [s for s, _ in found]


@pytest.mark.parametrize("tz", ZONES)
def test_every_zone_gets_a_vtimezone(tz: str) -> None:
    schedule = schedule_for((Cadence(CadenceKind.WEEKLY, 2), tz, date(2027, 3, 1), time(12), 30))
    schedule.pk = 1
    calendar = ical.series_calendar(relationship(), schedules=[schedule], meetings=[])
    zones = [str(c["TZID"]) for c in calendar.walk("VTIMEZONE")]
    assert zones == ([] if tz == "UTC" else [tz])

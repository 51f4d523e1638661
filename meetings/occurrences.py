"""Occurrences of a series: computed from its schedule, overlaid with touched meetings.

Pure functions over already-loaded rows, so a page can compute many series from
a constant number of queries.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from meetings.models import Meeting, Schedule
from meetings.schedule import Segment, next_occurrences, segment_for

# An unclosed meeting stays the focus of the relationship page this long after its end,
# so notes can be finished and the meeting closed after the fact.
FOCUS_GRACE = timedelta(hours=12)
# The longest a meeting can last (see Schedule.duration_minutes).
MAX_DURATION = timedelta(minutes=480)
KEY_FORMAT = "%Y%m%dT%H%M%SZ"


def key_slug(key: datetime) -> str:
    """An occurrence key in URLs, formatted like an iCalendar UTC RECURRENCE-ID."""
    return key.astimezone(UTC).strftime(KEY_FORMAT)


def parse_key_slug(slug: str) -> datetime | None:
    try:
        return datetime.strptime(slug, KEY_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


def segments(schedules: Iterable[Schedule]) -> list[Segment]:
    return [
        Segment(
            rrule=s.rrule,
            first_date=s.first_date,
            local_time=s.local_time,
            timezone=s.timezone,
            duration_minutes=s.duration_minutes,
            until=s.until,
        )
        for s in schedules
    ]


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of a series, whether or not a Meeting row exists for it yet."""

    key: datetime
    start: datetime
    duration_minutes: int
    timezone: str
    meeting: Meeting | None = None

    @property
    def slug(self) -> str:
        return key_slug(self.key)

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.duration_minutes)

    @property
    def status(self) -> str:
        return self.meeting.status if self.meeting else Meeting.Status.SCHEDULED

    @property
    def is_scheduled(self) -> bool:
        return self.status == Meeting.Status.SCHEDULED

    @property
    def is_rescheduled(self) -> bool:
        return self.start != self.key

    @property
    def reason(self) -> str:
        return self.meeting.reason if self.meeting else ""


def from_meeting(meeting: Meeting, timezone: str) -> Occurrence:
    return Occurrence(
        key=meeting.occurrence_start,
        start=meeting.start,
        duration_minutes=meeting.duration_minutes,
        timezone=timezone,
        meeting=meeting,
    )


def window_start(now: datetime) -> datetime:
    """The earliest start an occurrence can have and still be the focus at `now`."""
    return now - FOCUS_GRACE - MAX_DURATION


def upcoming(
    schedules: Sequence[Schedule], meetings: Iterable[Meeting], *, now: datetime, count: int
) -> list[Occurrence]:
    """Occurrences that have not ended more than FOCUS_GRACE ago, in start order.

    `meetings` must hold every row of this series whose key or start is at or
    after `window_start(now)`.
    """
    segs = segments(schedules)
    lo = window_start(now)
    rows = {m.occurrence_start: m for m in meetings}
    found: dict[datetime, Occurrence] = {}
    for key in next_occurrences(segs, lo, count + len(rows)):
        segment = segment_for(segs, key)
        if segment is None:
            continue
        found[key] = Occurrence(key, key, segment.duration_minutes, segment.timezone)
    default_zone = schedules[-1].timezone if schedules else "UTC"
    for key, meeting in rows.items():
        segment = segment_for(segs, key)
        found[key] = from_meeting(meeting, segment.timezone if segment else default_zone)
    live = [o for o in found.values() if o.end + FOCUS_GRACE > now]
    live.sort(key=lambda o: (o.start, o.key))
    return live[:count]


def focus(occurrences: Sequence[Occurrence]) -> Occurrence | None:
    """The meeting the relationship page is about: the first one still scheduled."""
    return next((o for o in occurrences if o.is_scheduled), None)


def occurrence_exists(schedules: Sequence[Schedule], key: datetime) -> Segment | None:
    """The segment if `key` is a real occurrence start of the series."""
    segs = segments(schedules)
    segment = segment_for(segs, key)
    if segment is None:
        return None
    hits = next_occurrences([segment], key, 1, horizon_days=1)
    return segment if hits and hits[0] == key else None

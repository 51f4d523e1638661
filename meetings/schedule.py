"""Cadences as RFC 5545 recurrence rules, expanded by python-dateutil.

A series is a list of `Schedule` segments. Each segment holds an RRULE and its
first occurrence as wall-clock time in an IANA zone, so a 09:00 New York
meeting stays at 09:00 local time across daylight-saving changes.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache

from dateutil.rrule import rrule, rrulestr

from lib.timezones import zone

# Look this far ahead when checking a new cadence for times that do not exist.
VALIDATION_HORIZON = timedelta(days=2 * 366)


class CadenceKind(StrEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    FOUR_WEEKLY = "four_weekly"
    MONTHLY = "monthly"


CADENCE_LABELS: dict[CadenceKind, str] = {
    CadenceKind.WEEKLY: "Every week",
    CadenceKind.BIWEEKLY: "Every 2 weeks",
    CadenceKind.FOUR_WEEKLY: "Every 4 weeks",
    CadenceKind.MONTHLY: "Monthly, on the n-th weekday",
}
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# The n-th weekday of a month: 1st to 4th always exist; -1 is the last one.
NTH_CHOICES: tuple[tuple[int, str], ...] = (
    (1, "first"),
    (2, "second"),
    (3, "third"),
    (4, "fourth"),
    (-1, "last"),
)
_INTERVALS = {CadenceKind.WEEKLY: 1, CadenceKind.BIWEEKLY: 2, CadenceKind.FOUR_WEEKLY: 4}


class CadenceError(ValueError):
    """A cadence that cannot produce sensible meetings; the message is for people."""


@dataclass(frozen=True)
class Cadence:
    kind: CadenceKind
    weekday: int  # 0 = Monday
    nth: int = 1  # only for MONTHLY

    def rrule(self) -> str:
        """This cadence as an RFC 5545 RRULE value (without DTSTART)."""
        if not 0 <= self.weekday <= 6:
            raise CadenceError("Choose a day of the week.")
        day = WEEKDAY_CODES[self.weekday]
        if self.kind is CadenceKind.MONTHLY:
            if self.nth not in dict(NTH_CHOICES):
                raise CadenceError(
                    "A monthly 1:1 falls on the first to fourth or the last weekday of a month."
                )
            return f"FREQ=MONTHLY;BYDAY={self.nth:+d}{day}"
        return f"FREQ=WEEKLY;INTERVAL={_INTERVALS[self.kind]};BYDAY={day}"


def describe_rrule(rule: str) -> str:
    """A person-readable description of one of the cadences Rapport creates."""
    parts = dict(item.split("=", 1) for item in rule.split(";") if "=" in item)
    byday = parts.get("BYDAY", "")
    day_code = byday[-2:]
    day = WEEKDAY_NAMES[WEEKDAY_CODES.index(day_code)] if day_code in WEEKDAY_CODES else byday
    if parts.get("FREQ") == "MONTHLY":
        nth = int(byday[:-2] or "1")
        return f"Monthly on the {dict(NTH_CHOICES).get(nth, str(nth))} {day}"
    interval = int(parts.get("INTERVAL", "1"))
    return f"Every {day}" if interval == 1 else f"Every {interval} weeks on {day}"


@dataclass(frozen=True)
class Segment:
    """The parts of a Schedule row that expansion needs (keeps this module ORM-free)."""

    rrule: str
    first_date: date
    local_time: time
    timezone: str
    duration_minutes: int
    until: datetime | None = None


def local_to_utc(local: datetime, tz_name: str) -> datetime:
    return local.replace(tzinfo=zone(tz_name)).astimezone(UTC)


def is_nonexistent(local: datetime, tz_name: str) -> bool:
    """True when this wall-clock time is skipped by a daylight-saving change."""
    tz = zone(tz_name)
    round_trip = local.replace(tzinfo=tz).astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    return round_trip != local


def _rule(segment: Segment) -> rrule:
    return _parsed_rule(segment.rrule, segment.first_date, segment.local_time)


@lru_cache(maxsize=4096)
def _parsed_rule(rule: str, first_date: date, local_time: time) -> rrule:
    """The parsed rule (parsing costs more than expanding a few months of it)."""
    parsed = rrulestr(rule, dtstart=datetime.combine(first_date, local_time))
    assert isinstance(parsed, rrule)
    return parsed


def segment_occurrences(segment: Segment, start: datetime, end: datetime) -> list[datetime]:
    """UTC starts of the segment's occurrences in [start, end), honouring `until`."""
    if segment.until is not None:
        end = min(end, segment.until)
    if end <= start:
        return []
    step = _weekly_step(segment)
    if step is not None:
        return _weekly_occurrences(segment, step, start, end)
    return rule_occurrences(segment, start, end)


def rule_occurrences(segment: Segment, start: datetime, end: datetime) -> list[datetime]:
    """`segment_occurrences` by dateutil, for any rule (the reference the fast path matches)."""
    if segment.until is not None:
        end = min(end, segment.until)
    if end <= start:
        return []
    tz = zone(segment.timezone)
    # Widen the local window by a day on each side: offsets are never larger.
    lo = start.astimezone(tz).replace(tzinfo=None) - timedelta(days=1)
    hi = end.astimezone(tz).replace(tzinfo=None) + timedelta(days=1)
    result = []
    for local in _rule(segment).between(lo, hi, inc=True):
        instant = local_to_utc(local, segment.timezone)
        if start <= instant < end:
            result.append(instant)
    return result


@lru_cache(maxsize=256)
def _weekly_parts(rule: str) -> tuple[int, str] | None:
    """(interval in weeks, BYDAY) of a plain weekly rule; None for anything else."""
    parts = dict(item.split("=", 1) for item in rule.split(";") if "=" in item)
    if parts.get("FREQ") != "WEEKLY" or not parts.keys() <= {"FREQ", "INTERVAL", "BYDAY"}:
        return None
    return int(parts.get("INTERVAL", "1")), parts.get("BYDAY", "")


def _weekly_step(segment: Segment) -> timedelta | None:
    """Whole weeks between occurrences, when the rule is weekly on the first date's weekday."""
    parts = _weekly_parts(segment.rrule)
    if parts is None:
        return None
    weeks, byday = parts
    if byday not in ("", WEEKDAY_CODES[segment.first_date.weekday()]):
        return None
    return timedelta(weeks=weeks)


def _weekly_occurrences(
    segment: Segment, step: timedelta, start: datetime, end: datetime
) -> list[datetime]:
    """Weekly occurrences by date arithmetic on the wall clock (the cadences Rapport writes).

    dateutil walks every occurrence from the series' first date on each call, which is
    most of the cost of expanding a long series; stepping whole weeks from the window's
    first candidate gives the same starts (tests/meetings/test_schedule_fast.py).
    """
    tz = zone(segment.timezone)
    # Wall-clock dates, a day of margin each side (offsets are never larger).
    lo = start.astimezone(tz).date() - timedelta(days=1)
    hi = end.astimezone(tz).date() + timedelta(days=1)
    day = segment.first_date
    if day < lo:
        day += step * ((lo - day) // step)
    found = []
    while day <= hi:
        instant = local_to_utc(datetime.combine(day, segment.local_time), segment.timezone)
        if start <= instant < end:
            found.append(instant)
        day += step
    return found


def occurrences(segments: Iterable[Segment], start: datetime, end: datetime) -> list[datetime]:
    """UTC starts of every occurrence of a series in [start, end), in order."""
    found: set[datetime] = set()
    for segment in segments:
        found.update(segment_occurrences(segment, start, end))
    return sorted(found)


def next_occurrences(
    segments: Sequence[Segment], after: datetime, count: int, horizon_days: int = 400
) -> list[datetime]:
    """The first `count` occurrences at or after `after`, looking ahead at most `horizon_days`."""
    window = timedelta(days=max(35, count * 35))
    limit = after + timedelta(days=horizon_days)
    found: list[datetime] = []
    lo = after
    while len(found) < count and lo < limit:
        hi = min(lo + window, limit)
        found.extend(occurrences(segments, lo, hi))
        lo = hi
    return found[:count]


def segment_for(segments: Sequence[Segment], instant: datetime) -> Segment | None:
    """The segment an occurrence belongs to (the latest one that started before it)."""
    chosen = None
    for segment in segments:
        first = local_to_utc(
            datetime.combine(segment.first_date, segment.local_time), segment.timezone
        )
        if first <= instant and (segment.until is None or instant < segment.until):
            chosen = segment
    return chosen


def first_occurrence_on_or_after(cadence_rule: str, day: date, at: time) -> date:
    """The first date on or after `day` that the rule matches (the series' DTSTART)."""
    probe = rrulestr(cadence_rule, dtstart=datetime.combine(day, at))
    assert isinstance(probe, rrule)
    first = probe.after(datetime.combine(day, at), inc=True)
    if first is None:
        raise CadenceError("This cadence never produces a meeting.")
    return first.date()


def validate_segment(segment: Segment, *, now: datetime) -> datetime:
    """Check a new segment; return its first occurrence (UTC) or raise CadenceError."""
    first_local = datetime.combine(segment.first_date, segment.local_time)
    if local_to_utc(first_local, segment.timezone) <= now:
        raise CadenceError("The first meeting must be in the future.")
    horizon = first_local + VALIDATION_HORIZON
    for local in _rule(segment).between(first_local, horizon, inc=True):
        if is_nonexistent(local, segment.timezone):
            raise CadenceError(
                f"{local:%H:%M} does not exist on {local:%-d %B %Y} in {segment.timezone}: "
                "the clocks skip it for daylight saving. Choose another time."
            )
    return local_to_utc(first_local, segment.timezone)


MONTH_DAYS = 31


def cadence_days(rule: str) -> int:
    """The interval of a cadence in days (monthly counts as a long month)."""
    parts = dict(item.split("=", 1) for item in rule.split(";") if "=" in item)
    if parts.get("FREQ") == "MONTHLY":
        return MONTH_DAYS * int(parts.get("INTERVAL", "1"))
    return 7 * int(parts.get("INTERVAL", "1"))

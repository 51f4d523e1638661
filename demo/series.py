"""Cadences for generated 1:1 series: schedule segments that started in the past."""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache

from lib.timezones import zone
from meetings.models import Relationship
from meetings.schedule import (
    Cadence,
    CadenceKind,
    Segment,
    first_occurrence_on_or_after,
    local_to_utc,
)

CADENCES = (CadenceKind.WEEKLY, CadenceKind.BIWEEKLY, CadenceKind.FOUR_WEEKLY, CadenceKind.MONTHLY)
INTERVAL_WEEKS = {CadenceKind.WEEKLY: 1, CadenceKind.BIWEEKLY: 2, CadenceKind.FOUR_WEEKLY: 4}
DURATIONS = {
    CadenceKind.WEEKLY: (25, 30, 30, 30, 45),
    CadenceKind.BIWEEKLY: (30, 45, 45, 60),
    CadenceKind.FOUR_WEEKLY: (45, 60, 60),
    CadenceKind.MONTHLY: (45, 60, 60),
}
# Meetings start between 09:00 and 16:30 in the lead's zone.
SLOTS = tuple(time(9 + i // 2, 30 * (i % 2)) for i in range(16))
NTHS = (1, 2, 3, 4, -1)


@dataclass
class SeriesPlan:
    """A 1:1 series to generate, before it has rows."""

    kind: str
    lead: int  # index into the org plan's people
    member: int
    start: datetime  # the series begins on or after this instant
    cadence: CadenceKind
    status: str = Relationship.Status.ACTIVE
    stop: datetime | None = None  # when a paused or ended series stopped
    change: bool = False  # switch cadence part-way through
    next_in_days: int | None = None  # the next meeting this many business days from today
    showcase: bool = False  # the demo's signed-in pair: guarantee every feature shows
    reschedule_next: bool = False


def business_days_ahead(day: date, count: int) -> date:
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


@cache
def _good_slots(lead_tz: str, member_tz: str, month: int) -> tuple[time, ...]:
    """Slots inside the member's working day (08:00-17:30) too, when there are any."""
    ref = datetime(2026, month, 15, 12)
    delta = zone(member_tz).utcoffset(ref) - zone(lead_tz).utcoffset(ref)  # type: ignore[operator]
    good = []
    for slot in SLOTS:
        there = datetime.combine(ref.date(), slot) + delta
        if time(8) <= there.time() <= time(17, 30) and there.date() == ref.date():
            good.append(slot)
    return tuple(good) or SLOTS[:2]


def meeting_time(rng: random.Random, lead_tz: str, member_tz: str, now: datetime) -> time:
    return rng.choice(_good_slots(lead_tz, member_tz, now.month))


def _first_date(
    rng: random.Random, kind: CadenceKind, begin: date, at: time, next_on: date | None
) -> tuple[str, date]:
    """The rule and first date of a segment starting on or after `begin`.

    With `next_on`, a weekly-style series is phased so that it meets on that date.
    """
    if kind is CadenceKind.MONTHLY:
        rule = Cadence(kind, rng.randint(0, 4), rng.choice(NTHS)).rrule()
        return rule, first_occurrence_on_or_after(rule, begin, at)
    step = 7 * INTERVAL_WEEKS[kind]
    if next_on is not None and next_on >= begin:
        rule = Cadence(kind, next_on.weekday()).rrule()
        return rule, next_on - timedelta(days=step * ((next_on - begin).days // step))
    rule = Cadence(kind, rng.randint(0, 4)).rrule()
    return rule, first_occurrence_on_or_after(rule, begin + timedelta(rng.randrange(step)), at)


def plan_segments(
    rng: random.Random,
    plan: SeriesPlan,
    *,
    lead_tz: str,
    member_tz: str,
    now: datetime,
) -> list[Segment]:
    """One segment, or two when the cadence changed part-way; the last ends at `plan.stop`."""
    tz = zone(lead_tz)
    at = meeting_time(rng, lead_tz, member_tz, now)
    begin = plan.start.astimezone(tz).date()
    end = plan.stop or now
    next_on = None
    if plan.next_in_days is not None:
        next_on = business_days_ahead(now.astimezone(tz).date(), plan.next_in_days)
    if plan.change and (end - plan.start).days > 90:
        cut = begin + timedelta(days=int((end - plan.start).days * rng.uniform(0.35, 0.65)))
        rule, first = _first_date(rng, plan.cadence, begin, at, None)
        if first < cut - timedelta(days=14):
            until = local_to_utc(datetime.combine(cut, time(0)), lead_tz)
            old = Segment(rule, first, at, lead_tz, rng.choice(DURATIONS[plan.cadence]), until)
            kind = rng.choice([c for c in CADENCES[:3] if c is not plan.cadence])
            if rng.random() < 0.4:
                at = meeting_time(rng, lead_tz, member_tz, now)
            rule, first = _first_date(rng, kind, cut, at, next_on)
            new = Segment(rule, first, at, lead_tz, rng.choice(DURATIONS[kind]), plan.stop)
            return [old, new]
    rule, first = _first_date(rng, plan.cadence, begin, at, next_on)
    return [Segment(rule, first, at, lead_tz, rng.choice(DURATIONS[plan.cadence]), plan.stop)]


def segment_start(segment: Segment) -> datetime:
    """The first occurrence in UTC (Schedule.starts_at)."""
    return local_to_utc(datetime.combine(segment.first_date, segment.local_time), segment.timezone)

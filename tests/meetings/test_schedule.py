"""Cadences: RRULEs expanded by dateutil, in the series' zone, across DST."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from meetings.models import Relationship
from meetings.occurrences import focus, upcoming
from meetings.schedule import (
    Cadence,
    CadenceError,
    CadenceKind,
    Segment,
    describe_rrule,
    first_occurrence_on_or_after,
    is_nonexistent,
    occurrences,
    validate_segment,
)
from meetings.services.relationships import relationship_change_cadence, relationship_start
from people.models import Person

NOW = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)


def weekly(weekday: int) -> str:
    return Cadence(CadenceKind.WEEKLY, weekday).rrule()


def test_it_builds_rfc5545_rules_for_each_cadence() -> None:
    assert Cadence(CadenceKind.WEEKLY, 0).rrule() == "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO"
    assert Cadence(CadenceKind.BIWEEKLY, 1).rrule() == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    assert Cadence(CadenceKind.FOUR_WEEKLY, 4).rrule() == "FREQ=WEEKLY;INTERVAL=4;BYDAY=FR"
    assert Cadence(CadenceKind.MONTHLY, 3, nth=2).rrule() == "FREQ=MONTHLY;BYDAY=+2TH"
    assert Cadence(CadenceKind.MONTHLY, 0, nth=-1).rrule() == "FREQ=MONTHLY;BYDAY=-1MO"


@pytest.mark.parametrize("nth", [0, 5, -2, 7])
def test_it_refuses_impossible_monthly_cadences(nth: int) -> None:
    with pytest.raises(CadenceError):
        Cadence(CadenceKind.MONTHLY, 0, nth=nth).rrule()


def test_it_describes_rules_for_people() -> None:
    assert describe_rrule(weekly(2)) == "Every Wednesday"
    assert describe_rrule(Cadence(CadenceKind.BIWEEKLY, 0).rrule()) == "Every 2 weeks on Monday"
    monthly = Cadence(CadenceKind.MONTHLY, 1, nth=-1).rrule()
    assert describe_rrule(monthly) == "Monthly on the last Tuesday"


def test_a_new_york_meeting_stays_at_nine_local_across_dst() -> None:
    seg = Segment(weekly(0), date(2027, 3, 1), time(9, 0), "America/New_York", 30)
    starts = occurrences([seg], datetime(2027, 3, 1, tzinfo=UTC), datetime(2027, 3, 23, tzinfo=UTC))
    # DST starts on 14 March 2027: 09:00 EST is 14:00 UTC, 09:00 EDT is 13:00 UTC.
    assert [s.hour for s in starts] == [14, 14, 13, 13]
    assert all(s.astimezone(ZoneInfo("America/New_York")).hour == 9 for s in starts)


def test_participants_in_other_zones_see_their_own_wall_clock() -> None:
    seg = Segment(weekly(1), date(2027, 3, 2), time(10, 0), "America/New_York", 30)
    starts = occurrences([seg], datetime(2027, 3, 2, tzinfo=UTC), datetime(2027, 4, 1, tzinfo=UTC))
    # 2 March: no change yet; 16 March: after the US change; 30 March: after both.
    first, after_us_dst, after_eu_dst = starts[0], starts[2], starts[4]
    berlin = ZoneInfo("Europe/Berlin")
    # Before any change: 6 hours apart; between the US and EU changes: 5; after both: 6.
    assert first.astimezone(berlin).hour == 16
    assert after_us_dst.astimezone(berlin).hour == 15
    assert after_eu_dst.astimezone(berlin).hour == 16


def test_monthly_nth_weekday_expands_correctly() -> None:
    rule = Cadence(CadenceKind.MONTHLY, 1, nth=-1).rrule()
    first = first_occurrence_on_or_after(rule, date(2027, 1, 1), time(10, 0))
    assert first == date(2027, 1, 26)
    seg = Segment(rule, first, time(10, 0), "Europe/Berlin", 45)
    starts = occurrences([seg], NOW, datetime(2027, 6, 1, tzinfo=UTC))
    assert [s.date() for s in starts] == [
        date(2027, 1, 26),
        date(2027, 2, 23),
        date(2027, 3, 30),
        date(2027, 4, 27),
        date(2027, 5, 25),
    ]


def test_it_detects_times_skipped_by_daylight_saving() -> None:
    assert is_nonexistent(datetime(2027, 3, 14, 2, 30), "America/New_York")
    assert not is_nonexistent(datetime(2027, 3, 14, 3, 30), "America/New_York")
    assert not is_nonexistent(datetime(2027, 11, 7, 1, 30), "America/New_York")  # ambiguous, fine


def test_it_refuses_a_cadence_that_lands_in_a_dst_gap() -> None:
    seg = Segment(weekly(6), date(2027, 1, 3), time(2, 30), "America/New_York", 30)
    with pytest.raises(CadenceError, match="does not exist on 14 March 2027"):
        validate_segment(seg, now=datetime(2027, 1, 1, tzinfo=UTC))


def test_it_refuses_a_first_meeting_in_the_past() -> None:
    seg = Segment(weekly(0), date(2026, 1, 5), time(9, 0), "UTC", 30)
    with pytest.raises(CadenceError, match="future"):
        validate_segment(seg, now=NOW)


def test_cadence_change_splits_the_rule_without_rewriting_history(
    maya: Person, ravi: Person
) -> None:
    with time_machine.travel(NOW, tick=False):
        rel = relationship_start(
            actor=maya,
            other=ravi,
            kind=Relationship.Kind.MANAGER,
            cadence=Cadence(CadenceKind.WEEKLY, 1),
            first_date=date(2027, 1, 5),
            local_time=time(10, 0),
            timezone="America/New_York",
            duration_minutes=30,
        )
        relationship_change_cadence(
            actor=maya,
            relationship=rel,
            cadence=Cadence(CadenceKind.BIWEEKLY, 3),
            from_date=date(2027, 1, 18),
            local_time=time(15, 0),
            timezone="Europe/Berlin",
            duration_minutes=45,
        )
    schedules = list(rel.schedules.all())
    assert len(schedules) == 2
    assert schedules[0].until is not None
    found = upcoming(schedules, [], now=NOW, count=5)
    assert [(o.start.date(), o.duration_minutes) for o in found] == [
        (date(2027, 1, 5), 30),
        (date(2027, 1, 12), 30),
        (date(2027, 1, 21), 45),
        (date(2027, 2, 4), 45),
        (date(2027, 2, 18), 45),
    ]
    assert focus(found) == found[0]


def test_starting_a_relationship_refuses_a_time_that_does_not_exist(
    maya: Person, ravi: Person
) -> None:
    with time_machine.travel(NOW, tick=False), pytest.raises(ValidationError, match="daylight"):
        relationship_start(
            actor=maya,
            other=ravi,
            kind=Relationship.Kind.MANAGER,
            cadence=Cadence(CadenceKind.WEEKLY, 6),
            first_date=date(2027, 1, 10),
            local_time=time(2, 30),
            timezone="America/New_York",
            duration_minutes=30,
        )
    assert not Relationship.objects.exists()

"""The weekly fast path of `segment_occurrences` gives exactly what dateutil gives.

Rapport writes weekly rules on the first date's weekday; those are expanded by stepping
whole weeks of wall-clock time instead of walking the rule from its first date. Any
other rule still goes through dateutil. Examples are fixed per run (tests/conftest.py).
"""

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from meetings.schedule import WEEKDAY_CODES, Segment, rule_occurrences, segment_occurrences

ZONES = ("UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kathmandu")
RULES = (
    "FREQ=WEEKLY;INTERVAL=1;BYDAY={day}",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY={day}",
    "FREQ=WEEKLY;INTERVAL=4;BYDAY={day}",
    "FREQ=WEEKLY;BYDAY={day}",
    "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO",  # not the first date's weekday: dateutil decides
    "FREQ=MONTHLY;BYDAY=+2{day}",
    "FREQ=MONTHLY;BYDAY=-1{day}",
)


@given(
    rule=st.sampled_from(RULES),
    first=st.dates(date(2024, 1, 1), date(2026, 12, 31)),
    clock=st.sampled_from([time(0, 30), time(2, 30), time(9, 0), time(23, 45)]),
    tz=st.sampled_from(ZONES),
    start_days=st.integers(-60, 900),
    length_days=st.integers(0, 800),
    until_days=st.one_of(st.none(), st.integers(0, 1000)),
)
def test_the_fast_path_agrees_with_dateutil(
    rule: str,
    first: date,
    clock: time,
    tz: str,
    start_days: int,
    length_days: int,
    until_days: int | None,
) -> None:
    origin = datetime.combine(first, time(0, 0), tzinfo=UTC)
    until = None if until_days is None else origin + timedelta(days=until_days, hours=7)
    segment = Segment(rule.format(day=WEEKDAY_CODES[first.weekday()]), first, clock, tz, 30, until)
    start = origin + timedelta(days=start_days, hours=5)
    end = start + timedelta(days=length_days)
    assert segment_occurrences(segment, start, end) == rule_occurrences(segment, start, end)


def test_a_long_series_across_a_dst_change() -> None:
    """New York, weekly on Sundays at 01:30 and 02:30 since 2020: November's repeated hour
    and March's skipped one come out as dateutil has them."""
    for clock in (time(1, 30), time(2, 30)):
        segment = Segment(
            "FREQ=WEEKLY;INTERVAL=1;BYDAY=SU", date(2020, 1, 5), clock, "America/New_York", 30
        )
        start = datetime(2026, 2, 1, tzinfo=UTC)
        end = datetime(2026, 12, 1, tzinfo=UTC)
        fast = segment_occurrences(segment, start, end)
        assert fast == rule_occurrences(segment, start, end)
        assert len(fast) == 44  # every Sunday from 1 February to 29 November

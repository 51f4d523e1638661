"""The insight metrics as pure functions: no database, plain facts in, numbers out."""

from datetime import UTC, date, datetime, timedelta

import pytest

from insights.blocks import complete_blocks
from insights.metrics import (
    CANCELLED,
    CLOSING_GRACE,
    HELD,
    RATING_BLOCKS_SHOWN,
    SCHEDULED,
    SKIPPED,
    STREAK_HORIZON,
    TOO_MUCH,
    WINDOW,
    ActionFact,
    Attendance,
    BlockFact,
    CheckInFact,
    MeetingFact,
    agenda_balance,
    attendance,
    blocker_lines,
    early_warnings,
    follow_through,
    mood_trend,
    theme_coverage,
    usefulness,
)

NOW = datetime(2027, 4, 5, 8, 0, tzinfo=UTC)  # a Monday morning
LEAD, MEMBER, OTHER = 1, 2, 3


def weekly_keys(count: int, *, last: datetime = NOW - timedelta(days=6)) -> list[datetime]:
    """`count` weekly occurrence keys, oldest first, the newest at `last`."""
    return [last - timedelta(weeks=n) for n in reversed(range(count))]


def held(key: datetime, **fields: object) -> MeetingFact:
    return MeetingFact(key, key, HELD, **fields)  # type: ignore[arg-type]


def seen(planned: list[datetime], meetings: list[MeetingFact], *, tz: str = "UTC") -> Attendance:
    last = max((m.start for m in meetings if m.status == HELD), default=None)
    return attendance(planned, meetings, last_held=last, now=NOW, tz=tz)


# -- cadence ----------------------------------------------------------------------------


def test_a_series_with_no_meetings_yet_has_nothing_to_judge() -> None:
    result = seen([], [])
    assert (result.planned, result.held, result.cancelled, result.rescheduled) == (0, 0, 0, 0)
    assert result.adherence is None
    assert result.last_held is None
    assert result.days_since_last is None
    assert (result.streak, result.streak_is_lower_bound) == (0, False)
    assert result.cancelled_by == {}
    assert result.rescheduled_by == {}


def test_adherence_is_held_over_planned_in_the_window() -> None:
    keys = weekly_keys(10)
    meetings = [held(k) for k in keys[:6]] + [MeetingFact(keys[6], keys[6], CANCELLED, LEAD)]
    result = seen(keys, meetings)
    assert (result.planned, result.held, result.cancelled) == (10, 6, 1)
    assert result.not_recorded == 3
    assert result.adherence == pytest.approx(0.6)


def test_occurrences_before_the_window_do_not_count_for_adherence() -> None:
    keys = weekly_keys(20)
    outside = [k for k in keys if k < NOW - WINDOW]
    assert outside
    result = seen(keys, [held(k) for k in keys if k >= NOW - WINDOW])
    assert result.planned == len(keys) - len(outside)
    assert result.adherence == 1.0


def test_the_window_edge_counts_an_occurrence_exactly_90_days_ago() -> None:
    edge = NOW - WINDOW
    result = seen([edge - timedelta(seconds=1), edge], [])
    assert result.planned == 1


def test_adherence_is_capped_at_100_percent() -> None:
    too_many = Attendance(
        planned=2,
        held=3,
        cancelled=0,
        rescheduled=0,
        not_recorded=0,
        cancelled_by={},
        rescheduled_by={},
        last_held=None,
        days_since_last=None,
        streak=0,
        streak_is_lower_bound=False,
    )
    assert too_many.adherence == 1.0


def test_a_held_meeting_no_longer_planned_still_counts_as_planned_and_held() -> None:
    """A segment cut later must not make adherence above 100 % or hide the meeting."""
    keys = weekly_keys(4)
    off_schedule = keys[-1] + timedelta(days=2)
    result = seen(keys, [held(k) for k in [*keys, off_schedule]])
    assert (result.planned, result.held) == (5, 5)
    assert result.adherence == 1.0


def test_cancelled_only_history_has_zero_adherence_and_no_streak() -> None:
    keys = weekly_keys(5)
    meetings = [
        MeetingFact(keys[0], keys[0], CANCELLED, LEAD),
        MeetingFact(keys[1], keys[1], CANCELLED, LEAD),
        MeetingFact(keys[2], keys[2], SKIPPED, MEMBER),
        MeetingFact(keys[3], keys[3], CANCELLED, None),  # the canceller left: not attributed
        MeetingFact(keys[4], keys[4], CANCELLED, MEMBER),
    ]
    result = seen(keys, meetings)
    assert result.adherence == 0.0
    assert (result.held, result.cancelled, result.not_recorded) == (0, 5, 0)
    assert result.cancelled_by == {LEAD: 2, MEMBER: 2}
    assert (result.streak, result.days_since_last, result.last_held) == (0, None, None)


def test_reschedules_are_attributed_to_who_moved_them_not_who_closed_them() -> None:
    keys = weekly_keys(3)
    meetings = [
        MeetingFact(keys[0], keys[0] + timedelta(hours=2), HELD, changed_by=LEAD, moved_by=MEMBER),
        MeetingFact(keys[1], keys[1] - timedelta(days=1), HELD, changed_by=MEMBER, moved_by=LEAD),
        MeetingFact(keys[2], keys[2] + timedelta(hours=1), CANCELLED, changed_by=MEMBER),
    ]
    result = seen(keys, meetings)
    assert result.rescheduled == 3
    assert result.rescheduled_by == {MEMBER: 1, LEAD: 1}  # the third has no known mover
    assert result.cancelled_by == {MEMBER: 1}


def test_a_cancelled_future_occurrence_is_not_counted_yet() -> None:
    keys = weekly_keys(2)
    future = NOW + timedelta(days=1)
    result = seen(keys, [held(keys[0]), held(keys[1]), MeetingFact(future, future, CANCELLED, 1)])
    assert (result.planned, result.cancelled, result.streak) == (2, 0, 2)


def test_the_streak_counts_held_meetings_back_to_the_first_gap() -> None:
    keys = weekly_keys(8)
    meetings = [held(k) for k in keys]
    meetings[3] = MeetingFact(keys[3], keys[3], CANCELLED, LEAD)
    result = seen(keys, meetings)
    assert result.streak == 4
    assert not result.streak_is_lower_bound


def test_an_unrecorded_past_occurrence_breaks_the_streak() -> None:
    keys = weekly_keys(6)
    result = seen(keys, [held(k) for k in keys if k != keys[2]])
    assert result.streak == 3


@pytest.mark.parametrize(
    ("ended_ago", "streak"),
    [
        (CLOSING_GRACE - timedelta(minutes=1), 3),  # may simply not be closed yet
        (CLOSING_GRACE + timedelta(hours=9), 0),  # long over and never closed
    ],
)
def test_the_newest_meeting_not_closed_yet_breaks_the_streak_only_after_the_grace(
    ended_ago: timedelta, streak: int
) -> None:
    older = weekly_keys(3, last=NOW - timedelta(days=7))
    newest = NOW - ended_ago - timedelta(minutes=30)
    result = seen([*older, newest], [held(k) for k in older])
    assert result.streak == streak


def test_a_moved_meeting_that_just_ended_does_not_break_the_streak() -> None:
    """The closing grace runs from when it took place, not from its original slot."""
    older = weekly_keys(3, last=NOW - timedelta(days=9))
    key = NOW - timedelta(days=2)
    moved = MeetingFact(key, NOW - timedelta(hours=2), SCHEDULED, moved_by=MEMBER)
    result = seen([*older, key], [*(held(k) for k in older), moved])
    assert result.streak == 3


def test_a_cancelled_newest_meeting_ends_the_streak_at_once() -> None:
    keys = weekly_keys(4, last=NOW - timedelta(hours=1))
    meetings = [held(k) for k in keys[:-1]] + [MeetingFact(keys[-1], keys[-1], CANCELLED, LEAD)]
    assert seen(keys, meetings).streak == 0


def test_a_streak_over_the_whole_horizon_is_a_lower_bound() -> None:
    count = STREAK_HORIZON.days // 7
    keys = weekly_keys(count)
    assert keys[0] >= NOW - STREAK_HORIZON
    result = seen(keys, [held(k) for k in keys])
    assert (result.streak, result.streak_is_lower_bound) == (count, True)


def test_a_short_unbroken_series_is_not_a_lower_bound() -> None:
    keys = weekly_keys(5)
    result = seen(keys, [held(k) for k in keys])
    assert (result.streak, result.streak_is_lower_bound) == (5, False)


@pytest.mark.parametrize(
    ("tz", "days"),
    [
        # Held at 20:00 UTC on 5 January: 6 January 09:00 in Auckland, 5 January 12:00 in LA.
        # Now is 6 January 10:00 UTC: 23:00 the same day in Auckland, 02:00 the next in LA.
        ("Pacific/Auckland", 0),
        ("America/Los_Angeles", 1),
        ("UTC", 1),
    ],
)
def test_days_since_the_last_held_meeting_count_in_the_viewers_zone(tz: str, days: int) -> None:
    last = datetime(2027, 1, 5, 20, 0, tzinfo=UTC)
    now = datetime(2027, 1, 6, 10, 0, tzinfo=UTC)
    result = attendance([], [], last_held=last, now=now, tz=tz)
    assert result.days_since_last == days


def test_days_since_the_last_held_meeting_across_a_dst_change() -> None:
    last = datetime(2027, 3, 9, 15, 0, tzinfo=UTC)  # Tuesday 10:00 in New York (EST)
    now = datetime(2027, 3, 16, 3, 30, tzinfo=UTC)  # Monday 23:30 in New York (EDT)
    result = attendance([], [], last_held=last, now=now, tz="America/New_York")
    assert result.days_since_last == 6


# -- agenda -----------------------------------------------------------------------------


def test_agenda_balance_counts_each_side_and_ignores_anyone_else() -> None:
    balance = agenda_balance({LEAD: 3, MEMBER: 1, OTHER: 9}, lead_id=LEAD, member_id=MEMBER)
    assert (balance.lead, balance.member, balance.total) == (3, 1, 4)
    assert balance.lead_share == 0.75
    assert balance.member_share == 0.25


def test_agenda_balance_without_points_has_no_shares() -> None:
    balance = agenda_balance({}, lead_id=LEAD, member_id=MEMBER)
    assert balance.total == 0
    assert balance.lead_share is None
    assert balance.member_share is None


def test_theme_coverage_counts_meetings_not_points() -> None:
    themes = [("career", "Career & growth"), ("wellbeing", "Wellbeing"), ("goals", "Goals")]
    meetings = [["career", "career", "other"], ["wellbeing"], [], ["career"]]
    coverage = theme_coverage(meetings, themes)
    assert [(t.theme, t.label, t.meetings, t.of) for t in coverage] == [
        ("career", "Career & growth", 2, 4),
        ("wellbeing", "Wellbeing", 1, 4),
        ("goals", "Goals", 0, 4),
    ]


def test_theme_coverage_without_held_meetings_is_all_zero() -> None:
    coverage = theme_coverage([], [("career", "Career & growth")])
    assert [(t.meetings, t.of) for t in coverage] == [(0, 0)]


# -- follow-through ---------------------------------------------------------------------

# 11 January 2027, 03:00 UTC: still 10 January in Los Angeles (19:00), already the 11th
# in Berlin (04:00) and in Auckland (16:00).
AROUND_MIDNIGHT = datetime(2027, 1, 11, 3, 0, tzinfo=UTC)
DUE = date(2027, 1, 10)


@pytest.mark.parametrize(
    ("tz", "on_time", "late"),
    [("America/Los_Angeles", 1, 0), ("Europe/Berlin", 0, 1), ("Pacific/Auckland", 0, 1)],
)
def test_on_time_means_done_by_the_due_date_in_the_owners_zone(
    tz: str, on_time: int, late: int
) -> None:
    item = ActionFact(MEMBER, DUE, AROUND_MIDNIGHT)
    result = follow_through([item], now=AROUND_MIDNIGHT + timedelta(days=2), tz=tz)
    assert (result.on_time, result.late, result.overdue) == (on_time, late, 0)


@pytest.mark.parametrize(("tz", "overdue"), [("America/Los_Angeles", 0), ("Pacific/Auckland", 1)])
def test_an_open_item_is_overdue_once_its_due_date_is_over_in_the_owners_zone(
    tz: str, overdue: int
) -> None:
    result = follow_through([ActionFact(MEMBER, DUE, None)], now=AROUND_MIDNIGHT, tz=tz)
    assert (result.open, result.overdue) == (1, overdue)
    assert result.oldest_overdue_days == (1 if overdue else None)


def test_open_and_overdue_items_and_the_age_of_the_oldest_overdue_one() -> None:
    today = NOW.date()
    items = [
        ActionFact(MEMBER, today - timedelta(days=3), None),
        ActionFact(MEMBER, today - timedelta(days=120), None),  # overdue for a long time
        ActionFact(MEMBER, today, None),  # due today: not overdue yet
        ActionFact(MEMBER, today + timedelta(days=5), None),
        ActionFact(MEMBER, None, None),
    ]
    result = follow_through(items, now=NOW, tz="UTC")
    assert (result.open, result.overdue, result.oldest_overdue_days) == (5, 2, 120)
    assert result.rate == 0.0


def test_items_without_a_due_date_never_count_in_the_rate() -> None:
    items = [ActionFact(MEMBER, None, NOW - timedelta(days=1)), ActionFact(MEMBER, None, None)]
    result = follow_through(items, now=NOW, tz="UTC")
    assert (result.on_time, result.late, result.overdue, result.open) == (0, 0, 0, 1)
    assert result.rate is None


def test_the_rate_is_on_time_out_of_everything_due() -> None:
    today = NOW.date()
    items = [
        ActionFact(MEMBER, today - timedelta(days=10), NOW - timedelta(days=11)),
        ActionFact(MEMBER, today - timedelta(days=10), NOW - timedelta(days=10)),
        ActionFact(MEMBER, today - timedelta(days=10), NOW - timedelta(days=2)),
        ActionFact(MEMBER, today - timedelta(days=1), None),
    ]
    result = follow_through(items, now=NOW, tz="UTC")
    assert (result.on_time, result.late, result.overdue) == (2, 1, 1)
    assert result.rate == 0.5


def test_only_items_due_in_the_window_and_not_after_today_count() -> None:
    today = NOW.date()
    items = [
        ActionFact(MEMBER, today - timedelta(days=200), NOW - timedelta(days=5)),  # due long ago
        ActionFact(MEMBER, today + timedelta(days=3), NOW - timedelta(days=1)),  # not due yet
        ActionFact(MEMBER, today - timedelta(days=89), NOW - timedelta(days=120)),  # done early
    ]
    result = follow_through(items, now=NOW, tz="UTC")
    assert (result.on_time, result.late) == (1, 0)
    assert result.rate == 1.0


def test_no_action_items_means_no_rate() -> None:
    result = follow_through([], now=NOW, tz="UTC")
    assert result.rate is None
    assert result.oldest_overdue_days is None


# -- usefulness -------------------------------------------------------------------------


def rated(count: int, lead: int | list[int] = 4, member: int | list[int] = 4) -> list[BlockFact]:
    """The blocks stored when both participants rate `count` weekly meetings."""
    keys = weekly_keys(count)
    leads = lead if isinstance(lead, list) else [lead] * count
    members = member if isinstance(member, list) else [member] * count
    triples = list(zip(keys, leads, members, strict=True))
    return [BlockFact(*block) for block in complete_blocks(triples, after=None)]


def test_nothing_is_shown_until_both_rated_three_meetings() -> None:
    result = usefulness(rated(2))
    assert result.count == 0
    assert not result.shown
    assert result.blocks == []
    assert result.gap is None
    assert result.falling_for_member() is None


def test_blocks_are_fixed_from_the_oldest_and_the_newest_incomplete_one_is_not_shown() -> None:
    result = usefulness(rated(7, lead=[5, 5, 5, 2, 2, 2, 1], member=[3, 3, 3, 4, 4, 4, 1]))
    keys = weekly_keys(7)
    assert result.count == 2
    assert [(b.first, b.last, b.lead, b.member) for b in result.blocks] == [
        (keys[0], keys[2], 5.0, 3.0),
        (keys[3], keys[5], 2.0, 4.0),
    ]
    # The seventh rating completes nothing: the blocks stay as they were with six.
    triples = [(k, 4, 4) for k in keys]
    assert complete_blocks(triples, after=None) == complete_blocks(triples[:6], after=None)


def test_new_blocks_only_use_meetings_after_the_last_stored_one() -> None:
    keys = weekly_keys(8)
    both = [(k, 5, 1) for k in keys]
    # A block ended at keys[2]; a late rating of keys[1] (before it) is never used again.
    later = complete_blocks([both[1], *both[3:]], after=keys[2])
    assert [(first, last) for first, last, _, _ in later] == [(keys[3], keys[5])]
    assert complete_blocks(both[3:5], after=keys[2]) == []


def test_the_gap_is_the_lead_minus_the_member() -> None:
    lead_higher = usefulness(rated(3, lead=5, member=3))
    assert lead_higher.gap == 2.0
    member_higher = usefulness(rated(6, lead=[2, 2, 2, 3, 3, 3], member=[4, 4, 4, 4, 4, 4]))
    assert [b.gap for b in member_higher.blocks] == [-2.0, -1.0]
    assert member_higher.gap == -1.5


def test_at_most_twelve_blocks_the_newest_ones() -> None:
    count = 3 * (RATING_BLOCKS_SHOWN + 1) + 2
    result = usefulness(rated(count))
    keys = weekly_keys(count)
    assert result.count == RATING_BLOCKS_SHOWN + 1
    assert len(result.blocks) == RATING_BLOCKS_SHOWN
    assert result.blocks[0].first == keys[3]  # the oldest block dropped, the incomplete unseen
    assert result.blocks[-1].last == keys[3 * (RATING_BLOCKS_SHOWN + 1) - 1]


# -- early warnings ---------------------------------------------------------------------

STARTED = NOW - timedelta(days=200)


def checkins(
    moods: list[int], workloads: list[str] | None = None, blockers: list[str] | None = None
) -> list[CheckInFact]:
    keys = weekly_keys(len(moods))
    loads = workloads or ["right"] * len(moods)
    texts = blockers or [""] * len(moods)
    return [
        CheckInFact(k, m, w, blocker_lines(b))
        for k, m, w, b in zip(keys, moods, loads, texts, strict=True)
    ]


def warnings_for(
    found: list[CheckInFact] | None = None,
    *,
    last_held: datetime | None = NOW - timedelta(days=1),
    cadence: int | None = 7,
    active: bool = True,
    started: datetime = STARTED,
    useful: list[BlockFact] | None = None,
) -> dict[str, str]:
    seen_ = attendance([], [], last_held=last_held, now=NOW, tz="UTC")
    result = early_warnings(
        checkins=found or [],
        attendance=seen_,
        cadence_days=cadence,
        active=active,
        started=started,
        now=NOW,
        usefulness=usefulness(useful or []),
    )
    return {w.kind: w.reason for w in result}


def test_a_calm_series_has_no_warnings() -> None:
    assert warnings_for(checkins([4, 4, 4, 4, 4])) == {}


@pytest.mark.parametrize(
    ("moods", "warned"),
    [
        ([4, 4, 4, 3, 3], True),  # exactly 1 point lower
        ([5, 4, 4, 2, 3], True),
        ([4, 4, 5, 3, 4], False),  # 4.33 to 3.5: less than a point
        ([4, 4, 3, 3], False),  # not enough check-ins to compare
        ([1, 1, 4, 4, 4, 3, 3], True),  # only the last five count
        ([5, 5, 4, 4, 4, 4, 4], False),
    ],
)
def test_a_mood_drop_of_a_point_over_the_last_two_check_ins(moods: list[int], warned: bool) -> None:
    found = warnings_for(checkins(moods))
    assert ("mood" in found) is warned
    if warned:
        assert "over the last 2 check-ins" in found["mood"]


def test_the_mood_reason_states_the_averages() -> None:
    assert warnings_for(checkins([4, 4, 4, 3, 2]))["mood"] == (
        "Mood fell from 4.0 to 2.5 (out of 5) over the last 2 check-ins."
    )


@pytest.mark.parametrize(
    ("loads", "warned"),
    [
        ([TOO_MUCH, TOO_MUCH], True),
        (["right", TOO_MUCH, TOO_MUCH], True),
        ([TOO_MUCH, TOO_MUCH, "right"], False),
        ([TOO_MUCH, "right", TOO_MUCH], False),
        ([TOO_MUCH], False),
    ],
)
def test_workload_too_much_twice_in_a_row(loads: list[str], warned: bool) -> None:
    found = warnings_for(checkins([4] * len(loads), workloads=loads))
    assert ("workload" in found) is warned


@pytest.mark.parametrize(
    ("hours", "warned"),
    [(14 * 24, False), (14 * 24 + 19, False), (14 * 24 + 20, True), (30 * 24, True)],
    ids=["14d", "14d19h", "14d20h", "30d"],
)
def test_no_held_one_on_one_for_twice_the_cadence(hours: int, warned: bool) -> None:
    """Twice the cadence, plus time to close the meeting due then (the closing grace and
    the longest meeting): the second missed meeting must really have been missed."""
    found = warnings_for(last_held=NOW - timedelta(hours=hours))
    assert ("lapse" in found) is warned
    if warned:
        days = hours // 24
        assert found["lapse"] == f"No 1:1 held for {days} days; the cadence is every 7 days."


def test_a_monthly_cadence_waits_twice_as_long() -> None:
    assert "lapse" not in warnings_for(last_held=NOW - timedelta(days=40), cadence=31)
    assert "lapse" not in warnings_for(last_held=NOW - timedelta(days=62), cadence=31)
    assert "lapse" in warnings_for(last_held=NOW - timedelta(days=63), cadence=31)


def test_a_series_never_held_counts_from_its_first_occurrence() -> None:
    found = warnings_for(last_held=None, started=NOW - timedelta(days=15))
    assert found["lapse"] == "No 1:1 held in 15 days; the cadence is every 7 days."
    assert "lapse" not in warnings_for(last_held=None, started=NOW + timedelta(days=3))


def test_after_a_pause_the_lapse_counts_from_the_resumption() -> None:
    resumed = NOW - timedelta(days=10)
    assert "lapse" not in warnings_for(last_held=NOW - timedelta(days=90), started=resumed)
    found = warnings_for(last_held=NOW - timedelta(days=90), started=NOW - timedelta(days=20))
    assert found["lapse"] == "No 1:1 held in 20 days; the cadence is every 7 days."


def test_a_paused_series_or_one_without_a_cadence_never_lapses() -> None:
    assert "lapse" not in warnings_for(last_held=NOW - timedelta(days=90), active=False)
    assert "lapse" not in warnings_for(last_held=NOW - timedelta(days=90), cadence=None)


@pytest.mark.parametrize(
    ("blockers", "warned"),
    [
        (["", "", "Waiting on legal", "- waiting on  LEGAL."], True),  # normalised lines
        (["Waiting on legal", "", "", "", "Waiting on legal"], False),  # 5 apart: not in last 4
        (["", "", "", "Waiting on legal\nwaiting on legal"], False),  # twice in one check-in
        (["A\nB", "B", "C", "A"], True),
    ],
)
def test_a_blocker_returning_in_two_of_the_last_four_check_ins(
    blockers: list[str], warned: bool
) -> None:
    found = warnings_for(checkins([4] * len(blockers), blockers=blockers))
    assert ("blocker" in found) is warned


def test_falling_usefulness_needs_half_a_point_between_the_last_two_blocks() -> None:
    falling = rated(6, member=[4, 4, 4, 4, 3, 3])  # 4.0 to 3.33
    assert warnings_for(useful=falling)["usefulness"] == (
        "Usefulness ratings fell from 4.0 to 3.3 (averages over 3 meetings)."
    )
    slight = rated(6, member=[4, 4, 4, 4, 4, 3])  # 4.0 to 3.67: less than half a point
    assert "usefulness" not in warnings_for(useful=slight)
    only_the_lead = rated(6, lead=[5, 5, 5, 1, 1, 1])
    assert "usefulness" not in warnings_for(useful=only_the_lead)
    assert "usefulness" not in warnings_for(useful=rated(5, member=[5, 5, 5, 1, 1]))


def test_no_warning_reason_quotes_check_in_or_blocker_text() -> None:
    secret = "Alex keeps taking credit for my work"
    found = checkins(
        [5, 5, 5, 1, 1],
        workloads=["right", "right", "right", TOO_MUCH, TOO_MUCH],
        blockers=["", "", secret, secret, secret],
    )
    reasons = warnings_for(
        found, last_held=NOW - timedelta(days=30), useful=rated(6, member=[5, 5, 5, 1, 1, 1])
    )
    assert set(reasons) == {"mood", "workload", "lapse", "blocker", "usefulness"}
    for reason in reasons.values():
        assert secret.casefold() not in reason.casefold()
        assert "alex" not in reason.casefold()
        assert "credit" not in reason.casefold()


def test_blocker_lines_are_compared_without_case_spacing_or_list_markers() -> None:
    assert blocker_lines("- Waiting on  Legal.\n\n* waiting on legal\n– CI is slow ") == (
        "ci is slow",
        "waiting on legal",
    )
    assert blocker_lines("") == ()


def test_the_mood_trend_is_the_latest_moods_oldest_first() -> None:
    assert mood_trend(checkins([1, 2, 3, 4, 5, 4, 3, 2])) == [3, 4, 5, 4, 3, 2]
    assert mood_trend([]) == []

"""A 1:1's health and the manager's team view, from series built with the real services.

Maya and Ravi (tests/conftest.py) meet weekly on Tuesdays at 10:00 New York time from
5 January 2027; `weekly(n)` is the key of the n-th meeting after the first, whatever
the daylight-saving offset. Time stands still until a test moves the clock.
"""

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from growth.models import CheckIn
from insights.facts import load_facts
from insights.health import Health, health_for
from insights.team import team_rows
from meetings.models import Meeting, Rating, Relationship, Theme
from meetings.schedule import Cadence, CadenceKind
from meetings.services.actions import action_add, action_set_done
from meetings.services.agenda import point_add, point_set_discussed
from meetings.services.meetings import (
    meeting_cancel,
    meeting_close,
    meeting_rate,
    meeting_reopen,
    meeting_reschedule,
)
from meetings.services.relationships import (
    relationship_end,
    relationship_pause,
    relationship_resume,
    relationship_start,
)
from people.models import Organization, Person
from people.services import person_update
from tests.conftest import make_person
from tests.growth.checkins_world import submit, weekly

TOO_MUCH = CheckIn.Workload.TOO_MUCH


@pytest.fixture
def clock(now: datetime) -> Iterator[time_machine.Traveller]:
    with time_machine.travel(now, tick=False) as traveller:
        yield traveller


pytestmark = pytest.mark.usefixtures("clock")


def health(relationship: Relationship, *, at: datetime, tz: str = "UTC") -> Health:
    series = Relationship.objects.select_related("lead", "member").get(pk=relationship.pk)
    return health_for([series], now=at, tz=tz)[series.pk]


def hold(
    clock: time_machine.Traveller,
    relationship: Relationship,
    n: int,
    actor: Person,
    *,
    rating: int | None = None,
) -> Meeting:
    """Close the n-th weekly meeting as held, 45 minutes after it started."""
    clock.move_to(weekly(n) + timedelta(minutes=45))
    return meeting_close(actor=actor, relationship=relationship, key=weekly(n), rating=rating)


def start_weekly(
    lead: Person, member: Person, *, tz: str = "America/New_York", first: date = date(2027, 1, 5)
) -> Relationship:
    return relationship_start(
        actor=lead,
        other=member,
        kind=Relationship.Kind.MANAGER,
        cadence=Cadence(CadenceKind.WEEKLY, weekday=1),
        first_date=first,
        local_time=time(10, 0),
        timezone=tz,
        duration_minutes=30,
    )


# -- cadence ----------------------------------------------------------------------------


def test_a_brand_new_series_has_nothing_to_judge(one_on_one: Relationship, now: datetime) -> None:
    result = health(one_on_one, at=now)
    seen = result.attendance
    assert (seen.planned, seen.held, seen.streak) == (0, 0, 0)
    assert seen.adherence is None
    assert seen.days_since_last is None
    assert result.is_new
    assert result.status == "New"
    assert result.warnings == []  # the first meeting is tomorrow: nothing has lapsed
    assert result.cadence_days == 7
    assert result.balance.total == 0
    assert all(t.meetings == 0 and t.of == 0 for t in result.themes)
    assert result.lead_follow.rate is None
    assert result.member_follow.rate is None
    assert not result.usefulness.shown
    assert (result.moods, result.last_workload) == ([], None)


def test_cancelled_only_history(
    one_on_one: Relationship, maya: Person, ravi: Person, clock: time_machine.Traveller
) -> None:
    for n, who in enumerate([maya, ravi, maya, maya]):
        clock.move_to(weekly(n) - timedelta(hours=3))
        meeting_cancel(actor=who, relationship=one_on_one, key=weekly(n), reason="Travel")
    at = weekly(3) + timedelta(days=1)
    result = health(one_on_one, at=at)
    seen = result.attendance
    assert (seen.planned, seen.held, seen.cancelled) == (4, 0, 4)
    assert seen.adherence == 0.0
    assert (seen.streak, seen.last_held, seen.days_since_last) == (0, None, None)
    assert seen.cancelled_by == {maya.pk: 3, ravi.pk: 1}
    assert not result.is_new
    assert result.status == "Needs attention"
    assert [w.kind for w in result.warnings] == ["lapse"]
    assert result.warnings[0].reason == "No 1:1 held in 22 days; the cadence is every 7 days."


def test_skips_count_as_cancellations(
    one_on_one: Relationship, maya: Person, ravi: Person, clock: time_machine.Traveller
) -> None:
    hold(clock, one_on_one, 0, maya)
    meeting_cancel(actor=ravi, relationship=one_on_one, key=weekly(1), reason="", skip=True)
    seen = health(one_on_one, at=weekly(1) + timedelta(days=1)).attendance
    assert (seen.planned, seen.held, seen.cancelled, seen.streak) == (2, 1, 1, 0)
    assert seen.cancelled_by == {ravi.pk: 1}


def test_a_series_in_a_dst_zone_keeps_its_keys_across_the_change(
    one_on_one: Relationship, maya: Person, clock: time_machine.Traveller
) -> None:
    """New York moves to summer time on 14 March 2027: meetings go from 15:00 to 14:00 UTC."""
    assert weekly(9).hour == 15
    assert weekly(10).hour == 14
    for n in range(12):
        hold(clock, one_on_one, n, maya)
    at = weekly(11) + timedelta(days=2)
    seen = health(one_on_one, at=at, tz="America/New_York").attendance
    assert (seen.planned, seen.held, seen.not_recorded) == (12, 12, 0)
    assert seen.adherence == 1.0
    assert seen.streak == 12
    assert seen.days_since_last == 2
    assert seen.last_held == weekly(11)


@pytest.mark.parametrize(("tz", "days"), [("Pacific/Auckland", 0), ("America/Los_Angeles", 1)])
def test_days_since_the_last_1on1_count_in_the_viewers_zone(
    one_on_one: Relationship, maya: Person, clock: time_machine.Traveller, tz: str, days: int
) -> None:
    """Held 5 January 15:00 UTC: the 6th in Auckland, the 5th in Los Angeles."""
    hold(clock, one_on_one, 0, maya)
    at = datetime.fromisoformat("2027-01-06T10:00:00+00:00")  # the 6th in both zones
    assert health(one_on_one, at=at, tz=tz).attendance.days_since_last == days


def test_the_team_view_counts_days_in_the_managers_zone(
    one_on_one: Relationship, maya: Person, clock: time_machine.Traveller
) -> None:
    hold(clock, one_on_one, 0, maya)
    at = datetime.fromisoformat("2027-01-06T10:00:00+00:00")
    [row] = team_rows(maya, now=at)  # New York: 05:00 on the 6th
    assert row.health is not None
    assert row.health.attendance.days_since_last == 1
    maya.timezone = "Pacific/Auckland"
    [row] = team_rows(maya, now=at)
    assert row.health is not None
    assert row.health.attendance.days_since_last == 0


def test_an_unclosed_meeting_breaks_the_streak_after_the_grace(
    one_on_one: Relationship, maya: Person, clock: time_machine.Traveller
) -> None:
    for n in range(3):
        hold(clock, one_on_one, n, maya)
    soon_after = weekly(3) + timedelta(hours=2)
    assert health(one_on_one, at=soon_after).attendance.streak == 3
    next_day = weekly(3) + timedelta(days=1)
    seen = health(one_on_one, at=next_day).attendance
    assert (seen.streak, seen.planned, seen.not_recorded) == (0, 4, 1)


def test_reschedules_by_whom_and_a_move_into_the_future_is_not_planned_yet(
    one_on_one: Relationship, maya: Person, ravi: Person, clock: time_machine.Traveller
) -> None:
    meeting_reschedule(
        actor=ravi,
        relationship=one_on_one,
        key=weekly(0),
        new_start=weekly(0) + timedelta(hours=3),
        reason="Dentist",
    )
    clock.move_to(weekly(0) + timedelta(hours=4))
    meeting_close(actor=maya, relationship=one_on_one, key=weekly(0))
    clock.move_to(weekly(1) - timedelta(days=1))
    meeting_reschedule(
        actor=maya,
        relationship=one_on_one,
        key=weekly(1),
        new_start=weekly(1) + timedelta(days=2),
        reason="Offsite",
    )
    at = weekly(1) + timedelta(days=1)  # the second meeting has not taken place yet
    seen = health(one_on_one, at=at).attendance
    assert (seen.planned, seen.held, seen.rescheduled, seen.streak) == (1, 1, 1, 1)
    assert seen.rescheduled_by == {ravi.pk: 1}
    assert seen.cancelled_by == {}


def test_a_paused_series_plans_nothing_after_the_pause(
    one_on_one: Relationship, maya: Person, clock: time_machine.Traveller
) -> None:
    for n in range(3):
        hold(clock, one_on_one, n, maya)
    relationship_pause(actor=maya, relationship=one_on_one)
    result = health(one_on_one, at=weekly(9))
    seen = result.attendance
    assert (seen.planned, seen.held, seen.adherence, seen.streak) == (3, 3, 1.0, 3)
    assert result.warnings == []  # paused: no lapse warning


def test_time_paused_is_not_a_lapse_once_the_series_resumes(
    one_on_one: Relationship, maya: Person, clock: time_machine.Traveller
) -> None:
    for n in range(3):
        hold(clock, one_on_one, n, maya)
    relationship_pause(actor=maya, relationship=one_on_one)
    clock.move_to(weekly(9))
    relationship_resume(actor=maya, relationship=one_on_one, from_date=weekly(10).date())
    before_the_first = health(one_on_one, at=weekly(10) - timedelta(days=1))
    assert before_the_first.warnings == []
    assert before_the_first.attendance.planned == 3
    two_missed = health(one_on_one, at=weekly(12) + timedelta(days=1))
    assert two_missed.attendance.planned == 6
    assert [w.reason for w in two_missed.warnings] == [
        "No 1:1 held in 15 days; the cadence is every 7 days."
    ]


def test_an_ended_series_plans_nothing_after_the_end(
    one_on_one: Relationship, maya: Person, ravi: Person, clock: time_machine.Traveller
) -> None:
    hold(clock, one_on_one, 0, maya)
    hold(clock, one_on_one, 1, maya)
    relationship_end(actor=ravi, relationship=one_on_one)
    result = health(one_on_one, at=weekly(8))
    assert (result.attendance.planned, result.attendance.held) == (2, 2)
    assert result.warnings == []


# -- agenda -----------------------------------------------------------------------------


def test_private_points_never_count_in_balance_or_themes(
    one_on_one: Relationship, maya: Person, ravi: Person, clock: time_machine.Traveller
) -> None:
    shared = [
        point_add(actor=ravi, relationship=one_on_one, text="Promotion path", theme=Theme.CAREER),
        point_add(actor=ravi, relationship=one_on_one, text="Q1 goals", theme=Theme.GOALS),
        point_add(actor=maya, relationship=one_on_one, text="Thank you", theme=Theme.RECOGNITION),
    ]
    private = [
        point_add(
            actor=ravi,
            relationship=one_on_one,
            text="Am I burning out?",
            theme=Theme.WELLBEING,
            is_private=True,
        ),
        point_add(
            actor=maya,
            relationship=one_on_one,
            text="Feedback from peers",
            theme=Theme.FEEDBACK,
            is_private=True,
        ),
    ]
    clock.move_to(weekly(0) + timedelta(minutes=20))
    for point in [*shared, *private]:
        point_set_discussed(actor=point.author, point=point, meeting_key=weekly(0), discussed=True)
    meeting_close(actor=maya, relationship=one_on_one, key=weekly(0))
    result = health(one_on_one, at=weekly(0) + timedelta(days=1))
    assert (result.balance.lead, result.balance.member) == (1, 2)
    assert result.balance.member_share == pytest.approx(2 / 3)
    coverage = {t.theme: (t.meetings, t.of) for t in result.themes}
    assert coverage[Theme.CAREER] == (1, 1)
    assert coverage[Theme.GOALS] == (1, 1)
    assert coverage[Theme.RECOGNITION] == (1, 1)
    assert coverage[Theme.WELLBEING] == (0, 1)
    assert coverage[Theme.FEEDBACK] == (0, 1)
    assert Theme.OTHER not in coverage


# -- follow-through ---------------------------------------------------------------------


def test_each_side_is_judged_in_its_own_zone(
    one_on_one: Relationship, maya: Person, ravi: Person, clock: time_machine.Traveller
) -> None:
    """Done at 03:00 UTC on 12 January: the 11th in New York (Maya), the 12th in Berlin."""
    due = date(2027, 1, 11)
    mine = action_add(actor=maya, relationship=one_on_one, text="Budget", owner=maya, due_date=due)
    his = action_add(actor=ravi, relationship=one_on_one, text="Draft", owner=ravi, due_date=due)
    action_add(actor=ravi, relationship=one_on_one, text="Read the book", owner=ravi)
    action_add(
        actor=ravi,
        relationship=one_on_one,
        text="Write the plan",
        owner=ravi,
        due_date=date(2027, 1, 8),
    )
    clock.move_to(datetime.fromisoformat("2027-01-12T03:00:00+00:00"))
    action_set_done(actor=maya, item=mine, done=True)
    action_set_done(actor=ravi, item=his, done=True)
    result = health(one_on_one, at=datetime.fromisoformat("2027-01-14T12:00:00+00:00"))
    lead, member = result.lead_follow, result.member_follow
    assert (lead.on_time, lead.late, lead.open, lead.overdue, lead.rate) == (1, 0, 0, 0, 1.0)
    assert (member.on_time, member.late, member.open, member.overdue) == (0, 1, 2, 1)
    assert member.oldest_overdue_days == 6
    assert member.rate == 0.0
    assert [person for person, _ in result.sides(ravi)] == [ravi, maya]
    assert [person for person, _ in result.sides(maya)] == [maya, ravi]


# -- usefulness -------------------------------------------------------------------------


def test_usefulness_shows_once_both_rated_three_meetings_and_ignores_outsiders(
    one_on_one: Relationship,
    maya: Person,
    ravi: Person,
    olga: Person,
    clock: time_machine.Traveller,
) -> None:
    meetings = [hold(clock, one_on_one, n, maya, rating=5) for n in range(4)]
    for meeting in meetings[:2]:
        meeting_rate(actor=ravi, meeting=meeting, score=2)
    at = weekly(3) + timedelta(days=1)
    assert not health(one_on_one, at=at).usefulness.shown
    meeting_rate(actor=ravi, meeting=meetings[3], score=3)
    # A rating by someone outside the 1:1 (written past the services) changes nothing.
    for meeting in meetings:
        Rating.objects.create(meeting=meeting, rater=olga, score=1)
    useful = health(one_on_one, at=at).usefulness
    assert useful.shown
    assert useful.count == 1
    assert [b.lead for b in useful.blocks] == [5.0]
    assert [b.member for b in useful.blocks] == pytest.approx([7 / 3])
    assert useful.gap == pytest.approx(5 - 7 / 3)


def test_a_stored_block_never_moves(
    one_on_one: Relationship, maya: Person, ravi: Person, clock: time_machine.Traveller
) -> None:
    """Reopening, closing again, changing or adding a late rating never shifts a block, so
    comparing views of the page can never isolate one of the other's ratings."""
    meetings = [hold(clock, one_on_one, n, maya, rating=4) for n in range(5)]
    for meeting, score in zip(meetings[1:4], (5, 1, 3), strict=True):
        meeting_rate(actor=ravi, meeting=meeting, score=score)
    at = weekly(5)

    def shown() -> list[tuple[datetime, datetime, float, float]]:
        return [
            (b.first, b.last, b.lead, b.member) for b in health(one_on_one, at=at).usefulness.blocks
        ]

    first = shown()
    assert first == [(weekly(1), weekly(3), 4.0, 3.0)]
    # The attack a reviewer tried: reopen each meeting in turn and read the page.
    for meeting in meetings[1:4]:
        meeting_reopen(actor=maya, relationship=one_on_one, meeting=meeting)
        assert shown() == first
        clock.move_to(at)
        meeting_close(actor=maya, relationship=one_on_one, key=meeting.occurrence_start)
        assert shown() == first
    # A changed rating and a late rating of an older meeting change nothing either.
    meeting_rate(actor=ravi, meeting=Meeting.objects.get(pk=meetings[2].pk), score=5)
    meeting_rate(actor=ravi, meeting=Meeting.objects.get(pk=meetings[0].pk), score=2)
    assert shown() == first
    # Only three more meetings both rated, after the block, make the next one.
    meeting_rate(actor=ravi, meeting=meetings[4], score=2)
    assert shown() == first
    for n in (5, 6):
        hold(clock, one_on_one, n, ravi, rating=2)
        meeting_rate(actor=maya, meeting=Meeting.objects.get(occurrence_start=weekly(n)), score=4)
    at = weekly(7)
    assert shown() == [*first, (weekly(4), weekly(6), 4.0, 2.0)]


# -- check-ins and warnings -------------------------------------------------------------


def test_moods_and_workload_come_from_the_team_members_check_ins_only(
    one_on_one: Relationship, maya: Person, ravi: Person, clock: time_machine.Traveller
) -> None:
    for n, mood in enumerate([4, 2]):
        clock.move_to(weekly(n) - timedelta(days=1))
        submit(ravi, one_on_one, key=weekly(n), mood=mood, workload=TOO_MUCH)
        submit(maya, one_on_one, key=weekly(n), mood=5)
    result = health(one_on_one, at=weekly(1) + timedelta(hours=2))
    assert result.moods == [4, 2]
    assert result.last_workload == TOO_MUCH
    assert [w.kind for w in result.warnings] == ["workload"]
    assert result.status == "Needs attention"


# -- the team view ----------------------------------------------------------------------


def test_a_report_who_changed_managers(
    one_on_one: Relationship,
    maya: Person,
    ravi: Person,
    olga: Person,
    oren: Person,
    ada: Person,
    clock: time_machine.Traveller,
) -> None:
    for n in range(3):
        clock.move_to(weekly(n) - timedelta(days=1))
        submit(ravi, one_on_one, key=weekly(n), mood=1, workload=TOO_MUCH)
        hold(clock, one_on_one, n, maya)
    person_update(actor=ada, person=ravi, manager=olga)
    one_on_one.refresh_from_db()
    assert one_on_one.status == Relationship.Status.ENDED
    assert [row.person for row in team_rows(maya, now=weekly(3))] == []

    before = {row.person: row for row in team_rows(olga, now=weekly(3))}
    assert set(before) == {oren, ravi}
    assert before[ravi].relationship is None
    assert before[ravi].health is None

    clock.move_to(weekly(3))
    fresh = start_weekly(olga, ravi, tz="UTC", first=date(2027, 1, 27))
    rows = {row.person: row for row in team_rows(olga, now=weekly(3) + timedelta(hours=1))}
    assert rows[ravi].relationship == fresh
    new = rows[ravi].health
    assert new is not None
    # Nothing of the series with Maya: no meetings, no check-ins, no warnings.
    assert new.is_new
    assert (new.moods, new.last_workload, new.warnings) == ([], None, [])


def test_an_ended_series_is_not_a_team_row(
    one_on_one: Relationship, maya: Person, ravi: Person, now: datetime
) -> None:
    relationship_end(actor=maya, relationship=one_on_one)
    rows = team_rows(maya, now=now)
    assert [(row.person, row.relationship, row.health) for row in rows] == [(ravi, None, None)]


def test_team_rows_put_warnings_first_then_names(
    acme: Organization,
    one_on_one: Relationship,
    maya: Person,
    ravi: Person,
    clock: time_machine.Traveller,
) -> None:
    aaron = make_person(acme, "aaron@acme.test", "Aaron Able", manager=maya)
    zoe = make_person(acme, "zoe@acme.test", "Zoe Zed", manager=maya)
    make_person(acme, "gone@acme.test", "Gone Away", manager=maya, is_active=False)
    calm = start_weekly(maya, aaron)
    for n in range(2):
        clock.move_to(weekly(n) - timedelta(days=1))
        submit(ravi, one_on_one, key=weekly(n), workload=TOO_MUCH)
        submit(aaron, calm, key=weekly(n))
        hold(clock, one_on_one, n, maya)
        hold(clock, calm, n, maya)
    rows = team_rows(maya, now=weekly(1) + timedelta(days=1))
    assert [row.person for row in rows] == [ravi, aaron, zoe]
    assert rows[0].health is not None
    assert [w.kind for w in rows[0].health.warnings] == ["workload"]
    assert rows[1].health is not None
    assert rows[1].health.warnings == []
    assert rows[1].health.status == "On track"
    assert (rows[2].relationship, rows[2].health) == (None, None)


# -- query counts -----------------------------------------------------------------------


def _team(
    acme: Organization, maya: Person, size: int, clock: time_machine.Traveller, *, first: int = 0
) -> None:
    """`size` more reports of Maya's, each with a 1:1 holding one of everything."""
    for i in range(first, first + size):
        report = make_person(acme, f"r{i}@acme.test", f"Report {i:02}", manager=maya)
        clock.move_to(weekly(0) - timedelta(days=2))
        series = start_weekly(maya, report)
        point = point_add(actor=report, relationship=series, text="Goals", theme=Theme.GOALS)
        action_add(
            actor=maya, relationship=series, text="Do", owner=report, due_date=date(2027, 1, 6)
        )
        submit(report, series, key=weekly(0), mood=3, blockers="Access")
        clock.move_to(weekly(0) + timedelta(minutes=10))
        point_set_discussed(actor=report, point=point, meeting_key=weekly(0), discussed=True)
        meeting = meeting_close(actor=maya, relationship=series, key=weekly(0), rating=4)
        meeting_rate(actor=report, meeting=meeting, score=3)


def _count(run: object) -> int:
    with CaptureQueriesContext(connection) as queries:
        run()  # type: ignore[operator]
    return len(queries)


def _series(maya: Person) -> list[Relationship]:
    return list(Relationship.objects.filter(lead=maya).select_related("lead", "member"))


def test_facts_and_health_cost_the_same_queries_for_1_or_20_series(
    acme: Organization, maya: Person, clock: time_machine.Traveller
) -> None:
    at = weekly(2)
    _team(acme, maya, 1, clock)
    one = _series(maya)
    facts_one = _count(lambda: load_facts(one, now=at))
    health_one = _count(lambda: health_for(one, now=at, tz="UTC"))
    # Schedules, meetings, last held, actions, shared points, discussions, ratings, check-ins.
    assert facts_one == 8
    _team(acme, maya, 19, clock, first=1)
    twenty = _series(maya)
    assert len(twenty) == 20
    assert _count(lambda: load_facts(twenty, now=at)) == facts_one
    assert _count(lambda: health_for(twenty, now=at, tz="UTC")) == health_one
    assert health_one == facts_one  # composing the health reads nothing more
    assert load_facts([], now=at) == {}


def test_team_rows_cost_the_same_queries_for_1_or_20_reports(
    acme: Organization, maya: Person, clock: time_machine.Traveller
) -> None:
    at = weekly(2)
    _team(acme, maya, 1, clock)
    one = _count(lambda: team_rows(maya, now=at))
    assert one == 10  # the reports, their series and the eight kinds of facts
    _team(acme, maya, 19, clock, first=1)
    make_person(acme, "new@acme.test", "New Hire", manager=maya)  # no 1:1 yet
    rows: list[object] = []
    assert _count(lambda: rows.extend(team_rows(maya, now=at))) == one
    assert len(rows) == 21

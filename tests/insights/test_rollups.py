"""The worker's rollups of the organization view, on small hand-built histories.

The world: Acme on Monday 15 March 2027 at 12:00 UTC, so the figures are as of 00:00 UTC
that day (AS_OF). Lee (Platform) meets Mo (Platform) every Monday at 10:00 UTC since
4 January; Lee met Dee (Design) every Wednesday in January until the series ended on
1 February. Nat has no team.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import combinations
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from insights import rollups
from insights.models import TeamRollup
from insights.rollups import (
    action_outcome,
    add_months,
    months_to_compute,
    rollup_organization,
)
from meetings.models import ActionItem, Meeting, Rating, Relationship, Schedule
from meetings.schedule import WEEKDAY_CODES, local_to_utc
from notifications.periodic import JOBS
from people.models import Organization, Person, Team
from tests.conftest import make_person

NOW = datetime(2027, 3, 15, 12, 0, tzinfo=UTC)
AS_OF = datetime(2027, 3, 15, tzinfo=UTC)
DEC, JAN, FEB, MAR = date(2026, 12, 1), date(2027, 1, 1), date(2027, 2, 1), date(2027, 3, 1)
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)

Kind = TeamRollup.Kind
Scope = TeamRollup.Scope


def at(day: int, month: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2027, month, day, hour, minute, tzinfo=UTC)


def weekly(
    lead: Person,
    member: Person,
    first: date,
    *,
    until: datetime | None = None,
    tz: str = "UTC",
    clock: time = time(10, 0),
    status: str = Relationship.Status.ACTIVE,
) -> Relationship:
    """A weekly series on `first`'s weekday at `clock` in `tz`, one schedule segment."""
    assert lead.organization_id is not None
    relationship = Relationship.objects.create(
        organization_id=lead.organization_id, lead=lead, member=member, status=status
    )
    segment(relationship, first, until=until, tz=tz, clock=clock)
    return relationship


def segment(
    relationship: Relationship,
    first: date,
    *,
    until: datetime | None = None,
    tz: str = "UTC",
    clock: time = time(10, 0),
) -> Schedule:
    return Schedule.objects.create(
        relationship=relationship,
        rrule=f"FREQ=WEEKLY;INTERVAL=1;BYDAY={WEEKDAY_CODES[first.weekday()]}",
        first_date=first,
        local_time=clock,
        timezone=tz,
        duration_minutes=30,
        starts_at=local_to_utc(datetime.combine(first, clock), tz),
        until=until,
    )


def meeting(
    relationship: Relationship, key: datetime, status: str, start: datetime | None = None
) -> Meeting:
    return Meeting.objects.create(
        organization_id=relationship.organization_id,
        relationship=relationship,
        occurrence_start=key,
        start=start or key,
        duration_minutes=30,
        status=status,
    )


def action(
    relationship: Relationship, owner: Person, due: date | None, done_at: datetime | None
) -> ActionItem:
    return ActionItem.objects.create(
        organization_id=relationship.organization_id,
        relationship=relationship,
        owner=owner,
        created_by=owner,
        text="Something",
        due_date=due,
        done_at=done_at,
    )


def person(org: Organization, name: str, team: Team | None, **fields: Any) -> Person:
    fields.setdefault("date_joined", LONG_AGO)
    return make_person(org, f"{name.lower()}@acme.test", name, team=team, **fields)


@dataclass
class World:
    org: Organization
    platform: Team
    design: Team
    lee: Person
    mo: Person
    dee: Person
    nat: Person
    weekly: Relationship
    ended: Relationship


@pytest.fixture
def world(acme: Organization) -> World:
    platform = Team.objects.create(organization=acme, name="Platform")
    design = Team.objects.create(organization=acme, name="Design")
    lee = person(acme, "Lee", platform)
    mo = person(acme, "Mo", platform, manager=lee)
    dee = person(acme, "Dee", design, manager=lee)
    nat = person(acme, "Nat", None)
    series = weekly(lee, mo, date(2027, 1, 4))
    ended = weekly(lee, dee, date(2027, 1, 6), until=at(1, 2, 0), status=Relationship.Status.ENDED)
    return World(acme, platform, design, lee, mo, dee, nat, series, ended)


def rows(org: Organization) -> dict[tuple[str, date, str, int | None], dict[str, int]]:
    """Every rollup of the organization by (kind, period, scope, team): its counters."""
    found = {}
    for row in TeamRollup.objects.filter(organization=org):
        key = (row.kind, row.period_start, row.scope, row.team_id)
        found[key] = {name: getattr(row, name) for name in rollups._COUNTERS}
    return found


def figures(
    org: Organization, kind: str, period: date, team: Team | None = None, scope: str = ""
) -> dict[str, int]:
    scope = scope or (Scope.TEAM if team else Scope.ORGANIZATION)
    return rows(org)[(kind, period, scope, team.pk if team else None)]


def pick(values: dict[str, int], *names: str) -> tuple[int, ...]:
    return tuple(values[name] for name in names)


MEETINGS = ("planned", "held", "cancelled", "rescheduled")
TODAY = NOW.date()


# -- 1:1s --------------------------------------------------------------------------------


def test_it_counts_planned_held_cancelled_and_rescheduled_per_month_and_team(
    world: World,
) -> None:
    meeting(world.weekly, at(4, 1), Meeting.Status.HELD)
    meeting(world.weekly, at(11, 1), Meeting.Status.CANCELLED)
    meeting(world.weekly, at(18, 1), Meeting.Status.SKIPPED)
    meeting(world.weekly, at(1, 2), Meeting.Status.HELD, start=at(2, 2))
    meeting(world.weekly, at(8, 3), Meeting.Status.HELD)
    meeting(world.ended, at(13, 1), Meeting.Status.HELD)

    rollup_organization(world.org, now=NOW)

    # Mondays: 4 in January, 4 in February, 2 in March before AS_OF (the 15th is after).
    assert pick(figures(world.org, Kind.MONTH, JAN, world.platform), *MEETINGS) == (4, 1, 2, 0)
    assert pick(figures(world.org, Kind.MONTH, FEB, world.platform), *MEETINGS) == (4, 1, 0, 1)
    assert pick(figures(world.org, Kind.MONTH, MAR, world.platform), *MEETINGS) == (2, 1, 0, 0)
    # The ended series counts only its segment: the Wednesdays of January.
    assert pick(figures(world.org, Kind.MONTH, JAN, world.design), *MEETINGS) == (4, 1, 0, 0)
    assert pick(figures(world.org, Kind.MONTH, FEB, world.design), *MEETINGS) == (0, 0, 0, 0)
    assert pick(figures(world.org, Kind.MONTH, JAN), *MEETINGS) == (8, 2, 2, 0)
    # The last 90 days (since 15 December) hold all of it.
    assert pick(figures(world.org, Kind.RECENT, TODAY, world.platform), *MEETINGS) == (10, 3, 2, 1)
    assert pick(figures(world.org, Kind.RECENT, TODAY), *MEETINGS) == (14, 4, 2, 1)


def test_an_occurrence_counts_as_planned_once_it_has_ended_before_the_day(world: World) -> None:
    # The 15 March one ends at 10:30: it counts from the next day's figures on.
    rollup_organization(world.org, now=at(15, 3, 23, 59))
    assert figures(world.org, Kind.MONTH, MAR, world.platform)["planned"] == 2
    rollup_organization(world.org, now=at(16, 3, 0, 0))
    assert figures(world.org, Kind.MONTH, MAR, world.platform)["planned"] == 3


def test_an_occurrence_running_over_midnight_counts_the_day_after_it_ended(
    world: World,
) -> None:
    Schedule.objects.filter(relationship=world.weekly).delete()
    segment(world.weekly, date(2027, 3, 1), clock=time(23, 45))  # ends 00:15 the next day
    # As of 9 March 00:00 the one of 8 March (until 00:15) has not ended yet.
    rollup_organization(world.org, now=at(9, 3, 12))
    assert figures(world.org, Kind.MONTH, MAR, world.platform)["planned"] == 1
    rollup_organization(world.org, now=at(10, 3, 12))
    assert figures(world.org, Kind.MONTH, MAR, world.platform)["planned"] == 2


def test_a_paused_series_counts_only_its_segments(world: World) -> None:
    # Paused from 1 February, resumed from 1 March: February plans nothing.
    Schedule.objects.filter(relationship=world.weekly).update(until=at(1, 2, 0))
    segment(world.weekly, date(2027, 3, 1))
    rollup_organization(world.org, now=NOW)
    planned = [figures(world.org, Kind.MONTH, m, world.platform)["planned"] for m in (JAN, FEB, MAR)]  # fmt: skip
    assert planned == [4, 0, 2]


def test_a_series_follows_its_members_zone(world: World) -> None:
    # 00:30 in Tokyo on Tuesdays is 15:30 UTC on Mondays: the months are UTC months.
    Schedule.objects.filter(relationship=world.weekly).delete()
    segment(world.weekly, date(2027, 2, 2), tz="Asia/Tokyo", clock=time(0, 30))
    rollup_organization(world.org, now=NOW)
    # 1 Feb (UTC) 15:30, 8, 15, 22 Feb; then 1 and 8 March (15 March 15:30 is still ahead).
    assert figures(world.org, Kind.MONTH, FEB, world.platform)["planned"] == 4
    assert figures(world.org, Kind.MONTH, MAR, world.platform)["planned"] == 2


def test_a_member_who_changed_managers_brings_both_series_to_their_team(world: World) -> None:
    # Mo reported to Dee until February, then to Lee: two series, one team.
    Schedule.objects.filter(relationship=world.weekly).update(
        first_date=date(2027, 2, 1), starts_at=at(1, 2)
    )
    old = weekly(world.dee, world.mo, date(2027, 1, 5), until=at(1, 2, 0))
    old.status = Relationship.Status.ENDED
    old.save()
    meeting(old, at(5, 1), Meeting.Status.HELD)
    meeting(world.weekly, at(8, 2), Meeting.Status.HELD)
    rollup_organization(world.org, now=NOW)
    jan = figures(world.org, Kind.MONTH, JAN, world.platform)
    feb = figures(world.org, Kind.MONTH, FEB, world.platform)
    assert pick(jan, "planned", "held") == (4, 1)  # the Tuesdays with Dee
    assert pick(feb, "planned", "held") == (4, 1)  # the Mondays with Lee


def test_a_person_who_changed_teams_counts_in_the_new_team(world: World) -> None:
    meeting(world.ended, at(13, 1), Meeting.Status.HELD)
    world.dee.team = world.platform
    world.dee.save()
    rollup_organization(world.org, now=NOW)
    jan = figures(world.org, Kind.MONTH, JAN, world.platform)
    assert pick(jan, "people", "planned", "held") == (3, 8, 1)
    assert (Kind.MONTH, JAN, Scope.TEAM, world.design.pk) not in rows(world.org)


# -- people ------------------------------------------------------------------------------


def test_people_met_counts_everyone_who_took_part_in_their_own_team(world: World) -> None:
    meeting(world.weekly, at(8, 3), Meeting.Status.HELD)  # Lee and Mo (Platform)
    meeting(world.ended, at(13, 1), Meeting.Status.HELD)  # Lee and Dee (Design)
    meeting(world.weekly, at(1, 3), Meeting.Status.CANCELLED)
    rollup_organization(world.org, now=NOW)
    recent_platform = figures(world.org, Kind.RECENT, TODAY, world.platform)
    assert pick(recent_platform, "people", "people_met") == (2, 2)
    # Dee met Lee in January: more than 30 days ago.
    assert pick(figures(world.org, Kind.RECENT, TODAY, world.design), "people", "people_met") == (1, 0)  # fmt: skip
    assert pick(figures(world.org, Kind.MONTH, JAN, world.design), "people", "people_met") == (1, 1)
    assert pick(figures(world.org, Kind.MONTH, JAN), "people", "people_met") == (4, 2)
    nobody = figures(world.org, Kind.RECENT, TODAY, scope=Scope.NO_TEAM)
    assert pick(nobody, "people", "people_met") == (1, 0)
    assert pick(figures(world.org, Kind.RECENT, TODAY), "people", "people_met") == (4, 2)


def test_people_met_uses_the_last_30_days_by_the_actual_start(world: World) -> None:
    # Planned for 8 February, held on 14 February: 29 days before now.
    meeting(world.weekly, at(8, 2), Meeting.Status.HELD, start=at(14, 2, 13))
    rollup_organization(world.org, now=NOW)
    assert figures(world.org, Kind.RECENT, TODAY, world.platform)["people_met"] == 2
    rollup_organization(world.org, now=NOW + timedelta(days=2))
    later = (NOW + timedelta(days=2)).date()
    assert figures(world.org, Kind.RECENT, later, world.platform)["people_met"] == 0


def test_inactive_people_count_only_in_the_months_they_worked_here(world: World) -> None:
    person(
        world.org, "Gus", world.design, is_active=False, deactivated_at=at(10, 2)
    )  # left in February
    person(world.org, "Nia", world.design, date_joined=at(1, 3, 9))  # joined in March
    rollup_organization(world.org, now=NOW)
    design = [figures(world.org, Kind.MONTH, m, world.design)["people"] for m in (JAN, FEB, MAR)]
    assert design == [2, 2, 2]  # Dee and Gus, Dee and Gus, Dee and Nia
    assert figures(world.org, Kind.RECENT, TODAY, world.design)["people"] == 2  # Dee and Nia
    assert figures(world.org, Kind.RECENT, TODAY)["people"] == 5


def test_a_person_who_left_is_not_counted_as_met(world: World) -> None:
    meeting(world.weekly, at(8, 3), Meeting.Status.HELD)
    Person.objects.filter(pk=world.mo.pk).update(is_active=False, deactivated_at=at(9, 3))
    rollup_organization(world.org, now=NOW)
    assert pick(figures(world.org, Kind.RECENT, TODAY, world.platform), "people", "people_met") == (1, 1)  # fmt: skip
    assert pick(figures(world.org, Kind.MONTH, MAR, world.platform), "people", "people_met") == (2, 2)  # fmt: skip


# -- follow-through and ratings ----------------------------------------------------------

FOLLOW = ("actions_due", "actions_on_time", "actions_late", "actions_overdue")


def test_follow_through_is_judged_in_the_owners_zone_across_midnight(world: World) -> None:
    Person.objects.filter(pk=world.lee.pk).update(timezone="America/New_York")
    Person.objects.filter(pk=world.mo.pk).update(timezone="Europe/Berlin")
    # 22:00 on 1 March in New York, already the 2nd in UTC: on time.
    action(world.weekly, world.lee, date(2027, 3, 1), at(2, 3, 3))
    # 00:30 on 1 March in Berlin, still 28 February in UTC: late.
    action(world.weekly, world.mo, date(2027, 2, 28), at(28, 2, 23, 30))
    action(world.weekly, world.mo, date(2027, 3, 10), None)  # overdue
    action(world.weekly, world.mo, TODAY, None)  # due today: not overdue yet
    action(world.weekly, world.mo, date(2027, 3, 14), at(14, 3, 20))  # 21:00 in Berlin: on time
    # Due on the 14th, done at 11:00 today: after AS_OF, so still open in today's figures;
    # but in New York AS_OF is still the 14th (19:00): not overdue yet either.
    action(world.weekly, world.lee, date(2027, 3, 14), at(15, 3, 11))
    action(world.weekly, world.lee, date(2027, 3, 20), None)  # not due yet
    action(world.weekly, world.lee, None, None)  # no due date: never counted
    rollup_organization(world.org, now=NOW)
    assert pick(figures(world.org, Kind.MONTH, FEB, world.platform), *FOLLOW) == (1, 0, 1, 0)
    assert pick(figures(world.org, Kind.MONTH, MAR, world.platform), *FOLLOW) == (3, 2, 0, 1)
    assert pick(figures(world.org, Kind.RECENT, TODAY, world.platform), *FOLLOW) == (4, 2, 1, 1)


def test_an_item_is_overdue_once_its_owners_day_has_passed(world: World) -> None:
    # At AS_OF (00:00 UTC on 15 March) it is 17:00 on the 14th in Los Angeles.
    Person.objects.filter(pk=world.mo.pk).update(timezone="America/Los_Angeles")
    action(world.weekly, world.mo, date(2027, 3, 14), None)  # its day is not over
    action(world.weekly, world.lee, date(2027, 3, 14), None)  # UTC: overdue
    rollup_organization(world.org, now=NOW)
    assert pick(figures(world.org, Kind.RECENT, TODAY), *FOLLOW) == (1, 0, 0, 1)


def test_the_recent_window_counts_items_due_from_its_first_day(world: World) -> None:
    # 90 days before AS_OF is 15 December 2026, like since <= due in insights/metrics.py.
    action(world.weekly, world.lee, date(2026, 12, 15), None)
    action(world.weekly, world.lee, date(2026, 12, 14), None)
    rollup_organization(world.org, now=NOW)
    assert figures(world.org, Kind.RECENT, TODAY)["actions_overdue"] == 1


def test_action_outcome() -> None:
    due = date(2027, 3, 1)
    assert action_outcome(due, None, "UTC") == "actions_overdue"
    assert action_outcome(due, at(1, 3, 23, 59), "UTC") == "actions_on_time"
    assert action_outcome(due, at(2, 3, 0, 1), "UTC") == "actions_late"
    assert action_outcome(due, at(2, 3, 0, 1), "America/Los_Angeles") == "actions_on_time"


def test_ratings_are_summed_by_the_month_of_their_meeting(world: World) -> None:
    january = meeting(world.weekly, at(4, 1), Meeting.Status.HELD)
    march = meeting(world.weekly, at(8, 3), Meeting.Status.HELD)
    Rating.objects.create(meeting=january, rater=world.lee, score=4)
    Rating.objects.create(meeting=january, rater=world.mo, score=2)
    Rating.objects.create(meeting=march, rater=world.mo, score=5)
    rollup_organization(world.org, now=NOW)
    rated = ("rating_sum", "rating_count")
    assert pick(figures(world.org, Kind.MONTH, JAN, world.platform), *rated) == (6, 2)
    assert pick(figures(world.org, Kind.MONTH, MAR, world.platform), *rated) == (5, 1)
    assert pick(figures(world.org, Kind.RECENT, TODAY), *rated) == (11, 3)
    # Lee and Mo rated the January one; only Mo rated in March.
    assert figures(world.org, Kind.MONTH, JAN, world.platform)["raters"] == 2
    assert figures(world.org, Kind.MONTH, MAR, world.platform)["raters"] == 1


# -- contributors ------------------------------------------------------------------------


def test_members_are_the_team_members_with_a_1on1_planned_in_their_own_team(
    world: World,
) -> None:
    # Lee (Platform) also meets Nat (no team) from March: Nat counts among the people
    # without a team; Lee, only a lead, is nobody's member.
    weekly(world.lee, world.nat, date(2027, 3, 2))
    rollup_organization(world.org, now=NOW)
    assert figures(world.org, Kind.MONTH, JAN, world.platform)["members"] == 1  # Mo
    assert figures(world.org, Kind.MONTH, JAN, world.design)["members"] == 1  # Dee
    assert figures(world.org, Kind.MONTH, FEB, world.design)["members"] == 0  # ended
    assert figures(world.org, Kind.MONTH, MAR, scope=Scope.NO_TEAM)["members"] == 1  # Nat
    assert figures(world.org, Kind.MONTH, JAN)["members"] == 2
    assert figures(world.org, Kind.RECENT, TODAY, world.platform)["members"] == 1
    assert figures(world.org, Kind.RECENT, TODAY)["members"] == 3


def test_a_rater_counts_once_in_one_group(world: World) -> None:
    # Lee rates Mo's 1:1 (Platform, his own team) and Dee's (Design): he counts in
    # Platform only. Dee rates her own: Design. Nat rates nothing.
    ours = meeting(world.weekly, at(4, 1), Meeting.Status.HELD)
    theirs = meeting(world.ended, at(13, 1), Meeting.Status.HELD)
    Rating.objects.create(meeting=ours, rater=world.lee, score=4)
    Rating.objects.create(meeting=theirs, rater=world.lee, score=2)
    Rating.objects.create(meeting=theirs, rater=world.dee, score=5)
    rollup_organization(world.org, now=NOW)
    for kind, period in ((Kind.MONTH, JAN), (Kind.RECENT, TODAY)):
        platform = figures(world.org, kind, period, world.platform)
        design = figures(world.org, kind, period, world.design)
        assert pick(platform, "raters", "rating_count") == (1, 1)
        assert pick(design, "raters", "rating_count") == (1, 2)  # Lee counts in Platform
        assert figures(world.org, kind, period)["raters"] == 2  # Lee and Dee, once each


def test_a_lead_who_rated_only_other_teams_meetings_counts_in_one_of_them(
    world: World,
) -> None:
    # Nat (no team) leads Mo (Platform) and Dee (Design), and rates both 1:1s.
    first = weekly(world.nat, world.mo, date(2027, 1, 5))
    second = weekly(world.nat, world.dee, date(2027, 1, 7))
    Rating.objects.create(meeting=meeting(first, at(5, 1), Meeting.Status.HELD), rater=world.nat, score=3)  # fmt: skip
    Rating.objects.create(meeting=meeting(second, at(7, 1), Meeting.Status.HELD), rater=world.nat, score=3)  # fmt: skip
    rollup_organization(world.org, now=NOW)
    counted = [figures(world.org, Kind.MONTH, JAN, team)["raters"] for team in (world.platform, world.design)]  # fmt: skip
    assert sorted(counted) == [0, 1]
    assert figures(world.org, Kind.MONTH, JAN)["raters"] == 1


def test_an_owner_counts_once_in_one_group(world: World) -> None:
    # Lee owns items of Mo's 1:1 (Platform, his own team) and of Dee's (Design): he counts
    # in Platform only. Mo owns two items: one person. Dee owns one of her own 1:1.
    action(world.weekly, world.lee, date(2027, 1, 11), None)
    action(world.weekly, world.mo, date(2027, 1, 12), at(12, 1))
    action(world.weekly, world.mo, date(2027, 1, 20), at(25, 1))
    action(world.ended, world.lee, date(2027, 1, 13), at(13, 1))
    action(world.ended, world.dee, date(2027, 1, 14), None)
    # Not counted in follow-through, so no owner: not due yet, no due date.
    action(world.ended, world.nat, date(2027, 3, 20), None)
    action(world.ended, world.nat, None, None)
    rollup_organization(world.org, now=NOW)
    for kind, period in ((Kind.MONTH, JAN), (Kind.RECENT, TODAY)):
        platform = figures(world.org, kind, period, world.platform)
        design = figures(world.org, kind, period, world.design)
        assert pick(platform, "owners", "actions_due") == (2, 3)  # Lee and Mo
        assert pick(design, "owners", "actions_due") == (1, 2)  # Dee; Lee counts in Platform
        assert figures(world.org, kind, period)["owners"] == 3  # Lee, Mo and Dee, once each
        nobody = rows(world.org).get((kind, period, Scope.NO_TEAM, None), {})
        assert nobody.get("owners", 0) == 0  # Nat's items are not due in the period
    assert figures(world.org, Kind.MONTH, FEB)["owners"] == 0


def test_an_owner_of_only_other_teams_items_counts_in_one_of_them(world: World) -> None:
    # Nat (no team) leads Mo (Platform) and Dee (Design) and owns an item in each 1:1.
    first = weekly(world.nat, world.mo, date(2027, 1, 5))
    second = weekly(world.nat, world.dee, date(2027, 1, 7))
    action(first, world.nat, date(2027, 1, 5), None)
    action(second, world.nat, date(2027, 1, 7), None)
    rollup_organization(world.org, now=NOW)
    teams = (world.platform, world.design)
    counted = [figures(world.org, Kind.MONTH, JAN, team)["owners"] for team in teams]
    # The lowest team id, whichever team was created first.
    lowest = min(teams, key=lambda team: team.pk)
    assert counted == [1 if team == lowest else 0 for team in teams]
    assert figures(world.org, Kind.MONTH, JAN)["owners"] == 1
    assert figures(world.org, Kind.MONTH, JAN, scope=Scope.NO_TEAM)["owners"] == 0


def test_owners_of_merged_groups_add_up_to_at_most_the_distinct_owners(world: World) -> None:
    # Lee owns items in Platform (his own team), Design and Nat's group; Dee owns one in
    # Platform only. Any set of groups sums to at most the distinct people who own their
    # items: counted in every group, Lee alone would make Design and Nat's group sum to 2.
    nats = weekly(world.lee, world.nat, date(2027, 1, 5))
    action(world.weekly, world.lee, date(2027, 1, 11), None)
    action(world.ended, world.lee, date(2027, 1, 13), None)
    action(nats, world.lee, date(2027, 1, 12), None)
    action(world.weekly, world.dee, date(2027, 1, 18), None)
    rollup_organization(world.org, now=NOW)
    groups = {
        "platform": figures(world.org, Kind.MONTH, JAN, world.platform)["owners"],
        "design": figures(world.org, Kind.MONTH, JAN, world.design)["owners"],
        "nobody": figures(world.org, Kind.MONTH, JAN, scope=Scope.NO_TEAM)["owners"],
    }
    assert groups == {"platform": 2, "design": 0, "nobody": 0}  # Lee and Dee
    distinct = {
        "platform": {"lee", "dee"},
        "design": {"lee"},
        "nobody": {"lee"},
    }
    for size in (1, 2, 3):
        for chosen in combinations(groups, size):
            owners = set().union(*(distinct[name] for name in chosen))
            assert sum(groups[name] for name in chosen) <= len(owners)
    assert figures(world.org, Kind.MONTH, JAN)["owners"] == sum(groups.values()) == 2


# -- as of the start of the day ----------------------------------------------------------


def test_what_happens_after_the_start_of_the_day_counts_from_the_next_day(
    world: World,
) -> None:
    held = meeting(world.weekly, at(8, 3), Meeting.Status.HELD)
    Meeting.objects.filter(pk=held.pk).update(closed_at=at(15, 3, 9))  # closed this morning
    Rating.objects.create(meeting=held, rater=world.mo, score=5, created_at=at(15, 3, 9))
    action(world.weekly, world.mo, date(2027, 3, 10), None)
    ActionItem.objects.filter(owner=world.mo).update(created_at=at(15, 3, 9))  # created today
    action(world.weekly, world.lee, date(2027, 3, 10), at(15, 3, 9))  # done today: still open
    watched = (*MEETINGS, "people_met", "rating_count", *FOLLOW)
    rollup_organization(world.org, now=NOW)
    today = pick(figures(world.org, Kind.RECENT, TODAY, world.platform), *watched)
    assert today == (10, 0, 0, 0, 0, 0, 1, 0, 0, 1)
    # Run again later the same day: the very same figures.
    rollup_organization(world.org, now=at(15, 3, 23, 59))
    assert pick(figures(world.org, Kind.RECENT, TODAY, world.platform), *watched) == today
    # The next day all of it counts (Lee's item done late; the 15 March 1:1 is planned).
    rollup_organization(world.org, now=at(16, 3, 0, 1))
    tomorrow = pick(figures(world.org, Kind.RECENT, date(2027, 3, 16), world.platform), *watched)
    assert tomorrow == (11, 1, 0, 0, 2, 1, 2, 0, 1, 1)


def test_a_meeting_closed_before_closed_at_was_kept_counts(world: World) -> None:
    meeting(world.weekly, at(8, 3), Meeting.Status.HELD)  # closed_at is empty
    rollup_organization(world.org, now=NOW)
    assert figures(world.org, Kind.RECENT, TODAY)["held"] == 1


# -- the runs ----------------------------------------------------------------------------


def test_no_meetings_yet_gives_rows_of_zeros(acme: Organization) -> None:
    person(acme, "Solo", None)
    written = rollup_organization(acme, now=NOW)
    assert written["months"] == 24
    whole = figures(acme, Kind.RECENT, TODAY)
    assert whole["people"] == 1
    assert sum(whole.values()) == 1


def test_running_twice_gives_the_same_rows(world: World) -> None:
    meeting(world.weekly, at(4, 1), Meeting.Status.HELD)
    action(world.weekly, world.mo, date(2027, 3, 10), None)
    rollup_organization(world.org, now=NOW)
    first = rows(world.org)
    rollup_organization(world.org, now=NOW)
    assert rows(world.org) == first
    # One RECENT set only, replaced, not added to.
    assert TeamRollup.objects.filter(organization=world.org, kind=Kind.RECENT).count() == 4


def test_the_first_run_writes_24_months_and_later_runs_only_three(world: World) -> None:
    old = weekly(world.lee, world.dee, date(2026, 12, 2), until=at(1, 1, 0))
    written = rollup_organization(world.org, now=NOW)
    assert written["months"] == 24
    months = TeamRollup.objects.filter(organization=world.org, kind=Kind.MONTH)
    assert months.filter(scope=Scope.ORGANIZATION).count() == 24
    # Closed late: January is recomputed (three months are), December is not.
    meeting(world.weekly, at(4, 1), Meeting.Status.HELD)
    meeting(old, datetime(2026, 12, 2, 10, tzinfo=UTC), Meeting.Status.HELD)

    later = NOW + timedelta(hours=1)
    assert rollup_organization(world.org, now=later)["months"] == 3
    touched = {row.period_start for row in months.filter(computed_at=later)}
    assert touched == {JAN, FEB, MAR}
    assert figures(world.org, Kind.MONTH, JAN, world.platform)["held"] == 1
    assert figures(world.org, Kind.MONTH, DEC, world.design)["held"] == 0
    assert months.filter(scope=Scope.ORGANIZATION).count() == 24


def test_months_to_compute() -> None:
    now = datetime(2027, 3, 15, tzinfo=UTC)
    everything = months_to_compute(None, now=now)
    assert (len(everything), everything[0], everything[-1]) == (24, date(2025, 4, 1), MAR)
    assert months_to_compute(MAR, now=now) == [JAN, FEB, MAR]
    assert months_to_compute(FEB, now=now) == [JAN, FEB, MAR]
    assert months_to_compute(JAN, now=now) == [JAN, FEB, MAR]
    assert months_to_compute(DEC, now=now) == [DEC, JAN, FEB, MAR]
    # The worker was down since November: nothing is left out.
    assert months_to_compute(date(2026, 11, 1), now=now) == [
        date(2026, 11, 1),
        date(2026, 12, 1),
        JAN,
        FEB,
        MAR,
    ]
    assert add_months(date(2027, 1, 1), -1) == date(2026, 12, 1)


def queries_of_a_run(org: Organization) -> list[str]:
    """The statements of one run, but the inserts: SQLite splits a bulk insert into
    batches of at most 999 parameters (PostgreSQL writes up to 1000 rows in one)."""
    with CaptureQueriesContext(connection) as captured:
        rollup_organization(org, now=NOW)
    statements = [query["sql"] for query in captured.captured_queries]
    return [sql for sql in statements if not sql.startswith("INSERT")]


def test_the_number_of_queries_does_not_grow_with_the_organization(world: World) -> None:
    meeting(world.weekly, at(4, 1), Meeting.Status.HELD)
    rollup_organization(world.org, now=NOW)
    # The latest month, people, people met (2), meetings, schedules, ratings, actions;
    # then the savepoint, two deletes and its release.
    expected = 12
    assert len(queries_of_a_run(world.org)) == expected
    for number in range(6):
        team = Team.objects.create(organization=world.org, name=f"Team {number}")
        lead = person(world.org, f"Lead{number}", team)
        for other in range(3):
            member = person(world.org, f"Member{number}x{other}", team, manager=lead)
            series = weekly(lead, member, date(2027, 1, 5 + other))
            meeting(series, at(5 + other, 1), Meeting.Status.HELD)
            action(series, member, date(2027, 2, 1), None)
    assert len(queries_of_a_run(world.org)) == expected


def test_the_job_is_registered_with_the_worker_every_hour() -> None:
    job = JOBS["insights.rollup"]
    assert job.interval == timedelta(hours=1)
    assert job.function is rollups.rollup_all


@pytest.fixture
def failing_for_globex(monkeypatch: pytest.MonkeyPatch) -> None:
    real = rollups.rollup_organization

    def rollup(organization: Organization, *, now: datetime, months: int = 24) -> dict[str, int]:
        if organization.name == "Globex":
            raise RuntimeError("boom")
        return real(organization, now=now, months=months)

    monkeypatch.setattr(rollups, "rollup_organization", rollup)


def test_the_job_rolls_up_every_organization_and_survives_a_failure(
    world: World, globex: Organization, failing_for_globex: None, caplog: pytest.LogCaptureFixture
) -> None:
    other = Organization.objects.create(name="Initech")
    outcome = rollups.rollup_all(NOW)
    assert outcome == "rolled up 2 organization(s), 1 failed"
    assert TeamRollup.objects.filter(organization=world.org, kind=Kind.RECENT).exists()
    assert TeamRollup.objects.filter(organization=other, kind=Kind.RECENT).exists()
    assert not TeamRollup.objects.filter(organization=globex).exists()
    assert "Insights rollup failed" in caplog.text

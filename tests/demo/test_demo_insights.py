"""The demo's insights: Jonas Weber's team view tells the same story on any day it is loaded.

Each early warning of the team view is checked on the raw data it is computed from
(check-ins, held meetings against the cadence, ratings, action items), so the demo
keeps its story whatever the insights code makes of it.
"""

from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from io import StringIO
from statistics import mean

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from demo.generator import DEMO_ORG_NAME
from growth.models import CheckIn
from growth.services.checkins import blocker_lines
from lib.timezones import zone
from meetings.models import (
    ActionItem,
    CarryOver,
    Discussion,
    Meeting,
    Rating,
    Relationship,
    TalkingPoint,
)
from meetings.schedule import cadence_days
from people.models import Organization, Person

TOO_MUCH = CheckIn.Workload.TOO_MUCH
CALLED_OFF = (Meeting.Status.CANCELLED, Meeting.Status.SKIPPED)
HEALTHY = ("Priya Raman", "Mateo Rossi", "Chloe Dubois", "Ethan Brooks")
TEAM = (*HEALTHY, "Hannah Schmidt", "Arjun Mehta", "Kenji Tanaka")

# Today, a Monday morning just after Europe's switch to summer time, a Saturday night.
DAYS = [None, datetime(2027, 3, 29, 6, 0, tzinfo=UTC), datetime(2026, 8, 15, 22, 30, tzinfo=UTC)]


@pytest.fixture(scope="module", params=DAYS, ids=["today", "dst-monday", "saturday-night"])
def loaded(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[tuple[Organization, datetime]]:
    """The demo as loaded on that day, inside a transaction that is rolled back."""
    day: datetime = request.param or timezone.now()
    with (
        time_machine.travel(day, tick=True),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        call_command("demo_load", stdout=StringIO())
        yield Organization.objects.get(name=DEMO_ORG_NAME), timezone.now()
        transaction.set_rollback(True)


@pytest.fixture
def now(loaded: tuple[Organization, datetime]) -> datetime:
    return loaded[1]


@pytest.fixture
def team(loaded: tuple[Organization, datetime], db: None) -> dict[str, Relationship]:
    """Jonas's active 1:1 with each direct report, by the report's name."""
    series = Relationship.objects.filter(
        organization=loaded[0],
        lead__name="Jonas Weber",
        kind=Relationship.Kind.MANAGER,
        status=Relationship.Status.ACTIVE,
    ).select_related("lead", "member")
    return {rel.member.name: rel for rel in series}


def checkins(rel: Relationship) -> list[CheckIn]:
    return list(
        CheckIn.objects.filter(relationship=rel, author=rel.member)
        .select_related("meeting")
        .order_by("meeting__start")
    )


def mood_drop(found: Sequence[CheckIn]) -> bool:
    """The last 2 check-ins average at least 1 point below the 3 before."""
    last, before = found[-2:], found[-5:-2]
    return (
        len(last) == 2
        and bool(before)
        and mean(c.mood for c in last) <= mean(c.mood for c in before) - 1
    )


def too_much_twice(found: Sequence[CheckIn]) -> bool:
    return len(found) >= 2 and all(c.workload == TOO_MUCH for c in found[-2:])


def returning_blockers(found: Sequence[CheckIn]) -> list[str]:
    counts = Counter(line for c in found[-4:] for line in set(blocker_lines(c.blockers)))
    return [line for line, n in counts.items() if n >= 2]


def scores(rel: Relationship, rater_id: int) -> list[int]:
    return list(
        Rating.objects.filter(meeting__relationship=rel, rater_id=rater_id)
        .order_by("meeting__occurrence_start")
        .values_list("score", flat=True)
    )


def rated_by_both(rel: Relationship) -> list[tuple[int, int]]:
    """(lead, member) scores of the meetings both rated, oldest first."""
    by_meeting: dict[int, dict[int, int]] = {}
    for meeting_id, rater_id, score in (
        Rating.objects.filter(meeting__relationship=rel)
        .order_by("meeting__occurrence_start")
        .values_list("meeting_id", "rater_id", "score")
    ):
        by_meeting.setdefault(meeting_id, {})[rater_id] = score
    return [(by[rel.lead_id], by[rel.member_id]) for by in by_meeting.values() if len(by) == 2]


def blocks(found: Sequence[int]) -> list[float]:
    """Averages over fixed blocks of 3, counted from the first (the team view's trend)."""
    return [mean(found[i : i + 3]) for i in range(0, len(found) - 2, 3)]


def falling(found: Sequence[int]) -> bool:
    """The latest 3 ratings average at least 0.5 below the 3 before, the window before,
    or the last complete block below the block before."""
    if len(found) >= 6 and mean(found[-6:-3]) - mean(found[-3:]) >= 0.5:
        return True
    if len(found) >= 4 and mean(found[-4:-1]) - mean(found[-3:]) >= 0.5:
        return True
    averages = blocks(found)
    return len(averages) >= 2 and averages[-2] - averages[-1] >= 0.5


def cadence(rel: Relationship) -> timedelta:
    current = rel.schedules.get(until__isnull=True)
    return timedelta(days=cadence_days(current.rrule))


def last_held(rel: Relationship) -> Meeting:
    held = rel.meetings.filter(status=Meeting.Status.HELD).order_by("-start").first()
    assert held is not None
    return held


def today_of(person: Person, now: datetime) -> date:
    return now.astimezone(zone(person.timezone)).date()


def test_the_demo_manager_leads_the_whole_team(team: dict[str, Relationship]) -> None:
    assert set(team) == set(TEAM)


def test_hannah_feels_worse_and_has_too_much_work(team: dict[str, Relationship]) -> None:
    found = checkins(team["Hannah Schmidt"])
    assert [c.mood for c in found[-5:]] == [4, 4, 4, 2, 2]
    assert [c.workload for c in found[-2:]] == [TOO_MUCH, TOO_MUCH]
    assert mood_drop(found)
    assert all(c.meeting.status == Meeting.Status.HELD for c in found)
    assert all(c.created_at < c.meeting.start for c in found)
    assert not returning_blockers(found)


def test_kenji_has_not_had_a_1on1_for_over_twice_the_cadence(
    team: dict[str, Relationship], now: datetime
) -> None:
    rel = team["Kenji Tanaka"]
    held = last_held(rel)
    assert now - held.start > 2 * cadence(rel)
    missed = list(rel.meetings.filter(start__gt=held.start, start__lt=now).order_by("start"))
    assert len(missed) >= 2
    assert {m.status for m in missed} == set(CALLED_OFF)
    for meeting in missed:
        assert meeting.reason
        assert meeting.status_changed_by_id in (rel.lead_id, rel.member_id)
        assert meeting.closed_at is not None
        assert meeting.closed_at <= meeting.start
        # Nothing open was lost: every open point raised before it was called off went on.
        open_before = TalkingPoint.objects.filter(
            relationship=rel,
            status=TalkingPoint.Status.OPEN,
            is_standing=False,
            created_at__lt=meeting.closed_at,
        )
        assert open_before.exists()
        assert set(open_before.values_list("pk", flat=True)) == set(
            CarryOver.objects.filter(meeting=meeting).values_list("point_id", flat=True)
        )
        assert not Discussion.objects.filter(meeting=meeting).exists()
        assert not Rating.objects.filter(meeting=meeting).exists()


def test_arjun_reports_the_same_blocker_again(team: dict[str, Relationship]) -> None:
    rel = team["Arjun Mehta"]
    found = checkins(rel)
    assert len(returning_blockers(found)) == 1
    blocker = returning_blockers(found)[0]
    again = [c for c in found[-4:] if blocker in blocker_lines(c.blockers)]
    assert len(again) == 2
    for checkin in again:
        # As checkin_submit adds it: a shared blockers point, discussed in that meeting.
        point = TalkingPoint.objects.get(
            relationship=rel,
            author=rel.member,
            source=TalkingPoint.Source.CHECKIN,
            planned_for=checkin.meeting.occurrence_start,
        )
        assert point.text == blocker
        assert Discussion.objects.filter(point=point, meeting=checkin.meeting).exists()
    assert not mood_drop(found)
    assert not too_much_twice(found)


def test_each_warning_belongs_to_its_own_story(team: dict[str, Relationship]) -> None:
    """Hannah, Kenji and Arjun carry one story each; the rest of the team looks healthy."""
    for name, rel in team.items():
        found = checkins(rel)
        assert mood_drop(found) == too_much_twice(found) == (name == "Hannah Schmidt"), name
        assert bool(returning_blockers(found)) == (name == "Arjun Mehta"), name
        assert not falling(scores(rel, rel.member_id)), name
        assert not falling(scores(rel, rel.lead_id)), name
        both = rated_by_both(rel)
        assert not falling([member for _, member in both]), name
        assert not falling([lead for lead, _ in both]), name
        if name in HEALTHY:
            assert min(c.mood for c in found[-5:]) >= 3, name


def test_everyone_else_met_within_twice_the_cadence(
    team: dict[str, Relationship], now: datetime
) -> None:
    for name, rel in team.items():
        if name != "Kenji Tanaka":
            assert now - last_held(rel).start < 2 * cadence(rel), name


def test_the_showcase_pair_rated_enough_meetings_for_a_trend_and_a_gap(
    team: dict[str, Relationship],
) -> None:
    rel = team["Priya Raman"]
    both = list(
        Meeting.objects.filter(relationship=rel, ratings__rater=rel.lead)
        .filter(ratings__rater=rel.member)
        .order_by("start")
    )
    assert len(both) >= 6
    recent = both[-8:]
    lead = {
        r.meeting_id: r.score for r in Rating.objects.filter(meeting__in=recent, rater=rel.lead)
    }
    member = {
        r.meeting_id: r.score for r in Rating.objects.filter(meeting__in=recent, rater=rel.member)
    }
    gap = mean(lead[m.pk] - member[m.pk] for m in recent)
    assert 0.25 <= gap <= 1.0  # Jonas rates a little higher: visible, and small
    pairs = rated_by_both(rel)
    lead_blocks, member_blocks = blocks([p[0] for p in pairs]), blocks([p[1] for p in pairs])
    gaps = [a - b for a, b in zip(lead_blocks, member_blocks, strict=True)]
    assert len(gaps) >= 2
    assert 0.25 <= mean(gaps) <= 1.0  # over the whole trend too
    assert all(rating.meeting.status == Meeting.Status.HELD for rating in Rating.objects.all())


def test_both_sides_of_the_showcase_have_every_kind_of_follow_through(
    team: dict[str, Relationship], now: datetime
) -> None:
    rel = team["Priya Raman"]
    for owner in (rel.lead, rel.member):
        today = today_of(owner, now)
        kinds = Counter[str]()
        for item in ActionItem.objects.filter(
            relationship=rel, owner=owner, due_date__range=(today - timedelta(days=90), today)
        ).select_related("meeting", "completed_in"):
            assert item.due_date is not None
            if item.done_at is None:
                kinds["overdue" if item.due_date < today else "due today"] += 1
                continue
            assert item.meeting is not None
            if item.completed_in is not None:  # else ticked off between meetings
                assert item.completed_in.start > item.meeting.start
            assert item.created_at < item.done_at <= now
            kinds["on time" if today_of(owner, item.done_at) <= item.due_date else "late"] += 1
        assert kinds["on time"], (owner.name, kinds)
        assert kinds["late"], (owner.name, kinds)
        assert kinds["overdue"], (owner.name, kinds)


def test_moved_meetings_record_who_moved_them(loaded: tuple[Organization, datetime]) -> None:
    meetings = Meeting.objects.filter(organization=loaded[0]).select_related("relationship")
    moved = [m for m in meetings if m.is_rescheduled]
    assert moved
    sides = Counter[str]()
    for meeting in moved:
        rel = meeting.relationship
        assert meeting.moved_by_id in (rel.lead_id, rel.member_id), meeting
        sides["lead" if meeting.moved_by_id == rel.lead_id else "member"] += 1
    assert sides["lead"]
    assert sides["member"]
    assert not meetings.filter(moved_by__isnull=False, start=F("occurrence_start")).exists()


def test_jonas_s_team_view_shows_the_warnings_through_the_insights_code(
    team: dict[str, Relationship], now: datetime
) -> None:
    """The promise of the issue, read through insights/team.py itself: at least two early
    warnings on the demo manager's team view, and the showcase report healthy."""
    from insights.team import team_rows

    jonas = next(iter(team.values())).lead
    rows = {row.person.name: row for row in team_rows(jonas, now=now)}
    kinds = {
        name: {w.kind for w in row.health.warnings}
        for name, row in rows.items()
        if row.health is not None
    }
    assert kinds["Hannah Schmidt"] >= {"mood", "workload"}
    assert "lapse" in kinds["Kenji Tanaka"]
    assert "blocker" in kinds["Arjun Mehta"]
    assert sum(len(found) for found in kinds.values()) >= 2
    for name in HEALTHY:
        assert kinds[name] == set(), name
    priya = rows["Priya Raman"].health
    assert priya is not None
    assert priya.usefulness.shown
    assert priya.lead_follow.on_time
    assert priya.member_follow.on_time

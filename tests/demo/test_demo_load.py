"""The demo organization: lively, varied, and consistent with what the services would write."""

from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from demo.generator import DEMO_ORG_NAME
from demo.org import DEMO_PASSWORD
from meetings.models import (
    ActionItem,
    CarryOver,
    Discussion,
    Meeting,
    PrivateNote,
    Rating,
    Relationship,
    Schedule,
    TalkingPoint,
    Theme,
)
from meetings.occurrences import occurrence_exists, upcoming
from people.models import Organization, Person, Team


def run(*args: str) -> str:
    out = StringIO()
    call_command("demo_load", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def loaded(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[tuple[Organization, str]]:
    """The demo, loaded once for this module inside a transaction that is rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = run()
        yield Organization.objects.get(name=DEMO_ORG_NAME), output
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded: tuple[Organization, str], db: None) -> Organization:
    return loaded[0]


def test_it_loads_a_company_of_four_teams(demo: Organization) -> None:
    people = Person.objects.filter(organization=demo)
    assert 24 <= people.count() <= 26
    assert Team.objects.filter(organization=demo).count() == 4
    ceo = people.get(manager__isnull=True)
    leads = people.filter(manager=ceo, reports__isnull=False).distinct()
    assert leads.count() == 4
    assert all(
        p.manager and p.manager.manager_id == ceo.pk for p in people.filter(manager__in=leads)
    )
    admin = people.get(is_org_admin=True)
    assert not admin.reports.exists()
    assert people.values("timezone").distinct().count() >= 3
    assert all(p.email.endswith("@northwind.example") for p in people)
    assert all(p.title for p in people)


def test_it_prints_accounts_that_can_sign_in(loaded: tuple[Organization, str], db: None) -> None:
    output = loaded[1]
    assert "jonas@northwind.example" in output
    assert "priya@northwind.example" in output
    assert "nora@northwind.example" in output
    assert DEMO_PASSWORD in output
    jonas = Person.objects.get(email="jonas@northwind.example")
    assert jonas.check_password(DEMO_PASSWORD)
    assert Person.objects.get(email="priya@northwind.example").manager == jonas


def test_if_empty_only_prints_the_accounts_the_second_time(demo: Organization) -> None:
    meetings = Meeting.objects.count()
    output = run("--if-empty")
    assert "already loaded" in output
    assert "jonas@northwind.example" in output
    assert Organization.objects.filter(name=DEMO_ORG_NAME).count() == 1
    assert Meeting.objects.count() == meetings


def test_a_second_load_is_refused(demo: Organization) -> None:
    with pytest.raises(CommandError, match="already exists"):
        run()


def test_every_meeting_is_an_occurrence_of_its_series(demo: Organization) -> None:
    checked = 0
    for relationship in Relationship.objects.filter(organization=demo):
        schedules = list(relationship.schedules.all())
        for meeting in relationship.meetings.all():
            assert occurrence_exists(schedules, meeting.occurrence_start), meeting
            checked += 1
    assert checked > 300


def test_series_are_varied(demo: Organization) -> None:
    relationships = Relationship.objects.filter(organization=demo)
    assert set(relationships.values_list("kind", flat=True)) == set(Relationship.Kind.values)
    assert set(relationships.values_list("status", flat=True)) == set(Relationship.Status.values)
    assert relationships.filter(status=Relationship.Status.ENDED, ended_at__isnull=False).exists()
    for relationship in relationships.exclude(status=Relationship.Status.ACTIVE):
        assert relationship.schedules.filter(until__isnull=False).exists()
    rules = set(
        Schedule.objects.filter(relationship__organization=demo).values_list("rrule", flat=True)
    )
    assert any("INTERVAL=1;" in r for r in rules)
    assert any("INTERVAL=2;" in r for r in rules)
    assert any("MONTHLY" in r for r in rules)
    changed = Schedule.objects.filter(
        relationship__organization=demo,
        relationship__status=Relationship.Status.ACTIVE,
        until__isnull=False,
    )
    assert changed.exists(), "some series changed cadence part-way"
    assert all(r.lead_id != r.member_id for r in relationships)


def test_history_has_every_kind_of_meeting(demo: Organization) -> None:
    meetings = Meeting.objects.filter(organization=demo)
    statuses = Counter(meetings.values_list("status", flat=True))
    total = sum(statuses.values())
    assert 0.7 < statuses[Meeting.Status.HELD] / total < 0.95
    assert statuses[Meeting.Status.CANCELLED] > 0
    assert statuses[Meeting.Status.SKIPPED] > 0
    moved = [m for m in meetings.filter(status=Meeting.Status.HELD) if m.is_rescheduled]
    assert moved
    assert all(m.reason for m in moved)
    held = meetings.filter(status=Meeting.Status.HELD)
    assert all(m.notes and m.notes_version == 1 and m.closed_at for m in held)
    assert any("**" in m.notes and "\n- " in m.notes for m in held)
    now = timezone.now()
    assert not meetings.filter(closed_at__gt=now).exists()
    assert not meetings.exclude(status=Meeting.Status.SCHEDULED).filter(start__gt=now).exists()


def test_talking_points_come_from_both_sides_on_every_theme(demo: Organization) -> None:
    points = TalkingPoint.objects.filter(organization=demo).select_related("relationship")
    assert {p.theme for p in points} == set(Theme.values)
    by_member = sum(p.author_id == p.relationship.member_id for p in points) / len(points)
    assert 0.4 <= by_member <= 0.6
    private = sum(p.is_private for p in points) / len(points)
    assert 0.05 < private < 0.2
    assert not points.filter(is_private=True, is_standing=True).exists()
    standing = points.filter(is_standing=True)
    assert standing.exists()
    assert all(p.status == TalkingPoint.Status.OPEN for p in standing)
    assert Discussion.objects.filter(point__in=standing).exists()
    discussed = points.filter(status=TalkingPoint.Status.DISCUSSED)
    assert discussed.count() == Discussion.objects.filter(point__in=discussed).count()
    assert not Discussion.objects.filter(
        point__status=TalkingPoint.Status.OPEN, point__is_standing=False
    ).exists()


def test_carry_overs_are_what_closing_the_meetings_would_have_recorded(demo: Organization) -> None:
    """Every open point on a closed meeting's agenda was carried over, and nothing else was."""
    discussed_in = {
        d.point_id: d.meeting
        for d in Discussion.objects.filter(point__is_standing=False).select_related("meeting")
    }
    carried = defaultdict(set)
    for row in CarryOver.objects.all():
        carried[row.point_id].add(row.meeting_id)
    closed: defaultdict[int, list[tuple[Meeting, datetime]]] = defaultdict(list)
    for meeting in Meeting.objects.exclude(status=Meeting.Status.SCHEDULED):
        assert meeting.closed_at is not None
        end = meeting.start + timedelta(minutes=meeting.duration_minutes)
        # The agenda a meeting closed with: what was raised before it ended and was closed.
        closed[meeting.relationship_id].append((meeting, min(meeting.closed_at, end)))
    later_discussed = 0
    for point in TalkingPoint.objects.filter(organization=demo, is_standing=False):
        until = discussed_in.get(point.pk)
        if until is not None:
            assert point.created_at < until.start
        expected = {
            m.pk
            for m, cut in closed[point.relationship_id]
            if point.created_at < cut and (until is None or m.start < until.start)
        }
        assert carried[point.pk] == expected, point
        later_discussed += bool(expected and until)
    assert later_discussed > 5


def test_action_items_are_followed_through_mostly(demo: Organization) -> None:
    items = list(
        ActionItem.objects.filter(organization=demo).select_related("meeting", "completed_in")
    )
    done = [a for a in items if a.done_at]
    assert 0.65 < len(done) / len(items) < 0.9
    for item in done:
        assert item.meeting is not None
        assert item.done_at is not None
        assert item.done_at > item.created_at
        # Ticked off in a later meeting, or during the week in between (no meeting).
        if item.completed_in is not None:
            assert item.completed_in.start > item.meeting.start
    assert any(a.completed_in is None for a in done)
    assert any(a.completed_in is not None for a in done)
    today = timezone.localdate()
    due = [a.due_date for a in items if not a.done_at and a.due_date is not None]
    assert any(d < today for d in due)
    assert any(d >= today for d in due)
    participants = dict(Relationship.objects.filter(organization=demo).values_list("pk", "lead_id"))
    members = dict(Relationship.objects.filter(organization=demo).values_list("pk", "member_id"))
    assert all(
        a.owner_id in (participants[a.relationship_id], members[a.relationship_id]) for a in items
    )


def test_ratings_and_private_notes_belong_to_participants(demo: Organization) -> None:
    ratings = Rating.objects.filter(meeting__organization=demo).select_related(
        "meeting__relationship"
    )
    held = Meeting.objects.filter(organization=demo, status=Meeting.Status.HELD).count()
    assert 0.55 < ratings.count() / (2 * held) < 0.85
    scores = Counter(r.score for r in ratings)
    assert set(scores) <= {1, 2, 3, 4, 5}
    assert scores[1] + scores[2] > 0
    assert (scores[3] + scores[4] + scores[5]) / ratings.count() > 0.8
    assert all(r.meeting.status == Meeting.Status.HELD for r in ratings)
    for rating in ratings:
        rel = rating.meeting.relationship
        assert rating.rater_id in (rel.lead_id, rel.member_id)
    notes = PrivateNote.objects.filter(meeting__organization=demo).select_related(
        "meeting__relationship"
    )
    assert notes.exists()
    assert all(
        n.author_id in (n.meeting.relationship.lead_id, n.meeting.relationship.member_id)
        for n in notes
    )


def test_the_demo_manager_has_meetings_in_the_coming_days(demo: Organization) -> None:
    jonas = Person.objects.get(email="jonas@northwind.example")
    now = timezone.now()
    active = Relationship.objects.filter(organization=demo, status=Relationship.Status.ACTIVE)
    mine = [r for r in active if jonas.pk in (r.lead_id, r.member_id)]
    assert len(mine) >= 8
    soon = 0
    moved = 0
    for relationship in mine:
        schedules = list(relationship.schedules.all())
        nxt = upcoming(
            schedules,
            relationship.meetings.filter(start__gte=now - timedelta(days=1)),
            now=now,
            count=1,
        )
        assert nxt, relationship
        soon += nxt[0].start < now + timedelta(days=8)
        moved += nxt[0].is_rescheduled
        assert TalkingPoint.objects.filter(
            relationship=relationship, status="open", is_standing=False
        ).exists()
    assert soon >= len(mine) - 2
    assert moved == 1
    priya = Relationship.objects.get(lead=jonas, member__email="priya@northwind.example")
    private = TalkingPoint.objects.filter(relationship=priya, status="open", is_private=True)
    assert {p.author_id for p in private} == {priya.lead_id, priya.member_id}
    open_items = ActionItem.objects.open().filter(relationship=priya)
    assert open_items.filter(due_date__lt=timezone.localdate()).exists()
    assert open_items.filter(due_date__gte=timezone.localdate()).exists()


def test_every_row_belongs_to_the_organization(demo: Organization) -> None:
    assert not Relationship.objects.exclude(organization=demo).exists()
    assert not Meeting.objects.exclude(organization=demo).exists()
    assert not TalkingPoint.objects.exclude(organization=demo).exists()
    assert not ActionItem.objects.exclude(organization=demo).exists()
    assert not ActionItem.objects.exclude(relationship__organization=demo).exists()
    assert not Meeting.objects.exclude(relationship__organization=demo).exists()
    assert not TalkingPoint.objects.exclude(relationship__organization=demo).exists()

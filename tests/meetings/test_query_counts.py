"""Pinned query counts: the 1:1 pages cost the same with one meeting of history or two hundred.

The relationship page and My 1:1s are measured twice: rendered afresh (their page
cache emptied first) and served from the viewer's page cache.

The history is built with bulk inserts on a weekly series that started four years
ago, so every held meeting is a real occurrence of its schedule.
"""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

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
from meetings.occurrences import key_slug, segments
from meetings.pagecache import ALIAS
from meetings.schedule import local_to_utc, occurrences
from people.models import Organization, Person
from tests.conftest import client_for

pytestmark = pytest.mark.usefixtures("fast_passwords")

HTMX = {"HX-Request": "true"}
WEEKLY_ON_TUESDAY = "FREQ=WEEKLY;INTERVAL=1;BYDAY=TU"
SINCE = date(2023, 1, 3)  # a Tuesday, four years before `now`
ZONE = "America/New_York"

# The pinned counts. If one grows, find the query that came back per row; if one
# shrinks, lower it here.
# The manager's page of a manager 1:1 asks whether the report shared meetings of an
# earlier 1:1 with them (one EXISTS, for the link to what was shared). The health card
# (insights) costs four: the horizon's meetings, the last held one, who raised the shared
# points, the action items.
RELATIONSHIP_PAGE = 33
HOME_PAGE = 9  # the first query reads the versions that key its page cache
LIVE_FRAGMENT = 31
MEETING_PAGE = 17
# Served from the page cache: session, person, and the versions that key the entry.
CACHED = {"relationship": 3, "home": 3}


def start_series(organization: Organization, lead: Person, member: Person) -> Relationship:
    """A weekly 1:1 whose schedule began four years ago (created directly, as if long ago)."""
    relationship = Relationship.objects.create(
        organization=organization, lead=lead, member=member, kind=Relationship.Kind.MANAGER
    )
    Schedule.objects.create(
        relationship=relationship,
        rrule=WEEKLY_ON_TUESDAY,
        first_date=SINCE,
        local_time=time(10, 0),
        timezone=ZONE,
        duration_minutes=30,
        starts_at=local_to_utc(datetime.combine(SINCE, time(10, 0)), ZONE),
    )
    return relationship


def past_keys(relationship: Relationship, now: datetime) -> list[datetime]:
    """Every occurrence of the series that ended before the day before `now`."""
    schedules = list(relationship.schedules.all())
    return occurrences(segments(schedules), schedules[0].starts_at, now - timedelta(days=1))


def add_history(relationship: Relationship, keys: list[datetime]) -> None:
    """Held meetings with everything a record shows: discussed, carried and private points,
    shared notes, action items done and open, both ratings and both private notes."""
    lead, member = relationship.lead, relationship.member
    org = relationship.organization_id
    meetings = Meeting.objects.bulk_create(
        Meeting(
            organization_id=org,
            relationship=relationship,
            occurrence_start=key,
            start=key,
            duration_minutes=30,
            status=Meeting.Status.HELD,
            status_changed_by=lead,
            closed_at=key + timedelta(minutes=30),
            notes=f"Notes of {key:%d %b %Y}",
            notes_version=1,
            notes_updated_at=key,
            notes_updated_by=member,
        )
        for key in keys
    )
    points = TalkingPoint.objects.bulk_create(
        TalkingPoint(
            organization_id=org,
            relationship=relationship,
            author=author,
            text=text,
            theme=Theme.CAREER,
            is_private=private,
            position=n,
            status=TalkingPoint.Status.DISCUSSED,
            created_at=m.start,
        )
        for n, m in enumerate(meetings)
        for author, text, private in (
            (lead, "Roadmap", False),
            (member, "Worry", True),
            (member, "Training budget", False),
        )
    )
    shared, private, carried = points[0::3], points[1::3], points[2::3]
    Discussion.objects.bulk_create(
        Discussion(point=point, meeting=m)
        for m, *discussed in zip(meetings, shared, private, strict=True)
        for point in discussed
    )
    CarryOver.objects.bulk_create(
        CarryOver(point=p, meeting=m) for m, p in zip(meetings, carried, strict=True)
    )
    ActionItem.objects.bulk_create(
        ActionItem(
            organization_id=org,
            relationship=relationship,
            meeting=m,
            text=text,
            owner=owner,
            created_by=lead,
            due_date=m.start.date() + timedelta(days=7),
            done_at=done,
            completed_in=m if done else None,
        )
        for m in meetings
        for owner, text, done in ((member, "Write it up", m.start), (lead, "Follow up", None))
    )
    Rating.objects.bulk_create(
        Rating(meeting=m, rater=p, score=4) for m in meetings for p in (lead, member)
    )
    PrivateNote.objects.bulk_create(
        PrivateNote(meeting=m, author=p, text="Only mine") for m in meetings for p in (lead, member)
    )


def add_present(relationship: Relationship, now: datetime) -> None:
    """What is open right now: points on both sides (one private) and a touched next meeting."""
    lead, member = relationship.lead, relationship.member
    org = relationship.organization_id
    TalkingPoint.objects.bulk_create(
        TalkingPoint(
            organization_id=org,
            relationship=relationship,
            author=author,
            text=text,
            is_private=private,
            position=1000 + n,
            created_at=now,
        )
        for n, (author, text, private) in enumerate(
            ((lead, "Hiring", False), (member, "Burnout", True), (member, "Conference", False))
        )
    )
    key = occurrences(segments(relationship.schedules.all()), now, now + timedelta(days=8))[0]
    nxt = Meeting.objects.create(
        organization_id=org,
        relationship=relationship,
        occurrence_start=key,
        start=key,
        duration_minutes=30,
    )
    PrivateNote.objects.create(meeting=nxt, author=lead, text="Ask about the move")


@pytest.fixture
def series(
    clock: time_machine.Traveller, acme: Organization, maya: Person, ravi: Person, now: datetime
) -> Relationship:
    relationship = start_series(acme, maya, ravi)
    add_present(relationship, now)
    return relationship


def pages(relationship: Relationship) -> dict[str, Callable[[Client], object]]:
    """The GET requests whose cost is pinned, by name."""
    uuid = relationship.uuid
    last_held = Meeting.objects.filter(status=Meeting.Status.HELD).order_by("-start").first()
    meeting_key = key_slug(last_held.occurrence_start) if last_held else ""
    return {
        "relationship": lambda c: c.get(reverse("meetings:relationship", args=[uuid])),
        "home": lambda c: c.get(reverse("meetings:home")),
        "live": lambda c: c.get(reverse("meetings:live", args=[uuid]) + "?v=-1", headers=HTMX),
        "meeting": lambda c: c.get(reverse("meetings:meeting", args=[uuid, meeting_key])),
    }


PINNED = {
    "relationship": RELATIONSHIP_PAGE,
    "home": HOME_PAGE,
    "live": LIVE_FRAGMENT,
    "meeting": MEETING_PAGE,
}


def count_queries(client: Client, fetch: Callable[[Client], object]) -> int:
    """Queries of a fresh render (page cache emptied after a warm-up request)."""
    fetch(client)  # warm up whatever is cached per process
    caches[ALIAS].clear()
    with CaptureQueriesContext(connection) as queries:
        response = fetch(client)
    assert getattr(response, "status_code", None) == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("page", sorted(PINNED))
def test_the_cost_does_not_grow_with_history(
    series: Relationship, maya: Person, now: datetime, page: str
) -> None:
    keys = past_keys(series, now)
    assert len(keys) >= 200
    client = client_for(maya)
    add_history(series, keys[-1:])
    small = count_queries(client, pages(series)[page])

    add_history(series, keys[-200:-1])
    large = count_queries(client, pages(series)[page])

    assert Meeting.objects.filter(status=Meeting.Status.HELD).count() == 200
    assert small == large


@pytest.mark.parametrize("history", [1, 200])
@pytest.mark.parametrize("page", sorted(PINNED))
def test_the_cost_is_pinned(
    series: Relationship,
    maya: Person,
    now: datetime,
    django_assert_num_queries: DjangoAssertNumQueries,
    page: str,
    history: int,
) -> None:
    add_history(series, past_keys(series, now)[-history:])
    client = client_for(maya)
    fetch = pages(series)[page]
    fetch(client)

    caches[ALIAS].clear()
    with django_assert_num_queries(PINNED[page]):
        fetch(client)
    if page in CACHED:
        with django_assert_num_queries(CACHED[page]):
            fetch(client)


# --- My 1:1s with one relationship or twenty ---------------------------------------------


def add_reports(organization: Organization, manager: Person, first: int, count: int) -> None:
    """`count` more direct reports, each with a four-year-old weekly 1:1, its last meeting
    held, open points and action items (one of the report's overdue)."""
    reports = Person.objects.bulk_create(
        Person(
            organization=organization,
            manager=manager,
            email=f"report{n}@acme.test",
            name=f"Report {n}",
            password="!",
            title="Engineer",
        )
        for n in range(first, first + count)
    )
    for report in reports:
        relationship = start_series(organization, manager, report)
        add_history(relationship, past_keys(relationship, timezone.now())[-1:])
        add_present(relationship, timezone.now())
        ActionItem.objects.bulk_create(
            ActionItem(
                organization_id=organization.pk,
                relationship=relationship,
                text=text,
                owner=owner,
                created_by=manager,
                due_date=due,
            )
            for owner, text, due in (
                (manager, "Mine", date(2027, 1, 20)),
                (report, "Theirs, overdue", date(2026, 12, 20)),
            )
        )


@pytest.fixture
def manager(clock: time_machine.Traveller, maya: Person) -> Person:
    """Maya, with time frozen at `now`, before any 1:1 of hers exists."""
    return maya


def manager_pages(manager: Person) -> dict[str, Callable[[Client], object]]:
    """My 1:1s, and the live fragment of the manager's first 1:1."""
    first = Relationship.objects.filter(lead=manager).order_by("pk").first()
    assert first is not None
    live = reverse("meetings:live", args=[first.uuid]) + "?v=-1"
    return {
        "home": lambda c: c.get(reverse("meetings:home")),
        "live": lambda c: c.get(live, headers=HTMX),
    }


@pytest.mark.parametrize("page", ["home", "live"])
def test_the_cost_does_not_grow_with_relationships(
    manager: Person, acme: Organization, page: str
) -> None:
    client = client_for(manager)
    add_reports(acme, manager, 0, 1)
    small = count_queries(client, manager_pages(manager)[page])

    add_reports(acme, manager, 1, 19)
    large = count_queries(client, manager_pages(manager)[page])

    assert Relationship.objects.filter(lead=manager).count() == 20
    assert small == large


@pytest.mark.parametrize("relationships", [1, 20])
@pytest.mark.parametrize("page", ["home", "live"])
def test_the_cost_is_pinned_for_many_relationships(
    manager: Person,
    acme: Organization,
    django_assert_num_queries: DjangoAssertNumQueries,
    page: str,
    relationships: int,
) -> None:
    add_reports(acme, manager, 0, relationships)
    client = client_for(manager)
    fetch = manager_pages(manager)[page]
    fetch(client)

    caches[ALIAS].clear()
    with django_assert_num_queries(PINNED[page]):
        fetch(client)
    if page in CACHED:
        with django_assert_num_queries(CACHED[page]):
            fetch(client)

"""The private calendar feed: its page (create, show again, reset, turn off) and the feed.

The feed needs no session: the token is the credential. An unknown, reset or revoked
token answers 404 at once; a feed holds only its person's 1:1s, and never content.
"""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from activity.models import Activity
from lib.secrets import token_digest
from meetings.models import Relationship
from meetings.schedule import Cadence, CadenceKind
from meetings.services.agenda import point_add
from meetings.services.meetings import meeting_cancel, meeting_reschedule
from meetings.services.notes import private_note_save
from meetings.services.relationships import relationship_start
from notifications.models import CalendarFeed
from people.models import Person
from tests.conftest import client_for
from tests.notifications.test_ical import HI, LO, expand, parse, rapport_slots

pytestmark = pytest.mark.django_db

FIRST = datetime(2027, 1, 5, 15, 0, tzinfo=UTC)


def create_link(person: Person) -> str:
    """Press "Create my calendar link" as `person`; return the feed URL the page shows."""
    client = client_for(person)
    response = client.post(reverse("notifications:calendar_create"))
    assert response.status_code == 302
    page = client.get(reverse("notifications:calendar")).content.decode()
    feed = CalendarFeed.objects.get(person=person)
    start = page.index("http://testserver/calendar/")
    url = page[start : page.index('"', start)]
    assert url.endswith(".ics")
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert token_digest(token) == feed.token_digest
    assert token not in feed.token_encrypted  # stored encrypted, looked up by digest
    return url.removeprefix("http://testserver")


def fetch(path: str) -> Any:
    return Client().get(path)


@pytest.fixture
def rel(clock: time_machine.Traveller, one_on_one: Relationship) -> Relationship:
    return one_on_one


def test_the_page_offers_to_create_a_link(maya: Person) -> None:
    page = client_for(maya).get(reverse("notifications:calendar")).content.decode()
    assert "Create my calendar link" in page
    for app in ("Google Calendar", "Outlook", "Apple Calendar"):
        assert app in page
    assert ".ics" not in page
    assert f'href="{reverse("notifications:caldav")}"' in page
    assert not CalendarFeed.objects.exists()  # a GET creates nothing


def test_a_created_link_serves_the_persons_1on1s(rel: Relationship, ravi: Person) -> None:
    path = create_link(ravi)
    key = FIRST + timedelta(weeks=1)
    maya = rel.lead
    meeting_reschedule(
        actor=maya, relationship=rel, key=key, new_start=key + timedelta(hours=2), reason=""
    )
    meeting_cancel(actor=ravi, relationship=rel, key=key + timedelta(weeks=1), reason="")
    response = fetch(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"]
    assert "Set-Cookie" not in response
    calendar = parse(response.content)
    assert "X-WR-CALNAME" in calendar
    assert expand(calendar, LO, HI) == rapport_slots(rel, LO, HI)
    feed = CalendarFeed.objects.get(person=ravi)
    assert feed.last_used_at == datetime.now(UTC)
    # The page shows the same link again later, with when it was last fetched.
    assert create_link(ravi) == path
    assert CalendarFeed.objects.count() == 1


def test_last_use_is_written_at_most_once_a_minute(
    rel: Relationship, ravi: Person, clock: time_machine.Traveller, django_assert_num_queries: Any
) -> None:
    path = create_link(ravi)
    fetch(path)
    clock.shift(timedelta(seconds=20))
    # A poll within the minute costs reads only: the token, then the feed's three.
    with django_assert_num_queries(4):
        assert fetch(path).status_code == 200
    assert CalendarFeed.objects.get().last_used_at == datetime.now(UTC) - timedelta(seconds=20)
    clock.shift(timedelta(minutes=1))
    fetch(path)
    assert CalendarFeed.objects.get().last_used_at == datetime.now(UTC)


def test_an_unknown_token_is_404(rel: Relationship) -> None:
    assert fetch(reverse("feed:ics", args=["nope"])).status_code == 404
    assert fetch(reverse("feed:ics", args=["x" * 500])).status_code == 404


def test_reset_makes_the_old_link_404_at_once(rel: Relationship, ravi: Person) -> None:
    old = create_link(ravi)
    response = client_for(ravi).post(reverse("notifications:calendar_reset"))
    assert response.status_code == 302
    assert fetch(old).status_code == 404
    new = create_link(ravi)
    assert new != old
    assert fetch(new).status_code == 200
    assert Activity.objects.filter(verb="calendar_feed.reset", actor=ravi).count() == 1


def test_turning_off_makes_the_link_404_at_once(rel: Relationship, ravi: Person) -> None:
    path = create_link(ravi)
    client_for(ravi).post(reverse("notifications:calendar_off"))
    assert fetch(path).status_code == 404
    assert not CalendarFeed.objects.exists()
    page = client_for(ravi).get(reverse("notifications:calendar")).content.decode()
    assert "Create my calendar link" in page


def test_someone_who_left_has_no_feed(rel: Relationship, ravi: Person) -> None:
    path = create_link(ravi)
    Person.objects.filter(pk=ravi.pk).update(is_active=False)
    assert fetch(path).status_code == 404


def test_the_feed_never_shows_other_peoples_1on1s_or_content(
    rel: Relationship, maya: Person, ravi: Person, olga: Person, oren: Person
) -> None:
    theirs = relationship_start(
        actor=olga,
        other=oren,
        kind=Relationship.Kind.MANAGER,
        cadence=Cadence(CadenceKind.WEEKLY, weekday=3),
        first_date=date(2027, 1, 7),
        local_time=time(9, 0),
        timezone="UTC",
        duration_minutes=30,
    )
    point_add(actor=maya, relationship=rel, text="MAYA-PRIVATE-POINT", is_private=True)
    point_add(actor=ravi, relationship=rel, text="SHARED-POINT-TEXT", is_private=False)
    from meetings.services.common import meeting_materialize

    meeting = meeting_materialize(relationship=rel, key=FIRST)
    private_note_save(actor=maya, meeting=meeting, text="MAYA-PRIVATE-NOTE", base_version=0)
    for person in (maya, ravi):
        body = fetch(create_link(person)).content
        for marker in (b"MAYA-PRIVATE-POINT", b"SHARED-POINT-TEXT", b"MAYA-PRIVATE-NOTE"):
            assert marker not in body
        assert str(theirs.uuid).encode() not in body
        assert b"Oren" not in body
        assert str(rel.uuid).encode() in body
    oren_feed = fetch(create_link(oren)).content
    assert str(rel.uuid).encode() not in oren_feed
    assert b"Ravi" not in oren_feed

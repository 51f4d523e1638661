"""Leaving: a deactivated person cannot sign in, their 1:1s end, their partners keep their view.

The world is Maya and Ravi's 1:1 with two held meetings full of markers
(tests/meetings/test_shares_world.py), without the manager change; then someone leaves.
"""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from meetings.models import MeetingShare, Relationship
from meetings.occurrences import key_slug
from meetings.services.shares import meetings_share
from people.models import Person
from people.services import person_deactivate
from tests.conftest import PASSWORD, client_for
from tests.meetings.conftest import FIRST
from tests.meetings.test_shares_world import (
    PRIVATE_NOTE_MAYA,
    PRIVATE_NOTE_RAVI,
    PRIVATE_POINT_MAYA,
    PRIVATE_POINT_RAVI,
    SHARED_NOTES_ONE,
    SHARED_POINT_MAYA,
    SHARED_POINT_RAVI,
    World,
    build,
)

OnCommit = Callable[..., AbstractContextManager[object]]


@pytest.fixture
def clock(now: datetime) -> Iterator[time_machine.Traveller]:
    with time_machine.travel(now, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(
    clock: time_machine.Traveller, one_on_one: Relationship, ada: Person, olga: Person
) -> World:
    return build(clock, one_on_one, ada, olga, change_manager=False)


def test_a_person_who_left_cannot_sign_in(ravi: Person, ada: Person) -> None:
    assert Client().login(email=ravi.email, password=PASSWORD)

    person_deactivate(actor=ada, person=ravi)

    assert not Client().login(email=ravi.email, password=PASSWORD)


def test_an_open_session_stops_working(
    ravi: Person, ada: Person, django_capture_on_commit_callbacks: OnCommit
) -> None:
    from allauth.account.models import EmailAddress
    from allauth.usersessions.models import UserSession

    EmailAddress.objects.create(user=ravi, email=ravi.email, verified=True, primary=True)
    client = Client()
    # Signed in through the real form: allauth records the browser session.
    client.post(reverse("account_login"), {"login": ravi.email, "password": PASSWORD})
    assert client.get(reverse("meetings:home")).status_code == 200
    assert UserSession.objects.filter(user=ravi).exists()

    with django_capture_on_commit_callbacks(execute=True):
        person_deactivate(actor=ada, person=ravi)

    response = client.get(reverse("meetings:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not UserSession.objects.filter(user=ravi).exists()


def test_their_1on1s_end_because_they_left(world: World, ravi: Person, ada: Person) -> None:
    person_deactivate(actor=ada, person=ravi)

    world.old.refresh_from_db()
    assert world.old.status == Relationship.Status.ENDED
    assert world.old.end_reason == Relationship.EndReason.LEFT


def test_the_partner_keeps_the_shared_history_and_their_own_private_notes(
    world: World, ravi: Person, maya: Person, ada: Person
) -> None:
    person_deactivate(actor=ada, person=ravi)
    client = client_for(maya)

    page = client.get(reverse("meetings:relationship", args=[world.old.uuid])).content.decode()
    meeting = client.get(reverse("meetings:meeting", args=[world.old.uuid, key_slug(FIRST)]))
    record = meeting.content.decode()

    assert "because Ravi Report left the organization" in page
    assert meeting.status_code == 200
    for marker in (SHARED_NOTES_ONE, SHARED_POINT_RAVI, SHARED_POINT_MAYA, PRIVATE_NOTE_MAYA,
                   PRIVATE_POINT_MAYA):  # fmt: skip
        assert marker in record, marker
    for marker in (PRIVATE_NOTE_RAVI, PRIVATE_POINT_RAVI):
        assert marker not in page
        assert marker not in record


def test_their_reports_lose_their_manager(
    clock: time_machine.Traveller, one_on_one: Relationship, maya: Person, ravi: Person,
    ada: Person,
) -> None:  # fmt: skip
    person_deactivate(actor=ada, person=maya)

    ravi.refresh_from_db()
    assert ravi.manager is None
    one_on_one.refresh_from_db()
    assert one_on_one.end_reason == Relationship.EndReason.LEFT
    # The report keeps the archived 1:1, and is told why it ended.
    page = client_for(ravi).get(reverse("meetings:relationship", args=[one_on_one.uuid]))
    assert "because Maya Manager left the organization" in page.content.decode()


def test_meetings_they_shared_stay_with_the_reader(
    clock: time_machine.Traveller, one_on_one: Relationship, ada: Person, olga: Person,
    ravi: Person,
) -> None:  # fmt: skip
    """A share was Ravi's choice; it outlives his leaving like the rest of the shared history."""
    world = build(clock, one_on_one, ada, olga)
    meetings_share(actor=ravi, relationship=world.old, meeting_uuids=[world.first.uuid])

    person_deactivate(actor=ada, person=ravi)

    assert MeetingShare.objects.count() == 1
    response = client_for(olga).get(reverse("meetings:shared_history", args=[ravi.uuid]))
    assert response.status_code == 200
    assert SHARED_NOTES_ONE in response.content.decode()

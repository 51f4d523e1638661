"""Black-box privacy of a manager change: exactly what the new manager sees, with and without shares.

Markers are planted in every kind of content of Maya and Ravi's old 1:1 (shared notes,
shared and private points of both, private notes of both, an action item, a check-in,
feedback; see tests/meetings/test_shares_world.py). After Ravi moved to Olga, Olga
fetches every page she can reach. Without a share no marker reaches her; with a share
exactly the shared notes and shared agenda of the shared meetings do, nothing else.
"""

import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from meetings import urls
from meetings.models import Relationship
from meetings.occurrences import key_slug
from meetings.services.shares import meetings_share, shares_withdraw_all
from people.models import Person
from tests.conftest import client_for
from tests.meetings.conftest import FIRST
from tests.meetings.test_permissions_shares import old_1on1_urls
from tests.meetings.test_shares import start_with_olga
from tests.meetings.test_shares_world import (
    NEVER_SHARED,
    PLANNED_POINT,
    PRIVATE_NOTE_RAVI,
    PRIVATE_POINT_RAVI,
    SHARED_MARKERS,
    SHARED_NOTES_ONE,
    SHARED_NOTES_TWO,
    SHARED_POINT_MAYA,
    SHARED_POINT_RAVI,
    World,
    build,
)

pytestmark = pytest.mark.usefixtures("fast_passwords")
ALL_MARKERS = SHARED_MARKERS + NEVER_SHARED


@pytest.fixture
def world(
    clock: time_machine.Traveller, one_on_one: Relationship, ada: Person, olga: Person
) -> World:
    built = build(clock, one_on_one, ada, olga)
    # Olga and Ravi start their own manager 1:1 at once.
    start_with_olga(olga, Person.objects.get(pk=one_on_one.member_id))
    return built


def found(text: str, markers: tuple[str, ...]) -> set[str]:
    return {marker for marker in markers if re.search(re.escape(marker), text)}


def crawl(client: Client, world: World, ravi: Person) -> dict[str, str]:
    """Every page Olga can reach that could hold something of Ravi's old 1:1, by URL."""
    new = Relationship.objects.exclude(pk=world.old.pk).get(member=ravi)
    pages = {
        reverse("meetings:home"): "",
        reverse("meetings:relationship", args=[new.uuid]): "",
        reverse("meetings:plan", args=[new.uuid]): "",
        reverse("meetings:live", args=[new.uuid]) + "?v=-1": "",
        reverse("meetings:shared_history", args=[ravi.uuid]): "",
        reverse("growth:career_person", args=[ravi.uuid]): "",
        reverse("growth:goals"): "",
        reverse("growth:feedback_log"): "",
    }
    pages |= {url: "" for _name, url in old_1on1_urls(world, urls.urlpatterns)}
    seen: dict[str, str] = {}
    for url in pages:
        response = client.get(url)
        seen[url] = response.content.decode() if response.status_code == 200 else ""
    return seen


def markers_seen(seen: dict[str, str]) -> set[str]:
    return set().union(*(found(text, ALL_MARKERS) for text in seen.values()))


def test_the_markers_are_real(world: World, ravi: Person) -> None:
    """Ravi sees his own content of the archived 1:1, so the crawl can fail."""
    page = client_for(ravi).get(reverse("meetings:meeting", args=[world.old.uuid, key_slug(FIRST)]))
    text = page.content.decode()
    assert {PRIVATE_POINT_RAVI, PRIVATE_NOTE_RAVI, SHARED_POINT_RAVI} <= found(text, ALL_MARKERS)


def test_without_a_share_the_new_manager_sees_nothing(
    world: World, olga: Person, ravi: Person
) -> None:
    seen = crawl(client_for(olga), world, ravi)

    assert markers_seen(seen) == set()
    assert seen[reverse("meetings:shared_history", args=[ravi.uuid])] == ""


def test_with_one_meeting_shared_the_new_manager_sees_its_shared_content_only(
    world: World, olga: Person, ravi: Person
) -> None:
    meetings_share(actor=ravi, relationship=world.old, meeting_uuids=[world.first.uuid])

    seen = crawl(client_for(olga), world, ravi)

    shared_page = seen[reverse("meetings:shared_history", args=[ravi.uuid])]
    assert found(shared_page, ALL_MARKERS) == {SHARED_NOTES_ONE, SHARED_POINT_RAVI,
                                               SHARED_POINT_MAYA}  # fmt: skip
    assert markers_seen(seen) == found(shared_page, ALL_MARKERS)


def test_with_every_meeting_shared_still_nothing_private(
    world: World, olga: Person, ravi: Person
) -> None:
    meetings_share(
        actor=ravi, relationship=world.old, meeting_uuids=[world.first.uuid, world.second.uuid]
    )

    seen = crawl(client_for(olga), world, ravi)

    assert markers_seen(seen) == {SHARED_NOTES_ONE, SHARED_NOTES_TWO, SHARED_POINT_RAVI,
                                  SHARED_POINT_MAYA, PLANNED_POINT}  # fmt: skip
    assert not markers_seen(seen) & set(NEVER_SHARED)


def test_after_withdrawing_nothing_is_left(world: World, olga: Person, ravi: Person) -> None:
    meetings_share(
        actor=ravi, relationship=world.old, meeting_uuids=[world.first.uuid, world.second.uuid]
    )
    shares_withdraw_all(actor=ravi, relationship=world.old)

    assert markers_seen(crawl(client_for(olga), world, ravi)) == set()


@pytest.mark.parametrize("who", ["ada", "otto", "oren"])
def test_a_share_reaches_nobody_else(
    world: World, ravi: Person, ada: Person, otto: Person, oren: Person, who: str
) -> None:
    meetings_share(
        actor=ravi, relationship=world.old, meeting_uuids=[world.first.uuid, world.second.uuid]
    )
    person = {"ada": ada, "otto": otto, "oren": oren}[who]

    response = client_for(person).get(reverse("meetings:shared_history", args=[ravi.uuid]))

    assert response.status_code == 404

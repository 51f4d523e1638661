"""The per-viewer page cache never shows a participant an out-of-date 1:1.

Every write bumps a version that keys the cached body (the shared one, or the
writer's own private one), so each test caches a page, writes, and fetches again.
"""

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from meetings.models import Relationship, TalkingPoint
from meetings.services.agenda import (
    point_add,
    point_delete,
    point_edit,
    point_move,
    point_set_discussed,
)
from meetings.services.common import meeting_materialize
from meetings.services.meetings import meeting_close, meeting_rate
from meetings.services.notes import private_note_save
from people.models import Person
from tests.conftest import client_for

FIRST = datetime(2027, 1, 5, 15, 0, tzinfo=UTC)  # 10:00 in New York


@pytest.fixture(autouse=True)
def clock(now: datetime) -> Iterator[time_machine.Traveller]:
    with time_machine.travel(now, tick=False) as traveller:
        yield traveller


def page(client: Client, relationship: Relationship) -> str:
    response = client.get(reverse("meetings:relationship", args=[relationship.uuid]))
    assert response.status_code == 200
    return response.content.decode()


def main_of(html: str) -> str:
    """The page's main content (the layout around it carries a fresh CSP nonce each time)."""
    return html[html.index("<main") : html.index("</main>")]


def home(client: Client) -> str:
    response = client.get(reverse("meetings:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_shared_write_shows_at_once_on_both_sides(
    one_on_one: Relationship, maya: Person, ravi: Person
) -> None:
    maya_client, ravi_client = client_for(maya), client_for(ravi)
    for client in (maya_client, ravi_client):
        page(client, one_on_one)
        home(client)
    point_add(actor=ravi, relationship=one_on_one, text="Quarterly goals")
    for client in (maya_client, ravi_client):
        assert "Quarterly goals" in page(client, one_on_one)
        assert "1 talking point" in home(client)


def _private_point(relationship: Relationship, author: Person) -> TalkingPoint:
    return point_add(actor=author, relationship=relationship, text="Salary", is_private=True)


# A private write: it sets up what it needs, calls `cache` once both pages are cached
# as they stand, then writes, and returns a marker the author's page must now show.
PrivateWrite = Callable[[Relationship, Person, Callable[[], None]], str]


def _add(relationship: Relationship, author: Person, cache: Callable[[], None]) -> str:
    cache()
    _private_point(relationship, author)
    return "Salary"


def _edit(relationship: Relationship, author: Person, cache: Callable[[], None]) -> str:
    point = _private_point(relationship, author)
    cache()
    point_edit(actor=author, point=point, text="Salary band", theme="career",
               is_private=True, base_version=point.version)  # fmt: skip
    return "Salary band"


def _move(relationship: Relationship, author: Person, cache: Callable[[], None]) -> str:
    shared = point_add(actor=author, relationship=relationship, text="Roadmap")
    point = _private_point(relationship, author)
    cache()
    point_move(actor=author, point=point, direction=-1)
    shared.refresh_from_db()
    point.refresh_from_db()
    assert point.position < shared.position
    return "Salary</p>"


def _discussed(relationship: Relationship, author: Person, cache: Callable[[], None]) -> str:
    point = _private_point(relationship, author)
    cache()
    point_set_discussed(actor=author, point=point, meeting_key=FIRST, discussed=True)
    return f'id="point-{point.uuid}" class="point is-discussed is-private"'


def _note(relationship: Relationship, author: Person, cache: Callable[[], None]) -> str:
    meeting = meeting_materialize(relationship=relationship, key=FIRST)
    cache()
    private_note_save(actor=author, meeting=meeting, text="Remember the visa", base_version=0)
    return "Remember the visa"


@pytest.mark.parametrize("write", [_add, _edit, _move, _discussed, _note], ids=lambda w: w.__name__)
def test_my_private_write_shows_at_once_for_me_only(
    one_on_one: Relationship, maya: Person, ravi: Person, write: PrivateWrite
) -> None:
    ravi_client, maya_client = client_for(ravi), client_for(maya)
    cached: dict[str, object] = {}

    def cache() -> None:
        cached["maya"] = page(maya_client, one_on_one)
        cached["ravi"] = page(ravi_client, one_on_one)
        relationship = Relationship.objects.get(pk=one_on_one.pk)
        cached["shared"] = relationship.shared_version
        cached["private"] = relationship.member_private_version

    marker = write(one_on_one, ravi, cache)

    before = str(cached["ravi"])
    if write is _move:  # cached with the private point last
        assert before.index("Roadmap</p>") < before.index("Salary</p>")
    else:
        assert marker not in before
    mine = page(ravi_client, one_on_one)
    assert marker in mine
    if write is _move:  # the private point now comes first
        assert mine.index("Salary</p>") < mine.index("Roadmap</p>")
    relationship = Relationship.objects.get(pk=one_on_one.pk)
    assert relationship.member_private_version > int(str(cached["private"]))
    if write is not _move:
        # Maya's key did not move: her cached page is served, and it is the same page.
        assert relationship.shared_version == cached["shared"]
        assert main_of(page(maya_client, one_on_one)) == main_of(str(cached["maya"]))


def test_my_1on1s_counts_my_private_point_at_once_and_only_for_me(
    one_on_one: Relationship, maya: Person, ravi: Person
) -> None:
    ravi_client, maya_client = client_for(ravi), client_for(maya)
    point_add(actor=maya, relationship=one_on_one, text="Shared")
    assert "1 talking point" in home(ravi_client)
    before_for_maya = home(maya_client)
    assert "1 talking point" in before_for_maya

    _private_point(one_on_one, ravi)

    assert "2 talking points" in home(ravi_client)
    assert main_of(home(maya_client)) == main_of(before_for_maya)


def test_deleting_my_private_point_removes_it_at_once(
    one_on_one: Relationship, ravi: Person
) -> None:
    point = _private_point(one_on_one, ravi)
    client = client_for(ravi)
    assert "Salary" in page(client, one_on_one)
    point_delete(actor=ravi, point=point)
    assert "Salary" not in page(client, one_on_one)


def test_my_rating_shows_at_once(
    one_on_one: Relationship, maya: Person, ravi: Person, clock: time_machine.Traveller
) -> None:
    clock.move_to(FIRST + timedelta(minutes=40))
    meeting = meeting_close(actor=maya, relationship=one_on_one, key=FIRST)
    clock.move_to(FIRST + timedelta(days=1))  # the meeting is history now
    client = client_for(ravi)
    before = page(client, one_on_one)
    assert "You have not rated this meeting." in before
    meeting_rate(actor=ravi, meeting=meeting, score=4)
    assert "Your rating: <strong>4/5</strong>" in page(client, one_on_one)


def test_what_changes_with_the_clock_alone_shows_within_the_cache_lifetime(
    one_on_one: Relationship, ravi: Person, clock: time_machine.Traveller, settings: Any
) -> None:
    client = client_for(ravi)
    lifetime = timedelta(seconds=settings.RAPPORT_PAGE_CACHE_SECONDS)
    clock.move_to(FIRST - lifetime / 3)
    assert "Next meeting" in page(client, one_on_one)
    clock.move_to(FIRST + lifetime / 3)  # the meeting began; the cached page is still fresh
    assert "Next meeting" in page(client, one_on_one)
    clock.move_to(FIRST + lifetime)
    assert "This meeting" in page(client, one_on_one)


def test_a_new_time_zone_shows_at_once(one_on_one: Relationship, ravi: Person) -> None:
    client = client_for(ravi)
    assert "Tuesday 5 January, 16:00" in page(client, one_on_one)  # Ravi is in Berlin
    Person.objects.filter(pk=ravi.pk).update(timezone="UTC")
    assert "Tuesday 5 January, 15:00" in page(client, one_on_one)


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_forms_of_a_cached_page_still_post_after_signing_in_again(
    one_on_one: Relationship, ravi: Person
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(ravi)
    page(client, one_on_one)
    client.logout()
    client.force_login(ravi)  # a new session rotates the CSRF secret
    body = page(client, one_on_one)
    form = body[body.index('id="add-point"') :]
    token = TOKEN.search(form)
    assert token is not None
    response = client.post(
        reverse("meetings:point_add", args=[one_on_one.uuid]),
        {"text": "Posted from the page", "theme": "other", "csrfmiddlewaretoken": token[1]},
    )
    assert response.status_code == 302
    assert TalkingPoint.objects.filter(text="Posted from the page").exists()


def test_a_page_cached_for_one_person_is_never_served_to_another(
    one_on_one: Relationship, maya: Person, ravi: Person
) -> None:
    _private_point(one_on_one, ravi)
    assert "Salary" in page(client_for(ravi), one_on_one)
    assert "Salary" not in page(client_for(maya), one_on_one)


def test_the_cached_pages_show_no_template_syntax(one_on_one: Relationship, ravi: Person) -> None:
    """A comment or tag that Django did not parse (say, a {# #} over two lines) shows as text."""
    client = client_for(ravi)
    for html in (page(client, one_on_one), home(client)):
        text = main_of(html)
        for syntax in ("{#", "#}", "{%", "%}", "{{", "}}"):
            assert syntax not in text

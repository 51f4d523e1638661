"""Black-box privacy: what Ravi keeps private reaches nobody else, through any page.

Unique markers are planted in every kind of private content Ravi can have; then
Maya (the other participant), Olga (another manager) and Ada (the org admin, also
through the Django admin) fetch every page and fragment they can reach. No marker
may appear. Ravi fetching the same pages sees each one, so the crawl can fail.
"""

import difflib
import html
import re
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit
from uuid import uuid4

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings.models import ActionItem, Meeting, Relationship, TalkingPoint, Theme
from meetings.occurrences import key_slug
from meetings.selectors import series_upcoming
from meetings.services.actions import action_add
from meetings.services.agenda import point_add, point_set_discussed
from meetings.services.common import meeting_materialize
from meetings.services.meetings import meeting_close, meeting_rate
from meetings.services.notes import private_note_save, shared_notes_save
from people.models import Organization, Person
from playbook.models import Question
from tests.conftest import client_for
from tests.meetings.conftest import FIRST, SECOND, THIRD

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

pytestmark = pytest.mark.usefixtures("fast_passwords")

# The Monday before the second meeting: the first one is history, the second is next.
NOW = datetime(2027, 1, 11, 9, 0, tzinfo=SECOND.tzinfo)
HTMX = {"HX-Request": "true"}


def marker() -> str:
    return uuid4().hex


@dataclass(frozen=True)
class Secrets:
    """One marker per kind of private content Ravi has."""

    open_point: str
    carried_point: str
    discussed_point: str
    later_point: str
    held_note: str
    focus_note: str

    @classmethod
    def planted(cls) -> "Secrets":
        return cls(**{field.name: marker() for field in fields(cls)})

    def all(self) -> dict[str, str]:
        return dict(vars(self))


@dataclass(frozen=True)
class World:
    relationship: Relationship
    people: dict[str, Person]
    secrets: Secrets


def shared_history(relationship: Relationship, maya: Person, ravi: Person) -> None:
    """What both of them can see: points on both sides, shared notes, an action item."""
    roadmap = point_add(actor=maya, relationship=relationship, text="Q1 roadmap")
    point_add(actor=ravi, relationship=relationship, text="Conference budget", theme=Theme.CAREER)
    point_add(actor=maya, relationship=relationship, text="Team offsite", planned_for=THIRD)
    meeting = point_set_discussed(actor=maya, point=roadmap, meeting_key=FIRST, discussed=True)
    shared_notes_save(actor=maya, meeting=meeting, text="We agreed on the roadmap.", base_version=0)
    action_add(
        actor=maya, relationship=relationship, text="Book the venue", owner=ravi, meeting_key=FIRST
    )


@pytest.fixture
def world(
    clock: time_machine.Traveller,
    acme: Organization,
    one_on_one: Relationship,
    maya: Person,
    ravi: Person,
    olga: Person,
    oren: Person,
    ada: Person,
) -> World:
    secrets = Secrets.planted()
    Question.objects.create(organization=acme, theme=Theme.WELLBEING, text="How are you, really?")
    carried = point_add(
        actor=ravi,
        relationship=one_on_one,
        is_private=True,
        text=f"Carried {secrets.carried_point}",
    )
    discussed = point_add(
        actor=ravi,
        relationship=one_on_one,
        is_private=True,
        text=f"Discussed {secrets.discussed_point}",
    )
    clock.move_to(FIRST + timedelta(minutes=20))
    shared_history(one_on_one, maya, ravi)
    first = point_set_discussed(actor=ravi, point=discussed, meeting_key=FIRST, discussed=True)
    private_note_save(actor=ravi, meeting=first, text=f"Held {secrets.held_note}", base_version=0)
    meeting_close(actor=maya, relationship=one_on_one, key=FIRST, rating=4)
    meeting_rate(actor=ravi, meeting=Meeting.objects.get(pk=first.pk), score=5)
    assert carried.carry_overs.filter(meeting=first).exists()

    clock.move_to(NOW)
    point_add(
        actor=ravi, relationship=one_on_one, is_private=True, text=f"Open {secrets.open_point}"
    )
    point_add(
        actor=ravi,
        relationship=one_on_one,
        is_private=True,
        planned_for=THIRD,
        text=f"Later {secrets.later_point}",
    )
    second = meeting_materialize(relationship=one_on_one, key=SECOND)
    private_note_save(
        actor=ravi, meeting=second, text=f"Focus {secrets.focus_note}", base_version=0
    )
    return World(
        relationship=one_on_one,
        people={"maya": maya, "ravi": ravi, "olga": olga, "ada": ada},
        secrets=secrets,
    )


@dataclass(frozen=True)
class Page:
    url: str
    htmx: bool = False
    query: str = ""  # the search term, which the page echoes back

    def fetch(self, client: Client) -> "TestResponse":
        response = client.get(self.url, headers=HTMX if self.htmx else None)
        assert response.status_code < 500, self.url
        return response


def with_query(url: str, **params: str) -> str:
    return f"{url}?{urlencode(params)}"


def meeting_pages(relationship: Relationship) -> list[Page]:
    """Every occurrence anyone could open: all touched meetings and the upcoming ones."""
    keys = {m.occurrence_start for m in Meeting.objects.filter(relationship=relationship)}
    keys |= {o.key for o in series_upcoming(relationship, now=timezone.now())}
    pages = []
    for key in sorted(keys):
        args = [relationship.uuid, key_slug(key)]
        for name in ("meeting", "meeting_reschedule", "notes"):
            url = reverse(f"meetings:{name}", args=args)
            pages += [Page(url), Page(url, htmx=True)]
    return pages


def object_pages(relationship: Relationship) -> list[Page]:
    """The editors of every point and action item of the 1:1, private ones included."""
    pages = []
    for point in TalkingPoint.objects.filter(relationship=relationship):
        url = reverse("meetings:point_edit", args=[point.uuid])
        pages += [Page(url), Page(url, htmx=True)]
    for item in ActionItem.objects.filter(relationship=relationship):
        url = reverse("meetings:action_edit", args=[item.uuid])
        pages += [Page(url), Page(url, htmx=True)]
    return pages


def search_pages(relationship: Relationship, term: str) -> list[Page]:
    page = reverse("meetings:relationship", args=[relationship.uuid])
    live = reverse("meetings:live", args=[relationship.uuid])
    return [
        Page(with_query(page, q=term), query=term),
        Page(with_query(page, q=term, fragment="history"), htmx=True, query=term),
        Page(with_query(live, v="0", q=term), htmx=True, query=term),
    ]


def every_page(world: World) -> list[Page]:
    """Every GET URL of the 1:1 app with real kwargs, htmx fragments and searches."""
    relationship = world.relationship
    page = reverse("meetings:relationship", args=[relationship.uuid])
    live = reverse("meetings:live", args=[relationship.uuid])
    pages = [
        Page(reverse("meetings:home")),
        Page(reverse("meetings:relationship_new")),
        Page(page),
        Page(page, htmx=True),
        Page(with_query(page, page="2")),
        *(Page(with_query(page, fragment=f), htmx=True) for f in ("agenda", "actions", "history")),
        Page(with_query(live, v="0")),
        Page(with_query(live, v="0"), htmx=True),
        Page(reverse("meetings:plan", args=[relationship.uuid])),
        Page(reverse("meetings:suggest", args=[relationship.uuid]), htmx=True),
        # Insights (issue 6): counts and rates only, for both participants.
        Page(reverse("insights:relationship", args=[relationship.uuid])),
        Page(reverse("insights:home")),
        Page(reverse("insights:mine_csv")),
        *meeting_pages(relationship),
        *object_pages(relationship),
    ]
    for secret in world.secrets.all().values():
        pages += search_pages(relationship, secret)
    return pages


# Per-request values that differ between two fetches of the same page.
TOKENS = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'), 'name="csrfmiddlewaretoken"'),
    (re.compile(r'"X-CSRFToken": "[^"]*"'), '"X-CSRFToken": ""'),
    (re.compile(r'nonce="[^"]*"'), 'nonce=""'),
]


def normalized(response: "TestResponse") -> str:
    body = response.content.decode()
    for pattern, replacement in TOKENS:
        body = pattern.sub(replacement, body)
    return f"{response.status_code}\n{body}"


def assert_no_secret(world: World, client: Client, pages: list[Page]) -> int:
    """Fetch every page; none shows a marker (a search shows only the term it was asked for)."""
    secrets = world.secrets.all()
    for page in pages:
        body = normalized(page.fetch(client))
        leaked = [
            name for name, secret in secrets.items() if secret in body.replace(page.query, "")
        ]
        assert leaked == [], f"{page.url} shows {leaked}"
        if page.query:
            # Searching for a secret looks exactly like searching for something that never existed.
            control = marker()
            other = Page(page.url.replace(page.query, control), page.htmx, control)
            expected = normalized(other.fetch(client)).replace(control, page.query)
            assert body == expected, f"{page.url} differs from a search for nothing"
    return len(pages)


@pytest.mark.parametrize("role", ["maya", "olga", "ada"])
def test_nobody_else_sees_ravis_private_content(world: World, role: str) -> None:
    fetched = assert_no_secret(world, client_for(world.people[role]), every_page(world))

    assert fetched > 50


def test_ravi_sees_each_of_his_secrets_on_the_same_pages(world: World) -> None:
    """The positive control: the crawl reaches every place a secret lives."""
    client = client_for(world.people["ravi"])
    seen: set[str] = set()
    for page in every_page(world):
        if page.query:
            continue
        body = page.fetch(client).content.decode()
        seen |= {name for name, secret in world.secrets.all().items() if secret in body}

    assert seen == set(world.secrets.all())


@pytest.mark.parametrize("secret", ["held_note", "discussed_point", "carried_point"])
def test_the_history_search_finds_private_content_for_its_author_only(
    world: World, secret: str
) -> None:
    term = world.secrets.all()[secret]
    url = with_query(reverse("meetings:relationship", args=[world.relationship.uuid]), q=term)

    for_ravi = client_for(world.people["ravi"]).get(url)
    for_maya = client_for(world.people["maya"]).get(url)

    assert [m.occurrence_start for m in for_ravi.context["history"]] == [FIRST]
    assert for_maya.context["history"].paginator.count == 0


def admin_crawl(client: Client, start: str = "/admin/", limit: int = 500) -> dict[str, str]:
    """Every page under `start` reachable by links from it (query strings dropped).

    "/admin/" is the Django admin; "/org/" the organization admin pages of the app.
    """
    bodies: dict[str, str] = {}
    queue = [start]
    while queue and len(bodies) < limit:
        path = queue.pop(0)
        if path in bodies:
            continue
        response = client.get(path)
        body = response.content.decode() if response.status_code == 200 else ""
        bodies[path] = body
        for href in re.findall(r'href="([^"]+)"', body):
            target = urlsplit(html.unescape(href)).path
            if target.startswith(start) and "logout" not in target and target not in bodies:
                queue.append(target)
    return bodies


def test_the_organization_pages_show_no_secret(world: World) -> None:
    bodies = admin_crawl(client_for(world.people["ada"]), start="/org/")

    assert {"/org/", "/org/people/", "/org/chart/", "/org/sso/", "/org/scim/"} <= set(bodies)
    assert any(p.startswith("/org/people/") and p.count("/") == 4 for p in bodies), "no person"
    for path, body in bodies.items():
        leaked = [name for name, secret in world.secrets.all().items() if secret in body]
        assert leaked == [], f"{path} shows {leaked}"


def test_the_admin_shows_no_secret(world: World) -> None:
    bodies = admin_crawl(client_for(world.people["ada"]))

    changelists = {p for p in bodies if p.count("/") == 4}
    assert {"/admin/people/person/", "/admin/playbook/question/"} <= changelists
    assert any(p.endswith("/change/") for p in bodies), "the crawl reached no change page"
    for path, body in bodies.items():
        leaked = [name for name, secret in world.secrets.all().items() if secret in body]
        assert leaked == [], f"{path} shows {leaked}"


# --- Maya cannot even tell that Ravi keeps something private ---------------------------


@pytest.fixture
def shared_only(
    clock: time_machine.Traveller, one_on_one: Relationship, maya: Person, ravi: Person
) -> Relationship:
    """The same 1:1 without anything private yet."""
    clock.move_to(FIRST + timedelta(minutes=20))
    shared_history(one_on_one, maya, ravi)
    meeting_close(actor=maya, relationship=one_on_one, key=FIRST)
    clock.move_to(NOW)
    return one_on_one


def maya_view(relationship: Relationship, maya: Person) -> dict[str, str]:
    client = client_for(maya)
    page = reverse("meetings:relationship", args=[relationship.uuid])
    live = reverse("meetings:live", args=[relationship.uuid])
    meetings = [
        reverse("meetings:meeting", args=[relationship.uuid, key_slug(key)])
        for key in (FIRST, SECOND, THIRD)
    ]
    pages = [
        Page(reverse("meetings:home")),
        Page(page),
        Page(with_query(live, v="0"), True),
        *(Page(with_query(page, fragment=f), True) for f in ("agenda", "history")),
        *(Page(url) for url in meetings),
    ]
    return {p.url: normalized(p.fetch(client)) for p in pages}


def assert_same_view(after: dict[str, str], before: dict[str, str], label: str) -> None:
    """Maya's pages are byte-identical (per-request tokens aside), with a readable diff if not."""
    for url, body in before.items():
        diff = difflib.unified_diff(body.splitlines(), after[url].splitlines(), lineterm="", n=1)
        changes = "\n".join(list(diff)[:40])
        assert changes == "", f"after Ravi's '{label}', {url} changed for Maya:\n{changes}"


def home_agenda_count(relationship: Relationship, maya: Person) -> int:
    response = client_for(maya).get(reverse("meetings:home"))
    [row] = [r for r in response.context["rows"] if r.relationship == relationship]
    return int(row.agenda_count)


def shared_version(relationship: Relationship) -> int:
    return Relationship.objects.get(pk=relationship.pk).shared_version


def test_maya_cannot_tell_whether_ravi_keeps_private_items(
    shared_only: Relationship, maya: Person, ravi: Person
) -> None:
    relationship = shared_only
    before = maya_view(relationship, maya)
    version = shared_version(relationship)
    count = home_agenda_count(relationship, maya)
    ravi_client = client_for(ravi)
    agenda = reverse("meetings:point_add", args=[relationship.uuid])
    second = key_slug(SECOND)

    def point(text: str) -> TalkingPoint:
        return TalkingPoint.objects.get(relationship=relationship, text=text)

    steps: list[tuple[str, str, dict[str, str]]] = [
        ("add a private point", agenda, {"text": "Burnout", "is_private": "on", "theme": "other"}),
        (
            "add one for a later meeting",
            agenda,
            {"text": "Raise", "is_private": "on", "theme": "other", "planned_for": key_slug(THIRD)},
        ),
    ]
    for label, url, data in steps:
        assert ravi_client.post(url, data).status_code == 302, label
        assert_same_view(maya_view(relationship, maya), before, label)
    burnout = point("Burnout")
    more_steps: list[tuple[str, str, dict[str, str]]] = [
        (
            "edit it",
            reverse("meetings:point_edit", args=[burnout.uuid]),
            {"text": "Burnout again", "is_private": "on", "theme": "wellbeing", "version": "0"},
        ),
        ("move it", reverse("meetings:point_move", args=[burnout.uuid]), {"direction": "up"}),
        (
            "discuss it",
            reverse("meetings:point_discussed", args=[burnout.uuid]),
            {"meeting": second, "discussed": "1"},
        ),
        (
            "write a private note",
            reverse("meetings:private_note", args=[relationship.uuid, second]),
            {"text": "Ask for help", "version": "0"},
        ),
        (
            "remove the later point",
            reverse("meetings:point_delete", args=[point("Raise").uuid]),
            {},
        ),
    ]
    for label, url, data in more_steps:
        assert ravi_client.post(url, data).status_code == 302, label
        assert_same_view(maya_view(relationship, maya), before, label)
        assert shared_version(relationship) == version, label
        assert home_agenda_count(relationship, maya) == count, label

    burnout.refresh_from_db()
    assert burnout.status == TalkingPoint.Status.DISCUSSED  # the steps did happen


def test_the_live_poll_stays_silent_for_private_writes(
    shared_only: Relationship, maya: Person, ravi: Person
) -> None:
    live = reverse("meetings:live", args=[shared_only.uuid])
    version = str(shared_version(shared_only))
    point_add(actor=ravi, relationship=shared_only, text="Burnout", is_private=True)

    response = client_for(maya).get(with_query(live, v=version), headers=HTMX)

    assert response.status_code == 204


def test_maya_cannot_tell_from_an_unclosed_past_meeting_either(
    shared_only: Relationship, clock: time_machine.Traveller, maya: Person, ravi: Person
) -> None:
    a_day_later = SECOND + timedelta(days=1)
    clock.move_to(a_day_later)
    before = maya_view(shared_only, maya)
    clock.move_to(NOW)
    url = reverse("meetings:private_note", args=[shared_only.uuid, key_slug(SECOND)])
    assert client_for(ravi).post(url, {"text": "Ask for help", "version": "0"}).status_code == 302

    clock.move_to(a_day_later)

    assert_same_view(maya_view(shared_only, maya), before, "private note, meeting not closed")

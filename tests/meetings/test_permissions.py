"""Who may do what: every URL of the 1:1 app, for every role, in one table.

Participants (Maya leads, Ravi is her report) get their pages and their writes;
another manager of the same organization (Olga), its admin (Ada) and someone from
another organization (Otto) get 404 on every 1:1 URL, exactly like a 1:1 that does
not exist; anonymous visitors are sent to the login page. A participant who may
see something but not change it gets 403. A URL added to meetings/urls.py without
a row here fails `test_every_url_of_the_app_is_in_the_table`.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import time_machine
from django.apps import apps
from django.contrib import admin
from django.urls import URLPattern, get_resolver, reverse

from meetings import urls as meetings_urls
from meetings.models import ActionItem, Meeting, PrivateNote, Relationship, TalkingPoint, Theme
from meetings.occurrences import key_slug
from meetings.services.actions import action_add
from meetings.services.agenda import point_add, point_set_discussed
from meetings.services.meetings import meeting_close
from meetings.services.relationships import relationship_end, relationship_pause
from people.models import Organization, Person
from playbook.models import Question, Template, TemplatePrompt
from tests.conftest import client_for
from tests.meetings.conftest import FIRST, SECOND, THIRD
from tests.permissions import ARGS, BAD, DENY, GO, NO, OK, WRONG_METHOD, Row, cases, check

pytestmark = pytest.mark.usefixtures("fast_passwords")

# The world of every case: ten minutes into the second meeting, the first one held.
NOW = SECOND + timedelta(minutes=10)
HELD, CURRENT, UPCOMING = FIRST, SECOND, THIRD

# (url name, method, target) → status for maya, ravi, olga, ada, otto.
# Anonymous visitors are always redirected to the login page.
# Targets: "" the active 1:1 and Ravi's shared point; "private" Ravi's private point;
# "upcoming" an occurrence not touched yet; "paused" and "ended" the 1:1 paused or ended first.
TABLE: list[Row] = [
    # name                 method  target      maya  ravi  olga  ada   otto
    ("home",               "GET",  "",         OK,   OK,   OK,   OK,   OK),
    ("home",               "POST", "",         WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD),
    ("relationship_new",   "GET",  "",         OK,   OK,   OK,   OK,   OK),
    # Otto cannot start a 1:1 with someone of another organization.
    ("relationship_new",   "POST", "",         GO,   GO,   GO,   GO,   BAD),
    ("relationship",       "GET",  "",         OK,   OK,   NO,   NO,   NO),
    ("relationship",       "POST", "",         WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD),
    ("live",               "GET",  "",         OK,   OK,   NO,   NO,   NO),
    ("live",               "POST", "",         WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD),
    ("plan",               "GET",  "",         OK,   OK,   NO,   NO,   NO),
    ("plan",               "POST", "",         WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD),
    ("plan_cadence",       "GET",  "",         WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD),
    ("plan_cadence",       "POST", "",         GO,   GO,   NO,   NO,   NO),
    ("plan_pause",         "GET",  "",         WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD),
    ("plan_pause",         "POST", "",         GO,   GO,   NO,   NO,   NO),
    ("plan_resume",        "GET",  "",         WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD),
    ("plan_resume",        "POST", "paused",   GO,   GO,   NO,   NO,   NO),
    ("plan_end",           "GET",  "",         WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD),
    ("plan_end",           "POST", "",         GO,   GO,   NO,   NO,   NO),
    ("point_add",          "GET",  "",         WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD),
    ("point_add",          "POST", "",         GO,   GO,   NO,   NO,   NO),
    ("suggest",            "GET",  "",         OK,   OK,   NO,   NO,   NO),
    ("suggest",            "POST", "",         WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD),
    ("suggest_accept",     "GET",  "",         WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD),
    ("suggest_accept",     "POST", "",         GO,   GO,   NO,   NO,   NO),
    ("template_apply",     "GET",  "",         WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD),
    ("template_apply",     "POST", "",         GO,   GO,   NO,   NO,   NO),
    ("action_add",         "GET",  "",         WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD),
    ("action_add",         "POST", "",         GO,   GO,   NO,   NO,   NO),
    ("meeting",            "GET",  "",         OK,   OK,   NO,   NO,   NO),
    ("meeting",            "GET",  "upcoming", OK,   OK,   NO,   NO,   NO),
    ("meeting",            "POST", "",         WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD),
    ("meeting_reschedule", "GET",  "",         OK,   OK,   NO,   NO,   NO),
    ("meeting_reschedule", "POST", "",         GO,   GO,   NO,   NO,   NO),
    ("meeting_cancel",     "GET",  "",         WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD),
    ("meeting_cancel",     "POST", "",         GO,   GO,   NO,   NO,   NO),
    ("meeting_close",      "GET",  "",         WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD),
    ("meeting_close",      "POST", "",         GO,   GO,   NO,   NO,   NO),
    ("meeting_reopen",     "GET",  "",         WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD),
    ("meeting_reopen",     "POST", "",         GO,   GO,   NO,   NO,   NO),
    ("meeting_rate",       "GET",  "",         WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD),
    ("meeting_rate",       "POST", "",         GO,   GO,   NO,   NO,   NO),
    ("notes",              "GET",  "",         OK,   OK,   NO,   NO,   NO),
    ("notes",              "POST", "",         GO,   GO,   NO,   NO,   NO),
    ("private_note",       "GET",  "",         WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD),
    ("private_note",       "POST", "",         GO,   GO,   NO,   NO,   NO),
    # Only the author edits or removes a point; the other participant sees it but gets 403.
    ("point_edit",         "GET",  "",         DENY, OK,   NO,   NO,   NO),
    ("point_edit",         "POST", "",         DENY, GO,   NO,   NO,   NO),
    ("point_delete",       "GET",  "",         WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD),
    ("point_delete",       "POST", "",         DENY, GO,   NO,   NO,   NO),
    ("point_move",         "GET",  "",         WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD),
    ("point_move",         "POST", "",         GO,   GO,   NO,   NO,   NO),
    ("point_discussed",    "GET",  "",         WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD),
    ("point_discussed",    "POST", "",         GO,   GO,   NO,   NO,   NO),
    ("point_standing",     "GET",  "",         WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD),
    ("point_standing",     "POST", "",         GO,   GO,   NO,   NO,   NO),
    ("action_edit",        "GET",  "",         OK,   OK,   NO,   NO,   NO),
    ("action_edit",        "POST", "",         GO,   GO,   NO,   NO,   NO),
    ("action_done",        "GET",  "",         WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD),
    ("action_done",        "POST", "",         GO,   GO,   NO,   NO,   NO),
    ("action_delete",      "GET",  "",         WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD, WRONG_METHOD),
    ("action_delete",      "POST", "",         GO,   GO,   NO,   NO,   NO),
    # Ravi's private point does not exist for Maya: 404, not 403.
    ("point_edit",         "GET",  "private",  NO,   OK,   NO,   NO,   NO),
    ("point_edit",         "POST", "private",  NO,   GO,   NO,   NO,   NO),
    ("point_delete",       "POST", "private",  NO,   GO,   NO,   NO,   NO),
    ("point_move",         "POST", "private",  NO,   GO,   NO,   NO,   NO),
    ("point_discussed",    "POST", "private",  NO,   GO,   NO,   NO,   NO),
    # A private point cannot become a standing topic: back to the page with a message.
    ("point_standing",     "POST", "private",  NO,   GO,   NO,   NO,   NO),
    # An ended 1:1 is read-only history: its pages stay, every write is refused.
    ("relationship",       "GET",  "ended",    OK,   OK,   NO,   NO,   NO),
    ("live",               "GET",  "ended",    OK,   OK,   NO,   NO,   NO),
    ("plan",               "GET",  "ended",    OK,   OK,   NO,   NO,   NO),
    ("suggest",            "GET",  "ended",    OK,   OK,   NO,   NO,   NO),
    ("meeting",            "GET",  "ended",    OK,   OK,   NO,   NO,   NO),
    ("meeting_reschedule", "GET",  "ended",    DENY, DENY, NO,   NO,   NO),
    ("notes",              "GET",  "ended",    DENY, DENY, NO,   NO,   NO),
    ("point_edit",         "GET",  "ended",    DENY, DENY, NO,   NO,   NO),
    ("action_edit",        "GET",  "ended",    DENY, DENY, NO,   NO,   NO),
    ("plan_cadence",       "POST", "ended",    DENY, DENY, NO,   NO,   NO),
    ("plan_pause",         "POST", "ended",    DENY, DENY, NO,   NO,   NO),
    ("plan_resume",        "POST", "ended",    DENY, DENY, NO,   NO,   NO),
    ("plan_end",           "POST", "ended",    DENY, DENY, NO,   NO,   NO),
    ("point_add",          "POST", "ended",    DENY, DENY, NO,   NO,   NO),
    ("suggest_accept",     "POST", "ended",    DENY, DENY, NO,   NO,   NO),
    ("template_apply",     "POST", "ended",    DENY, DENY, NO,   NO,   NO),
    ("action_add",         "POST", "ended",    DENY, DENY, NO,   NO,   NO),
    ("meeting_reschedule", "POST", "ended",    DENY, DENY, NO,   NO,   NO),
    ("meeting_cancel",     "POST", "ended",    DENY, DENY, NO,   NO,   NO),
    ("meeting_close",      "POST", "ended",    DENY, DENY, NO,   NO,   NO),
    ("meeting_reopen",     "POST", "ended",    DENY, DENY, NO,   NO,   NO),
    ("meeting_rate",       "POST", "ended",    DENY, DENY, NO,   NO,   NO),
    ("notes",              "POST", "ended",    DENY, DENY, NO,   NO,   NO),
    ("private_note",       "POST", "ended",    DENY, DENY, NO,   NO,   NO),
    ("point_edit",         "POST", "ended",    DENY, DENY, NO,   NO,   NO),
    ("point_delete",       "POST", "ended",    DENY, DENY, NO,   NO,   NO),
    ("point_move",         "POST", "ended",    DENY, DENY, NO,   NO,   NO),
    ("point_discussed",    "POST", "ended",    DENY, DENY, NO,   NO,   NO),
    ("point_standing",     "POST", "ended",    DENY, DENY, NO,   NO,   NO),
    ("action_edit",        "POST", "ended",    DENY, DENY, NO,   NO,   NO),
    ("action_done",        "POST", "ended",    DENY, DENY, NO,   NO,   NO),
    ("action_delete",      "POST", "ended",    DENY, DENY, NO,   NO,   NO),
]  # fmt: skip

# Rows whose input is refused with a message rather than an error status.
REFUSED = {("point_standing", "private")}

CASES = cases(TABLE)


@dataclass(frozen=True)
class World:
    relationship: Relationship
    people: dict[str, Person]
    oren: Person
    shared_point: TalkingPoint
    private_point: TalkingPoint
    item: ActionItem
    question: Question
    template: Template


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
    otto: Person,
) -> World:
    """Ravi's shared and private points, Maya's action item, the first meeting held."""
    shared = point_add(actor=ravi, relationship=one_on_one, text="Conference budget")
    private = point_add(
        actor=ravi, relationship=one_on_one, text="Thinking of leaving", is_private=True
    )
    mine = point_add(actor=maya, relationship=one_on_one, text="Q1 priorities")
    clock.move_to(HELD + timedelta(minutes=20))
    point_set_discussed(actor=maya, point=mine, meeting_key=HELD, discussed=True)
    item = action_add(
        actor=maya,
        relationship=one_on_one,
        text="Draft the budget",
        owner=ravi,
        due_date=date(2027, 1, 20),
        meeting_key=HELD,
    )
    meeting_close(actor=maya, relationship=one_on_one, key=HELD)
    clock.move_to(NOW)
    template = Template.objects.create(organization=acme, name="Weekly check-in")
    TemplatePrompt.objects.create(template=template, text="Wins this week", theme=Theme.RECOGNITION)
    question = Question.objects.create(
        organization=acme, theme=Theme.CAREER, text="Where do you want to be in a year?"
    )
    return World(
        relationship=one_on_one,
        people={"maya": maya, "ravi": ravi, "olga": olga, "ada": ada, "otto": otto},
        oren=oren,
        shared_point=shared,
        private_point=private,
        item=item,
        question=question,
        template=template,
    )


# The occurrence each meeting URL is about; an ended 1:1 has no upcoming occurrence.
MEETING_KEYS = {
    "meeting": HELD,
    "meeting_reschedule": UPCOMING,
    "meeting_cancel": UPCOMING,
    "meeting_close": CURRENT,
    "meeting_reopen": HELD,
    "meeting_rate": HELD,
    "notes": CURRENT,
    "private_note": CURRENT,
}
QUERY_STRINGS = {"live": "?v=0"}


def url_for(world: World, name: str, target: str) -> str:
    """The URL of `name` with real kwargs from the world."""
    relationship: dict[str, object] = {"relationship_uuid": world.relationship.uuid}
    kwargs: dict[str, object]
    if name in ("home", "relationship_new"):
        kwargs = {}
    elif name.startswith("point_") and name != "point_add":
        point = world.private_point if target == "private" else world.shared_point
        kwargs = {"point_uuid": point.uuid}
    elif name.startswith("action_") and name != "action_add":
        kwargs = {"item_uuid": world.item.uuid}
    elif name in MEETING_KEYS:
        key = MEETING_KEYS[name]
        if target == "upcoming":
            key = UPCOMING
        elif target == "ended" and key == UPCOMING:
            key = CURRENT
        kwargs = relationship | {"key": key_slug(key)}
    else:
        kwargs = relationship
    return reverse(f"meetings:{name}", kwargs=kwargs) + QUERY_STRINGS.get(name, "")


def post_data(world: World, name: str, target: str, actor: Person) -> dict[str, str]:
    """Valid input for each POST view, as the actor's browser would send it."""
    ravi = world.people["ravi"]
    point = world.private_point if target == "private" else world.shared_point
    point.refresh_from_db()
    world.item.refresh_from_db()
    current = Meeting.objects.filter(
        relationship=world.relationship, occurrence_start=CURRENT
    ).first()
    note = PrivateNote.objects.filter(meeting=current, author=actor).first()
    cadence = {"cadence": "weekly", "weekday": "3", "nth": "", "local_time": "11:00",
               "timezone": "America/New_York", "duration_minutes": "30"}  # fmt: skip
    data: dict[str, dict[str, str]] = {
        "relationship_new": cadence
        | {
            "other": str(world.oren.pk),
            "kind": Relationship.Kind.PEER,
            "first_date": "2027-02-01",
            "template": "",
        },
        "plan_cadence": cadence | {"from_date": "2027-02-01"},
        "plan_resume": {"from_date": "2027-02-01"},
        "plan_end": {"confirm": "yes"},
        "point_add": {"text": "How is onboarding going?", "theme": Theme.OTHER},
        "suggest_accept": {"question": str(world.question.uuid)},
        "template_apply": {"template": str(world.template.uuid)},
        "action_add": {
            "text": "Book the venue",
            "owner": str(ravi.uuid),
            "due_date": "2027-02-01",
            "meeting": key_slug(CURRENT),
        },
        "meeting_reschedule": {"new_date": "2027-01-20", "new_time": "09:00", "reason": "Travel"},
        "meeting_cancel": {"reason": "Offsite"},
        "meeting_close": {"rating": "4"},
        "meeting_rate": {"score": "4"},
        "notes": {
            "text": "We agreed on the budget.",
            "version": str(current.notes_version if current else 0),
        },
        "private_note": {
            "text": "Remember to ask about the move.",
            "version": str(note.version if note else 0),
        },
        "point_edit": {
            "text": "Conference budget, revised",
            "theme": Theme.CAREER,
            "version": str(point.version),
        }
        | ({"is_private": "on"} if point.is_private else {}),
        "point_move": {"direction": "up"},
        "point_discussed": {"meeting": key_slug(CURRENT), "discussed": "1"},
        "point_standing": {"standing": "1"},
        "action_edit": {
            "text": "Draft the budget for Q1",
            "owner": str(ravi.uuid),
            "due_date": "2027-01-27",
            "version": str(world.item.version),
        },
        "action_done": {"done": "1", "meeting": key_slug(CURRENT)},
    }
    return data.get(name, {})


def prepare(world: World, target: str) -> None:
    maya = world.people["maya"]
    if target == "ended":
        relationship_end(actor=maya, relationship=world.relationship)
    elif target == "paused":
        relationship_pause(actor=maya, relationship=world.relationship)


@pytest.mark.parametrize(ARGS, CASES)
def test_permission(
    world: World, name: str, method: str, target: str, role: str, expected: int
) -> None:
    prepare(world, target)
    url = url_for(world, name, target)
    actor = world.people.get(role)
    data = post_data(world, name, target, actor or world.people["maya"]) if method == "POST" else {}
    check(actor, method, url, data, expected, refused=(name, target) in REFUSED)


def test_every_url_of_the_app_is_in_the_table() -> None:
    """A new URL must get its row (both methods) before it can ship."""
    in_urls = {p.name for p in meetings_urls.urlpatterns if isinstance(p, URLPattern)}
    resolver = get_resolver()
    _prefix, namespace_resolver = resolver.namespace_dict["meetings"]
    resolved = {name for name in namespace_resolver.reverse_dict if isinstance(name, str)}
    assert resolved == in_urls
    from tests.meetings.test_permissions_shares import TABLE as SHARES_TABLE

    shared = {
        (name, method)
        for name, method, target, *_ in TABLE + SHARES_TABLE
        if target in ("", "paused")
    }
    assert shared == {(name, method) for name in in_urls for method in ("GET", "POST")}


def test_a_missing_object_answers_like_a_hidden_one(world: World) -> None:
    """Participants get the same 404 for unknown ids and keys as outsiders do for real ones."""
    client = client_for(world.people["maya"])
    relationship = world.relationship.uuid
    missing = "00000000-0000-4000-8000-000000000000"
    not_an_occurrence = key_slug(CURRENT + timedelta(hours=1))
    for url in (
        reverse("meetings:relationship", args=[missing]),
        reverse("meetings:point_edit", args=[missing]),
        reverse("meetings:action_edit", args=[missing]),
        reverse("meetings:meeting", args=[relationship, "yesterday"]),
        reverse("meetings:meeting", args=[relationship, not_an_occurrence]),
    ):
        assert client.get(url).status_code == NO, url


def admin_paths() -> list[str]:
    paths = ["/admin/meetings/"]
    for model in apps.get_app_config("meetings").get_models():
        base = f"/admin/meetings/{model._meta.model_name}/"
        paths += [base, f"{base}add/", f"{base}1/change/"]
    return paths


def test_the_admin_registers_no_1on1_model() -> None:
    assert not [m for m in admin.site._registry if m._meta.app_label == "meetings"]


def test_the_admin_index_shows_no_1on1_model(ada: Person) -> None:
    response = client_for(ada).get("/admin/")

    assert response.status_code == OK
    assert "meetings" not in {app["app_label"] for app in response.context["app_list"]}
    assert "/admin/meetings/" not in response.content.decode()


@pytest.mark.parametrize("path", admin_paths())
def test_the_admin_has_no_1on1_page(ada: Person, path: str) -> None:
    assert client_for(ada).get(path).status_code == NO


def test_the_world_is_as_described(world: World) -> None:
    """Guards the fixture the table relies on: one held meeting, points still open."""
    assert Meeting.objects.get(occurrence_start=HELD).status == Meeting.Status.HELD
    assert world.shared_point.status == TalkingPoint.Status.OPEN
    assert not Meeting.objects.filter(occurrence_start__in=[CURRENT, UPCOMING]).exists()

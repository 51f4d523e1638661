"""My data: the zip holds everything the person may see, and nothing anybody else keeps.

Unique markers are planted in every kind of content of a small world: what Maya and
Ravi share, what each keeps private, another 1:1 of each of them, meetings shared
after a manager change, and another organization. Each of them downloads their zip;
their own markers must all be in it and nobody else's private ones.
"""

import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import uuid4

import pytest
import time_machine
from django.urls import reverse

from growth.models import CareerProfile, CareerProfileRevision, CheckIn, Feedback, Goal
from meetings.models import Meeting, MeetingShare, Relationship, TalkingPoint
from meetings.schedule import Cadence, CadenceKind
from meetings.services.actions import action_add
from meetings.services.agenda import point_add, point_set_discussed
from meetings.services.meetings import meeting_close, meeting_rate
from meetings.services.notes import private_note_save, shared_notes_save
from meetings.services.relationships import (
    relationship_archive,
    relationship_end,
    relationship_start,
)
from people.export import FORMAT, FORMAT_VERSION, markdown_files
from people.models import Organization, Person
from tests.conftest import client_for, make_person

# Every relationship of the world meets weekly on Tuesdays at 10:00 New York time.
FIRST = datetime(2027, 1, 5, 15, 0, tzinfo=UTC)
SECOND = FIRST + timedelta(days=7)
NOW = SECOND + timedelta(days=1)


def marker(kind: str) -> str:
    return f"{kind}-{uuid4().hex}"


@dataclass
class World:
    maya: Person
    ravi: Person
    olga: Person
    oren: Person
    ada: Person
    otto: Person
    relationship: Relationship
    ended: Relationship
    # Markers each person must find in their zip, and markers that must never be in it.
    own: dict[str, set[str]] = field(default_factory=dict)
    foreign: dict[str, set[str]] = field(default_factory=dict)

    def person(self, role: str) -> Person:
        found: Person = getattr(self, role)
        return found


def start(lead: Person, member: Person, kind: str) -> Relationship:
    return relationship_start(
        actor=lead,
        other=member,
        kind=kind,
        cadence=Cadence(CadenceKind.WEEKLY, weekday=1),
        first_date=date(2027, 1, 5),
        local_time=time(10, 0),
        timezone="America/New_York",
        duration_minutes=30,
        now=FIRST - timedelta(days=2),
    )


def held_meeting(
    relationship: Relationship, lead: Person, member: Person, key: datetime, tag: str
) -> dict[str, str]:
    """A held meeting with shared and private content of both; returns its markers by kind."""
    marks = {
        k: marker(f"{tag}-{k}")
        for k in (
            "shared_point",
            "lead_private_point",
            "member_private_point",
            "shared_notes",
            "lead_private_note",
            "member_private_note",
            "action",
            "checkin",
        )
    }
    shared = point_add(actor=lead, relationship=relationship, text=marks["shared_point"])
    lead_private = point_add(
        actor=lead, relationship=relationship, text=marks["lead_private_point"], is_private=True
    )
    member_private = point_add(
        actor=member, relationship=relationship, text=marks["member_private_point"], is_private=True
    )
    for actor, point in ((lead, shared), (lead, lead_private), (member, member_private)):
        meeting = point_set_discussed(actor=actor, point=point, meeting_key=key, discussed=True)
    shared_notes_save(actor=lead, meeting=meeting, text=marks["shared_notes"], base_version=0)
    private_note_save(actor=lead, meeting=meeting, text=marks["lead_private_note"], base_version=0)
    private_note_save(
        actor=member, meeting=meeting, text=marks["member_private_note"], base_version=0
    )
    action_add(
        actor=lead, relationship=relationship, text=marks["action"], owner=member, meeting_key=key
    )
    CheckIn.objects.create(
        organization_id=relationship.organization_id,
        relationship=relationship,
        meeting=meeting,
        author=member,
        mood=4,
        workload=CheckIn.Workload.RIGHT,
        wins=marks["checkin"],
    )
    meeting_close(actor=lead, relationship=relationship, key=key, rating=4)
    meeting_rate(actor=member, meeting=Meeting.objects.get(pk=meeting.pk), score=2)
    return marks


def shared_of(marks: dict[str, str]) -> set[str]:
    return {marks[k] for k in ("shared_point", "shared_notes", "action", "checkin")}


def lead_private(marks: dict[str, str]) -> set[str]:
    return {marks["lead_private_point"], marks["lead_private_note"]}


def member_private(marks: dict[str, str]) -> set[str]:
    return {marks["member_private_point"], marks["member_private_note"]}


@pytest.fixture
def world(
    acme: Organization,
    globex: Organization,
    maya: Person,
    ravi: Person,
    olga: Person,
    oren: Person,
    ada: Person,
    otto: Person,
) -> Iterator[World]:
    with time_machine.travel(FIRST - timedelta(days=1), tick=False) as clock:
        # An ended peer 1:1 of Maya and Ravi, then their manager 1:1.
        ended = start(maya, ravi, Relationship.Kind.PEER)
        clock.move_to(FIRST + timedelta(minutes=20))
        old = held_meeting(ended, maya, ravi, FIRST, "ended")
        relationship_end(actor=ravi, relationship=ended)
        relationship = start(maya, ravi, Relationship.Kind.MANAGER)
        clock.move_to(SECOND + timedelta(minutes=20))
        current = held_meeting(relationship, maya, ravi, SECOND, "current")
        # Another 1:1 of each: Maya mentors Oren, Ravi has a peer 1:1 with Olga.
        mentoring = start(maya, oren, Relationship.Kind.MENTOR)
        maya_other = held_meeting(mentoring, maya, oren, SECOND, "maya-oren")
        peers = start(ravi, olga, Relationship.Kind.PEER)
        ravi_other = held_meeting(peers, ravi, olga, SECOND, "ravi-olga")
        # Olga and Oren's manager 1:1; Oren shares its meeting with Maya (a manager change).
        olga_oren = start(olga, oren, Relationship.Kind.MANAGER)
        shared = held_meeting(olga_oren, olga, oren, SECOND, "shared")
        MeetingShare.objects.create(
            organization=acme,
            meeting=Meeting.objects.get(relationship=olga_oren),
            shared_by=oren,
            shared_with=maya,
        )
        # Another organization.
        gina = make_person(globex, "gina@globex.test", "Gina Globex", manager=otto)
        elsewhere = held_meeting(
            start(otto, gina, Relationship.Kind.MANAGER), otto, gina, SECOND, "globex"
        )
        growth = plant_growth(acme, maya, ravi, relationship)
        clock.move_to(NOW)
        w = World(maya, ravi, olga, oren, ada, otto, relationship, ended)
        everyone_else = {m for marks in (elsewhere,) for m in marks.values()}
        w.own["maya"] = (
            shared_of(old) | lead_private(old) | shared_of(current) | lead_private(current)
            | shared_of(maya_other) | lead_private(maya_other)
            | {shared["shared_point"], shared["shared_notes"]}
            | growth["both"] | growth["maya"]
        )  # fmt: skip
        w.foreign["maya"] = (
            member_private(old) | member_private(current) | member_private(maya_other)
            | set(ravi_other.values()) | everyone_else | growth["ravi_only"]
            | lead_private(shared) | member_private(shared)
            | {shared["action"], shared["checkin"]}
        )  # fmt: skip
        w.own["ravi"] = (
            shared_of(old) | member_private(old) | shared_of(current) | member_private(current)
            | shared_of(ravi_other) | lead_private(ravi_other)
            | growth["both"] | growth["ravi_only"]
        )  # fmt: skip
        w.foreign["ravi"] = (
            lead_private(old) | lead_private(current) | member_private(ravi_other)
            | set(maya_other.values()) | set(shared.values()) | everyone_else | growth["maya"]
        )  # fmt: skip
        yield w


def plant_growth(
    acme: Organization, maya: Person, ravi: Person, relationship: Relationship
) -> dict[str, set[str]]:
    """Goals, feedback and career: seen by both, by Maya only, by Ravi only."""
    marks = {k: marker(k) for k in ("goal", "feedback", "career", "solo_goal", "revision", "gone")}
    Goal.objects.create(
        organization=acme,
        owner=ravi,
        proposed_by=ravi,
        relationship=relationship,
        title=marks["goal"],
    )
    # A goal Ravi keeps to himself (no 1:1): Maya must not see it.
    Goal.objects.create(organization=acme, owner=ravi, proposed_by=ravi, title=marks["solo_goal"])
    Feedback.objects.create(
        organization=acme,
        relationship=relationship,
        giver=maya,
        receiver=ravi,
        kind=Feedback.Kind.PRAISE,
        text=marks["feedback"],
    )
    # Feedback Maya gave and deleted: she still sees it (to undo it), Ravi no longer does.
    Feedback.objects.create(
        organization=acme,
        relationship=relationship,
        giver=maya,
        receiver=ravi,
        kind=Feedback.Kind.CONSTRUCTIVE,
        text=marks["gone"],
        deleted_at=FIRST,
    )
    profile = CareerProfile.objects.create(
        organization=acme, person=ravi, strengths=marks["career"]
    )
    CareerProfileRevision.objects.create(
        profile=profile, strengths=marks["revision"], edited_by=ravi
    )
    return {
        "both": {marks["goal"], marks["feedback"], marks["career"]},
        "maya": {marks["gone"]},
        # Maya sees Ravi's current profile in their manager 1:1, not its history.
        "ravi_only": {marks["solo_goal"], marks["revision"]},
    }


def download(person: Person) -> zipfile.ZipFile:
    response = client_for(person).post(reverse("people:mydata_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return zipfile.ZipFile(io.BytesIO(body))


def all_text(archive: zipfile.ZipFile) -> str:
    return "\n".join(archive.read(name).decode() for name in archive.namelist())


@pytest.mark.parametrize("role", ["maya", "ravi"])
def test_the_zip_holds_all_of_their_own_content_and_nothing_private_of_others(
    world: World, role: str
) -> None:
    archive = download(world.person(role))
    text = all_text(archive)
    data = json.loads(archive.read("data.json"))
    dumped = json.dumps(data, ensure_ascii=False)
    assert world.own[role], "the world must plant something"
    missing = {m for m in world.own[role] if m not in dumped}
    assert missing == set(), "own content missing from data.json"
    leaked = {m for m in world.foreign[role] if m in text}
    assert leaked == set(), "someone else's content in the zip"
    # The Markdown shows the same history: every own marker is in some Markdown file.
    markdown = "\n".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".md"))
    assert {m for m in world.own[role] if m not in markdown} == set()


@pytest.mark.parametrize("role", ["maya", "ravi"])
def test_only_their_own_ratings_are_in_it(world: World, role: str) -> None:
    """In every held meeting of the world the lead rated 4 and the member 2."""
    data = json.loads(download(world.person(role)).read("data.json"))
    rated = [
        (r["my_role"], m["my_rating"])
        for r in data["relationships"]
        for m in r["meetings"]
        if m["status"] == "held"
    ]
    assert rated  # Maya leads all her 1:1s; Ravi is the member of two and leads one
    assert all(score == (4 if role == "lead" else 2) for role, score in rated)


def test_private_points_are_marked_private_and_only_their_own(world: World) -> None:
    data = json.loads(download(world.ravi).read("data.json"))
    points = [p for r in data["relationships"] for p in r["talking_points"]]
    private = [p for p in points if p["is_private"]]
    assert private
    assert all(p["author"]["uuid"] == str(world.ravi.uuid) for p in private)
    ravi_file = download(world.ravi).read("relationships/maya-manager-manager.md").decode()
    assert "private: only you see this" in ravi_file


def test_one_markdown_file_per_relationship_with_meetings_in_date_order(world: World) -> None:
    archive = download(world.maya)
    names = set(archive.namelist())
    assert {
        "README.md",
        "data.json",
        "profile.md",
        "growth/goals.md",
        "growth/feedback.md",
        "growth/career.md",
        "shared-with-me.md",
        "relationships/ravi-report-manager.md",
        "relationships/ravi-report-peer.md",
        "relationships/oren-otherreport-mentor.md",
    } <= names
    data = json.loads(archive.read("data.json"))
    assert len([n for n in names if n.startswith("relationships/")]) == len(data["relationships"])
    ended = next(r for r in data["relationships"] if r["kind"] == "peer")
    assert ended["status"] == "ended"
    assert ended["end_reason"] == "ended"
    starts = [m["start"] for r in data["relationships"] for m in r["meetings"]]
    for rel in data["relationships"]:
        times = [m["start"] for m in rel["meetings"]]
        assert times == sorted(times)
    assert starts


def test_meetings_shared_with_them_carry_shared_content_only(world: World) -> None:
    data = json.loads(download(world.maya).read("data.json"))
    (share,) = data["shared_with_me"]
    assert share["shared_by"]["uuid"] == str(world.oren.uuid)
    meeting = share["meeting"]
    assert set(meeting) == {
        "uuid",
        "relationship_kind",
        "lead",
        "member",
        "start",
        "status",
        "discussed",
        "carried_over",
        "shared_notes",
    }
    assert len(meeting["discussed"]) == 1  # the shared point; both private ones are left out


def test_the_readme_is_the_documentation_without_the_operator_section(world: World) -> None:
    readme = download(world.ravi).read("README.md").decode()
    assert readme.startswith("# My data")
    assert "data.json" in readme
    assert "For operators" not in readme


# -- The documented structure ------------------------------------------------------------

PERSON_REF = {"uuid": str, "name": str}
OPT = type(None)


def check_shape(value: Any, shape: Any, path: str = "$") -> None:
    """`value` has exactly the keys of `shape` (dicts), items of its one shape (lists), types."""
    if isinstance(shape, dict):
        assert isinstance(value, dict), path
        assert set(value) == set(shape), f"{path}: {set(value) ^ set(shape)}"
        for key, sub in shape.items():
            check_shape(value[key], sub, f"{path}.{key}")
    elif isinstance(shape, list):
        assert isinstance(value, list), path
        for index, item in enumerate(value):
            check_shape(item, shape[0], f"{path}[{index}]")
    elif isinstance(shape, tuple):
        errors = []
        for option in shape:
            try:
                check_shape(value, option, path)
                return
            except AssertionError as exc:
                errors.append(str(exc))
        raise AssertionError(f"{path}: {errors}")
    else:
        assert isinstance(value, shape), f"{path}: {value!r} is not {shape}"
        assert shape is bool or not isinstance(value, bool), f"{path}: {value!r} is a boolean"


T = (str, OPT)  # a time, date or text that may be absent
CHECKIN = {
    "uuid": str,
    "author": PERSON_REF,
    "mood": int,
    "workload": str,
    "wins": str,
    "blockers": str,
    "priorities": str,
    "created_at": str,
    "updated_at": str,
}
CAREER_TEXTS = {"strengths": str, "skills_to_grow": str, "next_role": str, "support_needed": str}
SHARED_POINT = {"author": PERSON_REF, "text": str, "theme": str}
SCHEMA = {
    "format": str,
    "format_version": int,
    "exported_at": str,
    "person": {
        "uuid": str,
        "name": str,
        "email": str,
        "title": str,
        "timezone": str,
        "organization": ({"uuid": str, "name": str}, OPT),
        "team": T,
        "manager": (PERSON_REF, OPT),
        "is_org_admin": bool,
        "date_joined": str,
        "deactivated_at": T,
        "email_addresses": [{"email": str, "verified": bool, "primary": bool}],
    },
    "relationships": [
        {
            "uuid": str,
            "kind": str,
            "my_role": str,
            "other_person": PERSON_REF,
            "status": str,
            "end_reason": str,
            "created_at": str,
            "ended_at": T,
            "schedules": [
                {
                    "rrule": str,
                    "first_date": str,
                    "local_time": str,
                    "timezone": str,
                    "duration_minutes": int,
                    "starts_at": str,
                    "until": T,
                }
            ],
            "talking_points": [
                {
                    "uuid": str,
                    "author": PERSON_REF,
                    "text": str,
                    "theme": str,
                    "is_private": bool,
                    "is_standing": bool,
                    "status": str,
                    "source": str,
                    "planned_for": T,
                    "created_at": str,
                    "updated_at": str,
                    "discussed_in": [str],
                    "carried_over_in": [str],
                }
            ],
            "action_items": [
                {
                    "uuid": str,
                    "text": str,
                    "owner": PERSON_REF,
                    "created_by": PERSON_REF,
                    "due_date": T,
                    "done_at": T,
                    "meeting": T,
                    "completed_in": T,
                    "created_at": str,
                }
            ],
            "meetings": [
                {
                    "uuid": str,
                    "occurrence_start": str,
                    "start": str,
                    "duration_minutes": int,
                    "status": str,
                    "reason": str,
                    "closed_at": T,
                    "discussed": [str],
                    "carried_over": [str],
                    "shared_notes": str,
                    "shared_notes_updated_at": T,
                    "shared_notes_updated_by": (PERSON_REF, OPT),
                    "my_private_notes": str,
                    "my_rating": (int, OPT),
                    "action_items": [str],
                    "checkins": [CHECKIN],
                    "i_shared_with": [{"person": PERSON_REF, "shared_at": str}],
                }
            ],
            "member_career_profile": ({**CAREER_TEXTS, "updated_at": str}, OPT),
        }
    ],
    "shared_with_me": [
        {
            "uuid": str,
            "shared_by": PERSON_REF,
            "shared_at": str,
            "meeting": {
                "uuid": str,
                "relationship_kind": str,
                "lead": PERSON_REF,
                "member": PERSON_REF,
                "start": str,
                "status": str,
                "discussed": [SHARED_POINT],
                "carried_over": [SHARED_POINT],
                "shared_notes": str,
            },
        }
    ],
    "goals": [
        {
            "uuid": str,
            "owner": PERSON_REF,
            "proposed_by": PERSON_REF,
            "relationship": T,
            "state": str,
            "kind": str,
            "review_period": str,
            "title": str,
            "why": str,
            "target_date": T,
            "status": str,
            "created_at": str,
            "accepted_at": T,
            "deleted_at": T,
            "updates": [
                {
                    "uuid": str,
                    "author": PERSON_REF,
                    "text": str,
                    "status": str,
                    "meeting": T,
                    "created_at": str,
                }
            ],
        }
    ],
    "feedback": [
        {
            "uuid": str,
            "giver": PERSON_REF,
            "receiver": PERSON_REF,
            "relationship": str,
            "meeting": T,
            "kind": str,
            "is_upward": bool,
            "prompt": str,
            "text": str,
            "situation": str,
            "behaviour": str,
            "impact": str,
            "created_at": str,
            "updated_at": str,
            "deleted_at": T,
            "public_requested_at": T,
            "public_consented_at": T,
            "public_hidden_at": T,
        }
    ],
    "career_profile": (
        {
            **CAREER_TEXTS,
            "updated_at": str,
            "revisions": [{**CAREER_TEXTS, "edited_by": PERSON_REF, "created_at": str}],
        },
        OPT,
    ),
}


@pytest.mark.parametrize("role", ["maya", "ravi", "ada", "otto"])
def test_data_json_has_the_documented_structure(world: World, role: str) -> None:
    data = json.loads(download(world.person(role)).read("data.json"))
    assert data["format"] == FORMAT
    assert data["format_version"] == FORMAT_VERSION
    check_shape(data, SCHEMA)
    for rel in data["relationships"]:
        assert rel["kind"] in Relationship.Kind.values
        assert rel["status"] in Relationship.Status.values
        assert all(p["theme"] for p in rel["talking_points"])
        assert all(m["status"] in Meeting.Status.values for m in rel["meetings"])


def test_every_documented_key_is_in_the_documentation() -> None:
    """docs/mydata.md names every key of the schema the tests check."""
    from people.export import DOC_PATH

    doc = DOC_PATH.read_text()

    def keys(shape: Any) -> Iterator[str]:
        if isinstance(shape, dict):
            for key, sub in shape.items():
                yield key
                yield from keys(sub)
        elif isinstance(shape, list | tuple):
            for sub in shape:
                yield from keys(sub)

    assert {k for k in keys(SCHEMA) if f"`{k}`" not in doc} == set()


def test_markdown_of_a_person_without_history_is_still_complete(acme: Organization) -> None:
    loner = make_person(acme, "lone@acme.test", "Lone Wolf")
    archive = download(loner)
    data = json.loads(archive.read("data.json"))
    assert data["relationships"] == []
    assert data["career_profile"] is None
    assert set(markdown_files(data)) == {
        "profile.md",
        "growth/goals.md",
        "growth/feedback.md",
        "growth/career.md",
    }


# -- The page and the download ----------------------------------------------------------


def test_the_page_explains_the_download_with_one_button(world: World) -> None:
    response = client_for(world.ravi).get(reverse("people:mydata"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('type="submit"') == 2  # the download, and sign out in the header
    assert reverse("people:mydata_download") in page
    assert "private notes" in page
    assert "does not contain" in page


def test_the_download_is_an_attachment_with_a_dated_name(world: World) -> None:
    response = client_for(world.ravi).post(reverse("people:mydata_download"))
    assert response["Content-Disposition"] == (
        'attachment; filename="rapport-my-data-ravi-report-2027-01-13.zip"'
    )
    assert response["Cache-Control"] == "no-store"


def test_the_download_is_recorded_without_content(world: World) -> None:
    from activity.models import Activity

    client_for(world.ravi).post(reverse("people:mydata_download"))
    record = Activity.objects.get(verb="mydata.download")
    assert record.actor_id == world.ravi.pk
    assert record.relationship_id is None


def test_anonymous_visitors_are_sent_to_sign_in(db: None) -> None:
    from django.test import Client

    for name in ("people:mydata", "people:mydata_download"):
        url = reverse(name)
        response = Client().post(url) if "download" in name else Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_a_get_of_the_download_is_refused(world: World) -> None:
    assert client_for(world.ravi).get(reverse("people:mydata_download")).status_code == 405


def more_history(world: World, weeks: int) -> None:
    """`weeks` more held meetings of Maya and Ravi, each with points, notes and ratings."""
    with time_machine.travel(NOW, tick=False) as clock:
        for week in range(2, 2 + weeks):
            key = FIRST + timedelta(days=7 * week)
            clock.move_to(key + timedelta(minutes=20))
            held_meeting(world.relationship, world.maya, world.ravi, key, f"week{week}")


def test_the_query_count_does_not_grow_with_the_history(
    world: World, django_assert_num_queries: Any
) -> None:
    client = client_for(world.maya)
    client.post(reverse("people:mydata_download"))  # warm the session
    with django_assert_num_queries(QUERIES):
        client.post(reverse("people:mydata_download"))
    more_history(world, 6)
    assert Meeting.objects.filter(relationship=world.relationship).count() == 7
    with django_assert_num_queries(QUERIES):
        client.post(reverse("people:mydata_download"))


# Session and user, then the export's fixed reads: the person, relationships and their
# schedules, meetings with their record (points, items, own note and rating, check-ins,
# feedback), visible points, action items, email addresses, shares with their agenda,
# goals with updates, feedback, own career with revisions, own shares; then the activity row.
QUERIES = 26


def test_talking_points_kept_private_are_never_in_the_others_markdown(world: World) -> None:
    private = TalkingPoint.objects.filter(author=world.ravi, is_private=True)
    text = all_text(download(world.maya))
    assert private.exists()
    assert not any(p.text in text for p in private)


def test_meetings_they_shared_name_whom_only_in_their_own_zip(world: World) -> None:
    meeting = Meeting.objects.get(relationship=world.ended)
    MeetingShare.objects.create(
        organization_id=meeting.organization_id,
        meeting=meeting,
        shared_by=world.ravi,
        shared_with=world.olga,
    )

    def shared_with(person: Person) -> list[Any]:
        data = json.loads(download(person).read("data.json"))
        (ended,) = [r for r in data["relationships"] if r["uuid"] == str(world.ended.uuid)]
        return [name for m in ended["meetings"] for name in m["i_shared_with"]]

    (share,) = shared_with(world.ravi)
    assert share["person"]["uuid"] == str(world.olga.uuid)
    assert shared_with(world.maya) == []
    peer_file = download(world.ravi).read("relationships/maya-manager-peer.md").decode()
    assert "You shared this meeting's notes and agenda with Olga Othermanager." in peer_file


def test_archived_relationships_are_in_it(world: World) -> None:
    relationship_archive(
        relationship=world.relationship, reason=Relationship.EndReason.MANAGER_CHANGE
    )
    data = json.loads(download(world.ravi).read("data.json"))
    archived = [r for r in data["relationships"] if r["uuid"] == str(world.relationship.uuid)]
    assert archived[0]["end_reason"] == "manager_change"
    assert archived[0]["meetings"]


def test_an_operator_without_an_organization_gets_an_empty_history(db: None) -> None:
    operator = Person.objects.create_superuser("root@example.test", "pw-operator-1", name="Root")
    data = json.loads(download(operator).read("data.json"))
    assert data["person"]["organization"] is None
    assert data["relationships"] == []

"""Black-box privacy for growth: what Maya and Ravi share stays between the two of them.

Unique markers are planted in everything growth keeps about their 1:1: Ravi's
check-in, his goals and their progress, feedback both ways, his career profile.
Olga (another manager), Ada (the org admin) and Otto (another organization) fetch
every growth page they can reach and every growth URL of the 1:1; no marker may
appear. Maya, the other participant, sees each one on the same pages (the positive
control). Public praise is the one exception, by design: it shows on the
recognition page of its own organization only.
"""

from dataclasses import dataclass, fields
from datetime import timedelta
from uuid import uuid4

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from growth.models import Feedback, Goal
from growth.services.career import career_profile_save
from growth.services.checkins import checkin_submit
from growth.services.feedback import feedback_consent, feedback_give, feedback_share
from growth.services.goals import GoalFields, goal_create, goal_propose, goal_update_add
from meetings.models import Relationship
from meetings.occurrences import key_slug
from people.models import Person
from tests.conftest import client_for
from tests.meetings.conftest import FIRST, SECOND
from tests.meetings.test_privacy import admin_crawl

NOW = SECOND - timedelta(days=1)


def marker() -> str:
    return uuid4().hex


@dataclass(frozen=True)
class Shared:
    """One marker per kind of growth content the two participants share."""

    checkin: str
    blocker: str
    goal: str
    goal_update: str
    proposal: str
    upward: str
    downward: str
    career: str

    def all(self) -> dict[str, str]:
        return dict(vars(self))


@dataclass(frozen=True)
class World:
    relationship: Relationship
    people: dict[str, Person]
    shared: Shared
    public_praise: str
    goal: Goal
    feedback: Feedback


@pytest.fixture
def world(
    clock: time_machine.Traveller,
    one_on_one: Relationship,
    maya: Person,
    ravi: Person,
    olga: Person,
    ada: Person,
    otto: Person,
) -> World:
    shared = Shared(**{f.name: marker() for f in fields(Shared)})
    public_praise = marker()
    clock.move_to(FIRST + timedelta(minutes=10))
    goal = goal_create(
        actor=ravi,
        relationship=one_on_one,
        fields=GoalFields(kind=Goal.Kind.CAREER, title=f"Goal {shared.goal}"),
    )
    goal_update_add(
        actor=ravi, goal=goal, text=f"Update {shared.goal_update}", status=Goal.Status.AT_RISK
    )
    upward = feedback_give(
        actor=ravi,
        relationship=one_on_one,
        meeting_key=FIRST,
        kind=Feedback.Kind.CONSTRUCTIVE,
        text=f"Upward {shared.upward}",
    )
    feedback_give(
        actor=maya,
        relationship=one_on_one,
        meeting_key=FIRST,
        kind=Feedback.Kind.CONSTRUCTIVE,
        text=f"Downward {shared.downward}",
    )
    praise = feedback_give(
        actor=maya,
        relationship=one_on_one,
        meeting_key=FIRST,
        kind=Feedback.Kind.PRAISE,
        text=f"Praise {public_praise}",
    )
    feedback_consent(actor=ravi, feedback=feedback_share(actor=maya, feedback=praise))
    clock.move_to(NOW)
    goal_propose(
        actor=maya,
        relationship=one_on_one,
        fields=GoalFields(kind=Goal.Kind.PERSONAL, title=f"Proposal {shared.proposal}"),
    )
    checkin_submit(
        actor=ravi,
        relationship=one_on_one,
        key=SECOND,
        mood=2,
        workload="too_much",
        wins=f"Wins {shared.checkin}",
        blockers=f"Blocker {shared.blocker}",
        priorities="",
        base_version=0,
    )
    career_profile_save(
        actor=ravi,
        person=ravi,
        strengths=f"Strengths {shared.career}",
        skills_to_grow="",
        next_role="",
        support_needed="",
        base_version=0,
    )
    return World(
        relationship=one_on_one,
        people={"maya": maya, "ravi": ravi, "olga": olga, "ada": ada, "otto": otto},
        shared=shared,
        public_praise=public_praise,
        goal=goal,
        feedback=upward,
    )


def pages(world: World) -> list[str]:
    """Every growth page anyone can open, and every URL that shows this 1:1's growth."""
    relationship = world.relationship.uuid
    ravi = world.people["ravi"]
    return [
        reverse("meetings:home"),
        reverse("meetings:relationship", args=[relationship]),
        reverse("meetings:meeting", args=[relationship, key_slug(FIRST)]),
        reverse("meetings:meeting", args=[relationship, key_slug(SECOND)]),
        reverse("growth:goals"),
        reverse("growth:goal", args=[world.goal.uuid]),
        reverse("growth:goal_edit", args=[world.goal.uuid]),
        reverse("growth:goal_propose", args=[relationship]),
        reverse("growth:goal_new"),
        reverse("growth:feedback_log"),
        reverse("growth:feedback_log") + "?view=given",
        reverse("growth:feedback_give", args=[relationship, key_slug(FIRST)]),
        reverse("growth:recognition"),
        reverse("growth:checkin", args=[relationship, key_slug(SECOND)]),
        reverse("growth:career"),
        reverse("growth:career_person", args=[ravi.uuid]),
    ]


def bodies(client: Client, urls: list[str]) -> dict[str, str]:
    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        found[url] = response.content.decode() if response.status_code == 200 else ""
    return found


@pytest.mark.parametrize("role", ["olga", "ada", "otto"])
def test_nobody_outside_the_1on1_sees_its_growth(world: World, role: str) -> None:
    seen = bodies(client_for(world.people[role]), pages(world))

    for url, body in seen.items():
        leaked = [name for name, secret in world.shared.all().items() if secret in body]
        assert leaked == [], f"{url} shows {leaked} to {role}"
    recognition = seen[reverse("growth:recognition")]
    # Public praise is for the whole organization, and for nobody outside it.
    assert (world.public_praise in recognition) is (role != "otto")


def test_the_other_participant_sees_all_of_it(world: World) -> None:
    """The positive control: the crawl reaches every place a marker lives."""
    seen = bodies(client_for(world.people["maya"]), pages(world))

    found = {
        name
        for name, secret in world.shared.all().items()
        if any(secret in body for body in seen.values())
    }
    assert found == set(world.shared.all())


@pytest.mark.parametrize("start", ["/admin/", "/org/"])
def test_the_admin_shows_none_of_it(world: World, start: str) -> None:
    crawled = admin_crawl(client_for(world.people["ada"]), start=start)

    assert {"/admin/people/organization/", "/org/people/"} & set(crawled)
    for path, body in crawled.items():
        leaked = [name for name, secret in world.shared.all().items() if secret in body]
        assert leaked == [], f"{path} shows {leaked}"
        assert world.public_praise not in body, path


def test_deleted_feedback_vanishes_for_its_receiver_at_once(world: World) -> None:
    from growth.services.feedback import feedback_delete

    feedback_delete(actor=world.people["ravi"], feedback=world.feedback)
    seen = bodies(client_for(world.people["maya"]), pages(world))

    assert not any(world.shared.upward in body for body in seen.values())
    ravi_log = client_for(world.people["ravi"]).get(reverse("growth:feedback_log") + "?view=given")
    assert world.shared.upward in ravi_log.content.decode()  # the giver can still undo

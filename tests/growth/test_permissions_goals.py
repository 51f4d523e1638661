"""Who may do what with goals: every URL of the area, for every role.

Rows are (url name, method, target, maya, ravi, olga, ada, otto) like
tests/meetings/test_permissions.py; target "" is the shared case that
tests/growth/test_urls_covered.py requires for both methods of every URL.

In the world, Maya proposed "Lead the Q2 planning" to Ravi (waiting for his answer)
and Ravi keeps "Learn Rust", discussed in their 1:1. A goal is seen by its owner and
the other participant of its 1:1: another manager (Olga), the org admin (Ada) and
someone from another organization (Otto) get 404 like for a goal that does not exist.
The participant who sees a goal but may not change it gets 403.
"""

from collections.abc import Iterator

import pytest
import time_machine
from django.urls import reverse

from growth.models import Goal
from growth.services.goals import goal_create, goal_delete
from meetings.models import Relationship
from meetings.services.relationships import relationship_end
from people.models import Person
from tests.conftest import client_for
from tests.growth.goals_world import NOW, World, build_world, fields
from tests.permissions import ARGS, DENY, GO, NO, OK, WRONG_METHOD, Row, cases, check

W = WRONG_METHOD

# Targets: "" Ravi's active goal (the proposal for accept and decline; deleted by Ravi
# first for restore); "proposal" Maya's proposal to Ravi; "withdrawn" that proposal
# withdrawn by Maya; "own" Ravi's goal outside any 1:1; "ended" the 1:1 ended first.
TABLE: list[Row] = [
    # name            method  target        maya  ravi  olga  ada   otto
    ("goals",         "GET",  "",           OK,   OK,   OK,   OK,   OK),
    ("goals",         "POST", "",           W,    W,    W,    W,    W),
    ("goal_new",      "GET",  "",           OK,   OK,   OK,   OK,   OK),
    ("goal_new",      "POST", "",           GO,   GO,   GO,   GO,   GO),
    ("goal_propose",  "GET",  "",           OK,   OK,   NO,   NO,   NO),
    ("goal_propose",  "POST", "",           GO,   GO,   NO,   NO,   NO),
    ("goal",          "GET",  "",           OK,   OK,   NO,   NO,   NO),
    ("goal",          "POST", "",           W,    W,    W,    W,    W),
    ("goal_edit",     "GET",  "",           DENY, OK,   NO,   NO,   NO),
    ("goal_edit",     "POST", "",           DENY, GO,   NO,   NO,   NO),
    ("goal_accept",   "GET",  "",           W,    W,    W,    W,    W),
    ("goal_accept",   "POST", "",           DENY, GO,   NO,   NO,   NO),
    ("goal_decline",  "GET",  "",           W,    W,    W,    W,    W),
    ("goal_decline",  "POST", "",           DENY, GO,   NO,   NO,   NO),
    ("goal_update",   "GET",  "",           W,    W,    W,    W,    W),
    ("goal_update",   "POST", "",           GO,   GO,   NO,   NO,   NO),
    ("goal_delete",   "GET",  "",           W,    W,    W,    W,    W),
    ("goal_delete",   "POST", "",           DENY, GO,   NO,   NO,   NO),
    # A deleted goal is gone for everybody but its owner: 404, not 403.
    ("goal_restore",  "GET",  "",           W,    W,    W,    W,    W),
    ("goal_restore",  "POST", "",           NO,   GO,   NO,   NO,   NO),
    # While proposed, the proposer may change or withdraw it; the owner answers it.
    ("goal",          "GET",  "proposal",   OK,   OK,   NO,   NO,   NO),
    ("goal_edit",     "GET",  "proposal",   OK,   OK,   NO,   NO,   NO),
    ("goal_edit",     "POST", "proposal",   GO,   GO,   NO,   NO,   NO),
    ("goal_delete",   "POST", "proposal",   GO,   DENY, NO,   NO,   NO),
    ("goal_restore",  "POST", "withdrawn",  GO,   NO,   NO,   NO,   NO),
    ("goal",          "GET",  "withdrawn",  OK,   NO,   NO,   NO,   NO),
    # A goal outside any 1:1 is its owner's alone.
    ("goal",          "GET",  "own",        NO,   OK,   NO,   NO,   NO),
    ("goal_update",   "POST", "own",        NO,   GO,   NO,   NO,   NO),
    ("goal_edit",     "POST", "own",        NO,   GO,   NO,   NO,   NO),
    # An ended 1:1 is read-only history: its goals are seen, not changed.
    ("goal_propose",  "GET",  "ended",      DENY, DENY, NO,   NO,   NO),
    ("goal_propose",  "POST", "ended",      DENY, DENY, NO,   NO,   NO),
    ("goal",          "GET",  "ended",      OK,   OK,   NO,   NO,   NO),
    ("goal_edit",     "POST", "ended",      DENY, DENY, NO,   NO,   NO),
    ("goal_accept",   "POST", "ended",      DENY, DENY, NO,   NO,   NO),
    ("goal_update",   "POST", "ended",      DENY, DENY, NO,   NO,   NO),
    ("goal_delete",   "POST", "ended",      DENY, DENY, NO,   NO,   NO),
]  # fmt: skip

CASES = cases(TABLE)


@pytest.fixture
def world(
    one_on_one: Relationship,
    maya: Person,
    ravi: Person,
    olga: Person,
    oren: Person,
    ada: Person,
    otto: Person,
) -> Iterator[World]:
    with time_machine.travel(NOW, tick=False):
        yield build_world(one_on_one, maya, ravi, olga, ada, otto)


def target_goal(world: World, name: str, target: str) -> Goal:
    if target == "own":
        return goal_create(actor=world.ravi, fields=fields("Run a half marathon"))
    if target in ("proposal", "withdrawn") or name in ("goal_accept", "goal_decline"):
        return world.proposal
    return world.active


def prepare(world: World, goal: Goal, name: str, target: str) -> None:
    """Bring the goal to the state the URL acts on, then end the 1:1 if asked."""
    if target == "withdrawn":
        goal_delete(actor=world.maya, goal=goal)
    elif name == "goal_restore":
        goal_delete(actor=world.ravi, goal=goal)
    if target == "ended":
        relationship_end(actor=world.maya, relationship=world.relationship)


def url_for(world: World, name: str, goal: Goal) -> str:
    if name in ("goals", "goal_new"):
        return reverse(f"growth:{name}")
    if name == "goal_propose":
        return reverse(f"growth:{name}", args=[world.relationship.uuid])
    return reverse(f"growth:{name}", args=[goal.uuid])


def post_data(name: str, goal: Goal) -> dict[str, str]:
    goal_fields = {"kind": "career", "title": "Mentor a new joiner", "target_date": "2027-09-30"}
    if name == "goal_edit":
        return goal_fields | {"version": str(goal.version)}
    if name in ("goal_new", "goal_propose"):
        return goal_fields
    if name == "goal_update":
        return {"text": "Finished the first module.", "status": "on_track"}
    return {}


@pytest.mark.parametrize(ARGS, CASES)
def test_permission(
    world: World, name: str, method: str, target: str, role: str, expected: int
) -> None:
    goal = target_goal(world, name, target)
    prepare(world, goal, name, target)
    url = url_for(world, name, goal)
    actor: Person | None = getattr(world, role, None)
    check(actor, method, url, post_data(name, goal), expected)


def test_a_missing_goal_answers_like_a_hidden_one(world: World) -> None:
    missing = "00000000-0000-4000-8000-000000000000"
    client = client_for(world.ravi)
    assert client.get(reverse("growth:goal", args=[missing])).status_code == NO
    assert client.get(reverse("growth:goal_edit", args=[missing])).status_code == NO
    for name in ("goal_accept", "goal_decline", "goal_update", "goal_delete", "goal_restore"):
        assert client.post(reverse(f"growth:{name}", args=[missing])).status_code == NO
    assert client.get(reverse("growth:goal_propose", args=[missing])).status_code == NO

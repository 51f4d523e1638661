"""The world of the goals tests: Maya and Ravi ten minutes into their second meeting.

Plain functions (not fixtures) so each test module wraps them in its own fixtures.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from growth.models import Goal
from growth.services.goals import GoalFields, goal_create, goal_propose
from meetings.models import Relationship
from people.models import Person
from tests.meetings.conftest import FIRST, SECOND, THIRD

NOW = SECOND + timedelta(minutes=10)
HELD, CURRENT, UPCOMING = FIRST, SECOND, THIRD
LATER = date(2027, 6, 30)


@dataclass(frozen=True)
class World:
    relationship: Relationship
    maya: Person
    ravi: Person
    olga: Person
    ada: Person
    otto: Person
    proposal: Goal  # proposed by Maya for Ravi, waiting for him
    active: Goal  # Ravi's own goal, discussed in the 1:1


def fields(title: str = "Ship the billing export", **extra: Any) -> GoalFields:
    values: dict[str, Any] = {"kind": Goal.Kind.CAREER, "title": title, "why": "Growth."}
    return GoalFields(**(values | {"target_date": LATER} | extra))


def build_world(
    relationship: Relationship, maya: Person, ravi: Person, olga: Person, ada: Person, otto: Person
) -> World:
    proposal = goal_propose(
        actor=maya, relationship=relationship, fields=fields("Lead the Q2 planning")
    )
    active = goal_create(actor=ravi, fields=fields("Learn Rust"), relationship=relationship)
    return World(relationship, maya, ravi, olga, ada, otto, proposal, active)

"""The world of the feedback tests: Maya and Ravi in their second meeting, feedback both ways.

The `clock` and `world` fixtures are shared by the feedback test modules, which import
them by name (`from tests.growth.feedback_world import clock as clock`). A module that
uses `world` must import `clock` too: otherwise `world` gets the `clock` of
tests/growth/conftest.py, which stands on the suite's Monday morning, not at NOW.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from growth.models import Feedback
from growth.services.feedback import feedback_give
from meetings.models import Relationship, Theme
from meetings.occurrences import key_slug
from people.models import Person
from playbook.models import Question
from tests.conftest import client_for
from tests.meetings.conftest import FIRST, SECOND, THIRD

# Ten minutes into the second meeting.
NOW = SECOND + timedelta(minutes=10)
HELD, CURRENT, UPCOMING = FIRST, SECOND, THIRD
HTMX = {"HX-Request": "true"}


@dataclass(frozen=True)
class World:
    relationship: Relationship
    maya: Person
    ravi: Person
    olga: Person
    ada: Person
    otto: Person
    praise: Feedback  # from Maya to Ravi, in the current meeting
    upward: Feedback  # from Ravi to Maya (constructive), in the current meeting
    question: Question  # a feedback-to-manager question of Acme's bank

    def client(self, name: str) -> Client:
        return client_for(getattr(self, name))


def build_world(
    relationship: Relationship, maya: Person, ravi: Person, olga: Person, ada: Person, otto: Person
) -> World:
    """Maya praises Ravi and Ravi gives Maya constructive feedback, both in the current meeting."""
    praise = feedback_give(
        actor=maya,
        relationship=relationship,
        meeting_key=CURRENT,
        kind=Feedback.Kind.PRAISE,
        text="The demo to the customer was excellent.",
    )
    upward = feedback_give(
        actor=ravi,
        relationship=relationship,
        meeting_key=CURRENT,
        kind=Feedback.Kind.CONSTRUCTIVE,
        text="I would like decisions explained before they are announced.",
    )
    question = Question.objects.create(
        organization_id=relationship.organization_id,
        theme=Theme.FEEDBACK,
        audience=Question.Audience.TO_MANAGER,
        text="What could I do to support you better?",
    )
    return World(relationship, maya, ravi, olga, ada, otto, praise, upward, question)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


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
    return build_world(one_on_one, maya, ravi, olga, ada, otto)


def give_url(world: World, key: datetime = CURRENT) -> str:
    return reverse("growth:feedback_give", args=[world.relationship.uuid, key_slug(key)])

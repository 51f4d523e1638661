"""Pinned query counts: the feedback log and the recognition page cost the same with 1 row or 45."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from growth.models import Feedback
from meetings.models import Relationship
from meetings.services.common import meeting_materialize
from people.models import Person
from tests.conftest import client_for
from tests.growth.feedback_world import CURRENT
from tests.growth.feedback_world import clock as clock

# session, person, count, page of rows
LOG_PAGE = 4
RECOGNITION_PAGE = 4


def add_feedback(relationship: Relationship, giver: Person, receiver: Person, count: int) -> None:
    """`count` praise from giver to receiver, public, spread over that many meetings' times."""
    meeting = meeting_materialize(relationship=relationship, key=CURRENT)
    now = timezone.now()
    Feedback.objects.bulk_create(
        Feedback(
            organization_id=relationship.organization_id,
            relationship=relationship,
            meeting=meeting,
            giver=giver,
            receiver=receiver,
            kind=Feedback.Kind.PRAISE,
            text=f"Praise #{n}",
            situation="s",
            created_at=now - timedelta(minutes=n),
            public_requested_at=now,
            public_consented_at=now - timedelta(minutes=n),
        )
        for n in range(count)
    )


@pytest.mark.parametrize("rows", [1, 45])
@pytest.mark.parametrize(
    ("url", "params", "pinned"),
    [
        ("growth:feedback_log", {}, LOG_PAGE),
        ("growth:feedback_log", {"view": "given", "kind": "praise"}, LOG_PAGE),
        ("growth:feedback_log", {"page": "2"}, LOG_PAGE),
        ("growth:recognition", {}, RECOGNITION_PAGE),
    ],
)
def test_the_cost_is_pinned(
    clock: time_machine.Traveller,
    one_on_one: Relationship,
    maya: Person,
    ravi: Person,
    django_assert_num_queries: DjangoAssertNumQueries,
    rows: int,
    url: str,
    params: dict[str, str],
    pinned: int,
) -> None:
    add_feedback(one_on_one, maya, ravi, rows)
    add_feedback(one_on_one, ravi, maya, rows)
    # Ravi received `rows` and gave `rows`: both lists have them.
    client = client_for(ravi)
    with django_assert_num_queries(pinned):
        response = client.get(reverse(url), params)
    assert response.status_code == 200
    assert "Praise #" in response.content.decode()

"""`manage.py growth_purge`: deleted goals and feedback go for good after their 30 days."""

from datetime import timedelta
from io import StringIO

import time_machine
from django.core.management import call_command

from growth.models import Feedback, Goal
from meetings.models import Relationship
from people.models import Person
from tests.meetings.conftest import FIRST


def test_it_removes_only_what_was_deleted_more_than_30_days_ago(
    clock: time_machine.Traveller, one_on_one: Relationship, maya: Person, ravi: Person
) -> None:
    now = FIRST + timedelta(days=60)
    clock.move_to(now)

    def goal(title: str, deleted_days_ago: int | None) -> Goal:
        deleted = now - timedelta(days=deleted_days_ago) if deleted_days_ago is not None else None
        return Goal.objects.create(
            organization_id=ravi.org_id, owner=ravi, proposed_by=ravi,
            relationship=one_on_one, title=title, deleted_at=deleted,
        )  # fmt: skip

    def feedback(text: str, deleted_days_ago: int | None) -> Feedback:
        deleted = now - timedelta(days=deleted_days_ago) if deleted_days_ago is not None else None
        return Feedback.objects.create(
            organization_id=ravi.org_id, relationship=one_on_one, giver=ravi, receiver=maya,
            kind=Feedback.Kind.PRAISE, text=text, deleted_at=deleted,
        )  # fmt: skip

    goal("Gone", 31)
    goal("Still undoable", 29)
    goal("Alive", None)
    feedback("Gone", 45)
    feedback("Still undoable", 1)
    feedback("Alive", None)
    out = StringIO()

    call_command("growth_purge", stdout=out)

    assert sorted(Goal.objects.values_list("title", flat=True)) == ["Alive", "Still undoable"]
    assert sorted(Feedback.objects.values_list("text", flat=True)) == ["Alive", "Still undoable"]
    assert "Purged 1 deleted goal(s) and 1 deleted feedback." in out.getvalue()

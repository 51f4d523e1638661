"""A failing notification receiver never undoes the change that a person made."""

from collections.abc import Iterator
from typing import Any

import pytest

from meetings import signals
from meetings.models import Meeting, Relationship
from meetings.occurrences import upcoming
from meetings.services.meetings import meeting_cancel
from notifications.models import Delivery
from people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def broken_receiver() -> Iterator[None]:
    def explode(sender: object, **kwargs: Any) -> None:
        # Writes something first, like a real receiver would, then fails.
        Delivery.objects.create(key="half-done", channel="email", kind="test")
        raise RuntimeError("receiver bug")

    signals.occurrence_changed.connect(explode, dispatch_uid="test-explode")
    yield
    signals.occurrence_changed.disconnect(dispatch_uid="test-explode")


def test_the_change_is_kept_and_the_failure_logged(
    one_on_one: Relationship, maya: Person, broken_receiver: None, caplog: Any
) -> None:
    [first] = upcoming(list(one_on_one.schedules.all()), [], now=one_on_one.created_at, count=1)

    meeting_cancel(actor=maya, relationship=one_on_one, key=first.key, reason="Off sick")

    meeting = Meeting.objects.get(relationship=one_on_one, occurrence_start=first.key)
    assert meeting.status == Meeting.Status.CANCELLED
    # The failed receiver's own write is gone with its savepoint.
    assert not Delivery.objects.filter(key="half-done").exists()
    assert "occurrence_changed failed" in caplog.text


def test_quiet_sends_nothing(one_on_one: Relationship, maya: Person) -> None:
    received: list[object] = []

    def record(sender: object, **kwargs: Any) -> None:
        received.append(kwargs)

    signals.occurrence_changed.connect(record, dispatch_uid="test-record")
    try:
        [first] = upcoming(list(one_on_one.schedules.all()), [], now=one_on_one.created_at, count=1)
        with signals.quiet():
            meeting_cancel(actor=maya, relationship=one_on_one, key=first.key, reason="")
        assert received == []
    finally:
        signals.occurrence_changed.disconnect(dispatch_uid="test-record")

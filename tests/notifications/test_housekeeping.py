"""The queue's own periodic jobs: due deliveries are handed over once, old records go."""

from datetime import timedelta

import pytest
import time_machine
from django.utils.timezone import now
from django_tasks_db.models import DBTaskResult

from notifications import housekeeping
from notifications.models import Delivery
from notifications.outbox import delivery_create
from people.models import Organization, Person

pytestmark = pytest.mark.django_db


def _planned(org: Organization, person: Person, key: str, due_in: timedelta) -> Delivery:
    delivery = delivery_create(
        key=key,
        organization_id=org.pk,
        channel=Delivery.Channel.EMAIL,
        kind=Delivery.Kind.TEST,
        person=person,
        due_at=now() + due_in,
    )
    assert delivery is not None
    return delivery


def _queued(delivery: Delivery) -> int:
    return DBTaskResult.objects.filter(
        task_path="notifications.tasks.deliver", args_kwargs__args=[delivery.pk]
    ).count()


def test_a_planned_delivery_is_handed_to_the_worker_once_when_due(
    acme: Organization, maya: Person
) -> None:
    later = _planned(acme, maya, "k:later", timedelta(hours=2))
    soon = _planned(acme, maya, "k:soon", timedelta(minutes=5))
    assert (later.status, soon.status) == (Delivery.Status.PLANNED, Delivery.Status.PLANNED)
    assert _queued(soon) == 0

    with time_machine.travel(now() + timedelta(minutes=6)):
        assert housekeeping.dispatch(now()) == "handed over 1"
        assert housekeeping.dispatch(now()) == "handed over 0"

    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.status == Delivery.Status.PENDING
    assert later.status == Delivery.Status.PLANNED
    assert _queued(soon) == 1
    assert _queued(later) == 0


def test_a_key_is_used_once(acme: Organization, maya: Person) -> None:
    assert _planned(acme, maya, "k:once", timedelta(0)) is not None
    assert (
        delivery_create(
            key="k:once",
            organization_id=acme.pk,
            channel=Delivery.Channel.EMAIL,
            kind=Delivery.Kind.TEST,
            person=maya,
        )
        is None
    )
    assert Delivery.objects.filter(key="k:once").count() == 1


def test_prune_forgets_old_records_and_keeps_recent_and_open_ones(
    acme: Organization, maya: Person
) -> None:
    old_sent = _planned(acme, maya, "k:old-sent", timedelta(0))
    old_failed = _planned(acme, maya, "k:old-failed", timedelta(0))
    recent = _planned(acme, maya, "k:recent", timedelta(0))
    long_ago = now() - timedelta(days=100)
    Delivery.objects.filter(pk=old_sent.pk).update(status="sent", created_at=long_ago)
    Delivery.objects.filter(pk=old_failed.pk).update(status="failed", created_at=long_ago)
    Delivery.objects.filter(pk=recent.pk).update(status="sent")
    DBTaskResult.objects.update(status="SUCCESSFUL", finished_at=now() - timedelta(days=8))

    outcome = housekeeping.prune(now())

    left = set(Delivery.objects.values_list("key", flat=True))
    # A failed delivery still has retries to go: never pruned while open.
    assert left == {"k:old-failed", "k:recent"}
    assert DBTaskResult.objects.count() == 0
    assert "1 deliveries" in str(outcome)

"""Webhook reminders and recaps are planned by the reminder jobs, email or no email."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine

from meetings.models import Relationship
from meetings.services.meetings import meeting_close
from notifications.models import Delivery, Preferences, Webhook
from notifications.reminders import reminders_plan
from notifications.webhooks import WebhookInput, webhook_create
from people.models import Person

FIRST = datetime(2027, 1, 5, 15, 0, tzinfo=UTC)  # the first meeting, 10:00 in New York

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_ok(settings: Any) -> None:
    settings.RAPPORT_ALLOW_PRIVATE_URLS = True


@pytest.fixture
def clock(now: datetime) -> Iterator[time_machine.Traveller]:
    with time_machine.travel(now, tick=False) as traveller:
        yield traveller


def _hook(person: Person) -> Webhook:
    assert person.organization is not None
    webhook, _secret = webhook_create(
        actor=person,
        organization=person.organization,
        person=person,
        data=WebhookInput(
            name="My chat",
            url="http://127.0.0.1:9/hook",
            format=Webhook.Format.SLACK,
            send_reminders=True,
            send_recaps=True,
        ),
    )
    return webhook


def _of(webhook: Webhook, kind: str) -> list[Delivery]:
    return list(Delivery.objects.filter(webhook=webhook, kind=kind))


def test_chat_only_reminders_need_no_email_reminder(
    one_on_one: Relationship, ravi: Person, clock: time_machine.Traveller
) -> None:
    Preferences.objects.create(person=ravi, email_reminders=False, email_recaps=False)
    webhook = _hook(ravi)

    # A day ahead of the reminder nothing is planned for the webhook yet (it is
    # planned when it comes close) and no email reminder exists for Ravi at all.
    clock.move_to(FIRST - timedelta(hours=48))
    reminders_plan(datetime.now(UTC))
    assert _of(webhook, Delivery.Kind.REMINDER) == []

    clock.move_to(FIRST - timedelta(hours=24, minutes=10))
    reminders_plan(datetime.now(UTC))
    reminders_plan(datetime.now(UTC))
    [planned] = _of(webhook, Delivery.Kind.REMINDER)
    assert planned.due_at == FIRST - timedelta(hours=24)
    assert planned.status == Delivery.Status.PLANNED
    assert not Delivery.objects.filter(
        person=ravi, channel=Delivery.Channel.EMAIL, kind=Delivery.Kind.REMINDER
    ).exists()


def test_chat_only_recaps_need_no_email_recap(
    one_on_one: Relationship, ravi: Person, maya: Person, clock: time_machine.Traveller
) -> None:
    Preferences.objects.create(person=ravi, email_reminders=False, email_recaps=False)
    webhook = _hook(ravi)
    clock.move_to(FIRST + timedelta(minutes=40))
    meeting_close(actor=maya, relationship=one_on_one, key=FIRST)

    [recap] = _of(webhook, Delivery.Kind.RECAP)
    assert recap.status == Delivery.Status.PLANNED
    assert not Delivery.objects.filter(
        person=ravi, channel=Delivery.Channel.EMAIL, kind=Delivery.Kind.RECAP
    ).exists()

"""The notification pages cost a fixed number of queries, however long their lists."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import Delivery, Webhook
from notifications.outbox import delivery_create
from notifications.webhooks import WebhookInput, webhook_create
from people.models import Person
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_ok(settings: Any) -> None:
    settings.RAPPORT_ALLOW_PRIVATE_URLS = True


def _hook(person: Person, *, org: bool = False) -> Webhook:
    assert person.organization is not None
    webhook, _secret = webhook_create(
        actor=person,
        organization=person.organization,
        person=None if org else person,
        data=WebhookInput(
            name="Hook",
            url="http://127.0.0.1:9/hook",
            format=Webhook.Format.JSON,
            send_reminders=True,
            send_recaps=True,
        ),
    )
    return webhook


def _messages(person: Person, count: int, *, webhook: Webhook | None = None) -> None:
    start = Delivery.objects.count()
    for n in range(start, start + count):
        delivery_create(
            key=f"test:{n}",
            organization_id=person.org_id,
            channel=Delivery.Channel.WEBHOOK if webhook else Delivery.Channel.EMAIL,
            kind=Delivery.Kind.TEST,
            person=person,
            webhook_id=webhook.pk if webhook else None,
            summary=f"Message {n}",
        )


def _cost(person: Person, url: str) -> int:
    client = client_for(person)
    client.get(url)  # warm the session and caches like a second visit
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _grows_not(person: Person, url: str, add: Callable[[], object]) -> int:
    before = _cost(person, url)
    add()
    after = _cost(person, url)
    assert after == before, f"{url} costs {before} queries, then {after} with longer lists"
    return before


def test_preferences_page_with_its_message_log(maya: Person) -> None:
    _messages(maya, 3)
    cost = _grows_not(maya, reverse("notifications:preferences"), lambda: _messages(maya, 30))
    assert cost == 4


def test_webhook_list_and_page(maya: Person) -> None:
    webhook = _hook(maya)
    _messages(maya, 3, webhook=webhook)
    listing = _grows_not(maya, reverse("notifications:webhooks"), lambda: _hook(maya))
    page = _grows_not(
        maya,
        reverse("notifications:webhook", args=[webhook.uuid]),
        lambda: _messages(maya, 30, webhook=webhook),
    )
    assert (listing, page) == (3, 4)


def test_organization_webhooks_page(ada: Person) -> None:
    _hook(ada, org=True)
    cost = _grows_not(ada, reverse("notifications:org_webhooks"), lambda: _hook(ada, org=True))
    assert cost == 3


def test_calendar_and_caldav_pages(maya: Person) -> None:
    client_for(maya).post(reverse("notifications:calendar_create"))
    assert _cost(maya, reverse("notifications:calendar")) == 3
    assert _cost(maya, reverse("notifications:caldav")) == 3

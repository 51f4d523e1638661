"""Who may use the webhook pages: every URL, for every role (driver: tests/permissions.py).

A person's webhooks (/account/webhooks/) are theirs alone: everyone signed in has the
list and the add form for their own; Maya's webhook, and its deliveries, answer 404 to
everyone else. The organization's webhooks (/org/webhooks/) exist only for its admins:
Ada (Acme) gets them, everyone else 404; with target "otto-admin" Otto administers
Globex, gets his own organization's list and still 404 for Acme's webhook.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from notifications.models import Delivery, Webhook
from notifications.webhooks import WebhookInput, webhook_create, webhook_test
from people.models import Person
from tests.conftest import client_for
from tests.permissions import ARGS, GO, NO, OK, WRONG_METHOD, Row, cases, check

W = WRONG_METHOD

TABLE: list[Row] = [
    # name                                  method  target        maya  ravi  olga  ada   otto
    ("notifications:webhooks",              "GET",  "",           OK,   OK,   OK,   OK,   OK),
    ("notifications:webhooks",              "POST", "",           W,    W,    W,    W,    W),
    ("notifications:webhook_new",           "GET",  "",           OK,   OK,   OK,   OK,   OK),
    ("notifications:webhook_new",           "POST", "",           GO,   GO,   GO,   GO,   GO),
    ("notifications:webhook",               "GET",  "",           OK,   NO,   NO,   NO,   NO),
    ("notifications:webhook",               "POST", "",           GO,   NO,   NO,   NO,   NO),
    ("notifications:webhook_delete",        "GET",  "",           OK,   NO,   NO,   NO,   NO),
    ("notifications:webhook_delete",        "POST", "",           GO,   NO,   NO,   NO,   NO),
    ("notifications:webhook_test",          "GET",  "",           W,    W,    W,    W,    W),
    ("notifications:webhook_test",          "POST", "",           GO,   NO,   NO,   NO,   NO),
    # A new secret is shown on the answer itself, once: 200, not a redirect.
    ("notifications:webhook_secret",        "GET",  "",           W,    W,    W,    W,    W),
    ("notifications:webhook_secret",        "POST", "",           OK,   NO,   NO,   NO,   NO),
    ("notifications:delivery_resend",       "GET",  "",           W,    W,    W,    W,    W),
    ("notifications:delivery_resend",       "POST", "",           GO,   NO,   NO,   NO,   NO),
    ("notifications:org_webhooks",          "GET",  "",           NO,   NO,   NO,   OK,   NO),
    ("notifications:org_webhooks",          "POST", "",           W,    W,    W,    W,    W),
    ("notifications:org_webhook_new",       "GET",  "",           NO,   NO,   NO,   OK,   NO),
    ("notifications:org_webhook_new",       "POST", "",           NO,   NO,   NO,   GO,   NO),
    ("notifications:org_webhook",           "GET",  "",           NO,   NO,   NO,   OK,   NO),
    ("notifications:org_webhook",           "POST", "",           NO,   NO,   NO,   GO,   NO),
    ("notifications:org_webhook_delete",    "GET",  "",           NO,   NO,   NO,   OK,   NO),
    ("notifications:org_webhook_delete",    "POST", "",           NO,   NO,   NO,   GO,   NO),
    ("notifications:org_webhook_test",      "GET",  "",           W,    W,    W,    W,    W),
    ("notifications:org_webhook_test",      "POST", "",           NO,   NO,   NO,   GO,   NO),
    ("notifications:org_webhook_secret",    "GET",  "",           W,    W,    W,    W,    W),
    ("notifications:org_webhook_secret",    "POST", "",           NO,   NO,   NO,   OK,   NO),
    ("notifications:org_delivery_resend",   "GET",  "",           W,    W,    W,    W,    W),
    ("notifications:org_delivery_resend",   "POST", "",           NO,   NO,   NO,   GO,   NO),
    # Otto administers Globex: its pages are his; Acme's webhook stays hidden from him.
    ("notifications:org_webhooks",          "GET",  "otto-admin", NO,   NO,   NO,   OK,   OK),
    ("notifications:org_webhook_new",       "GET",  "otto-admin", NO,   NO,   NO,   OK,   OK),
    ("notifications:org_webhook",           "GET",  "otto-admin", NO,   NO,   NO,   OK,   NO),
    ("notifications:org_webhook",           "POST", "otto-admin", NO,   NO,   NO,   GO,   NO),
    ("notifications:org_webhook_delete",    "POST", "otto-admin", NO,   NO,   NO,   GO,   NO),
    ("notifications:org_webhook_test",      "POST", "otto-admin", NO,   NO,   NO,   GO,   NO),
    ("notifications:org_webhook_secret",    "POST", "otto-admin", NO,   NO,   NO,   OK,   NO),
    ("notifications:org_delivery_resend",   "POST", "otto-admin", NO,   NO,   NO,   GO,   NO),
]  # fmt: skip

URL = "http://127.0.0.1:9/hook"  # never called: the worker does not run in these tests


@dataclass
class World:
    maya: Person
    ravi: Person
    olga: Person
    ada: Person
    otto: Person
    mine: Webhook  # Maya's own, signed JSON
    mine_delivery: Delivery
    org: Webhook  # Acme's, signed JSON
    org_delivery: Delivery


def _input(name: str) -> WebhookInput:
    return WebhookInput(
        name=name, url=URL, format="json", send_reminders=True, send_recaps=True, is_active=True
    )


@pytest.fixture
def world(
    settings: Any, maya: Person, ravi: Person, olga: Person, ada: Person, otto: Person
) -> World:
    settings.RAPPORT_ALLOW_PRIVATE_URLS = True
    assert maya.organization is not None
    assert ada.organization is not None
    mine, _ = webhook_create(
        actor=maya, organization=maya.organization, person=maya, data=_input("Maya's hook")
    )
    org, _ = webhook_create(
        actor=ada, organization=ada.organization, person=None, data=_input("Acme hook")
    )
    return World(
        maya,
        ravi,
        olga,
        ada,
        otto,
        mine=mine,
        mine_delivery=webhook_test(actor=maya, webhook=mine),
        org=org,
        org_delivery=webhook_test(actor=ada, webhook=org),
    )


def url_for(world: World, name: str) -> str:
    short = name.removeprefix("notifications:")
    hook = world.org if short.startswith("org_") else world.mine
    delivery = world.org_delivery if short.startswith("org_") else world.mine_delivery
    if short.endswith("delivery_resend"):
        return reverse(name, args=[delivery.uuid])
    if short.removeprefix("org_") in ("webhook", "webhook_delete", "webhook_test", "webhook_secret"):  # fmt: skip
        return reverse(name, args=[hook.uuid])
    return reverse(name)


def post_data(name: str) -> dict[str, str]:
    short = name.removeprefix("notifications:").removeprefix("org_")
    if short in ("webhook_new", "webhook"):
        return {
            "name": "A webhook",
            "url": URL,
            "format": "slack",
            "send_reminders": "on",
            "is_active": "on",
        }
    return {}


@pytest.mark.parametrize(ARGS, cases(TABLE))
def test_permission(
    world: World, name: str, method: str, target: str, role: str, expected: int
) -> None:
    if target == "otto-admin":
        world.otto.is_org_admin = True
        world.otto.save(update_fields=["is_org_admin"])
    actor: Person | None = getattr(world, role, None)
    check(actor, method, url_for(world, name), post_data(name), expected)


def test_a_persons_webhook_is_not_an_organization_webhook(world: World) -> None:
    """Ada administers Acme, yet Maya's own webhook and its log stay Maya's."""
    client = client_for(world.ada)
    hook, delivery = world.mine.uuid, world.mine_delivery.uuid
    for name in ("org_webhook", "org_webhook_delete"):
        assert client.get(reverse(f"notifications:{name}", args=[hook])).status_code == NO
    for name in ("org_webhook", "org_webhook_test", "org_webhook_secret", "org_webhook_delete"):
        assert client.post(reverse(f"notifications:{name}", args=[hook])).status_code == NO
    assert (
        client.post(reverse("notifications:org_delivery_resend", args=[delivery])).status_code == NO
    )
    # And the organization's webhook is not reachable as anyone's own.
    org = world.org.uuid
    assert client.get(reverse("notifications:webhook", args=[org])).status_code == NO
    assert (
        client.post(
            reverse("notifications:delivery_resend", args=[world.org_delivery.uuid])
        ).status_code
        == NO
    )
    assert Webhook.objects.count() == 2


def test_missing_things_answer_like_hidden_ones(world: World) -> None:
    missing = "00000000-0000-4000-8000-000000000000"
    client = client_for(world.maya)
    for name in ("webhook", "webhook_delete"):
        assert client.get(reverse(f"notifications:{name}", args=[missing])).status_code == NO
    for name in ("webhook_test", "webhook_secret", "delivery_resend"):
        assert client.post(reverse(f"notifications:{name}", args=[missing])).status_code == NO

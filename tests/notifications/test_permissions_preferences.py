"""Who may open the notification preferences URLs (driver: tests/permissions.py).

The page is each signed-in person's own: everyone gets it and saves only their own
settings. "Send again" works on the person's own failed messages; someone else's
message is a 404, whoever asks.
"""

import pytest
from django.urls import reverse

from notifications.models import Delivery
from notifications.outbox import delivery_create
from people.models import Person
from tests.permissions import ARGS, GO, NO, OK, WRONG_METHOD, Row, cases, check

pytestmark = pytest.mark.django_db

W = WRONG_METHOD

# Targets: "" the actor's own (settings, or their own failed message); "maya" a failed
# message of Maya's.
TABLE: list[Row] = [
    # name                            method  target  maya  ravi  olga  ada   otto
    ("notifications:preferences",     "GET",  "",     OK,   OK,   OK,   OK,   OK),
    ("notifications:preferences",     "POST", "",     GO,   GO,   GO,   GO,   GO),
    ("notifications:message_resend",  "GET",  "",     W,    W,    W,    W,    W),
    ("notifications:message_resend",  "POST", "",     GO,   GO,   GO,   GO,   GO),
    ("notifications:message_resend",  "GET",  "maya", W,    W,    W,    W,    W),
    ("notifications:message_resend",  "POST", "maya", GO,   NO,   NO,   NO,   NO),
]  # fmt: skip


def _failed(person: Person) -> Delivery:
    delivery = delivery_create(
        key=f"test:{person.pk}",
        organization_id=person.organization_id,
        channel=Delivery.Channel.EMAIL,
        kind=Delivery.Kind.DIGEST,
        person=person,
        summary="A digest that failed",
    )
    assert delivery is not None
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.GAVE_UP)
    return delivery


@pytest.mark.parametrize(ARGS, cases(TABLE))
def test_permissions(
    name: str,
    method: str,
    target: str,
    role: str,
    expected: int,
    request: pytest.FixtureRequest,
) -> None:
    maya: Person = request.getfixturevalue("maya")
    actor: Person | None = None if role == "anonymous" else request.getfixturevalue(role)
    data: dict[str, str] = {}
    if name == "notifications:preferences":
        url = reverse(name)
        data = {
            "email_reminders": "on",
            "reminder_hours": "24",
            "digest_weekday": "0",
            "digest_hour": "8",
            "timezone": actor.timezone if actor else "UTC",
        }
    else:
        owner = maya if target == "maya" or actor is None else actor
        url = reverse(name, args=[_failed(owner).uuid])
    check(actor, method, url, data, expected)
    if name == "notifications:message_resend" and expected == NO:
        assert not Delivery.objects.filter(key__contains=":again:").exists()

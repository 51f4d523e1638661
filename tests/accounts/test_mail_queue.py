"""Account emails (password reset…) are queued for the worker, never sent by the request."""

import pytest
from django.core import mail
from django.test import Client

from notifications.models import Delivery
from people.models import Person
from tests.support.worker import run_worker

pytestmark = pytest.mark.django_db


def test_the_reset_email_is_queued_by_the_request_and_sent_by_the_worker(
    maya: Person, settings: object
) -> None:
    response = Client().post("/accounts/password/reset/", {"email": maya.email})

    assert response.status_code == 302
    assert mail.outbox == []  # the request did not wait for a mail server
    (queued,) = Delivery.objects.filter(kind=Delivery.Kind.MESSAGE)
    assert queued.person == maya
    assert queued.payload["to"] == [maya.email]
    assert queued.status == Delivery.Status.PENDING

    run_worker()

    (message,) = mail.outbox
    assert message.to == [maya.email]
    assert "/accounts/password/reset/key/" in str(message.body)
    queued.refresh_from_db()
    assert queued.status == Delivery.Status.SENT
    assert queued.payload == {}  # the link is not kept once sent

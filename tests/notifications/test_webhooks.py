"""Outgoing webhooks against a real HTTP receiver on loopback, sent by the real worker.

Maya and Ravi meet on Tuesdays at 10:00 New York time from 5 Jan 2027; tests freeze the
clock on Monday 4 Jan, 08:00 UTC, the day before their first meeting.
"""

import hashlib
import hmac
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from meetings.models import Meeting, Relationship
from meetings.services.actions import action_add
from meetings.services.agenda import point_add
from meetings.services.meetings import meeting_cancel, meeting_close, meeting_reopen
from meetings.services.notes import private_note_save
from notifications.models import Delivery, Webhook
from notifications.outbox import attempt, dispatch_due
from notifications.webhooks import (
    MAX_PERSON_WEBHOOKS,
    WebhookInput,
    fan_out,
    webhook_create,
    webhook_delivery_resend,
    webhook_update,
)
from people.models import Person
from tests.conftest import client_for
from tests.support.receiver import Receiver, closed_port_url
from tests.support.worker import run_worker

FIRST = datetime(2027, 1, 5, 15, 0, tzinfo=UTC)  # 10:00 in New York


@pytest.fixture
def clock(now: datetime) -> Iterator[time_machine.Traveller]:
    with time_machine.travel(now, tick=False) as traveller:
        yield traveller


@pytest.fixture
def private_ok(settings: Any) -> None:
    settings.RAPPORT_ALLOW_PRIVATE_URLS = True
    settings.RAPPORT_BASE_URL = "https://rapport.example"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as server:
        yield server


def hook_input(url: str, fmt: str = Webhook.Format.SLACK, **changes: Any) -> WebhookInput:
    fields: dict[str, Any] = {
        "name": "Team channel",
        "url": url,
        "format": fmt,
        "send_reminders": True,
        "send_recaps": True,
        **changes,
    }
    return WebhookInput(**fields)


def add_hook(person: Person, url: str, fmt: str = Webhook.Format.SLACK) -> tuple[Webhook, str]:
    assert person.organization is not None
    return webhook_create(
        actor=person, organization=person.organization, person=person, data=hook_input(url, fmt)
    )


def remind(person: Person, relationship: Relationship, key: datetime = FIRST) -> int:
    with transaction.atomic():
        return fan_out(
            kind=Delivery.Kind.REMINDER,
            person=person,
            relationship=relationship,
            occurrence_key=key,
        )


def hook_deliveries(webhook: Webhook) -> list[Delivery]:
    return list(Delivery.objects.filter(webhook=webhook).order_by("created_at", "pk"))


pytestmark = pytest.mark.usefixtures("clock", "private_ok")


class TestMessages:
    def test_a_slack_webhook_gets_a_readable_message_with_a_link(
        self, maya: Person, one_on_one: Relationship, receiver: Receiver
    ) -> None:
        hook, secret = add_hook(maya, receiver.url)
        assert secret == ""
        assert remind(maya, one_on_one) == 1
        assert receiver.calls == []  # creating a delivery never calls the network

        run_worker()

        (call,) = receiver.calls
        assert call.method == "POST"
        assert call.path == "/hook"
        assert call.headers["Content-Type"] == "application/json"
        assert call.headers["User-Agent"] == "Rapport-Webhooks"
        assert call.headers["X-Rapport-Event"] == "meeting.reminder"
        assert "X-Rapport-Signature" not in call.headers
        body = call.json()
        # Maya reads it in her own zone (New York), with the zone named.
        assert body["text"] == (
            "Reminder: your 1:1 with Ravi Report is on Tue 5 Jan 2027, 10:00 "
            "(America/New_York). 0 open talking points, 0 open action items."
        )
        section, link = body["blocks"]
        assert section["type"] == "section"
        assert section["text"]["type"] == "mrkdwn"
        meeting_url = "https://rapport.example" + reverse(
            "meetings:meeting", args=[one_on_one.uuid, "20270105T150000Z"]
        )
        assert link["text"]["text"] == f"<{meeting_url}|Open the agenda>"
        (delivery,) = hook_deliveries(hook)
        assert delivery.status == Delivery.Status.SENT
        assert delivery.response_status == 200
        assert delivery.attempts == 1
        assert call.headers["X-Rapport-Delivery"] == str(delivery.uuid)

    def test_ravis_slack_text_is_in_his_zone(
        self, ravi: Person, one_on_one: Relationship, receiver: Receiver
    ) -> None:
        add_hook(ravi, receiver.url)
        remind(ravi, one_on_one)
        run_worker()
        assert "on Tue 5 Jan 2027, 16:00 (Europe/Berlin)" in receiver.calls[0].json()["text"]

    def test_a_json_webhook_is_signed_so_the_receiver_can_verify_it(
        self, maya: Person, one_on_one: Relationship, receiver: Receiver, now: datetime
    ) -> None:
        hook, secret = add_hook(maya, receiver.url, Webhook.Format.JSON)
        assert secret.startswith("whsec_")
        assert len(secret) > 30
        remind(maya, one_on_one)
        run_worker()

        (call,) = receiver.calls
        timestamp = call.headers["X-Rapport-Timestamp"]
        assert int(timestamp) == int(now.timestamp())
        expected = hmac.new(
            secret.encode(), f"{timestamp}.".encode() + call.body, hashlib.sha256
        ).hexdigest()
        assert hmac.compare_digest(call.headers["X-Rapport-Signature"], f"sha256={expected}")
        # A different secret does not verify.
        wrong = hmac.new(b"whsec_other", f"{timestamp}.".encode() + call.body, hashlib.sha256)
        assert call.headers["X-Rapport-Signature"] != f"sha256={wrong.hexdigest()}"

        body = call.json()
        (delivery,) = hook_deliveries(hook)
        assert body["id"] == str(delivery.uuid) == call.headers["X-Rapport-Delivery"]
        assert body["type"] == "meeting.reminder"
        assert datetime.fromisoformat(body["created"]) == delivery.created_at
        data = body["data"]
        assert data["meeting"]["starts_at"] == "2027-01-05T10:00:00-05:00"
        assert data["meeting"]["ends_at"] == "2027-01-05T10:30:00-05:00"
        assert data["meeting"]["timezone"] == "America/New_York"
        assert data["relationship"]["participants"] == [
            {"name": "Maya Manager", "role": "lead"},
            {"name": "Ravi Report", "role": "member"},
        ]
        assert data["open_talking_points"] == 0

    def test_a_test_message_goes_through_the_worker(self, maya: Person, receiver: Receiver) -> None:
        hook, _ = add_hook(maya, receiver.url, Webhook.Format.JSON)
        response = client_for(maya).post(reverse("notifications:webhook_test", args=[hook.uuid]))
        assert response.status_code == 302
        assert receiver.calls == []  # the web request did not wait for the receiver
        (delivery,) = hook_deliveries(hook)
        assert delivery.kind == Delivery.Kind.TEST
        assert delivery.status == Delivery.Status.PENDING

        run_worker()

        (call,) = receiver.calls
        assert call.headers["X-Rapport-Event"] == "webhook.test"
        assert call.json()["type"] == "webhook.test"
        assert "Team channel" in call.json()["data"]["text"]


class TestPrivacy:
    def test_the_payload_says_who_when_and_how_many_never_what(
        self,
        maya: Person,
        ravi: Person,
        one_on_one: Relationship,
        receiver: Receiver,
        clock: time_machine.Traveller,
    ) -> None:
        _slack, _ = add_hook(maya, receiver.url)
        _signed, _ = add_hook(maya, receiver.url, Webhook.Format.JSON)
        point_add(actor=maya, relationship=one_on_one, text="SHARED-POINT-TEXT")
        point_add(actor=ravi, relationship=one_on_one, text="RAVI-PRIVATE-TEXT", is_private=True)
        point_add(actor=maya, relationship=one_on_one, text="MAYA-PRIVATE-TEXT", is_private=True)
        action_add(actor=maya, relationship=one_on_one, text="ACTION-TEXT", owner=ravi)
        remind(maya, one_on_one)
        run_worker()

        assert len(receiver.calls) == 2
        for call in receiver.calls:
            raw = call.body.decode()
            for secret in ("SHARED-POINT-TEXT", "PRIVATE-TEXT", "ACTION-TEXT", "@acme.test"):
                assert secret not in raw
        texts = {c.headers.get("X-Rapport-Signature") is None: c.json() for c in receiver.calls}
        # Counts only of what both participants share: private points are not counted.
        assert "1 open talking point, 1 open action item." in texts[True]["text"]
        assert texts[False]["data"]["open_talking_points"] == 1
        assert texts[False]["data"]["open_action_items"] == 1

    def test_a_recap_is_content_free_too(
        self,
        maya: Person,
        ravi: Person,
        one_on_one: Relationship,
        receiver: Receiver,
        clock: time_machine.Traveller,
    ) -> None:
        hook, _ = add_hook(maya, receiver.url, Webhook.Format.JSON)
        hook.send_reminders = False
        hook.save()
        point_add(actor=maya, relationship=one_on_one, text="SHARED-POINT-TEXT")
        clock.move_to(FIRST + timedelta(minutes=35))
        meeting = meeting_close(actor=maya, relationship=one_on_one, key=FIRST)
        private_note_save(actor=maya, meeting=meeting, text="PRIVATE-NOTE", base_version=0)
        with transaction.atomic():
            fan_out(kind=Delivery.Kind.RECAP, person=maya, relationship=one_on_one, meeting=meeting)
        # Reminders are off for this webhook: only the recap is there.
        (recap,) = hook_deliveries(hook)
        assert recap.kind == Delivery.Kind.RECAP
        # The recap may be planned a little after the close (the reminders' choice).
        clock.move_to(max(recap.due_at, FIRST + timedelta(minutes=35)))
        dispatch_due()
        run_worker()

        assert [(d.status, d.last_error) for d in hook_deliveries(hook)] == [("sent", "")]
        (call,) = receiver.calls
        assert call.headers["X-Rapport-Event"] == "meeting.recap"
        raw = call.body.decode()
        assert "SHARED-POINT-TEXT" not in raw
        assert "PRIVATE-NOTE" not in raw
        data = call.json()["data"]
        assert data["meeting"]["started_at"] == "2027-01-05T10:00:00-05:00"
        assert data["talking_points_discussed"] >= 0
        assert data["relationship"]["url"].startswith("https://rapport.example/")


class TestRetries:
    def test_a_500_is_retried_with_backoff_and_sent_once(
        self,
        maya: Person,
        one_on_one: Relationship,
        receiver: Receiver,
        clock: time_machine.Traveller,
        now: datetime,
    ) -> None:
        receiver.responses = [500, 200]
        hook, _ = add_hook(maya, receiver.url, Webhook.Format.JSON)
        remind(maya, one_on_one)

        run_worker()
        (delivery,) = hook_deliveries(hook)
        assert delivery.status == Delivery.Status.FAILED
        assert delivery.attempts == 1
        assert delivery.response_status == 500
        assert delivery.last_error == "The receiver answered 500; Rapport will retry."
        assert delivery.due_at > now
        run_worker()  # nothing is due yet
        assert len(receiver.calls) == 1

        clock.move_to(delivery.due_at + timedelta(seconds=1))
        run_worker()
        delivery.refresh_from_db()
        assert delivery.status == Delivery.Status.SENT
        assert delivery.attempts == 2
        assert delivery.response_status == 200
        assert delivery.last_error == ""
        first, second = receiver.calls
        # The same delivery id on the retry, so the receiver can drop a duplicate.
        assert first.headers["X-Rapport-Delivery"] == second.headers["X-Rapport-Delivery"]

        clock.move_to(delivery.due_at + timedelta(hours=1))
        run_worker()
        assert attempt(delivery.pk) == "not claimable"
        assert len(receiver.calls) == 2  # exactly one success, never twice

        page = client_for(maya).get(reverse("notifications:webhook", args=[hook.uuid]))
        html = page.content.decode()
        assert "Sent (HTTP 200)" in html
        assert "<dt>Attempts</dt><dd>2</dd>" in html

    def test_a_404_gives_up_at_once(
        self, maya: Person, one_on_one: Relationship, receiver: Receiver
    ) -> None:
        receiver.responses = [404]
        hook, _ = add_hook(maya, receiver.url)
        remind(maya, one_on_one)
        run_worker()
        (delivery,) = hook_deliveries(hook)
        assert delivery.status == Delivery.Status.GAVE_UP
        assert delivery.attempts == 1
        assert delivery.response_status == 404
        assert len(receiver.calls) == 1

    @pytest.mark.parametrize("status", [408, 429, 503])
    def test_busy_receivers_are_retried(
        self, maya: Person, one_on_one: Relationship, receiver: Receiver, status: int
    ) -> None:
        receiver.responses = [status]
        hook, _ = add_hook(maya, receiver.url)
        remind(maya, one_on_one)
        run_worker()
        (delivery,) = hook_deliveries(hook)
        assert delivery.status == Delivery.Status.FAILED
        assert delivery.response_status == status

    def test_a_redirect_is_a_failure_and_not_followed(
        self, maya: Person, one_on_one: Relationship, receiver: Receiver
    ) -> None:
        receiver.responses = [302]
        hook, _ = add_hook(maya, receiver.url)
        remind(maya, one_on_one)
        run_worker()
        (delivery,) = hook_deliveries(hook)
        assert delivery.status == Delivery.Status.GAVE_UP
        assert "redirect" in delivery.last_error
        assert len(receiver.calls) == 1

    def test_a_refused_connection_is_retried_and_shown_without_the_url(
        self, maya: Person, one_on_one: Relationship, clock: time_machine.Traveller
    ) -> None:
        url = closed_port_url()
        hook, _ = add_hook(maya, url)
        remind(maya, one_on_one)
        run_worker()
        (delivery,) = hook_deliveries(hook)
        assert delivery.status == Delivery.Status.FAILED
        assert delivery.last_error == "Could not connect to the receiver."
        assert "127.0.0.1" not in delivery.last_error
        clock.move_to(delivery.due_at + timedelta(seconds=1))
        run_worker()
        delivery.refresh_from_db()
        assert delivery.attempts == 2
        assert delivery.status == Delivery.Status.FAILED
        page = client_for(maya).get(reverse("notifications:webhook", args=[hook.uuid]))
        assert "Could not connect to the receiver." in page.content.decode()
        assert "Failed, will retry" in page.content.decode()

    def test_two_worker_runs_never_send_twice(
        self, maya: Person, one_on_one: Relationship, receiver: Receiver
    ) -> None:
        hook, _ = add_hook(maya, receiver.url)
        remind(maya, one_on_one)
        assert remind(maya, one_on_one) == 0  # the same event is one delivery
        (delivery,) = hook_deliveries(hook)
        run_worker()
        run_worker()
        assert attempt(delivery.pk) == "not claimable"
        assert len(receiver.calls) == 1


class TestSendTime:
    def test_a_cancelled_meeting_is_not_announced(
        self, maya: Person, one_on_one: Relationship, receiver: Receiver
    ) -> None:
        hook, _ = add_hook(maya, receiver.url)
        remind(maya, one_on_one)
        meeting_cancel(actor=maya, relationship=one_on_one, key=FIRST, reason="Travel")
        run_worker()
        assert receiver.calls == []
        (delivery,) = hook_deliveries(hook)
        assert delivery.status == Delivery.Status.SKIPPED

    def test_a_reminder_after_the_start_is_skipped(
        self,
        maya: Person,
        one_on_one: Relationship,
        receiver: Receiver,
        clock: time_machine.Traveller,
    ) -> None:
        hook, _ = add_hook(maya, receiver.url)
        remind(maya, one_on_one)
        clock.move_to(FIRST + timedelta(minutes=1))
        run_worker()
        assert receiver.calls == []
        assert hook_deliveries(hook)[0].status == Delivery.Status.SKIPPED

    def test_a_turned_off_webhook_sends_nothing(
        self, maya: Person, one_on_one: Relationship, receiver: Receiver
    ) -> None:
        hook, _ = add_hook(maya, receiver.url)
        remind(maya, one_on_one)
        webhook_update(actor=maya, webhook=hook, data=hook_input(receiver.url, is_active=False))
        run_worker()
        assert receiver.calls == []
        assert hook_deliveries(hook)[0].status == Delivery.Status.SKIPPED
        assert remind(maya, one_on_one, FIRST + timedelta(days=7)) == 0

    def test_the_address_is_checked_again_when_sending(
        self, maya: Person, one_on_one: Relationship, receiver: Receiver, settings: Any
    ) -> None:
        hook, _ = add_hook(maya, receiver.url)
        remind(maya, one_on_one)
        settings.RAPPORT_ALLOW_PRIVATE_URLS = False
        run_worker()
        assert receiver.calls == []
        (delivery,) = hook_deliveries(hook)
        assert delivery.status == Delivery.Status.GAVE_UP
        assert "https" in delivery.last_error
        assert receiver.url not in delivery.last_error

    def test_a_loopback_host_is_refused_when_sending(
        self, maya: Person, one_on_one: Relationship, settings: Any, monkeypatch: Any
    ) -> None:
        hook, _ = add_hook(maya, "https://hooks.example.com/services/T0/B0/secretpart")
        remind(maya, one_on_one)
        settings.RAPPORT_ALLOW_PRIVATE_URLS = False
        # The name now resolves to loopback (DNS rebinding): refused before any call.
        monkeypatch.setattr(
            "socket.getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("127.0.0.1", 443))]
        )
        run_worker()
        (delivery,) = hook_deliveries(hook)
        assert delivery.status == Delivery.Status.GAVE_UP
        assert "private or local" in delivery.last_error
        assert "secretpart" not in delivery.last_error


class TestFanOut:
    def test_the_organization_webhook_gets_one_delivery_per_event(
        self,
        maya: Person,
        ravi: Person,
        ada: Person,
        one_on_one: Relationship,
        receiver: Receiver,
    ) -> None:
        assert ada.organization is not None
        org_hook, _ = webhook_create(
            actor=ada, organization=ada.organization, person=None, data=hook_input(receiver.url)
        )
        mine, _ = add_hook(maya, receiver.url)
        his, _ = add_hook(ravi, receiver.url)
        assert remind(maya, one_on_one) == 2  # Maya's own and the organization's
        assert remind(ravi, one_on_one) == 1  # Ravi's own; the organization's exists
        assert len(hook_deliveries(org_hook)) == 1
        assert len(hook_deliveries(mine)) == 1
        assert len(hook_deliveries(his)) == 1
        assert hook_deliveries(org_hook)[0].person is None
        run_worker()
        assert len(receiver.calls) == 3
        org_call = next(
            c
            for c in receiver.calls
            if c.headers["X-Rapport-Delivery"] == str(hook_deliveries(org_hook)[0].uuid)
        )
        # The organization reads the series' zone and both names.
        assert org_call.json()["text"].startswith(
            "Reminder: the 1:1 of Maya Manager and Ravi Report is on Tue 5 Jan 2027, 10:00 "
            "(America/New_York)."
        )

    def test_another_organizations_webhooks_get_nothing(
        self, maya: Person, otto: Person, one_on_one: Relationship, receiver: Receiver
    ) -> None:
        assert otto.organization is not None
        otto.is_org_admin = True
        otto.save()
        webhook_create(
            actor=otto, organization=otto.organization, person=None, data=hook_input(receiver.url)
        )
        assert remind(maya, one_on_one) == 0

    def test_planned_reminders_wait_for_their_time(
        self, maya: Person, one_on_one: Relationship, receiver: Receiver
    ) -> None:
        hook, _ = add_hook(maya, receiver.url)
        with transaction.atomic():
            fan_out(
                kind=Delivery.Kind.REMINDER,
                person=maya,
                relationship=one_on_one,
                occurrence_key=FIRST,
                due_at=FIRST - timedelta(hours=1),
            )
        (delivery,) = hook_deliveries(hook)
        assert delivery.status == Delivery.Status.PLANNED
        run_worker()
        assert receiver.calls == []

    def test_a_moved_meeting_moves_the_planned_reminder(
        self, maya: Person, ravi: Person, ada: Person, one_on_one: Relationship, receiver: Receiver
    ) -> None:
        assert ada.organization is not None
        org_hook, _ = webhook_create(
            actor=ada, organization=ada.organization, person=None, data=hook_input(receiver.url)
        )
        mine, _ = add_hook(maya, receiver.url)

        def plan(person: Person, due: datetime) -> int:
            with transaction.atomic():
                return fan_out(
                    kind=Delivery.Kind.REMINDER,
                    person=person,
                    relationship=one_on_one,
                    occurrence_key=FIRST,
                    due_at=due,
                )

        assert plan(ravi, FIRST - timedelta(hours=24)) == 1  # the organization's, first
        assert plan(maya, FIRST - timedelta(hours=2)) == 1  # Maya's own
        # The organization's webhook follows the lead's time; Ravi's never moves it.
        assert hook_deliveries(org_hook)[0].due_at == FIRST - timedelta(hours=2)
        assert plan(maya, FIRST - timedelta(hours=3)) == 0
        assert plan(ravi, FIRST - timedelta(hours=30)) == 0
        assert hook_deliveries(mine)[0].due_at == FIRST - timedelta(hours=3)
        assert hook_deliveries(org_hook)[0].due_at == FIRST - timedelta(hours=3)
        assert {d.status for d in Delivery.objects.filter(webhook__isnull=False)} == {
            Delivery.Status.PLANNED
        }

    def test_a_recap_skipped_after_a_reopen_comes_back_when_closed_again(
        self,
        maya: Person,
        one_on_one: Relationship,
        receiver: Receiver,
        clock: time_machine.Traveller,
    ) -> None:
        hook, _ = add_hook(maya, receiver.url)

        def recap(meeting: Meeting, due: datetime) -> int:
            with transaction.atomic():
                return fan_out(
                    kind=Delivery.Kind.RECAP,
                    person=maya,
                    relationship=one_on_one,
                    meeting=meeting,
                    due_at=due,
                )

        clock.move_to(FIRST + timedelta(minutes=35))
        meeting = meeting_close(actor=maya, relationship=one_on_one, key=FIRST)
        recap(meeting, FIRST + timedelta(minutes=45))
        meeting = meeting_reopen(actor=maya, relationship=one_on_one, meeting=meeting)
        clock.move_to(FIRST + timedelta(minutes=50))
        dispatch_due()
        run_worker()
        (delivery,) = hook_deliveries(hook)
        assert delivery.status == Delivery.Status.SKIPPED
        assert receiver.calls == []

        meeting = meeting_close(actor=maya, relationship=one_on_one, key=FIRST)
        recap(meeting, FIRST + timedelta(minutes=60))
        clock.move_to(FIRST + timedelta(minutes=61))
        dispatch_due()
        run_worker()
        delivery.refresh_from_db()
        assert delivery.status == Delivery.Status.SENT
        assert len(receiver.calls) == 1


class TestResend:
    def test_send_again_makes_a_new_delivery_with_a_new_id(
        self, maya: Person, one_on_one: Relationship, receiver: Receiver
    ) -> None:
        hook, _ = add_hook(maya, receiver.url, Webhook.Format.JSON)
        remind(maya, one_on_one)
        run_worker()
        (original,) = hook_deliveries(hook)
        response = client_for(maya).post(
            reverse("notifications:delivery_resend", args=[original.uuid])
        )
        assert response.status_code == 302
        run_worker()
        assert len(hook_deliveries(hook)) == 2
        first, second = receiver.calls
        assert first.headers["X-Rapport-Delivery"] != second.headers["X-Rapport-Delivery"]
        assert second.json()["id"] == second.headers["X-Rapport-Delivery"]
        assert second.json()["type"] == "meeting.reminder"

    def test_send_again_works_after_the_meeting_started(
        self,
        maya: Person,
        one_on_one: Relationship,
        receiver: Receiver,
        clock: time_machine.Traveller,
    ) -> None:
        hook, _ = add_hook(maya, receiver.url)
        remind(maya, one_on_one)
        run_worker()
        clock.move_to(FIRST + timedelta(minutes=5))
        webhook_delivery_resend(actor=maya, delivery=hook_deliveries(hook)[0])
        run_worker()
        assert len(receiver.calls) == 2


class TestValidation:
    @pytest.mark.parametrize(
        "url",
        [
            "https://127.0.0.1/hook",
            "https://10.1.2.3/hook",
            "https://169.254.169.254/latest/meta-data/",
            "https://[::1]/hook",
            "https://localhost/hook",
            "http://127.0.0.1:8000/hook",
        ],
    )
    def test_private_addresses_are_refused_when_saving(
        self, maya: Person, settings: Any, url: str
    ) -> None:
        settings.RAPPORT_ALLOW_PRIVATE_URLS = False
        with pytest.raises(ValidationError) as refused:
            add_hook(maya, url)
        assert "url" in refused.value.error_dict
        assert not Webhook.objects.exists()

    def test_private_addresses_are_allowed_when_the_operator_allows_them(
        self, maya: Person
    ) -> None:
        hook, _ = add_hook(maya, "http://127.0.0.1:8000/hook")
        assert hook.url == "http://127.0.0.1:8000/hook"

    @pytest.mark.parametrize(
        ("url", "message"),
        [
            ("ftp://files.example.com/hook", "must start with https://"),
            ("https://", "is not a complete web address"),
            ("hooks.example.com/x", "is not a complete web address"),
            ("https://user:pass@hooks.example.com/x", "may not contain a user name or password"),
            ("https://hooks.example.com/" + "x" * 600, "too long"),
        ],
    )
    def test_bad_urls_get_clear_errors_and_change_nothing(
        self, maya: Person, receiver: Receiver, url: str, message: str
    ) -> None:
        client = client_for(maya)
        response = client.post(
            reverse("notifications:webhook_new"),
            {"name": "Team", "url": url, "format": "slack", "send_reminders": "on"},
        )
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not Webhook.objects.exists()

        hook, _ = add_hook(maya, receiver.url)
        response = client.post(
            reverse("notifications:webhook", args=[hook.uuid]),
            {"name": "Renamed", "url": url, "format": "json", "is_active": "on"},
        )
        assert response.status_code == 400
        assert message in response.content.decode()
        hook.refresh_from_db()
        assert (hook.name, hook.url, hook.format) == ("Team channel", receiver.url, "slack")
        assert hook.secret_encrypted == ""

    def test_a_name_is_required(self, maya: Person, receiver: Receiver) -> None:
        with pytest.raises(ValidationError) as refused:
            add_hook_named(maya, "   ", receiver.url)
        assert "name" in refused.value.error_dict

    def test_a_person_has_at_most_ten_webhooks(self, maya: Person, receiver: Receiver) -> None:
        for _ in range(MAX_PERSON_WEBHOOKS):
            add_hook(maya, receiver.url)
        with pytest.raises(ValidationError, match="at most 10"):
            add_hook(maya, receiver.url)
        assert Webhook.objects.count() == MAX_PERSON_WEBHOOKS


def add_hook_named(person: Person, name: str, url: str) -> tuple[Webhook, str]:
    assert person.organization is not None
    return webhook_create(
        actor=person,
        organization=person.organization,
        person=person,
        data=hook_input(url, name=name),
    )


class TestPages:
    def test_the_secret_is_shown_once_then_only_its_start(
        self, maya: Person, receiver: Receiver
    ) -> None:
        client = client_for(maya)
        response = client.post(
            reverse("notifications:webhook_new"),
            {
                "name": "Our system",
                "url": receiver.url,
                "format": "json",
                "send_reminders": "on",
                "send_recaps": "on",
            },
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "shown only this once" in html
        hook = Webhook.objects.get()
        from lib.secrets import decrypt

        secret = decrypt(hook.secret_encrypted)
        assert secret in html

        later = client.get(reverse("notifications:webhook", args=[hook.uuid])).content.decode()
        assert secret not in later
        assert secret[:10] in later

        regenerated = client.post(reverse("notifications:webhook_secret", args=[hook.uuid]))
        hook.refresh_from_db()
        new_secret = decrypt(hook.secret_encrypted)
        assert new_secret != secret
        assert new_secret in regenerated.content.decode()

    def test_a_slack_webhook_is_added_and_listed(self, maya: Person, receiver: Receiver) -> None:
        client = client_for(maya)
        response = client.post(
            reverse("notifications:webhook_new"),
            {"name": "Team channel", "url": receiver.url, "format": "slack", "send_recaps": "on"},
        )
        hook = Webhook.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("notifications:webhook", args=[hook.uuid])
        assert (hook.person, hook.send_reminders, hook.send_recaps) == (maya, False, True)
        listing = client.get(reverse("notifications:webhooks")).content.decode()
        assert "Team channel" in listing
        assert receiver.url not in listing  # the address (a secret for Slack) stays off lists

    def test_deleting_asks_first_and_removes_the_log(
        self, maya: Person, one_on_one: Relationship, receiver: Receiver
    ) -> None:
        hook, _ = add_hook(maya, receiver.url)
        remind(maya, one_on_one)
        client = client_for(maya)
        url = reverse("notifications:webhook_delete", args=[hook.uuid])
        assert "Delete the webhook" in client.get(url).content.decode()
        response = client.post(url)
        assert response.status_code == 302
        assert not Webhook.objects.exists()
        assert not Delivery.objects.filter(channel=Delivery.Channel.WEBHOOK).exists()

    def test_the_activity_trail_records_the_writes(self, maya: Person, receiver: Receiver) -> None:
        from activity.models import Activity

        hook, _ = add_hook(maya, receiver.url)
        webhook_update(actor=maya, webhook=hook, data=hook_input(receiver.url, name="New name"))
        verbs = list(Activity.objects.filter(object_uuid=hook.uuid).values_list("verb", flat=True))
        assert sorted(verbs) == ["webhook.create", "webhook.update"]

    def test_the_org_admin_manages_organization_webhooks(
        self, ada: Person, receiver: Receiver
    ) -> None:
        client = client_for(ada)
        response = client.post(
            reverse("notifications:org_webhook_new"),
            {"name": "All 1:1s", "url": receiver.url, "format": "slack", "send_reminders": "on"},
        )
        hook = Webhook.objects.get()
        assert response.status_code == 302
        assert hook.person is None
        assert hook.organization == ada.organization
        assert "All 1:1s" in client.get(reverse("notifications:org_webhooks")).content.decode()
        # It is not one of Ada's own.
        assert "All 1:1s" not in client.get(reverse("notifications:webhooks")).content.decode()


def test_meeting_rows_are_untouched_by_a_reminder(
    maya: Person, one_on_one: Relationship, receiver: Receiver
) -> None:
    add_hook(maya, receiver.url)
    remind(maya, one_on_one)
    run_worker()
    assert not Meeting.objects.exists()
    assert json.loads(receiver.calls[0].body)["text"]

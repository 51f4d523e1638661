"""The notification preferences page: saving, bad input, the delivery log and Send again."""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils.timezone import now

from notifications.models import Delivery, Preferences
from notifications.outbox import delivery_create
from people.models import Person
from tests.conftest import client_for
from tests.support.worker import run_worker

pytestmark = pytest.mark.django_db

URL = "/account/notifications/"

VALID = {
    "email_invitations": "on",
    "email_reminders": "on",
    "reminder_hours": "2",
    "email_recaps": "",
    "weekly_digest": "on",
    "digest_weekday": "4",
    "digest_hour": "17",
    "email_nudges": "on",
    "timezone": "Asia/Tokyo",
}


def test_the_page_shows_the_defaults(maya: Person) -> None:
    assert reverse("notifications:preferences") == URL
    response = client_for(maya).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="reminder_hours"' in html
    assert 'value="24"' in html
    assert '<option value="America/New_York" selected>' in html
    assert "Rapport has not emailed you yet." in html


def test_saving_changes_preferences_and_time_zone(maya: Person) -> None:
    response = client_for(maya).post(URL, VALID)
    assert response.status_code == 302
    prefs = Preferences.objects.get(person=maya)
    assert prefs.reminder_hours == 2
    assert prefs.email_recaps is False
    assert (prefs.digest_weekday, prefs.digest_hour) == (4, 17)
    maya.refresh_from_db()
    assert maya.timezone == "Asia/Tokyo"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("reminder_hours", "0", "at least 1 hour"),
        ("reminder_hours", "169", "at most 168 hours"),
        ("reminder_hours", "soon", "whole number of hours"),
        ("reminder_hours", "", "how many hours"),
        ("digest_hour", "24", "from 0 to 23"),
        ("digest_hour", "-1", "from 0 to 23"),
        ("digest_weekday", "7", "day of the week"),
        ("timezone", "Mars/Olympus", "“Mars/Olympus” is not a known time zone."),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_changes_nothing(
    maya: Person, field: str, value: str, message: str
) -> None:
    response = client_for(maya).post(URL, {**VALID, field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Preferences.objects.filter(person=maya).exists()
    maya.refresh_from_db()
    assert maya.timezone == "America/New_York"


def _delivery(person: Person, status: str, key: str, **fields: Any) -> Delivery:
    delivery = delivery_create(
        key=key,
        organization_id=person.organization_id,
        channel=Delivery.Channel.EMAIL,
        kind=Delivery.Kind.DIGEST,
        person=person,
        summary=f"Digest {key}",
        due_at=now() + timedelta(days=1),
    )
    assert delivery is not None
    Delivery.objects.filter(pk=delivery.pk).update(status=status, **fields)
    delivery.refresh_from_db()
    return delivery


def test_recent_messages_show_only_the_persons_own(maya: Person, ravi: Person) -> None:
    _delivery(maya, "gave_up", "d:1", last_error="SMTPRecipientsRefused: mailbox full")
    _delivery(maya, "planned", "d:2")
    _delivery(ravi, "sent", "d:3")
    html = client_for(maya).get(URL).content.decode()
    assert "Digest d:1" in html
    assert "mailbox full" in html
    assert "(America/New_York)" in html  # the planned one, in her zone
    assert "Digest d:3" not in html
    assert html.count("Send again</button>") == 1


def test_send_again_makes_a_copy_that_is_sent(maya: Person, ravi: Person) -> None:
    Preferences.objects.create(person=maya, weekly_digest=False)  # the copy skips: nothing to say
    failed = _delivery(maya, "gave_up", "d:1")
    response = client_for(maya).post(reverse("notifications:message_resend", args=[failed.uuid]))
    assert response.status_code == 302
    copy = Delivery.objects.get(key="d:1:again:1")
    assert copy.payload == {"again": True}
    assert copy.person_id == maya.pk
    run_worker()


def test_someone_elses_delivery_is_not_found(maya: Person, ravi: Person) -> None:
    theirs = _delivery(ravi, "gave_up", "d:1")
    url = reverse("notifications:message_resend", args=[theirs.uuid])
    assert client_for(maya).post(url).status_code == 404
    assert not Delivery.objects.filter(key__contains=":again:").exists()


def test_only_a_failed_message_can_be_sent_again(maya: Person) -> None:
    sent = _delivery(maya, "sent", "d:1")
    url = reverse("notifications:message_resend", args=[sent.uuid])
    response = client_for(maya).post(url, follow=True)
    assert "Only a message that failed can be sent again." in response.content.decode()
    assert not Delivery.objects.filter(key__contains=":again:").exists()


def test_a_refused_reminder_shows_in_the_log_and_goes_again_on_request(
    clock: Any, one_on_one: Any, maya: Person, smtp_server: Any
) -> None:
    from datetime import UTC, datetime

    from notifications import outbox

    first = datetime(2027, 1, 5, 15, 0, tzinfo=UTC)
    smtp_server.refuse_with = 550
    clock.move_to(first - timedelta(hours=24))
    outbox.dispatch_due()
    run_worker()
    reminder = Delivery.objects.get(person=maya, kind="reminder", occurrence_key=first)
    assert reminder.status == Delivery.Status.FAILED
    Delivery.objects.filter(pk=reminder.pk).update(status=Delivery.Status.GAVE_UP)
    html = client_for(maya).get(URL).content.decode()
    assert "Reminder: 1:1 with Ravi Report on Tue 5 Jan 10:00" in html
    assert "550" in html

    smtp_server.refuse_with = None
    clock.move_to(first + timedelta(hours=2))  # late, but asked for: it goes
    client_for(maya).post(reverse("notifications:message_resend", args=[reminder.uuid]))
    run_worker()
    (mail,) = [m for m in smtp_server.to(maya.email) if m.subject.startswith("Your 1:1")]
    assert "Ravi" in mail.subject

"""The weekly digest of one's own overdue action items, at the person's local hour."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import Relationship
from meetings.services.actions import action_add, action_set_done
from notifications import outbox
from notifications.models import Delivery, Preferences
from notifications.reminders import digest_plan, preferences_update
from people.models import Person
from tests.support.worker import run_worker

pytestmark = pytest.mark.django_db

# Monday 11 January 2027, 08:00 in Berlin (Ravi's zone) and in New York (Maya's).
BERLIN_8 = datetime(2027, 1, 11, 7, 0, tzinfo=UTC)
NEW_YORK_8 = datetime(2027, 1, 11, 13, 0, tzinfo=UTC)


def digests(server: Any, address: str) -> list[Any]:
    return [m for m in server.to(address) if m.subject.startswith("Your week:")]


def run_at(clock: time_machine.Traveller, moment: datetime) -> None:
    clock.move_to(moment)
    digest_plan(moment)
    outbox.dispatch_due()
    run_worker()


@pytest.fixture
def overdue(
    clock: time_machine.Traveller, one_on_one: Relationship, maya: Person, ravi: Person
) -> Any:
    """Ravi owns one item due on 5 January and one not due yet; Maya owns one due on 6 January."""
    items = [
        action_add(
            actor=maya,
            relationship=one_on_one,
            text="Ravi's overdue report",
            owner=ravi,
            due_date=date(2027, 1, 5),
        ),
        action_add(
            actor=maya,
            relationship=one_on_one,
            text="Ravi's future task",
            owner=ravi,
            due_date=date(2027, 2, 1),
        ),
        action_add(
            actor=ravi,
            relationship=one_on_one,
            text="Maya's overdue review",
            owner=maya,
            due_date=date(2027, 1, 6),
        ),
    ]
    return items


def test_the_digest_comes_at_the_local_hour_with_own_overdue_items_only(
    clock: time_machine.Traveller, overdue: Any, maya: Person, ravi: Person, smtp_server: Any
) -> None:
    run_at(clock, BERLIN_8 - timedelta(minutes=1))
    assert digests(smtp_server, ravi.email) == []
    run_at(clock, BERLIN_8)
    (mail,) = digests(smtp_server, ravi.email)
    assert mail.subject == "Your week: 1 overdue action item"
    assert "Ravi's overdue report" in mail.text
    assert "6 days overdue" in mail.text
    assert "Ravi's future task" not in mail.text
    assert "Maya's overdue review" not in mail.text + mail.html
    assert "Maya Manager" in mail.html  # grouped by 1:1
    assert digests(smtp_server, maya.email) == []  # 02:00 in New York

    run_at(clock, NEW_YORK_8)
    (to_maya,) = digests(smtp_server, maya.email)
    assert "Maya's overdue review" in to_maya.text
    assert Delivery.objects.filter(key=f"digest:{ravi.pk}:2027-W2").exists()


def test_once_a_week(
    clock: time_machine.Traveller, overdue: Any, ravi: Person, smtp_server: Any
) -> None:
    run_at(clock, BERLIN_8)
    run_at(clock, BERLIN_8 + timedelta(minutes=15))
    run_at(clock, BERLIN_8 + timedelta(days=2))
    assert len(digests(smtp_server, ravi.email)) == 1
    run_at(clock, BERLIN_8 + timedelta(days=7))
    assert len(digests(smtp_server, ravi.email)) == 2


def test_nobody_gets_an_empty_digest(
    clock: time_machine.Traveller, overdue: Any, maya: Person, ravi: Person, smtp_server: Any
) -> None:
    action_set_done(actor=ravi, item=overdue[0], done=True)
    run_at(clock, BERLIN_8)
    assert digests(smtp_server, ravi.email) == []
    assert not Delivery.objects.filter(person=ravi, kind="digest").exists()


def test_an_item_done_before_sending_skips_the_digest(
    clock: time_machine.Traveller, overdue: Any, ravi: Person, smtp_server: Any
) -> None:
    clock.move_to(BERLIN_8)
    digest_plan(BERLIN_8)
    action_set_done(actor=ravi, item=overdue[0], done=True)
    run_worker()
    assert digests(smtp_server, ravi.email) == []
    assert Delivery.objects.get(person=ravi, kind="digest").status == "skipped"


def test_the_chosen_day_and_hour_and_turning_it_off(
    clock: time_machine.Traveller, overdue: Any, maya: Person, ravi: Person, smtp_server: Any
) -> None:
    preferences_update(person=ravi, digest_weekday=2, digest_hour=18)  # Wednesday 18:00
    Preferences.objects.create(person=maya, weekly_digest=False)
    run_at(clock, NEW_YORK_8 + timedelta(days=1))
    assert digests(smtp_server, ravi.email) == []
    run_at(clock, datetime(2027, 1, 13, 17, 0, tzinfo=UTC))
    assert len(digests(smtp_server, ravi.email)) == 1
    assert digests(smtp_server, maya.email) == []


def test_planning_reads_a_constant_number_of_rows(
    clock: time_machine.Traveller, overdue: Any, acme: Any, maya: Person
) -> None:
    digest_plan(BERLIN_8 - timedelta(hours=1))

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            digest_plan(BERLIN_8 - timedelta(hours=1))
        return len(queries)

    first = cost()
    action_add(
        actor=maya,
        relationship=overdue[0].relationship,
        text="Another",
        owner=maya,
        due_date=date(2027, 1, 3),
    )
    assert cost() == first

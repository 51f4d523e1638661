"""Nothing is lost when a worker dies: a dead tick chain restarts, lost deliveries go out.

Also: `make run` starts the worker next to the web server, and stops it with it.
"""

import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from notifications.emails import message_queue
from notifications.models import Delivery
from notifications.outbox import CLAIM, STALE, dispatch_due
from notifications.tasks import deliver, tick
from people.models import Organization, Person
from tests.support.smtp import SmtpServer
from tests.support.worker import in_test_transaction, run_worker

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _ticks(status: str) -> int:
    return DBTaskResult.objects.filter(task_path=tick.module_path, status=status).count()


def test_a_tick_left_running_by_a_killed_worker_is_restarted(
    clock: time_machine.Traveller,
) -> None:
    # A worker was killed an hour ago in the middle of a tick: its row stays RUNNING
    # for ever and no next tick was queued.
    result = tick.enqueue()
    DBTaskResult.objects.filter(id=result.id).update(
        status="RUNNING", started_at=NOW - timedelta(hours=1)
    )

    with in_test_transaction():
        call_command("rapport_worker", "--batch", "--interval", "0", verbosity=0)

    assert _ticks("SUCCESSFUL") == 1
    assert _ticks("READY") == 1  # the chain lives again: the next tick waits its minute


def test_a_tick_running_right_now_is_not_doubled(clock: time_machine.Traveller) -> None:
    result = tick.enqueue()
    DBTaskResult.objects.filter(id=result.id).update(
        status="RUNNING", started_at=NOW - timedelta(seconds=20)
    )

    with in_test_transaction():
        call_command("rapport_worker", "--batch", "--interval", "0", verbosity=0)

    assert _ticks("READY") == 0
    assert _ticks("SUCCESSFUL") == 0


@pytest.mark.parametrize(
    ("status", "late"),
    [
        (Delivery.Status.PENDING, STALE),
        (Delivery.Status.FAILED, CLAIM),
        (Delivery.Status.SENDING, CLAIM),
    ],
)
def test_a_delivery_whose_task_was_lost_is_sent_by_a_later_tick(
    smtp_server: SmtpServer,
    acme: Organization,
    maya: Person,
    clock: time_machine.Traveller,
    status: str,
    late: timedelta,
) -> None:
    delivery = message_queue(to=[maya.email], subject="Lost", text="Body", organization_id=acme.pk)
    assert delivery is not None
    # The worker that held its task died: the task row is gone, the delivery is stuck.
    DBTaskResult.objects.filter(task_path=deliver.module_path).delete()
    Delivery.objects.filter(pk=delivery.pk).update(status=status, claimed_until=NOW)
    clock.move_to(NOW + late + timedelta(minutes=1))

    run_worker()
    assert smtp_server.received == []  # nothing to run: the task was lost

    dispatch_due()
    run_worker()
    dispatch_due()
    run_worker()

    assert len(smtp_server.received) == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT


def test_make_run_starts_the_worker_next_to_the_server_and_stops_it_with_it() -> None:
    plan = subprocess.run(
        ["make", "-n", "run"],  # noqa: S607 (make from PATH, as a person runs it)
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    worker = plan.index("manage.py rapport_worker &")
    assert worker < plan.index("manage.py runserver 127.0.0.1:8000")
    assert "trap 'kill $worker" in plan

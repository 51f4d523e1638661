"""The worker end to end: the real task worker (django-tasks-db) sending to a real SMTP server.

Most tests run the worker in this process (tests/support/worker.py) with the clock
frozen; one starts two real `manage.py rapport_worker --batch` processes against an
on-disk copy of the test database (SQLite) or the test database itself (PostgreSQL)
and checks that thirty emails arrive exactly once.
"""

import asyncio
import contextlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from notifications import outbox, periodic
from notifications.emails import message_queue
from notifications.models import Beat, Delivery
from notifications.tasks import deliver, tick
from people.models import Organization, Person
from tests.support.smtp import SmtpServer, free_port
from tests.support.worker import in_test_transaction, run_worker

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)


def queue(org: Organization, to: str = "maya@acme.test", n: int = 0) -> Delivery:
    delivery = message_queue(
        to=[to],
        subject=f"Welcome to Rapport ({n})",
        text=f"Plain text body {n}",
        html=f"<p>HTML body <strong>{n}</strong></p>",
        organization_id=org.pk,
    )
    assert delivery is not None
    return delivery


def reload(delivery: Delivery) -> Delivery:
    delivery.refresh_from_db()
    return delivery


# -- One worker in this process -----------------------------------------------------


def test_a_queued_email_arrives_multipart_for_its_recipient_only(
    smtp_server: SmtpServer, acme: Organization, maya: Person
) -> None:
    delivery = queue(acme, to=maya.email)
    assert smtp_server.received == []  # queued, not sent by the request

    run_worker()

    (received,) = smtp_server.received
    assert received.rcpt_tos == [maya.email]
    assert received.message["To"] == maya.email
    assert received.message.get_content_type() == "multipart/alternative"
    assert received.subject == "Welcome to Rapport (0)"
    assert received.text.strip() == "Plain text body 0"
    assert "<strong>0</strong>" in received.html
    assert received.message["Message-ID"] == f"<{delivery.uuid}@localhost>"
    delivery = reload(delivery)
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 1)
    assert delivery.sent_at is not None
    assert delivery.payload == {}  # an account email's copy is not kept once sent


def test_running_the_task_twice_sends_once(smtp_server: SmtpServer, acme: Organization) -> None:
    delivery = queue(acme)
    deliver.enqueue(delivery.pk)  # a duplicate task, as a retried or re-queued one would be

    run_worker()
    run_worker()

    assert len(smtp_server.received) == 1
    results = DBTaskResult.objects.filter(task_path=deliver.module_path).order_by("finished_at")
    assert [r.return_value for r in results] == ["sent", "not claimable"]
    assert outbox.attempt(delivery.pk) == "not claimable"
    assert reload(delivery).attempts == 1


def test_the_same_key_queues_one_email(smtp_server: SmtpServer, acme: Organization) -> None:
    for _ in range(3):
        message_queue(
            to=["maya@acme.test"], subject="Once", text="Once", organization_id=acme.pk, key="k:1"
        )

    run_worker()

    assert [r.subject for r in smtp_server.received] == ["Once"]


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_a_refusing_server_is_retried_with_backoff_until_it_accepts(
    smtp_server: SmtpServer, acme: Organization, clock: time_machine.Traveller
) -> None:
    smtp_server.refuse_with = 451
    delivery = queue(acme)

    run_worker()

    delivery = reload(delivery)
    assert delivery.status == Delivery.Status.FAILED
    assert "451" in delivery.last_error
    assert delivery.attempts == 1
    assert delivery.due_at == NOW + timedelta(minutes=1)

    clock.shift(timedelta(seconds=59))
    run_worker()  # not due yet: nothing happens
    assert reload(delivery).attempts == 1

    clock.shift(timedelta(seconds=2))
    run_worker()
    delivery = reload(delivery)
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, 2)
    assert delivery.due_at == NOW + timedelta(seconds=61) + timedelta(minutes=4)

    smtp_server.refuse_with = None
    clock.shift(timedelta(minutes=4))
    run_worker()

    delivery = reload(delivery)
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 3, "")
    assert len(smtp_server.received) == 1


def test_it_gives_up_after_max_attempts_and_says_why(
    smtp_server: SmtpServer, acme: Organization, clock: time_machine.Traveller
) -> None:
    smtp_server.refuse_with = 451
    delivery = queue(acme)
    waits = []

    for _ in range(delivery.max_attempts):
        run_worker()
        delivery = reload(delivery)
        if delivery.status == Delivery.Status.GAVE_UP:
            break
        waits.append(delivery.due_at - datetime.now(UTC))
        clock.move_to(delivery.due_at)

    assert delivery.status == Delivery.Status.GAVE_UP
    assert delivery.attempts == delivery.max_attempts == 8
    assert "451" in delivery.last_error
    minutes = [round(w.total_seconds() / 60) for w in waits]
    assert minutes == [1, 4, 16, 64, 256, 360, 360]
    run_worker()
    assert reload(delivery).attempts == 8
    assert smtp_server.received == []


def test_an_unreachable_smtp_server_never_loses_the_email(
    smtp_server: SmtpServer, acme: Organization, settings: Any, clock: time_machine.Traveller
) -> None:
    good = settings.MAILERS
    settings.MAILERS = SmtpServer("127.0.0.1", free_port()).mailers_setting()
    delivery = queue(acme)

    run_worker()

    delivery = reload(delivery)
    assert delivery.status == Delivery.Status.FAILED
    assert "Connection refused" in delivery.last_error or "Errno" in delivery.last_error

    settings.MAILERS = good
    clock.shift(timedelta(minutes=1))
    run_worker()
    assert reload(delivery).status == Delivery.Status.SENT
    assert len(smtp_server.received) == 1


# -- The periodic tick ----------------------------------------------------------------


def _ticks(status: str) -> list[DBTaskResult[..., Any]]:
    return list(DBTaskResult.objects.filter(task_path=tick.module_path, status=status))


def test_of_two_ticks_one_claims_the_minute_and_one_next_tick_is_queued(
    clock: time_machine.Traveller,
) -> None:
    tick.enqueue()
    tick.enqueue()

    run_worker()

    outcomes = sorted(str(r.return_value) for r in _ticks("SUCCESSFUL"))
    assert len(outcomes) == 2
    assert outcomes[0] == "another tick owns this minute"
    assert outcomes[1].startswith("ran ")
    (following,) = _ticks("READY")
    assert following.run_after == NOW + timedelta(minutes=1)
    assert Beat.objects.get(name="tick").last_run_at == NOW

    clock.shift(timedelta(minutes=1))
    run_worker()

    assert len(_ticks("SUCCESSFUL")) == 3
    (following,) = _ticks("READY")
    assert following.run_after == NOW + timedelta(minutes=2)


@pytest.fixture
def every_ten_minutes(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """A job registered with @periodic for this test only; it records when it ran."""
    monkeypatch.setattr(periodic, "JOBS", dict(periodic.JOBS))
    runs: list[datetime] = []

    @periodic.periodic("test-every-ten-minutes", timedelta(minutes=10))
    def job(moment: datetime) -> str:
        runs.append(moment)
        return f"run {len(runs)}"

    return runs


def test_a_periodic_job_runs_once_per_interval(
    clock: time_machine.Traveller, every_ten_minutes: list[datetime]
) -> None:
    tick.enqueue()
    tick.enqueue()  # a second worker started at the same time queued its own
    run_worker()
    for _ in range(12):
        clock.shift(timedelta(minutes=1))
        run_worker()

    assert every_ten_minutes == [NOW, NOW + timedelta(minutes=10)]
    beat = Beat.objects.get(name="test-every-ten-minutes")
    assert beat.last_outcome == "run 2"
    assert beat.next_run_at == NOW + timedelta(minutes=20)


def test_a_failing_periodic_job_does_not_stop_the_tick(
    clock: time_machine.Traveller, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(moment: datetime) -> None:
        raise RuntimeError("boom")

    monkeypatch.setitem(
        periodic.JOBS, "test-broken", periodic.Job("test-broken", timedelta(minutes=1), broken)
    )
    tick.enqueue()

    run_worker()

    assert Beat.objects.get(name="test-broken").last_outcome == "failed (see the worker log)"
    assert len(_ticks("READY")) == 1


def test_the_worker_command_queues_the_tick_when_none_is_waiting(
    clock: time_machine.Traveller,
) -> None:
    with in_test_transaction():
        call_command("rapport_worker", "--batch", "--interval", "0", verbosity=0)

    # It queued a tick and ran it; the tick queued the next one for a minute later.
    assert len(_ticks("SUCCESSFUL")) == 1
    (following,) = _ticks("READY")
    assert following.run_after == NOW + timedelta(minutes=1)

    with in_test_transaction():
        call_command("rapport_worker", "--batch", "--interval", "0", verbosity=0)

    assert len(_ticks("READY")) == 1  # one was waiting: no second chain
    assert len(_ticks("SUCCESSFUL")) == 1


def test_a_planned_delivery_waits_for_the_tick_then_goes_once(
    smtp_server: SmtpServer, acme: Organization, maya: Person, clock: time_machine.Traveller
) -> None:
    delivery = outbox.delivery_create(
        key="test:planned",
        organization_id=acme.pk,
        channel=Delivery.Channel.EMAIL,
        kind=Delivery.Kind.MESSAGE,
        person=maya,
        payload={"to": [maya.email], "subject": "Later", "text": "Later"},
        due_at=NOW + timedelta(minutes=30),
    )
    assert delivery is not None
    assert delivery.status == Delivery.Status.PLANNED
    tick.enqueue()
    run_worker()
    assert smtp_server.received == []

    for _ in range(31):
        clock.shift(timedelta(minutes=1))
        run_worker()

    assert [r.subject for r in smtp_server.received] == ["Later"]
    assert reload(delivery).status == Delivery.Status.SENT


# -- Two worker processes -------------------------------------------------------------


def _shared_database(tmp_path: Path) -> tuple[str, Callable[[], None]]:
    """A DATABASE_URL other processes can open, and a function that brings their writes back.

    PostgreSQL: the test database itself (this test commits, so they see its rows).
    SQLite: the test database lives in memory, so it is copied to a file for the
    workers and copied back when they are done.
    """
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        user = quote(db.get("USER") or "", safe="")
        password = quote(db.get("PASSWORD") or "", safe="")
        credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = db.get("HOST") or "127.0.0.1"
        port = f":{db['PORT']}" if db.get("PORT") else ""
        return f"postgres://{credentials}{host}{port}/{db['NAME']}", lambda: None
    assert connection.vendor == "sqlite"
    path = tmp_path / "workers.sqlite3"
    connection.ensure_connection()
    memory = connection.connection
    with sqlite3.connect(path) as disk:
        memory.backup(disk)
    disk.close()

    def bring_back() -> None:
        with sqlite3.connect(path) as disk:
            disk.backup(memory)
        disk.close()

    return f"sqlite:///{path}", bring_back


@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_send_thirty_emails_exactly_once(
    smtp_server: SmtpServer, acme: Organization, tmp_path: Path
) -> None:
    # The first message waits (up to 20 s) until a second one arrives while it is in
    # progress: only the other process can send it, so the two workers surely overlap.
    accept = smtp_server.handle_DATA
    both_sending = asyncio.Event()
    in_progress = 0

    async def together(*args: Any) -> str:
        nonlocal in_progress
        in_progress += 1
        if in_progress >= 2:
            both_sending.set()
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(both_sending.wait(), timeout=20)
            return await accept(*args)
        finally:
            in_progress -= 1

    smtp_server.handle_DATA = together  # type: ignore[method-assign,assignment]
    sent = [queue(acme, to=f"person{n}@acme.test", n=n) for n in range(30)]
    database_url, bring_back = _shared_database(tmp_path)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rapport.settings",
        "DATABASE_URL": database_url,
        "EMAIL_HOST": smtp_server.host,
        "EMAIL_PORT": str(smtp_server.port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_TIMEOUT": "30",
    }
    command = [sys.executable, "manage.py", "rapport_worker", "--batch", "--interval", "0"]
    workers = [
        subprocess.Popen(  # noqa: S603 (this interpreter and manage.py)
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for _ in range(2)
    ]
    outputs = [worker.communicate(timeout=120)[0].decode() for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    bring_back()

    assert len(smtp_server.received) == 30
    assert sorted(r.rcpt_tos[0] for r in smtp_server.received) == sorted(
        f"person{n}@acme.test" for n in range(30)
    )
    assert len({r.message["Message-ID"] for r in smtp_server.received}) == 30
    rows = Delivery.objects.filter(pk__in=[d.pk for d in sent])
    assert {(d.status, d.attempts) for d in rows} == {(Delivery.Status.SENT, 1)}
    workers_seen = {
        worker_id
        for result in DBTaskResult.objects.filter(task_path=deliver.module_path)
        for worker_id in result.worker_ids
    }
    assert both_sending.is_set()
    assert len(workers_seen) == 2, "both processes took part"

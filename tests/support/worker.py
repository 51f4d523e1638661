"""Run the real task worker (django-tasks-db's db_worker) until no task is ready."""

from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from django.core.mail import EmailMessage
from django.core.management import call_command
from django_tasks_db.management.commands import db_worker


@contextmanager
def in_test_transaction() -> Iterator[None]:
    """Let the worker run inside a test's transaction.

    Between tasks db_worker calls close_old_connections(), which closes a connection
    whose autocommit is off, as it is in a test's transaction: on PostgreSQL that ends
    the test's transaction (SQLite keeps an in-memory database open). Django's test
    client leaves that call out during requests for the same reason. A worker process
    in production has no such transaction.
    """
    with mock.patch.object(db_worker, "close_old_connections", return_value=None):
        yield


def run_worker() -> None:
    """Process every task that is ready now, in this process, like `rapport_worker --batch`."""
    with in_test_transaction():
        call_command(
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
            "--interval",
            "0",
            verbosity=0,
        )


def sent_mail() -> list[EmailMessage]:
    """What the worker has sent into Django's test outbox (it runs the worker first)."""
    from django.core import mail

    run_worker()
    return list(mail.outbox)

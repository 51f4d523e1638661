"""Run the real task worker (django-tasks-db's db_worker) until no task is ready."""

from django.core.mail import EmailMessage
from django.core.management import call_command


def run_worker() -> None:
    """Process every task that is ready now, in this process, like `rapport_worker --batch`."""
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0
    )


def sent_mail() -> list[EmailMessage]:
    """What the worker has sent into Django's test outbox (it runs the worker first)."""
    from django.core import mail

    run_worker()
    return list(mail.outbox)

"""Run a worker: make sure the periodic tick is queued, then process tasks (db_worker)."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from notifications.periodic import ensure_tick


class Command(BaseCommand):
    help = "Run a background worker (email, calendar, webhooks, reminders). Run one or several."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Exit when no task is ready.")
        parser.add_argument("--interval", default="1", help="Seconds between polls (default 1).")

    def handle(self, *args: Any, **options: Any) -> None:
        if ensure_tick():
            self.stdout.write("Queued the periodic tick.")
        worker_args = ["--interval", str(options["interval"]), "--no-reload"]
        if options["batch"]:
            worker_args += ["--batch", "--no-startup-delay"]
        call_command("db_worker", *worker_args)

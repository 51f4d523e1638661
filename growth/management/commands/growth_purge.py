"""Remove goals and feedback deleted more than 30 days ago (their undo window is over).

Safe to run as often as you like and from several machines: it only deletes rows
whose undo window has passed. Run it daily (cron or the task worker).
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from growth.services.feedback import feedback_purge_deleted
from growth.services.goals import goals_purge_deleted


class Command(BaseCommand):
    help = "Remove goals and feedback deleted more than 30 days ago."

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        goals = goals_purge_deleted(now=now)
        feedback = feedback_purge_deleted(now=now)
        self.stdout.write(f"Purged {goals} deleted goal(s) and {feedback} deleted feedback.")

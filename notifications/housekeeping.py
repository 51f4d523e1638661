"""Periodic jobs of the queue itself: hand over due deliveries, forget old records."""

from datetime import datetime, timedelta

from django.db.models import Q
from django_tasks_db.models import DBTaskResult

from notifications import outbox
from notifications.models import Delivery
from notifications.periodic import periodic

# Finished task records (each tick leaves one a minute) are kept this long.
TASK_RESULTS_KEPT = timedelta(days=7)
# The delivery log (what was sent, failed or skipped) is kept this long.
DELIVERIES_KEPT = timedelta(days=90)


@periodic("deliveries.dispatch", timedelta(minutes=1))
def dispatch(moment: datetime) -> str:
    return f"handed over {outbox.dispatch_due(moment)}"


@periodic("housekeeping.prune", timedelta(hours=6))
def prune(moment: datetime) -> str:
    tasks, _ = DBTaskResult.objects.filter(
        status__in=["SUCCESSFUL", "FAILED"], finished_at__lt=moment - TASK_RESULTS_KEPT
    ).delete()
    deliveries, _ = Delivery.objects.filter(
        Q(status__in=[Delivery.Status.SENT, Delivery.Status.SKIPPED, Delivery.Status.GAVE_UP]),
        created_at__lt=moment - DELIVERIES_KEPT,
    ).delete()
    return f"removed {tasks} task records and {deliveries} deliveries"

"""The worker's tasks. Run them with `manage.py rapport_worker` (db_worker plus the tick)."""

from django.tasks import task

from notifications import outbox, periodic


@task()
def deliver(delivery_id: int) -> str:
    """Send one delivery (idempotent: a second run finds nothing to claim)."""
    return outbox.attempt(delivery_id)


@task()
def tick() -> str:
    """Periodic work: reminders, digests, nudges, due deliveries (see notifications.periodic)."""
    return periodic.run_tick()

"""What happened to a 1:1's schedule, for whoever must tell the outside world.

Sent by the services inside their transaction, after the change, so a receiver
(calendar invitations, reminders, CalDAV push, webhooks) writes its outbox rows
atomically with it. Receivers must not raise for a notification problem.

`quiet()` silences them, for bulk writes that are not news to anyone (the demo).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.dispatch import Signal

# relationship: a new series (its first Schedule exists).
relationship_started = Signal()
# relationship, reason ("cadence", "pause" or "resume"): segments were cut or added.
schedule_changed = Signal()
# relationship, reason ("ended", or an end reason such as "manager_changed", "left").
relationship_ended = Signal()
# relationship, meeting, change ("rescheduled", "cancelled", "skipped" or "reopened").
occurrence_changed = Signal()
# relationship, meeting: a meeting was marked as held.
meeting_closed = Signal()

_quiet: ContextVar[bool] = ContextVar("rapport_signals_quiet", default=False)


@contextmanager
def quiet() -> Iterator[None]:
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def emit(signal: Signal, **kwargs: Any) -> None:
    if not _quiet.get():
        signal.send(sender=None, **kwargs)

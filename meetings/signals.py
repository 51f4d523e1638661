"""What happened to a 1:1's schedule, for whoever must tell the outside world.

Sent by the services inside their transaction, after the change, so a receiver
(calendar invitations, reminders, CalDAV push, webhooks) writes its outbox rows
atomically with it. Receivers must not raise for a notification problem.

`quiet()` silences them, for bulk writes that are not news to anyone (the demo).
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

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
# relationship, meeting: a participant rated a held meeting (or changed their rating).
meeting_rated = Signal()

_quiet: ContextVar[bool] = ContextVar("rapport_signals_quiet", default=False)


@contextmanager
def quiet() -> Iterator[None]:
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def emit(signal: Signal, **kwargs: Any) -> None:
    """Send `signal` to its receivers in a savepoint of the caller's transaction.

    A receiver that fails (a bug, a database error) loses its own writes and is
    logged; it never undoes the change a person made.
    """
    if _quiet.get():
        return
    try:
        with transaction.atomic():
            signal.send(sender=None, **kwargs)
    except Exception:
        logger.exception("A receiver of %s failed; the change itself was kept", _name(signal))


def _name(signal: Signal) -> str:
    return next((name for name, value in globals().items() if value is signal), "a signal")

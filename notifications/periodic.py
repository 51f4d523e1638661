"""Periodic work without a scheduler per worker.

One `tick` task is queued at a time. Whoever runs it first claims the `tick` Beat row
with a conditional UPDATE and, in the same transaction, queues the next tick; a
duplicate tick (two workers started at once) loses the claim and ends without queuing
another, so the chain stays single. Each periodic job has its own Beat row, claimed
the same way, so a job runs once per interval however many workers there are.
`ensure_tick` (run by `manage.py rapport_worker` at start) restarts a chain that died
with a killed worker.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils.timezone import now

from notifications.models import Beat

logger = logging.getLogger(__name__)

TICK = "tick"
TICK_INTERVAL = timedelta(minutes=1)


@dataclass(frozen=True)
class Job:
    name: str
    interval: timedelta
    function: Callable[[datetime], object]


JOBS: dict[str, Job] = {}


def periodic(
    name: str, interval: timedelta
) -> Callable[[Callable[[datetime], object]], Callable[[datetime], object]]:
    """Register `function(now)` to run about every `interval` (at most once per tick)."""

    def register(function: Callable[[datetime], object]) -> Callable[[datetime], object]:
        JOBS[name] = Job(name, interval, function)
        return function

    return register


def beat_claim(name: str, interval: timedelta, moment: datetime) -> bool:
    """True for exactly one caller per interval: the one whose UPDATE moved next_run_at."""
    Beat.objects.get_or_create(name=name, defaults={"next_run_at": moment})
    return bool(
        Beat.objects.filter(name=name, next_run_at__lte=moment).update(
            next_run_at=moment + interval, last_run_at=moment
        )
    )


def run_tick(moment: datetime | None = None) -> str:
    """The body of the tick task: claim the tick, queue the next one, run what is due."""
    from notifications.tasks import tick

    moment = moment or now()
    with transaction.atomic():
        if not beat_claim(TICK, TICK_INTERVAL, moment):
            return "another tick owns this minute"
        tick.using(run_after=moment + TICK_INTERVAL).enqueue()
    ran = []
    for job in JOBS.values():
        if not beat_claim(job.name, job.interval, moment):
            continue
        try:
            outcome = job.function(moment)
        except Exception:
            logger.exception("Periodic job %s failed", job.name)
            outcome = "failed (see the worker log)"
        Beat.objects.filter(name=job.name).update(last_outcome=str(outcome)[:200])
        ran.append(job.name)
    return "ran " + (", ".join(ran) or "nothing")


# A tick still RUNNING after this long was left by a killed worker (a tick's jobs take
# seconds to a minute): it will never queue the next one.
TICK_ABANDONED = timedelta(minutes=15)


def ensure_tick() -> bool:
    """Queue a tick unless one is waiting or running; True when one was queued.

    A tick left RUNNING by a worker that was killed does not count: django-tasks-db
    never finishes such a row, and the chain would stay dead.
    """
    from django.db.models import Q
    from django_tasks_db.models import DBTaskResult

    from notifications.tasks import tick

    alive = DBTaskResult.objects.filter(task_path=tick.module_path).filter(
        Q(status="READY") | Q(status="RUNNING", started_at__gt=now() - TICK_ABANDONED)
    )
    if alive.exists():
        return False
    tick.enqueue()
    return True

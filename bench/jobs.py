"""Time the worker's periodic jobs on the benchmark organization (PostgreSQL).

    DATABASE_URL=postgres://…/rapport_bench .venv/bin/python -m bench.jobs

Each job runs twice as the tick would run it, inside a transaction that is rolled
back, so the benchmark database keeps no reminders, digests or nudges. The first run
plans everything ahead (what a new installation's first tick does); the second is the
steady state, which finds it all planned. The printout gives time, queries and what
each run did. Load the organization first with `make bench`.
"""

import os
import sys
import time
from datetime import datetime
from typing import Any

import django


class Rollback(Exception):
    pass


class Counter:
    """A database execute wrapper that counts queries (no cap, unlike the debug log)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")
    django.setup()
    from django.db import connection, transaction
    from django.utils.timezone import now

    from meetings.models import Relationship
    from notifications.periodic import JOBS

    active = Relationship.objects.filter(status=Relationship.Status.ACTIVE).count()
    print(f"{active:,} active 1:1s on {connection.vendor}")
    moment: datetime = now()
    for job in JOBS.values():
        try:
            with transaction.atomic():
                for run in ("first", "again"):
                    queries = Counter()
                    with connection.execute_wrapper(queries):
                        started = time.perf_counter()
                        outcome = job.function(moment)
                        elapsed = time.perf_counter() - started
                    print(
                        f"{job.name:20} {run:5} {elapsed * 1000:8.0f} ms "
                        f"{queries.count:7} queries  {outcome}"
                    )
                raise Rollback
        except Rollback:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Time the worker's periodic jobs on the benchmark organization (PostgreSQL).

    DATABASE_URL=postgres://…/rapport_bench .venv/bin/python -m bench.jobs

Each job runs twice as the tick would run it, inside a transaction that is rolled
back, so the benchmark database keeps no reminders, digests or nudges. The first run
plans everything ahead (what a new installation's first tick does); the second is the
steady state, which finds it all planned. The printout gives time, queries and what
each run did. Load the organization first with `make bench`.

The insights rollup is timed for the benchmark organization alone (BENCH_ORG, default
"Bench Corp"): first from no rollups (every month of two years), then again (the
recent window and the last two months), as the hourly job does for each organization.
"""

import os
import sys
import time
from datetime import datetime
from typing import Any

import django

ROLLUP = "insights.rollup"


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
        if job.name == ROLLUP:
            continue  # timed for the benchmark organization below
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
    _time_rollup(moment, Counter)
    return 0


def _time_rollup(moment: datetime, counter: type[Counter]) -> None:
    from django.db import connection, transaction

    from insights.models import TeamRollup
    from insights.rollups import rollup_organization
    from people.models import Organization

    name = os.environ.get("BENCH_ORG", "Bench Corp")
    organization = Organization.objects.filter(name=name).first()
    if organization is None:
        print(f"{ROLLUP:20} skipped: no organization named {name!r}")
        return
    try:
        with transaction.atomic():
            TeamRollup.objects.filter(organization=organization).delete()
            for run in ("first", "again"):
                queries = counter()
                with connection.execute_wrapper(queries):
                    started = time.perf_counter()
                    outcome = rollup_organization(organization, now=moment)
                    elapsed = time.perf_counter() - started
                print(
                    f"{ROLLUP:20} {run:5} {elapsed * 1000:8.0f} ms "
                    f"{queries.count:7} queries  {outcome}"
                )
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    sys.exit(main())

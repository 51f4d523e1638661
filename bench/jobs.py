"""Time the worker's periodic jobs on the benchmark organization (PostgreSQL).

    DATABASE_URL=postgres://…/rapport_bench .venv/bin/python -m bench.jobs

Each job runs once as the tick would run it, inside a transaction that is rolled
back, so the benchmark database keeps no reminders, digests or nudges. A first run
plans everything ahead (the costly case); the printout gives its time, its queries
and what it planned. Load the organization first with `make bench`.
"""

import os
import sys
import time
from datetime import datetime

import django


class Rollback(Exception):
    pass


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")
    django.setup()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils.timezone import now

    from meetings.models import Relationship
    from notifications.periodic import JOBS

    active = Relationship.objects.filter(status=Relationship.Status.ACTIVE).count()
    print(f"{active:,} active 1:1s on {connection.vendor}")
    moment: datetime = now()
    for job in JOBS.values():
        outcome: object = None
        try:
            with transaction.atomic(), CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                outcome = job.function(moment)
                elapsed = time.perf_counter() - started
                raise Rollback
        except Rollback:
            pass
        print(f"{job.name:22} {elapsed * 1000:9.0f} ms {len(queries):6} queries  {outcome}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

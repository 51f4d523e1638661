"""Measure server time, queries and relative throughput of Rapport's key pages.

Requests go through Django's full handler and middleware in this process (no
network), signed in as a real manager of the benchmark organization. The bare
view runs on the same stack, so the ratio shows what the pages themselves cost.
"""

import argparse
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from meetings.models import Relationship  # noqa: E402
from meetings.pagecache import ALIAS as PAGE_CACHE  # noqa: E402
from people.models import Organization  # noqa: E402


@dataclass
class Result:
    name: str
    median_ms: float
    p95_ms: float
    queries: int
    rps: float


def measure(
    name: str,
    call: Callable[[int], int],
    requests: int,
    cleanup: Callable[[], None] = lambda: None,
) -> Result:
    """Time `requests` calls; `cleanup` runs untimed after each (so data does not pile up)."""
    for i in range(min(20, requests)):  # warm caches and connections
        call(i)
        cleanup()
    executed: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        executed.append(sql)
        return execute(sql, params, many, context)

    # Django clears its own query log when a request starts, so count with a wrapper.
    with connection.execute_wrapper(count):
        status = call(requests)
    cleanup()
    assert status < 400, f"{name} answered {status}"
    durations = []
    for i in range(requests):
        t0 = time.perf_counter()
        call(i)
        durations.append((time.perf_counter() - t0) * 1000)
        cleanup()
    total_seconds = sum(durations) / 1000
    durations.sort()
    return Result(
        name=name,
        median_ms=statistics.median(durations),
        p95_ms=durations[int(len(durations) * 0.95) - 1],
        queries=len(executed),
        rps=requests / total_seconds,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--org-name", default="Bench Corp")
    args = parser.parse_args()

    org = Organization.objects.get(name=args.org_name)
    # The busiest relationship: the one with the longest history.
    rel = (
        Relationship.objects.filter(organization=org, status=Relationship.Status.ACTIVE)
        .annotate(n=Count("meetings"))
        .order_by("-n")
        .select_related("lead")
        .first()
    )
    assert rel is not None, "no relationships in the benchmark organization"
    manager = rel.lead
    people = org.people.count()
    meetings = rel.n
    client = Client()
    client.force_login(manager)
    page_url = f"/1on1s/{rel.uuid}/"
    point_url = f"/1on1s/{rel.uuid}/points/"

    def get(url: str) -> Callable[[int], int]:
        return lambda i: client.get(url).status_code

    def add_point(i: int) -> int:
        return client.post(
            point_url, {"text": f"Benchmark point {i}", "theme": "other"}, HTTP_HX_REQUEST="true"
        ).status_code

    def remove_added_points() -> None:
        rel.talking_points.filter(text__startswith="Benchmark point ").delete()

    def forget_pages() -> None:
        caches[PAGE_CACHE].clear()

    with override_settings(ROOT_URLCONF="bench.urls", DEBUG=False):
        results = [
            measure("bare view (same stack)", get("/__bench__/bare/"), args.requests),
            measure("relationship page", get(page_url), args.requests),
            measure("My 1:1s", get("/"), args.requests),
            measure("add a talking point", add_point, args.requests, remove_added_points),
            # For comparison: every request renders afresh (the page cache emptied first).
            measure("relationship, fresh", get(page_url), args.requests, forget_pages),
            measure("My 1:1s, fresh", get("/"), args.requests, forget_pages),
        ]

    bare = results[0].rps
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"\nRapport benchmark · {engine} · {people:,} people · "
        f"relationship with {meetings} meetings · {args.requests} requests each\n"
    )
    print(f"{'':26} {'median':>9} {'p95':>9} {'queries':>8} {'req/s':>8} {'vs bare':>8}")
    for r in results:
        print(
            f"{r.name:26} {r.median_ms:7.1f}ms {r.p95_ms:7.1f}ms {r.queries:8d} "
            f"{r.rps:8.0f} {r.rps / bare:7.0%}"
        )
    targets = {"relationship page": 0.25, "My 1:1s": 0.25, "add a talking point": 0.40}
    print()
    for r in results[1:]:
        if r.name not in targets:
            continue
        verdict = "ok" if r.rps / bare >= targets[r.name] else "BELOW TARGET"
        print(
            f"{r.name}: {r.rps / bare:.0%} of bare throughput (target {targets[r.name]:.0%}) {verdict}"
        )


if __name__ == "__main__":
    main()

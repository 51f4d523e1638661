"""Measure server time, queries and relative throughput of Rapport's key pages.

Requests go through Django's full handler and middleware in this process (no
network), signed in as a real manager of the benchmark organization. The bare
view runs on the same stack, so the ratio shows what the pages themselves cost.
The insights pages are requested as the manager with the most direct reports (50 in
a generated organization, demo/org.py) and as an org admin; their target is a median
under 200 ms of server time.
"""

import argparse
import gc
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
from django.utils import timezone  # noqa: E402

from activity.models import Activity  # noqa: E402
from bench.urls import BARE_WRITE_VERB  # noqa: E402
from meetings.models import Relationship  # noqa: E402
from meetings.occurrences import focus  # noqa: E402
from meetings.pagecache import ALIAS as PAGE_CACHE  # noqa: E402
from meetings.selectors import series_upcoming  # noqa: E402
from people.models import Organization  # noqa: E402

INSIGHTS_TARGET_MS = 200


@dataclass
class Scenario:
    name: str
    call: Callable[[int], int]
    # Runs untimed after each call (so added data does not pile up, or caches are emptied).
    cleanup: Callable[[], None] = lambda: None


@dataclass
class Result:
    name: str
    median_ms: float
    p95_ms: float
    queries: int
    rps: float


def count_queries(scenario: Scenario) -> int:
    executed: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        executed.append(sql)
        return execute(sql, params, many, context)

    # Django clears its own query log when a request starts, so count with a wrapper.
    with connection.execute_wrapper(count):
        status = scenario.call(-1)
    scenario.cleanup()
    assert status < 400, f"{scenario.name} answered {status}"
    return len(executed)


def measure(scenarios: list[Scenario], requests: int) -> list[Result]:
    """Time `requests` calls of each scenario, interleaved round by round.

    Interleaving spreads any drift of the machine (other load, CPU frequency)
    over every scenario alike, so the ratios to the bare view stay fair.
    """
    for i in range(min(20, requests)):  # warm caches, connections, prepared statements
        for scenario in scenarios:
            scenario.call(i)
            scenario.cleanup()
    queries = [count_queries(scenario) for scenario in scenarios]
    durations: list[list[float]] = [[] for _ in scenarios]
    gc.freeze()  # what is alive now lives on: collections then only walk new objects
    for i in range(requests):
        for scenario, times in zip(scenarios, durations, strict=True):
            # Each request starts from a clean heap, so none pays for the garbage
            # the request before it left (untimed, like the cleanups).
            gc.collect()
            t0 = time.perf_counter()
            scenario.call(i)
            times.append((time.perf_counter() - t0) * 1000)
            scenario.cleanup()
    results = []
    for scenario, times, n in zip(scenarios, durations, queries, strict=True):
        times.sort()
        results.append(
            Result(
                name=scenario.name,
                median_ms=statistics.median(times),
                p95_ms=times[int(len(times) * 0.95) - 1],
                queries=n,
                rps=len(times) / (sum(times) / 1000),
            )
        )
    return results


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
    started = timezone.now()
    client = Client()
    client.force_login(manager)
    page_url = f"/1on1s/{rel.uuid}/"
    point_url = f"/1on1s/{rel.uuid}/points/"

    def get(url: str) -> Callable[[int], int]:
        return lambda i: client.get(url).status_code

    # What the page's add form sends along: the meeting its agenda shows.
    current = focus(series_upcoming(rel, now=timezone.now()))
    page_focus = current.slug if current else ""

    def add_point(i: int) -> int:
        data = {"text": f"Benchmark point {i}", "theme": "other", "focus": page_focus}
        return client.post(point_url, data, HTTP_HX_REQUEST="true").status_code

    def remove_added_points() -> None:
        rel.talking_points.filter(text__startswith="Benchmark point ").delete()

    def bare_write(i: int) -> int:
        return client.post("/__bench__/bare-write/", HTTP_HX_REQUEST="true").status_code

    def remove_bench_activity() -> None:
        Activity.objects.filter(verb__in=[BARE_WRITE_VERB, "point.add"], actor=manager).filter(
            object_type__in=["Bench", "TalkingPoint"], created_at__gte=started
        ).delete()

    def forget_pages() -> None:
        caches[PAGE_CACHE].clear()

    # The team view for the manager with the most direct reports; the org view for an admin.
    wide = (
        org.people.annotate(n=Count("reports", distinct=True))
        .order_by("-n", "pk")
        .values_list("pk", "n")
        .first()
    )
    admin = org.people.filter(is_org_admin=True, is_active=True).order_by("pk").first()
    assert wide is not None, "nobody in the benchmark organization"
    assert admin is not None, "no org admin in the benchmark organization"
    team_client, admin_client = Client(), Client()
    team_client.force_login(org.people.get(pk=wide[0]))
    admin_client.force_login(admin)
    _ensure_rollups(org)
    team_view = f"insights team ({wide[1]} reports)"

    def get_as(who: Client, url: str) -> Callable[[int], int]:
        return lambda i: who.get(url).status_code

    bare = Scenario("bare view (same stack)", get("/__bench__/bare/"))
    # Each group runs interleaved with bare requests, and is compared with those.
    # Writes empty the page cache (they bump the version), so reads served from the
    # cache run in a group of their own.
    groups = [
        [bare, Scenario("relationship page", get(page_url)), Scenario("My 1:1s", get("/"))],
        [
            bare,
            Scenario("add a talking point", add_point, remove_added_points),
            # For comparison: a write that inserts one row in a transaction, renders nothing.
            Scenario("bare write (same stack)", bare_write, remove_bench_activity),
            # For comparison: every request renders afresh (the page cache emptied first).
            Scenario("relationship, fresh", get(page_url), forget_pages),
            Scenario("My 1:1s, fresh", get("/"), forget_pages),
        ],
        [
            bare,
            Scenario(team_view, get_as(team_client, "/insights/")),
            Scenario("insights org", get_as(admin_client, "/org/insights/")),
        ],
    ]
    with override_settings(ROOT_URLCONF="bench.urls", DEBUG=False):
        measured = [measure(group, args.requests) for group in groups]

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"\nRapport benchmark · {engine} · {people:,} people · "
        f"relationship with {meetings} meetings · {args.requests} requests each\n"
    )
    print(f"{'':30} {'median':>9} {'p95':>9} {'queries':>8} {'req/s':>8} {'vs bare':>8}")
    ratio: dict[str, float] = {}
    by_name: dict[str, Result] = {}
    for results in measured:
        for r in results:
            ratio[r.name] = r.rps / results[0].rps
            by_name.setdefault(r.name, r)
            print(
                f"{r.name:30} {r.median_ms:7.1f}ms {r.p95_ms:7.1f}ms {r.queries:8d} "
                f"{r.rps:8.0f} {ratio[r.name]:7.0%}"
            )
    targets = {"relationship page": 0.25, "My 1:1s": 0.25, "add a talking point": 0.40}
    print()
    for name, target in targets.items():
        verdict = "ok" if ratio[name] >= target else "BELOW TARGET"
        print(f"{name}: {ratio[name]:.0%} of bare throughput (target {target:.0%}) {verdict}")
    add, floor = by_name["add a talking point"], by_name["bare write (same stack)"]
    print(
        f"(a bare one-row write runs at {ratio[floor.name]:.0%} of the bare view; "
        f"adding a point at {add.rps / floor.rps:.0%} of that write)"
    )
    for name in (team_view, "insights org"):
        r = by_name[name]
        verdict = "ok" if r.median_ms < INSIGHTS_TARGET_MS else "ABOVE TARGET"
        print(
            f"{name}: {r.median_ms:.0f} ms median, {r.p95_ms:.0f} ms p95, {r.queries} queries "
            f"(target under {INSIGHTS_TARGET_MS} ms) {verdict}"
        )


def _ensure_rollups(org: Organization) -> None:
    """The org view reads the worker's rollups: compute them once if the worker never has."""
    from insights.models import TeamRollup
    from insights.rollups import rollup_organization

    if not TeamRollup.objects.filter(organization=org).exists():
        started = time.perf_counter()
        rollup_organization(org, now=timezone.now())
        seconds = time.perf_counter() - started
        print(f"(insights rollups computed once, as the worker would: {seconds:.1f} s)")


if __name__ == "__main__":
    main()

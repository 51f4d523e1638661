"""Load the demo organization, or generate a large one for benchmarks.

The demo (`load(people=None)`) is a hand-written 25-person company with half a
year of lively 1:1 history. `load(people=N)` generates an N-person organization
with the same kinds of history, written with bulk inserts in chunks of series,
so 10,000 people and two years of weekly meetings take minutes, not hours.
"""

import random
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from time import perf_counter
from typing import Any

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from demo import content
from demo.bulk import insert, reserve_ids
from demo.growth import seed_growth
from demo.history import Batch, HistoryWriter, Participant, Series
from demo.insights import LAPSED, lapsed_pairs, shape_insights
from demo.org import (
    DEMO_PASSWORD,
    OrgPlan,
    create_people,
    demo_plan,
    email_domain,
    generated_plan,
    random_uuid,
    uuid_stream,
)
from demo.series import CADENCES, SeriesPlan, plan_segments, segment_start
from demo.text import TextMaker
from insights.blocks import blocks_rebuild
from insights.rollups import rollup_organization
from meetings.models import (
    ActionItem,
    CarryOver,
    Discussion,
    Meeting,
    PrivateNote,
    Rating,
    Relationship,
    Schedule,
    TalkingPoint,
)
from meetings.schedule import CadenceKind
from people.models import Organization, Person
from people.services import organization_create

DEMO_ORG_NAME = "Northwind Labs"
DEMO_DOMAIN = "northwind.example"
DEFAULT_MONTHS = 6
# Orgs up to this size are written in one transaction and through people.services.
SMALL_ORG = 500
SERIES_PER_CHUNK = 200
BATCH_SIZE = 4000
DAYS_PER_MONTH = 30.44
Kind = Relationship.Kind
Status = Relationship.Status


class OrganizationExists(Exception):
    """An organization with this name already exists; nothing was loaded."""


@dataclass(frozen=True)
class Account:
    role: str
    name: str
    email: str


@dataclass
class LoadResult:
    organization: Organization
    accounts: list[Account]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def default_org_name(people: int | None) -> str:
    return DEMO_ORG_NAME if people is None else f"Contoso {people:,}".replace(",", "")


def find_organization(name: str) -> Organization | None:
    return Organization.objects.filter(name=name).order_by("pk").first()


def accounts_for(organization: Organization) -> list[Account]:
    """Who to sign in as: the non-CEO with the most reports, their first report, an admin."""
    people = Person.objects.filter(organization=organization)
    manager = (
        people.filter(manager__isnull=False)
        .annotate(n=Count("reports"))
        .filter(n__gt=0)
        .order_by("-n", "pk")
        .first()
    )
    found: list[tuple[str, Person | None]] = [("Manager", manager)]
    if manager is not None:
        found.append(("Report", people.filter(manager=manager).order_by("pk").first()))
    found.append(("Org admin", people.filter(is_org_admin=True).order_by("pk").first()))
    return [Account(role, p.name, p.email) for role, p in found if p is not None]


def accounts_table(accounts: Sequence[Account]) -> str:
    """A small plain-text table of the accounts and the shared password."""
    rows = [("Role", "Name", "Email")] + [(a.role, a.name, a.email) for a in accounts]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append(f"Password for every account: {DEMO_PASSWORD}")
    return "\n".join(line.rstrip() for line in lines)


def load(
    *,
    people: int | None = None,
    months: int = DEFAULT_MONTHS,
    org_name: str | None = None,
    seed: int = 1,
    now: datetime | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> LoadResult:
    """Create the demo (people=None) or an N-person organization with `months` of history."""
    started = perf_counter()
    now = now or timezone.now()
    name = org_name or default_org_name(people)
    if find_organization(name) is not None:
        raise OrganizationExists(name)
    rng = random.Random(seed)
    ids = uuid_stream(seed, name)
    if people is None:
        domain = DEMO_DOMAIN if name == DEMO_ORG_NAME else email_domain(name)
        plan = demo_plan(name, domain=domain, now=now, rng=rng)
    else:
        plan = generated_plan(name, size=people, now=now, months=months, rng=rng)
    small = len(plan.people) <= SMALL_ORG
    outer: AbstractContextManager[Any] = transaction.atomic() if small else nullcontext()
    with outer:
        with transaction.atomic():
            organization = organization_create(name=name)
            create_people(plan, organization, one_by_one=small, ids=ids)
        progress(f"{len(plan.people):,} people in {len(plan.teams)} teams")
        if people is None:
            series = demo_series(plan, rng=rng, now=now, months=months)
        else:
            series = generated_series(plan, rng=rng, now=now, months=months)
        counts = _write_history(
            plan,
            organization,
            series,
            rng=rng,
            ids=ids,
            now=now,
            threaded=not small,
            progress=progress,
            demo=people is None,
        )
        with transaction.atomic():
            counts |= seed_growth(organization, rng=rng, now=now)
        progress("check-ins, goals, feedback and career profiles written")
        if people is None:
            with transaction.atomic():
                shape_insights(organization, rng=rng, now=now)
            progress(f"insights and early warnings shaped for {content.DEMO_MANAGER}'s team")
        # Ratings reach the pages as usefulness blocks, stored when a rating completes
        # one (the loader writes ratings in bulk, without the service's signal).
        with transaction.atomic():
            blocks_rebuild(
                list(
                    Relationship.objects.filter(organization=organization).values_list(
                        "pk", flat=True
                    )
                )
            )
        # The organization view reads rollups that the worker refreshes hourly; the
        # first ones are computed now, so Organization → Insights has figures at once.
        with transaction.atomic():
            rolled = rollup_organization(organization, now=now, months=max(months, 1))
        progress(f"insights rollups computed ({rolled['rows']:,} rows)")
    counts = {"people": len(plan.people), "teams": len(plan.teams), **counts}
    return LoadResult(organization, accounts_for(organization), counts, perf_counter() - started)


# -- which series exist ------------------------------------------------------------------


def _history_start(now: datetime, months: int) -> datetime:
    return now - timedelta(days=round(months * DAYS_PER_MONTH))


def _cadence(rng: random.Random, weights: Sequence[int]) -> CadenceKind:
    return rng.choices(CADENCES, weights=weights)[0]


def demo_series(
    plan: OrgPlan, *, rng: random.Random, now: datetime, months: int
) -> list[SeriesPlan]:
    """Everyone's 1:1 with their manager, plus mentoring, peer and skip-level series."""
    idx = plan.by_name
    begin = _history_start(now, months)
    manager, report = idx[content.DEMO_MANAGER], idx[content.DEMO_REPORT]
    days_for_manager = iter([1, 2, 1, 3, 4, 2, 5, 3, 1, 4, 2, 5])
    plans: list[SeriesPlan] = []

    def add(kind: str, lead: str, member: str, **fields: Any) -> None:
        lead_i, member_i = idx[lead], idx[member]
        joined = max(plan.people[lead_i].joined, plan.people[member_i].joined)
        start = fields.pop("start", None) or max(begin, joined + timedelta(days=3))
        stop = fields.get("stop")
        if stop is not None and stop <= start + timedelta(days=21):
            return
        if "next_in_days" not in fields:
            near = manager in (lead_i, member_i)
            fields["next_in_days"] = next(days_for_manager) if near else rng.randint(1, 5)
        fields.setdefault("cadence", _cadence(rng, (60, 30, 5, 5)))
        fields.setdefault("change", rng.random() < 0.25)
        start += timedelta(hours=rng.uniform(0, 24 * 6))
        plans.append(SeriesPlan(kind=kind, lead=lead_i, member=member_i, start=start, **fields))

    moved_team = now - timedelta(weeks=9)
    weekly = CadenceKind.WEEKLY
    for person in plan.people:
        if person.manager is None:
            continue
        lead = plan.people[person.manager].name
        if person.name == "Grace Liu":
            # Grace moved from Customer Success to Product: the old series ended.
            add(
                Kind.MANAGER,
                "Marcus Johnson",
                person.name,
                status=Status.ENDED,
                stop=moved_team,
                next_in_days=None,
                change=False,
            )
            add(Kind.MANAGER, lead, person.name, start=moved_team, cadence=weekly, change=False)
            continue
        extra: dict[str, Any] = {}
        if person.index == report:
            extra = {"cadence": weekly, "change": False, "showcase": True}
        elif person.name == "Mateo Rossi":
            extra = {"cadence": weekly, "reschedule_next": True}
        elif (lead, person.name) == LAPSED:
            extra = {"cadence": weekly, "change": False}
        elif person.manager == manager:
            extra = {"cadence": _cadence(rng, (80, 20, 0, 0))}
        add(Kind.MANAGER, lead, person.name, **extra)
    add(Kind.PEER, "Sofia Martínez", "Jonas Weber", cadence=CadenceKind.BIWEEKLY)
    add(
        Kind.MENTOR,
        "Jonas Weber",
        "Zara Ahmed",
        cadence=CadenceKind.BIWEEKLY,
        start=now - timedelta(weeks=16),
        change=False,
    )
    add(Kind.SKIP_LEVEL, "Amara Okafor", "Priya Raman", cadence=CadenceKind.MONTHLY)
    add(Kind.SKIP_LEVEL, "Amara Okafor", "Ben Carter", cadence=CadenceKind.FOUR_WEEKLY)
    add(
        Kind.MENTOR,
        "Olivia Bennett",
        "Hannah Schmidt",
        cadence=CadenceKind.BIWEEKLY,
        status=Status.PAUSED,
        stop=now - timedelta(weeks=3),
        next_in_days=None,
    )
    add(
        Kind.PEER,
        "Lucas Silva",
        "Kenji Tanaka",
        cadence=weekly,
        change=False,
        start=now - timedelta(weeks=17),
        status=Status.ENDED,
        stop=now - timedelta(weeks=5),
        next_in_days=None,
    )
    return plans


def generated_series(
    plan: OrgPlan, *, rng: random.Random, now: datetime, months: int
) -> list[SeriesPlan]:
    """A manager series per report, and one mentoring, peer or skip-level series per 25 people."""
    begin = _history_start(now, months)
    people = plan.people
    pairs: set[tuple[int, int]] = set()
    plans: list[SeriesPlan] = []

    def add(kind: str, lead: int, member: int, status: str = Status.ACTIVE) -> None:
        if lead == member or (lead, member) in pairs or (member, lead) in pairs:
            return
        pairs.add((lead, member))
        joined = max(people[lead].joined, people[member].joined)
        start = max(begin, joined + timedelta(days=3)) + timedelta(days=rng.uniform(0, 14))
        stop = None
        if status != Status.ACTIVE:
            stop = now - timedelta(days=rng.uniform(7, 90))
            if stop <= start + timedelta(days=21):
                status, stop = Status.ACTIVE, None
        plans.append(
            SeriesPlan(
                kind=kind,
                lead=lead,
                member=member,
                start=start,
                cadence=_cadence(rng, (70, 20, 5, 5)),
                status=status,
                stop=stop,
                change=rng.random() < 0.1,
            )
        )

    for person in people:
        if person.manager is not None:
            paused = rng.random() < 0.01
            add(
                Kind.MANAGER,
                person.manager,
                person.index,
                Status.PAUSED if paused else Status.ACTIVE,
            )
    managers = sorted({p.manager for p in people if p.manager is not None})
    for _ in range(len(people) // 25):
        member = rng.randrange(1, len(people))
        ended = Status.ENDED if rng.random() < 0.15 else Status.ACTIVE
        boss = people[member].manager
        grand = people[boss].manager if boss is not None else None
        roll = rng.random()
        if roll < 0.4 and grand is not None:
            add(Kind.SKIP_LEVEL, grand, member, ended)
        elif roll < 0.75:
            add(Kind.MENTOR, rng.choice(managers), member, ended)
        else:
            add(Kind.PEER, rng.randrange(1, len(people)), member, ended)
    return plans


# -- writing -----------------------------------------------------------------------------


def _chunks(items: Sequence[SeriesPlan], size: int) -> Iterator[Sequence[SeriesPlan]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class _Inserter:
    """Runs each chunk's inserts, in worker threads when `workers` > 0.

    On PostgreSQL the database, not Python, is the bottleneck: with two workers
    (each with its own connection and transaction) it writes chunks on both cores
    while the main thread generates the next one. SQLite has a single writer, so
    there the inserts run inline.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool = ThreadPoolExecutor(workers, "demo-insert") if workers else None
        self.running: deque[Future[dict[str, int]]] = deque()
        self.counts: dict[str, int] = {}

    def run(self, job: Callable[[], dict[str, int]]) -> None:
        if self.pool is None:
            with transaction.atomic():
                self._add(job())
            return
        while len(self.running) >= self.workers:
            self._add(self.running.popleft().result())
        self.running.append(self.pool.submit(self._in_thread, job))

    def finish(self) -> dict[str, int]:
        while self.running:
            self._add(self.running.popleft().result())
        if self.pool is not None:
            self.pool.shutdown()
        return self.counts

    @staticmethod
    def _in_thread(job: Callable[[], dict[str, int]]) -> dict[str, int]:
        try:
            with transaction.atomic():
                return job()
        finally:
            connection.close()

    def _add(self, counts: dict[str, int]) -> None:
        for name, n in counts.items():
            self.counts[name] = self.counts.get(name, 0) + n


def _write_history(
    plan: OrgPlan,
    organization: Organization,
    series: Sequence[SeriesPlan],
    *,
    rng: random.Random,
    ids: random.Random,
    now: datetime,
    threaded: bool,
    progress: Callable[[str], None],
    demo: bool = False,
) -> dict[str, int]:
    teammates = sorted({p.first_name for p in plan.people}) if len(plan.people) < 200 else ()
    text = TextMaker(rng, teammates=teammates, projects=content.PROJECTS)
    writer = HistoryWriter(rng, ids=ids, now=now, organization_id=organization.pk, text=text)
    inserter = _Inserter(2 if threaded and connection.vendor == "postgresql" else 0)
    # The demo's manager series tell the story of demo/insights.py on any day it is loaded.
    lapsed = lapsed_pairs(plan) if demo else frozenset()
    started = perf_counter()
    done = reported = 0
    try:
        for chunk in _chunks(series, SERIES_PER_CHUNK):
            with transaction.atomic():
                relationships = _write_series(
                    plan, organization, chunk, writer, now=now, demo=demo, lapsed=lapsed
                )
            batch = writer.batch
            inserter.run(partial(_flush, batch, organization.pk))
            done += len(chunk)
            if done * 10 // len(series) > reported:
                reported = done * 10 // len(series)
                progress(
                    f"{done:,}/{len(series):,} series generated, {perf_counter() - started:.0f} s"
                )
            inserter.counts["relationships"] = (
                inserter.counts.get("relationships", 0) + relationships
            )
    finally:
        counts = inserter.finish()
    counts["schedules"] = Schedule.objects.filter(relationship__organization=organization).count()
    progress(f"{sum(counts.values()):,} rows written in {perf_counter() - started:.0f} s")
    return counts


def _write_series(
    plan: OrgPlan,
    organization: Organization,
    chunk: Sequence[SeriesPlan],
    writer: HistoryWriter,
    *,
    now: datetime,
    demo: bool = False,
    lapsed: frozenset[tuple[int, int]] = frozenset(),
) -> int:
    """Insert the chunk's relationships and schedules; replay their history into a new batch."""
    rng = writer.rng
    people = plan.people
    relationships = []
    segments = []
    for sp in chunk:
        lead, member = people[sp.lead], people[sp.member]
        segs = plan_segments(rng, sp, lead_tz=lead.timezone, member_tz=member.timezone, now=now)
        created = min(segment_start(segs[0]), sp.start) - timedelta(days=rng.uniform(1, 6))
        segments.append(segs)
        relationships.append(
            Relationship(
                uuid=random_uuid(writer.ids),
                organization=organization,
                kind=sp.kind,
                lead_id=lead.pk,
                member_id=member.pk,
                status=sp.status,
                created_at=created,
                ended_at=sp.stop if sp.status == Status.ENDED else None,
            )
        )
    Relationship.objects.bulk_create(relationships, batch_size=BATCH_SIZE)
    Schedule.objects.bulk_create(
        [
            Schedule(
                relationship_id=rel.pk,
                rrule=seg.rrule,
                first_date=seg.first_date,
                local_time=seg.local_time,
                timezone=seg.timezone,
                duration_minutes=seg.duration_minutes,
                starts_at=segment_start(seg),
                until=seg.until,
            )
            for rel, segs in zip(relationships, segments, strict=True)
            for seg in segs
        ],
        batch_size=BATCH_SIZE,
    )
    writer.batch = Batch()
    for sp, rel, segs in zip(chunk, relationships, segments, strict=True):
        lead, member = people[sp.lead], people[sp.member]
        lapse = sp.kind == Kind.MANAGER and (sp.lead, sp.member) in lapsed
        writer.replay(
            Series(
                relationship_id=rel.pk,
                kind=sp.kind,
                lead=Participant(lead.pk, lead.first_name),
                member=Participant(member.pk, member.first_name),
                status=sp.status,
                created_at=rel.created_at,
                segments=segs,
                projects=content.TEAM_PROJECTS.get(member.team, content.PROJECTS),
                stop=sp.stop,
                showcase=sp.showcase,
                reschedule_next=sp.reschedule_next,
                lapse=lapse,
                steady=demo and sp.status == Status.ACTIVE and not lapse,
            )
        )
    return len(relationships)


def _flush(batch: Batch, organization_id: int) -> dict[str, int]:
    """Insert a batch: meetings and points get their keys first, then rows refer to them."""
    for meeting, pk in zip(batch.meetings, reserve_ids(Meeting, len(batch.meetings)), strict=True):
        meeting.id = pk
    for point, pk in zip(batch.points, reserve_ids(TalkingPoint, len(batch.points)), strict=True):
        point.id = pk
    org = organization_id
    insert(
        Meeting,
        MEETING_FIELDS,
        (
            (m.id, m.uuid, org, m.relationship_id, m.occurrence_start, m.start,
             m.duration_minutes, m.status, m.reason, m.status_changed_by_id, m.closed_at,
             m.notes, m.notes_version, m.notes_updated_at, m.notes_updated_by_id, m.moved_by_id)
            for m in batch.meetings
        ),
    )  # fmt: skip
    insert(
        TalkingPoint,
        POINT_FIELDS,
        (
            (p.id, p.uuid, org, p.relationship_id, p.author_id, p.text, p.theme, p.is_private,
             p.is_standing, p.status, p.position, p.source, p.created_at, p.created_at)
            for p in batch.points
        ),
    )  # fmt: skip
    insert(
        Discussion,
        ("point_id", "meeting_id", "created_at"),
        ((p.id, m.id, at) for p, m, at in batch.discussions),
    )
    insert(CarryOver, ("point_id", "meeting_id"), ((p.id, m.id) for p, m in batch.carry_overs))
    insert(
        PrivateNote,
        ("uuid", "meeting_id", "author_id", "text", "version", "updated_at"),
        ((uuid, m.id, author, text, 1, at) for uuid, m, author, text, at in batch.private_notes),
    )
    insert(
        Rating,
        ("meeting_id", "rater_id", "score", "created_at"),
        ((m.id, rater, score, at) for m, rater, score, at in batch.ratings),
    )
    insert(
        ActionItem,
        ACTION_FIELDS,
        (
            (a.uuid, org, a.relationship_id, a.meeting.id, a.text, a.owner_id,
             a.due_date, a.done_at, a.completed_in.id if a.completed_in else None,
             a.created_by_id, 1 if a.done_at else 0, a.created_at)
            for a in batch.actions
        ),
    )  # fmt: skip
    return {
        "meetings": len(batch.meetings),
        "talking points": len(batch.points),
        "discussions": len(batch.discussions),
        "carry-overs": len(batch.carry_overs),
        "private notes": len(batch.private_notes),
        "ratings": len(batch.ratings),
        "action items": len(batch.actions),
    }


MEETING_FIELDS = (
    "id", "uuid", "organization_id", "relationship_id", "occurrence_start", "start",
    "duration_minutes", "status", "reason", "status_changed_by_id", "closed_at",
    "notes", "notes_version", "notes_updated_at", "notes_updated_by_id", "moved_by_id",
)  # fmt: skip
POINT_FIELDS = (
    "id", "uuid", "organization_id", "relationship_id", "author_id", "text", "theme",
    "is_private", "is_standing", "status", "position", "source", "created_at", "updated_at",
)  # fmt: skip
ACTION_FIELDS = (
    "uuid", "organization_id", "relationship_id", "meeting_id", "text", "owner_id",
    "due_date", "done_at", "completed_in_id", "created_by_id", "version", "created_at",
)  # fmt: skip

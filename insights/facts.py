"""Loading what the metrics need for any number of 1:1s, in a fixed number of queries.

One query per kind of fact, whatever the number of relationships: the team view of a
manager with 50 reports costs the same queries as one relationship page. The facts
are plain values (insights/metrics.py): private points never load, and ratings are
turned into block averages before anything is shown.
"""

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, F, Max, Q

from growth.models import CheckIn
from insights.metrics import (
    STREAK_HORIZON,
    THEME_MEETINGS,
    WINDOW,
    ActionFact,
    BlockFact,
    CheckInFact,
    MeetingFact,
    blocker_lines,
)
from insights.models import UsefulnessBlock
from meetings.models import (
    ActionItem,
    Discussion,
    Meeting,
    Relationship,
    Schedule,
    TalkingPoint,
)
from meetings.occurrences import segments
from meetings.schedule import occurrences

CHECKINS_KEPT = 6  # the team member's latest check-ins (mood trend and warnings)

CADENCE, ACTIONS, RATINGS, CHECKINS = "cadence", "actions", "ratings", "checkins"
BALANCE, THEMES = "balance", "themes"  # who raised the shared points; themes discussed
ALL_PARTS = frozenset({CADENCE, ACTIONS, BALANCE, THEMES, RATINGS, CHECKINS})


@dataclass
class Facts:
    relationship: Relationship
    schedules: list[Schedule] = field(default_factory=list)
    planned: list[datetime] = field(default_factory=list)
    meetings: list[MeetingFact] = field(default_factory=list)
    last_held: datetime | None = None
    actions: list[ActionFact] = field(default_factory=list)
    authors: dict[int, int] = field(default_factory=dict)
    themes: list[list[str]] = field(default_factory=list)  # the last held meetings' themes
    blocks: list[BlockFact] = field(default_factory=list)  # usefulness blocks
    checkins: list[CheckInFact] = field(default_factory=list)  # the member's, oldest first


def load_facts(
    relationships: Sequence[Relationship],
    *,
    now: datetime,
    parts: Collection[str] = ALL_PARTS,
    schedules: dict[int, list[Schedule]] | None = None,
) -> dict[int, Facts]:
    """Facts per relationship id; `parts` limits what is loaded (one query or two each)."""
    facts = {r.pk: Facts(r) for r in relationships}
    ids = list(facts)
    if not ids:
        return facts
    horizon = now - STREAK_HORIZON
    held_ids: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
    if CADENCE in parts or THEMES in parts:
        _load_cadence(facts, ids, now=now, horizon=horizon, schedules=schedules, held=held_ids)
    if ACTIONS in parts:
        # Open items, and done ones that may be due in the window (a day of margin for
        # the owners' zones): follow-through counts items by their due date.
        rows = ActionItem.objects.filter(relationship_id__in=ids).filter(
            Q(done_at__isnull=True) | Q(due_date__gte=(now - WINDOW).date() - timedelta(days=1))
        )
        for rel_id, owner_id, due, done_at in rows.values_list(
            "relationship_id", "owner_id", "due_date", "done_at"
        ):
            facts[rel_id].actions.append(ActionFact(owner_id, due, done_at))
    if BALANCE in parts:
        _load_authors(facts, ids, now=now)
    if THEMES in parts:
        _load_themes(facts, held=held_ids)
    if RATINGS in parts:
        # Ratings reach the pages only as stored blocks (insights/blocks.py).
        for rel_id, first, last, lead_sum, member_sum in UsefulnessBlock.objects.filter(
            relationship_id__in=ids
        ).values_list("relationship_id", "first_key", "last_key", "lead_sum", "member_sum"):
            facts[rel_id].blocks.append(BlockFact(first, last, lead_sum, member_sum))
    if CHECKINS in parts:
        rows_c = (
            CheckIn.objects.filter(
                relationship_id__in=ids,
                author_id=F("relationship__member_id"),
                meeting__start__gte=horizon,
            )
            .order_by("meeting__start", "created_at")
            .values_list("relationship_id", "meeting__start", "mood", "workload", "blockers")
        )
        for rel_id, at, mood, workload, blockers in rows_c:
            facts[rel_id].checkins.append(CheckInFact(at, mood, workload, blocker_lines(blockers)))
        for fact in facts.values():
            fact.checkins = fact.checkins[-CHECKINS_KEPT:]
    return facts


def _load_cadence(
    facts: dict[int, Facts],
    ids: list[int],
    *,
    now: datetime,
    horizon: datetime,
    schedules: dict[int, list[Schedule]] | None,
    held: dict[int, list[tuple[datetime, int]]],
) -> None:
    """Schedules, the meetings of the streak horizon, planned occurrences, the last held."""
    if schedules is None:
        schedules = defaultdict(list)
        for schedule in Schedule.objects.filter(relationship_id__in=ids).order_by("starts_at"):
            schedules[schedule.relationship_id].append(schedule)
    rows = Meeting.objects.filter(relationship_id__in=ids, occurrence_start__gte=horizon).order_by()
    moved_later: dict[int, set[datetime]] = defaultdict(set)
    for pk, rel_id, key, start, minutes, status, changed_by, moved_by in rows.values_list(
        "pk",
        "relationship_id",
        "occurrence_start",
        "start",
        "duration_minutes",
        "status",
        "status_changed_by_id",
        "moved_by_id",
    ):
        facts[rel_id].meetings.append(MeetingFact(key, start, status, changed_by, moved_by))
        if status == Meeting.Status.HELD:
            held[rel_id].append((start, pk))
        elif status == Meeting.Status.SCHEDULED and start + timedelta(minutes=minutes) > now:
            moved_later[rel_id].add(key)  # moved to a time that has not come yet
    last = (
        Meeting.objects.filter(relationship_id__in=ids, status=Meeting.Status.HELD)
        .values("relationship_id")
        .annotate(last=Max("start"))
        .values_list("relationship_id", "last")
    )
    for rel_id, when in last:
        facts[rel_id].last_held = when
    for rel_id, fact in facts.items():
        fact.schedules = schedules.get(rel_id, [])
        if not fact.schedules:
            continue
        length = timedelta(minutes=fact.schedules[-1].duration_minutes)
        fact.planned = [
            key
            for key in occurrences(segments(fact.schedules), horizon, now)
            if key + length <= now and key not in moved_later[rel_id]
        ]


def _load_authors(facts: dict[int, Facts], ids: list[int], *, now: datetime) -> None:
    """Shared points raised over the window, by author. Points a template added at once
    are left out: they are the 1:1's standing structure, not someone raising a topic."""
    counted = (
        TalkingPoint.objects.filter(
            relationship_id__in=ids, is_private=False, created_at__gte=now - WINDOW
        )
        .exclude(source=TalkingPoint.Source.TEMPLATE)
        .values("relationship_id", "author_id")
        .annotate(n=Count("id"))
        .values_list("relationship_id", "author_id", "n")
    )
    for rel_id, author_id, n in counted:
        facts[rel_id].authors[author_id] = n


def _load_themes(facts: dict[int, Facts], *, held: dict[int, list[tuple[datetime, int]]]) -> None:
    """The themes of the shared points discussed in each of the last held meetings."""
    latest: dict[int, int] = {}  # meeting id -> relationship id
    order: dict[int, list[int]] = {}
    for rel_id, rows in held.items():
        newest = [pk for _, pk in sorted(rows, reverse=True)[:THEME_MEETINGS]]
        order[rel_id] = newest
        latest.update(dict.fromkeys(newest, rel_id))
    themes: dict[int, list[str]] = defaultdict(list)
    if latest:
        for meeting_id, theme in Discussion.objects.filter(
            meeting_id__in=list(latest), point__is_private=False
        ).values_list("meeting_id", "point__theme"):
            themes[meeting_id].append(theme)
    for rel_id, meeting_ids in order.items():
        facts[rel_id].themes = [themes.get(pk, []) for pk in meeting_ids]

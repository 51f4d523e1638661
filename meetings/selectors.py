"""Reads that span relations: agendas, history, the home page. Query counts stay constant."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from growth.models import CheckIn, Feedback
from meetings.access import relationships_of
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
    Theme,
)
from meetings.occurrences import Occurrence, focus, upcoming, window_start
from people.models import Person

HISTORY_PAGE_SIZE = 10
UPCOMING_COUNT = 6


def near_meetings(relationship_ids: Sequence[int], *, now: datetime) -> QuerySet[Meeting]:
    """Meeting rows that can affect upcoming occurrences (by original or actual start)."""
    lo = window_start(now)
    return Meeting.objects.filter(relationship_id__in=relationship_ids).filter(
        Q(occurrence_start__gte=lo) | Q(start__gte=lo)
    )


def series_upcoming(
    relationship: Relationship,
    *,
    now: datetime,
    count: int = UPCOMING_COUNT,
    schedules: Sequence[Schedule] | None = None,
) -> list[Occurrence]:
    if schedules is None:
        schedules = list(relationship.schedules.all())
    return upcoming(schedules, near_meetings([relationship.pk], now=now), now=now, count=count)


def _carried_count() -> Coalesce:
    counts = (
        CarryOver.objects.filter(point=OuterRef("pk"))
        .order_by()
        .values("point")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts), 0)


def agenda_points(
    relationship: Relationship, viewer: Person, occurrence: Occurrence | None, *, is_focus: bool
) -> list[TalkingPoint]:
    """The talking points of an upcoming occurrence as the viewer may see them.

    The focus meeting collects every open point raised for it or earlier (that
    is the carry-over), standing topics and what was already discussed in it;
    a later meeting shows what was raised for it specifically.
    """
    meeting = occurrence.meeting if occurrence else None
    points = TalkingPoint.objects.visible_to(viewer.pk).filter(relationship=relationship)
    if is_focus:
        key = occurrence.key if occurrence else None
        wanted = Q(status=TalkingPoint.Status.OPEN)
        if key is not None:
            wanted &= Q(planned_for__isnull=True) | Q(planned_for__lte=key) | Q(is_standing=True)
        if meeting is not None:
            wanted |= Q(discussions__meeting=meeting)
        points = points.filter(wanted)
    else:
        assert occurrence is not None
        points = points.filter(status=TalkingPoint.Status.OPEN, planned_for=occurrence.key)
    discussed = Discussion.objects.filter(point=OuterRef("pk"), meeting=meeting)
    return list(
        points.distinct()
        .select_related("author")
        .annotate(discussed_here=Exists(discussed), times_carried=_carried_count())
        .order_by("-is_standing", "position", "created_at")
    )


def later_points(
    relationship: Relationship, viewer: Person, focus_key: datetime | None
) -> dict[datetime, list[TalkingPoint]]:
    """Open points raised for meetings after the focus one, by occurrence key."""
    if focus_key is None:
        return {}
    grouped: dict[datetime, list[TalkingPoint]] = defaultdict(list)
    points = (
        TalkingPoint.objects.visible_to(viewer.pk)
        .filter(
            relationship=relationship,
            status=TalkingPoint.Status.OPEN,
            planned_for__gt=focus_key,
            is_standing=False,
        )
        .select_related("author")
        .order_by("planned_for", "position")
    )
    for point in points:
        assert point.planned_for is not None
        grouped[point.planned_for].append(point)
    return dict(grouped)


def open_action_items(relationship: Relationship) -> list[ActionItem]:
    return list(
        ActionItem.objects.open()
        .filter(relationship=relationship)
        .select_related("owner")
        .order_by(Coalesce("due_date", date.max), "created_at")
    )


def own_private_note(meeting: Meeting | None, viewer: Person) -> PrivateNote | None:
    if meeting is None:
        return None
    return PrivateNote.objects.filter(meeting=meeting, author=viewer).first()


def own_rating(meeting: Meeting | None, viewer: Person) -> Rating | None:
    if meeting is None:
        return None
    return Rating.objects.filter(meeting=meeting, rater=viewer).first()


def history_meetings(
    relationship: Relationship, viewer: Person, *, now: datetime
) -> QuerySet[Meeting]:
    """Closed meetings, and past unclosed ones that hold something the viewer may see.

    A past meeting nobody closed is listed only for shared content or the viewer's
    own private content: a private write by the other participant must not make
    it appear (the focus meeting is excluded by the caller). Unclosed past
    meetings are rare, so they are checked one by one rather than with
    subqueries that would make every history query slow.
    """
    past = relationship.meetings.filter(~Q(status=Meeting.Status.SCHEDULED) | Q(start__lt=now))
    unclosed = list(
        with_record(
            relationship.meetings.filter(status=Meeting.Status.SCHEDULED, start__lt=now), viewer
        )
    )
    hidden = [m.pk for m in unclosed if not record_has_content(m)]
    return past.exclude(pk__in=hidden) if hidden else past


def history_search(meetings: QuerySet[Meeting], viewer: Person, query: str) -> QuerySet[Meeting]:
    """Meetings whose notes, visible points, action items or the viewer's own note match."""
    visible = Q(is_private=False) | Q(author_id=viewer.pk)
    in_points = TalkingPoint.objects.filter(visible, text__icontains=query).filter(
        Q(discussions__meeting=OuterRef("pk")) | Q(carry_overs__meeting=OuterRef("pk"))
    )
    in_actions = ActionItem.objects.filter(meeting=OuterRef("pk"), text__icontains=query)
    in_private = PrivateNote.objects.filter(
        meeting=OuterRef("pk"), author=viewer, text__icontains=query
    )
    return meetings.filter(
        Q(notes__icontains=query)
        | Q(reason__icontains=query)
        | Exists(in_points)
        | Exists(in_actions)
        | Exists(in_private)
    )


def with_record(meetings: QuerySet[Meeting], viewer: Person) -> QuerySet[Meeting]:
    """Meetings with what their record shows the viewer: points, actions, own note and rating."""
    visible_points = TalkingPoint.objects.visible_to(viewer.pk)
    return meetings.select_related("status_changed_by", "notes_updated_by").prefetch_related(
        Prefetch(
            "discussions",
            queryset=Discussion.objects.filter(point__in=visible_points)
            .select_related("point__author")
            .order_by("point__position"),
        ),
        Prefetch(
            "carry_overs",
            queryset=CarryOver.objects.filter(point__in=visible_points)
            .select_related("point__author")
            .order_by("point__position"),
        ),
        Prefetch("action_items", queryset=ActionItem.objects.select_related("owner")),
        Prefetch(
            "private_notes",
            queryset=PrivateNote.objects.filter(author=viewer),
            to_attr="own_private_notes",
        ),
        Prefetch("ratings", queryset=Rating.objects.filter(rater=viewer), to_attr="own_ratings"),
        # Growth shared by both participants: check-ins and (live) feedback.
        Prefetch(
            "checkins",
            queryset=CheckIn.objects.select_related("author").order_by("created_at"),
            to_attr="record_checkins",
        ),
        Prefetch(
            "feedback",
            queryset=Feedback.objects.alive().select_related("giver", "receiver"),
            to_attr="record_feedback",
        ),
    )


def history_page(
    relationship: Relationship, viewer: Person, *, now: datetime, page: int, query: str = ""
) -> Page[Meeting]:
    """One page of past meetings (dates and outcomes), in a fixed number of queries."""
    meetings = history_meetings(relationship, viewer, now=now)
    if query:
        meetings = history_search(meetings, viewer, query)
    # The list shows dates and outcomes; a meeting's full record loads when it is opened.
    paginator = Paginator(meetings.order_by("-start"), HISTORY_PAGE_SIZE)
    return paginator.get_page(page)


def record_has_content(meeting: Meeting) -> bool:
    """Whether a meeting's record (from with_record) shows the viewer anything at all.

    An unclosed meeting whose row exists only because of the other participant's
    private writes must look exactly like an occurrence nobody touched.
    """
    return (
        meeting.is_closed
        or meeting.is_rescheduled
        or bool(meeting.notes)
        or bool(meeting.discussions.all())
        or bool(meeting.carry_overs.all())
        or bool(meeting.action_items.all())
        or bool(meeting.record_checkins)  # type: ignore[attr-defined]
        or bool(meeting.record_feedback)  # type: ignore[attr-defined]
        or any(note.text for note in meeting.own_private_notes)  # type: ignore[attr-defined]
    )


def meeting_record(relationship: Relationship, viewer: Person, meeting_id: int) -> Meeting:
    return with_record(relationship.meetings.filter(pk=meeting_id), viewer).get()


@dataclass
class HomeRow:
    relationship: Relationship
    other: Person
    next_occurrence: Occurrence | None
    agenda_count: int
    my_open_items: list[ActionItem] = field(default_factory=list)
    overdue_items: list[ActionItem] = field(default_factory=list)


def _agenda_counts(
    viewer: Person, relationship_ids: list[int]
) -> dict[int, list[tuple[datetime | None, bool, int]]]:
    counts: dict[int, list[tuple[datetime | None, bool, int]]] = defaultdict(list)
    rows = (
        TalkingPoint.objects.visible_to(viewer.pk)
        .filter(relationship_id__in=relationship_ids, status=TalkingPoint.Status.OPEN)
        .values("relationship_id", "planned_for", "is_standing")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["relationship_id"]].append((row["planned_for"], row["is_standing"], row["n"]))
    return counts


def count_for_focus(
    buckets: list[tuple[datetime | None, bool, int]], focus_key: datetime | None
) -> int:
    return sum(
        n
        for planned_for, standing, n in buckets
        if standing or planned_for is None or focus_key is None or planned_for <= focus_key
    )


def home_rows(viewer: Person, *, now: datetime, today: date) -> tuple[list[HomeRow], list[HomeRow]]:
    """The viewer's current and past relationships, each with its next meeting and items."""
    relationships = list(
        relationships_of(viewer)
        .select_related("lead", "member")
        .prefetch_related(Prefetch("schedules", queryset=Schedule.objects.order_by("starts_at")))
        .order_by("status", "created_at")
    )
    ids = [r.pk for r in relationships]
    rows_by_rel: dict[int, list[Meeting]] = defaultdict(list)
    for meeting in near_meetings(ids, now=now):
        rows_by_rel[meeting.relationship_id].append(meeting)
    counts = _agenda_counts(viewer, ids)
    items_by_rel: dict[int, list[ActionItem]] = defaultdict(list)
    overdue_by_rel: dict[int, list[ActionItem]] = defaultdict(list)
    open_items = (
        ActionItem.objects.open()
        .filter(relationship_id__in=ids)
        .filter(Q(owner=viewer) | Q(due_date__lt=today))
        .select_related("owner")
        .order_by(Coalesce("due_date", date.max), "created_at")
    )
    for item in open_items:
        if item.owner_id == viewer.pk:
            items_by_rel[item.relationship_id].append(item)
        if item.due_date is not None and item.due_date < today:
            overdue_by_rel[item.relationship_id].append(item)
    current: list[HomeRow] = []
    past: list[HomeRow] = []
    for relationship in relationships:
        other = relationship.other_participant(viewer)
        schedules = list(relationship.schedules.all())
        nxt = focus(upcoming(schedules, rows_by_rel[relationship.pk], now=now, count=4))
        row = HomeRow(
            relationship=relationship,
            other=other,
            next_occurrence=nxt,
            agenda_count=count_for_focus(counts[relationship.pk], nxt.key if nxt else None),
            my_open_items=items_by_rel[relationship.pk],
            overdue_items=overdue_by_rel[relationship.pk],
        )
        (past if relationship.status == Relationship.Status.ENDED else current).append(row)
    far = datetime.max.replace(tzinfo=now.tzinfo)
    current.sort(key=lambda r: r.next_occurrence.start if r.next_occurrence else far)
    return current, past


def themes_last_discussed(relationship: Relationship) -> dict[str, datetime]:
    """When each theme was last discussed, from shared points only (private ones never count)."""
    rows = (
        Discussion.objects.filter(point__relationship=relationship, point__is_private=False)
        .values("point__theme")
        .annotate(last=Max("meeting__start"))
        .order_by()
    )
    return {row["point__theme"]: row["last"] for row in rows}


def quietest_themes(relationship: Relationship) -> list[str]:
    """Themes from the longest silent (never discussed first) to the most recent."""
    latest = themes_last_discussed(relationship)
    never = [t for t in Theme.values if t not in latest and t != Theme.OTHER]
    seen = sorted((t for t in latest if t != Theme.OTHER), key=lambda t: latest[t])
    return never + seen

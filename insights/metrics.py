"""Every insight is a pure function of plain facts about one 1:1 (no ORM here).

`insights/facts.py` loads the facts for any number of 1:1s in a fixed number of
queries; the views, the CSV export and the early warnings all go through these
functions, so one definition of each metric holds everywhere.

Privacy: ratings are private to their rater, so usefulness leaves this module only as
averages over blocks of at least RATING_BLOCK meetings that both participants rated;
talking points count only when shared; warnings state a reason, never content.
"""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from lib.timezones import zone

WINDOW = timedelta(days=90)  # cadence adherence, cancellations, agenda balance, follow-through
STREAK_HORIZON = timedelta(days=183)  # how far back a streak is counted
THEME_MEETINGS = 6  # theme coverage over the last N held meetings
RATING_BLOCK = 3  # usefulness is only ever shown as an average over this many meetings
RATING_BLOCKS_SHOWN = 12
# A meeting that ended less than this long ago and is not closed yet does not break a streak.
CLOSING_GRACE = timedelta(hours=12)
MAX_LENGTH = timedelta(hours=8)  # the longest a meeting can be

HELD, CANCELLED, SKIPPED, SCHEDULED = "held", "cancelled", "skipped", "scheduled"
TOO_MUCH = "too_much"


# -- facts ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MeetingFact:
    """A Meeting row: its occurrence key, when it took place and who changed it."""

    key: datetime
    start: datetime
    status: str
    changed_by: int | None = None
    moved_by: int | None = None


@dataclass(frozen=True, slots=True)
class ActionFact:
    owner_id: int
    due: date | None
    done_at: datetime | None


@dataclass(frozen=True, slots=True)
class BlockFact:
    """A stored usefulness block (insights/blocks.py): both sides' sums over its meetings."""

    first_key: datetime
    last_key: datetime
    lead_sum: int
    member_sum: int


@dataclass(frozen=True, slots=True)
class CheckInFact:
    """One of the team member's check-ins; blockers as normalised lines (never shown)."""

    at: datetime
    mood: int
    workload: str
    blockers: tuple[str, ...] = ()


def blocker_lines(text: str) -> tuple[str, ...]:
    """A check-in's blockers, one per line, compared case- and space-insensitively."""
    # The same list markers as growth.services.checkins.blocker_lines, en dash included.
    lines = (" ".join(line.split()).casefold().strip(" -–*•.") for line in text.splitlines())
    return tuple(sorted({line for line in lines if line}))


# -- cadence ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Attendance:
    """Held against planned over the window, changes by whom, the last one and the streak."""

    planned: int
    held: int
    cancelled: int  # cancelled or skipped
    rescheduled: int
    not_recorded: int  # past occurrences neither held nor cancelled in Rapport
    cancelled_by: Mapping[int, int]
    rescheduled_by: Mapping[int, int]
    last_held: datetime | None
    days_since_last: int | None
    streak: int
    streak_is_lower_bound: bool  # every occurrence in the streak horizon was held

    @property
    def adherence(self) -> float | None:
        """Held / planned, at most 1; None when nothing was planned."""
        if self.planned == 0:
            return None
        return min(1.0, self.held / self.planned)


def attendance(
    planned: Sequence[datetime],
    meetings: Sequence[MeetingFact],
    *,
    last_held: datetime | None,
    now: datetime,
    tz: str,
    began: datetime | None = None,
) -> Attendance:
    """Cadence facts for one series.

    `planned` are the keys of occurrences that ended before `now` within the streak
    horizon; `meetings` every Meeting row of the series with a key in that horizon;
    `last_held` the start of the latest held meeting ever; `began` the series' first
    occurrence (None: unknown). Days count in `tz`.
    """
    window_start = now - WINDOW
    by_key = {m.key: m for m in meetings}
    in_window = [key for key in planned if key >= window_start]
    planned_keys = set(in_window)
    # A closed meeting whose key is no longer planned (its segment was cut later) counts too.
    extra = [
        m
        for m in meetings
        if window_start <= m.key < now and m.key not in planned_keys and m.status != SCHEDULED
    ]
    rows = [by_key[key] for key in in_window if key in by_key] + extra
    planned_count = len(in_window) + len(extra)
    held = sum(1 for m in rows if m.status == HELD)
    cancelled_rows = [m for m in rows if m.status in (CANCELLED, SKIPPED)]
    moved_rows = [m for m in rows if m.start != m.key]
    days = None
    if last_held is not None:
        local = zone(tz)
        days = max(0, (now.astimezone(local).date() - last_held.astimezone(local).date()).days)
    streak, complete = _streak(planned, by_key, now=now)
    # A streak over the whole horizon goes back further only if the series began before it.
    complete = complete and (began is None or began < now - STREAK_HORIZON)
    return Attendance(
        planned=planned_count,
        held=held,
        cancelled=len(cancelled_rows),
        rescheduled=len(moved_rows),
        not_recorded=planned_count - held - len(cancelled_rows),
        cancelled_by=_count_by(m.changed_by for m in cancelled_rows),
        rescheduled_by=_count_by(m.moved_by for m in moved_rows),
        last_held=last_held,
        days_since_last=days,
        streak=streak,
        streak_is_lower_bound=complete,
    )


def _count_by(people: Iterable[int | None]) -> dict[int, int]:
    return dict(Counter(p for p in people if p is not None))


def _streak(
    planned: Sequence[datetime], by_key: Mapping[datetime, MeetingFact], *, now: datetime
) -> tuple[int, bool]:
    """Held occurrences in a row, newest first, and whether the horizon ran out first.

    The newest occurrence is skipped while it may simply not be closed yet.
    """
    keys = sorted(set(planned) | {k for k, m in by_key.items() if m.status == HELD and k < now})
    streak = 0
    for index, key in enumerate(reversed(keys)):
        meeting = by_key.get(key)
        status = meeting.status if meeting else SCHEDULED
        # A moved meeting is judged by when it actually took place, not by its key.
        start = meeting.start if meeting else key
        if status == HELD:
            streak += 1
        elif not (index == 0 and status == SCHEDULED and start > now - CLOSING_GRACE - MAX_LENGTH):
            return streak, False
    # Every occurrence held: the streak may go back further than the facts do.
    return streak, streak > 0 and keys[0] < now - STREAK_HORIZON + timedelta(days=35)


# -- agenda -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Balance:
    """Shared talking points raised by each side over the window."""

    lead: int
    member: int

    @property
    def total(self) -> int:
        return self.lead + self.member

    @property
    def lead_share(self) -> float | None:
        return self.lead / self.total if self.total else None

    @property
    def member_share(self) -> float | None:
        return self.member / self.total if self.total else None


def agenda_balance(authors: Mapping[int, int], *, lead_id: int, member_id: int) -> Balance:
    """From shared points counted by author (anyone else, e.g. a leaver, is ignored)."""
    return Balance(lead=authors.get(lead_id, 0), member=authors.get(member_id, 0))


@dataclass(frozen=True)
class ThemeCount:
    theme: str
    label: str
    meetings: int  # of the last `of` held meetings, how many discussed it
    of: int


def theme_coverage(
    meetings: Sequence[Sequence[str]], themes: Sequence[tuple[str, str]]
) -> list[ThemeCount]:
    """For each theme, in how many of the given held meetings a shared point on it came up.

    `meetings` holds one entry per held meeting (the last THEME_MEETINGS, any order): the
    themes of the shared points discussed in it. `themes` are (value, label) pairs.
    """
    counts: Counter[str] = Counter()
    for discussed in meetings:
        counts.update(set(discussed))
    return [ThemeCount(value, label, counts[value], len(meetings)) for value, label in themes]


# -- follow-through ---------------------------------------------------------------------


@dataclass(frozen=True)
class FollowThrough:
    """One person's action items in a 1:1: due in the window and done on time or late,
    open, and overdue."""

    on_time: int = 0
    late: int = 0
    open: int = 0
    overdue: int = 0  # every open item past its due date, however old
    oldest_overdue_days: int | None = None
    overdue_in_window: int = 0  # of them, those due in the window (they count in the rate)

    @property
    def rate(self) -> float | None:
        """Done on time out of the items due in the window: None without any."""
        counted = self.on_time + self.late + self.overdue_in_window
        return self.on_time / counted if counted else None


def follow_through(actions: Sequence[ActionFact], *, now: datetime, tz: str) -> FollowThrough:
    """Items due in the window and not after today (the owner's `tz`): done on or before
    the due date (on time), done after it (late) or still open past it (overdue); plus
    every open item, and every overdue one however old (with the age of the oldest). An
    item without a due date is open or done, never late, so it does not count in the rate;
    the organization's rollups count items due in the window the same way."""
    local = zone(tz)
    today = now.astimezone(local).date()
    since = (now - WINDOW).astimezone(local).date()
    on_time = late = open_count = 0
    overdue: list[date] = []
    in_window = 0
    for item in actions:
        if item.done_at is None:
            open_count += 1
            if item.due is not None and item.due < today:
                overdue.append(item.due)
                in_window += since <= item.due
        elif item.due is not None and since <= item.due <= today:
            if item.done_at.astimezone(local).date() <= item.due:
                on_time += 1
            else:
                late += 1
    return FollowThrough(
        on_time=on_time,
        late=late,
        open=open_count,
        overdue=len(overdue),
        oldest_overdue_days=(today - min(overdue)).days if overdue else None,
        overdue_in_window=in_window,
    )


# -- usefulness -------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingBlock:
    """Averages over RATING_BLOCK consecutive meetings that both participants rated."""

    first: datetime
    last: datetime
    lead: float
    member: float

    @property
    def gap(self) -> float:
        """How much more useful the lead found them than the team member (negative: less)."""
        return self.lead - self.member


@dataclass(frozen=True)
class Usefulness:
    blocks: list[RatingBlock] = field(default_factory=list)  # the latest, oldest first
    count: int = 0  # every stored block

    @property
    def shown(self) -> bool:
        return bool(self.blocks)

    @property
    def gap(self) -> float | None:
        """The perception gap over the blocks shown (lead minus member)."""
        if not self.blocks:
            return None
        return sum(b.gap for b in self.blocks) / len(self.blocks)

    def falling_for_member(self) -> tuple[float, float] | None:
        """(previous, latest) member averages when the latest fell by 0.5 or more."""
        if len(self.blocks) < 2:
            return None
        before, latest = self.blocks[-2].member, self.blocks[-1].member
        return (before, latest) if latest <= before - 0.5 else None


def usefulness(blocks: Sequence[BlockFact]) -> Usefulness:
    """Both sides' averages per stored block, the latest RATING_BLOCKS_SHOWN, oldest first.

    Blocks are written once and never change (insights/blocks.py), so ratings reach the
    other participant only as sums of RATING_BLOCK of them.
    """
    ordered = sorted(blocks, key=lambda b: b.last_key)
    return Usefulness(
        blocks=[
            RatingBlock(
                first=b.first_key,
                last=b.last_key,
                lead=b.lead_sum / RATING_BLOCK,
                member=b.member_sum / RATING_BLOCK,
            )
            for b in ordered[-RATING_BLOCKS_SHOWN:]
        ],
        count=len(ordered),
    )


# -- early warnings ---------------------------------------------------------------------


@dataclass(frozen=True)
class EarlyWarning:
    kind: str  # mood | workload | lapse | blocker | usefulness
    reason: str


def early_warnings(
    *,
    checkins: Sequence[CheckInFact],
    attendance: Attendance | None,
    cadence_days: int | None,
    active: bool,
    started: datetime,
    now: datetime,
    usefulness: Usefulness | None,
) -> list[EarlyWarning]:
    """Reasons to look at a 1:1 now, from the team member's check-ins (oldest first),
    its cadence and its usefulness trend. Each reason is stated without content.

    `started` is the first occurrence of the series, or of its current run after a pause.
    """
    found: list[EarlyWarning] = []
    moods = [c.mood for c in checkins]
    if len(moods) >= 5:
        before, latest = sum(moods[-5:-2]) / 3, sum(moods[-2:]) / 2
        if latest <= before - 1:
            found.append(
                EarlyWarning(
                    "mood",
                    f"Mood fell from {before:.1f} to {latest:.1f} (out of 5) "
                    "over the last 2 check-ins.",
                )
            )
    if len(checkins) >= 2 and all(c.workload == TOO_MUCH for c in checkins[-2:]):
        found.append(EarlyWarning("workload", "Workload was “too much” in the last 2 check-ins."))
    if active and cadence_days:
        last = attendance.last_held if attendance else None
        # `started` is when the current run of the series began: time paused is not a lapse.
        since = max(last, started) if last else started
        days = (now - since).days
        # Twice the cadence, and the meeting due then had time to be closed: one missed
        # meeting and today's, just starting, is not a lapse yet.
        if now - since >= timedelta(days=2 * cadence_days) + CLOSING_GRACE + MAX_LENGTH:
            what = (
                f"No 1:1 held for {days} days" if since == last else f"No 1:1 held in {days} days"
            )
            found.append(
                EarlyWarning("lapse", f"{what}; the cadence is every {cadence_days} days.")
            )
    recent = checkins[-4:]
    repeats = Counter(line for c in recent for line in c.blockers)
    if repeats and max(repeats.values()) >= 2:
        times = max(repeats.values())
        found.append(
            EarlyWarning(
                "blocker",
                f"The same blocker came up in {times} of the last {len(recent)} check-ins.",
            )
        )
    falling = usefulness.falling_for_member() if usefulness else None
    if falling:
        found.append(
            EarlyWarning(
                "usefulness",
                f"Usefulness ratings fell from {falling[0]:.1f} to {falling[1]:.1f} "
                f"(averages over {RATING_BLOCK} meetings).",
            )
        )
    return found


def mood_trend(checkins: Sequence[CheckInFact], count: int = 6) -> list[int]:
    """The team member's latest moods, oldest first."""
    return [c.mood for c in checkins[-count:]]

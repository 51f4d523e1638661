"""A series' past, replayed meeting by meeting into unsaved rows.

The replay follows the services' rules, so the result looks exactly as if people
had used Rapport: a closed meeting records a CarryOver for every open point that
was on its agenda (raised before it ended, not discussed in it), a discussed
point gets a Discussion row, standing topics stay open, and action items are
completed in a later meeting.
"""

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate, pairwise
from uuid import UUID

from demo import content
from demo.org import random_uuid
from demo.text import TextMaker
from lib.timezones import zone
from meetings.models import Meeting, Relationship, TalkingPoint, Theme
from meetings.schedule import Segment, next_occurrences, segment_occurrences
from playbook.defaults import DEFAULT_QUESTIONS
from playbook.models import Question

# An occurrence is history once it ended this long ago; later ones are still to close.
CLOSE_AFTER = timedelta(hours=1)
MINUTE = timedelta(minutes=1)
THEMES = tuple(Theme.values)
THEME_WEIGHTS: dict[str, int] = {
    Theme.WELLBEING: 14,
    Theme.CAREER: 12,
    Theme.FEEDBACK: 12,
    Theme.BLOCKERS: 16,
    Theme.PRIORITIES: 18,
    Theme.RECOGNITION: 10,
    Theme.GOALS: 10,
    Theme.OTHER: 8,
}
# Questions from the default question bank, by theme and by who would ask them.
QUESTIONS: dict[tuple[str, str], tuple[str, ...]] = {
    (theme, side): tuple(
        q.text
        for q in DEFAULT_QUESTIONS
        if q.theme == theme
        and q.audience
        in (
            Question.Audience.ANYONE,
            Question.Audience.TO_REPORT if side == "lead" else Question.Audience.TO_MANAGER,
        )
    )
    for theme in THEMES
    for side in ("lead", "member")
}


@dataclass(frozen=True)
class Participant:
    pk: int
    first_name: str


@dataclass
class Series:
    """A relationship that exists in the database, with the segments of its schedule."""

    relationship_id: int
    kind: str
    lead: Participant
    member: Participant
    status: str
    created_at: datetime
    segments: list[Segment]
    projects: tuple[str, ...] = ()
    stop: datetime | None = None
    showcase: bool = False
    reschedule_next: bool = False
    # Its recent occurrences were all called off: nothing held for over twice the cadence
    # (the demo's early warning, demo/insights.py).
    lapse: bool = False
    # Its latest occurrence took place, whatever the day the history is written on.
    steady: bool = False


@dataclass(slots=True, eq=False)
class MeetingRow:
    """A Meeting to insert; `id` is assigned just before the insert."""

    uuid: UUID
    relationship_id: int
    occurrence_start: datetime
    start: datetime
    duration_minutes: int
    status: str
    reason: str
    status_changed_by_id: int
    closed_at: datetime | None
    notes: str = ""
    notes_version: int = 0
    notes_updated_at: datetime | None = None
    notes_updated_by_id: int | None = None
    moved_by_id: int | None = None
    id: int = 0


@dataclass(slots=True, eq=False)
class PointRow:
    """A TalkingPoint to insert (never planned for a given occurrence: always 'next')."""

    uuid: UUID
    relationship_id: int
    author_id: int
    text: str
    theme: str
    is_private: bool
    is_standing: bool
    position: int
    source: str
    created_at: datetime
    status: str = TalkingPoint.Status.OPEN
    id: int = 0


@dataclass(slots=True)
class PlannedAction:
    uuid: UUID
    meeting: MeetingRow
    relationship_id: int
    text: str
    owner_id: int
    created_by_id: int
    due_date: date
    created_at: datetime
    slow: bool  # lingers for weeks, as some commitments do
    done_at: datetime | None = None
    completed_in: MeetingRow | None = None


@dataclass
class Batch:
    """Rows of many series, inserted together; later rows refer to earlier ones by object."""

    meetings: list[MeetingRow] = field(default_factory=list)
    points: list[PointRow] = field(default_factory=list)
    discussions: list[tuple[PointRow, MeetingRow, datetime]] = field(default_factory=list)
    carry_overs: list[tuple[PointRow, MeetingRow]] = field(default_factory=list)
    private_notes: list[tuple[UUID, MeetingRow, int, str, datetime]] = field(default_factory=list)
    ratings: list[tuple[MeetingRow, int, int, datetime]] = field(default_factory=list)
    actions: list[PlannedAction] = field(default_factory=list)


@dataclass
class _State:
    """What a series carries from one meeting to the next while it is replayed."""

    window: datetime  # points for the next meeting are raised after this instant
    member_share: float  # how much of the agenda the member raises
    carry_rate: float
    mood: float  # the series' typical rating
    gap: float  # how much higher the lead rates than the member
    theme_weights: list[float]
    position: int = 0
    pending: list[PointRow] = field(default_factory=list)
    carried: set[int] = field(default_factory=set)
    standing: list[PointRow] = field(default_factory=list)
    open_actions: list[PlannedAction] = field(default_factory=list)
    held: list[MeetingRow] = field(default_factory=list)


class HistoryWriter:
    """Replays series into a Batch, drawing every choice from one seeded random stream."""

    def __init__(
        self,
        rng: random.Random,
        *,
        ids: random.Random,
        now: datetime,
        organization_id: int,
        text: TextMaker,
    ) -> None:
        self.rng = rng
        self.ids = ids
        self.now = now
        self.organization_id = organization_id
        self.text = text
        self.batch = Batch()

    # -- the series ---------------------------------------------------------------------

    def replay(self, series: Series) -> None:
        rng = self.rng
        self.text.projects = series.projects or content.PROJECTS
        weights = [THEME_WEIGHTS[t] * rng.uniform(0.15, 1.6) for t in THEMES]
        st = _State(
            window=series.created_at,
            member_share=rng.uniform(0.38, 0.62),
            carry_rate=rng.uniform(0.06, 0.18),
            mood=rng.choice((4.4, 4.1, 3.8, 3.4)),
            gap=rng.uniform(-0.2, 0.8),
            theme_weights=list(accumulate(weights)),
        )
        self._standing_topics(series, st)
        past = self._past_occurrences(series)
        lapse_from = self._lapse_from(past) if series.lapse else None
        for i, (key, minutes) in enumerate(past):
            following = past[i + 1][0] if i + 1 < len(past) else None
            roll = rng.random()
            kept = series.steady and i == len(past) - 1
            if lapse_from is not None and key >= lapse_from:
                # Called off one after the other, the last one cancelled, the one before skipped.
                odd = (len(past) - i) % 2
                status = Meeting.Status.CANCELLED if odd else Meeting.Status.SKIPPED
                self._cancel(series, st, key, minutes, status, explained=True)
            elif roll < 0.08 and not kept:
                self._cancel(series, st, key, minutes, Meeting.Status.CANCELLED)
            elif roll < 0.12 and not kept:
                self._cancel(series, st, key, minutes, Meeting.Status.SKIPPED)
            else:
                self._hold(series, st, key, minutes, following, moved=0.12 <= roll < 0.20)
        self._finish(series, st)

    def _past_occurrences(self, series: Series) -> list[tuple[datetime, int]]:
        found = []
        for segment in series.segments:
            span = timedelta(minutes=segment.duration_minutes) + CLOSE_AFTER
            for key in segment_occurrences(segment, series.created_at, self.now - span):
                found.append((key, segment.duration_minutes))
        found.sort()
        return found

    def _lapse_from(self, past: list[tuple[datetime, int]]) -> datetime:
        """From when a lapsing series' occurrences are called off: over twice its cadence ago."""
        keys = [key for key, _ in past[-4:]]
        cadence = max((b - a for a, b in pairwise(keys)), default=timedelta(weeks=1))
        return self.now - 2 * cadence - timedelta(days=3)

    def _standing_topics(self, series: Series, st: _State) -> None:
        rng = self.rng
        count = rng.choice((1, 2, 2, 2)) if not series.showcase else 2
        mentoring = series.kind == Relationship.Kind.MENTOR
        topics = rng.sample(content.MENTOR_TOPICS if mentoring else content.STANDING_TOPICS, count)
        for theme, text in topics:
            author = series.lead if rng.random() < 0.7 else series.member
            st.standing.append(
                self._point(series, st, author.pk, theme, text, series.created_at, standing=True)
            )

    # -- talking points -----------------------------------------------------------------

    def _point(
        self,
        series: Series,
        st: _State,
        author_id: int,
        theme: str,
        text: str,
        at: datetime,
        *,
        private: bool = False,
        standing: bool = False,
        source: str = TalkingPoint.Source.PERSON,
    ) -> PointRow:
        st.position += 1
        point = PointRow(
            uuid=random_uuid(self.ids),
            relationship_id=series.relationship_id,
            author_id=author_id,
            text=text,
            theme=theme,
            is_private=private,
            is_standing=standing,
            position=st.position,
            source=source,
            created_at=at,
        )
        self.batch.points.append(point)
        return point

    def _raise(
        self,
        series: Series,
        st: _State,
        at: datetime,
        *,
        side: str | None = None,
        private: bool | None = None,
    ) -> PointRow:
        """A new point by either participant, on a theme the series tends to talk about."""
        rng = self.rng
        if side is None:
            side = "member" if rng.random() < st.member_share else "lead"
        author = series.member if side == "member" else series.lead
        theme = rng.choices(THEMES, cum_weights=st.theme_weights)[0]
        if private is None:
            private = rng.random() < 0.1
        questions = QUESTIONS[(theme, side)]
        if questions and not private and rng.random() < 0.06:
            text = rng.choice(questions)
            source = TalkingPoint.Source.QUESTION
        else:
            text, source = self.text.point(theme, side), TalkingPoint.Source.PERSON
        return self._point(series, st, author.pk, theme, text, at, private=private, source=source)

    def _raise_between(
        self, series: Series, st: _State, lo: datetime, hi: datetime, n: int
    ) -> None:
        rng = self.rng
        span = max((hi - lo).total_seconds(), 60.0)
        times = sorted(lo + timedelta(seconds=rng.uniform(30, span - 30)) for _ in range(n))
        for at in times:
            st.pending.append(self._raise(series, st, at))

    # -- one occurrence -----------------------------------------------------------------

    def _meeting(
        self,
        series: Series,
        key: datetime,
        start: datetime,
        minutes: int,
        *,
        status: str,
        reason: str,
        changed_by: int,
        closed_at: datetime | None,
    ) -> MeetingRow:
        meeting = MeetingRow(
            uuid=random_uuid(self.ids),
            relationship_id=series.relationship_id,
            occurrence_start=key,
            start=start,
            duration_minutes=minutes,
            status=status,
            reason=reason,
            status_changed_by_id=changed_by,
            closed_at=closed_at,
        )
        self.batch.meetings.append(meeting)
        return meeting

    def _someone(self, series: Series, lead_share: float = 0.6) -> Participant:
        return series.lead if self.rng.random() < lead_share else series.member

    def _cancel(
        self,
        series: Series,
        st: _State,
        key: datetime,
        minutes: int,
        status: str,
        *,
        explained: bool = False,
    ) -> None:
        rng = self.rng
        closed = key - timedelta(minutes=rng.uniform(20, 2 * 24 * 60))
        if closed <= st.window + MINUTE:
            closed = st.window + (key - st.window) / 2
        # A lapsing series keeps collecting agenda, carried over from one call-off to the next.
        if rng.random() < 0.3 or explained:
            self._raise_between(series, st, st.window, closed, 1)
        reasons = (
            content.CANCEL_REASONS if status == Meeting.Status.CANCELLED else content.SKIP_REASONS
        )
        if explained:
            reasons = tuple(r for r in reasons if r)
        meeting = self._meeting(
            series,
            key,
            key,
            minutes,
            status=status,
            reason=self.text.reason(reasons),
            changed_by=self._someone(series).pk,
            closed_at=closed,
        )
        for point in st.pending:
            self.batch.carry_overs.append((point, meeting))
            st.carried.add(id(point))
        st.window = closed

    def _moved(
        self, series: Series, key: datetime, minutes: int, lo: datetime, hi: datetime
    ) -> datetime | None:
        """Another time for an occurrence: an hour or two earlier or later, or another day."""
        rng = self.rng
        tz = zone(series.segments[0].timezone)
        length = timedelta(minutes=minutes)
        for _ in range(3):
            if rng.random() < 0.5:
                start = key + timedelta(hours=rng.choice((-2, -1, 1, 2, 3)))
            else:
                local = key.astimezone(tz).replace(tzinfo=None) + timedelta(
                    days=rng.choice((-1, 1, 2))
                )
                start = local.replace(tzinfo=tz).astimezone(key.tzinfo)
            local_start = start.astimezone(tz)
            if (
                local_start.weekday() < 5
                and 8 <= local_start.hour <= 17
                and lo + timedelta(hours=1) < start
                and start + length <= hi
            ):
                return start
        return None

    def _hold(
        self,
        series: Series,
        st: _State,
        key: datetime,
        minutes: int,
        following: datetime | None,
        *,
        moved: bool,
    ) -> None:
        rng = self.rng
        start, reason, mover = key, "", None
        # Close before the next occurrence (and before the series stopped), as people do.
        limit = min(following or self.now, series.stop or self.now, self.now)
        if moved:
            hi = min(limit - CLOSE_AFTER, self.now - CLOSE_AFTER)
            new_start = self._moved(series, key, minutes, st.window, hi)
            if new_start is not None:
                start, reason = new_start, self.text.reason(content.RESCHEDULE_REASONS)
                mover = self._someone(series, 0.55).pk
        length = timedelta(minutes=minutes)
        end = start + length
        fresh = rng.randint(2, 5) if len(st.pending) < 2 else rng.randint(1, 3)
        self._raise_between(series, st, st.window, start - 5 * MINUTE, fresh)
        closed = min(end + timedelta(minutes=rng.uniform(1, 180)), limit - 30 * MINUTE)
        closed = max(closed, end + MINUTE)
        meeting = self._meeting(
            series,
            key,
            start,
            minutes,
            status=Meeting.Status.HELD,
            reason=reason,
            changed_by=self._someone(series, 0.65).pk,
            closed_at=closed,
        )
        meeting.moved_by_id = mover
        meeting.notes_version = 1
        meeting.notes_updated_at = end - timedelta(minutes=rng.uniform(0, 5))
        meeting.notes_updated_by_id = self._someone(series).pk
        discussed = self._discuss(st, meeting, start, length)
        completed = self._complete_actions(st, meeting, start, length)
        actions = self._new_actions(series, st, meeting, start, length)
        meeting.notes = self.text.notes(
            points=discussed,
            actions=[(a.text, self._first_name(series, a.owner_id)) for a in actions],
            first=series.member.first_name,
        )
        if completed and rng.random() < 0.3:
            meeting.notes += f"\n\nClosed {completed} action item{'s' if completed > 1 else ''}."
        self._rate(series, st, meeting, closed)
        self._private_notes(series, meeting, end)
        st.held.append(meeting)
        st.window = closed

    def _discuss(
        self, st: _State, meeting: MeetingRow, start: datetime, length: timedelta
    ) -> list[str]:
        """Discuss most of the agenda; the rest is carried over. Returns the shared texts."""
        rng = self.rng
        texts: list[str] = []
        still_open = []
        for point in st.pending:
            was_carried = id(point) in st.carried
            if rng.random() < (0.12 if was_carried else st.carry_rate):
                self.batch.carry_overs.append((point, meeting))
                st.carried.add(id(point))
                still_open.append(point)
                continue
            point.status = TalkingPoint.Status.DISCUSSED
            self.batch.discussions.append((point, meeting, start + length * rng.random()))
            if not point.is_private:
                texts.append(point.text)
        st.pending = still_open
        for point in st.standing:
            if rng.random() < 0.8:
                self.batch.discussions.append((point, meeting, start + length * rng.random()))
        return texts

    # -- action items, ratings, private notes -------------------------------------------

    def _complete_actions(
        self, st: _State, meeting: MeetingRow, start: datetime, length: timedelta
    ) -> int:
        rng = self.rng
        remaining = []
        done = 0
        for item in st.open_actions:
            if rng.random() < (0.12 if item.slow else 0.6):
                # Most people tick a commitment off during the week, before it is due; the
                # rest report it done in the meeting, which may be after its due date.
                # Drawn from the item's creation time (microseconds), not from the stream, so
                # everything else in the demo stays as it was.
                due_end = datetime.combine(item.due_date + timedelta(days=1), time(0), UTC)
                deadline = min(start, due_end - timedelta(hours=14))
                micro = int(item.created_at.timestamp() * 1_000_000)
                during_week = micro % 10 < 7
                if not item.slow and deadline > item.created_at and during_week:
                    share = 0.3 + 0.7 * ((micro // 10) % 1000) / 1000
                    item.done_at = item.created_at + (deadline - item.created_at) * share
                else:
                    item.done_at = start + length * rng.uniform(0.05, 1.0)
                    item.completed_in = meeting
                done += 1
            else:
                remaining.append(item)
        st.open_actions = remaining
        return done

    def _new_actions(
        self, series: Series, st: _State, meeting: MeetingRow, start: datetime, length: timedelta
    ) -> list[PlannedAction]:
        rng = self.rng
        day = start.astimezone(zone(series.segments[0].timezone)).date()
        made = []
        for _ in range(rng.choice((0, 1, 1, 1, 2))):
            owner = series.member if rng.random() < 0.6 else series.lead
            item = PlannedAction(
                uuid=random_uuid(self.ids),
                meeting=meeting,
                relationship_id=series.relationship_id,
                text=self.text.action(),
                owner_id=owner.pk,
                created_by_id=self._someone(series, 0.5).pk,
                due_date=day + timedelta(days=rng.randint(3, 14)),
                created_at=start + length * rng.uniform(0.3, 1.0),
                slow=rng.random() < 0.15,
            )
            made.append(item)
        st.open_actions.extend(made)
        self.batch.actions.extend(made)
        return made

    def _score(self, st: _State, bias: float) -> int:
        rng = self.rng
        if rng.random() < 0.04:
            return rng.randint(1, 2)
        return min(5, max(2, round(rng.gauss(st.mood + bias, 0.7))))

    def _rate(self, series: Series, st: _State, meeting: MeetingRow, closed: datetime) -> None:
        rng = self.rng
        for person, bias in ((series.lead, st.gap / 2), (series.member, -st.gap / 2)):
            if rng.random() < 0.7:
                at = min(closed + timedelta(minutes=rng.uniform(0, 120)), self.now - MINUTE)
                self.batch.ratings.append((meeting, person.pk, self._score(st, bias), at))

    def _private_notes(self, series: Series, meeting: MeetingRow, end: datetime) -> None:
        rng = self.rng
        roll = rng.random()
        if roll >= 0.18:
            return
        authors = [series.lead if roll < 0.11 else series.member]
        if roll < 0.02:
            authors.append(series.member)
        for person in authors:
            side = "lead" if person is series.lead else "member"
            at = min(end + timedelta(minutes=rng.uniform(1, 600)), self.now - MINUTE)
            note = self.text.private_note(side)
            self.batch.private_notes.append((random_uuid(self.ids), meeting, person.pk, note, at))

    def _first_name(self, series: Series, pk: int) -> str:
        return series.lead.first_name if pk == series.lead.pk else series.member.first_name

    # -- the present --------------------------------------------------------------------

    def _finish(self, series: Series, st: _State) -> None:
        """The agenda for the next meeting, and a few touches that make the demo lively."""
        rng = self.rng
        if series.status == Relationship.Status.ENDED:
            return
        lo, hi = st.window, self.now - 10 * MINUTE
        if series.status == Relationship.Status.PAUSED:
            if rng.random() < 0.5:
                self._raise_between(series, st, lo, hi, 1)
            return
        plan: list[tuple[str | None, bool | None]]
        if series.showcase:
            plan = [("lead", False), ("member", False), ("member", True), ("lead", True)]
        else:
            count = rng.randint(1, 4)
            plan = [("lead", None), ("member", None)]
            plan = plan[:count]
            plan += [(None, None)] * (count - len(plan))
        span = max((hi - lo).total_seconds(), 60.0)
        times = sorted(lo + timedelta(seconds=rng.uniform(30, span - 30)) for _ in plan)
        for (side, private), at in zip(plan, times, strict=True):
            self._raise(series, st, at, side=side, private=private)
        if series.showcase:
            self._showcase_actions(series, st)
        if series.reschedule_next:
            self._reschedule_next(series)

    def _showcase_actions(self, series: Series, st: _State) -> None:
        """Make sure the signed-in pair sees an overdue item and one still to do."""
        today = self.now.date()
        open_items = st.open_actions
        if not any(a.due_date < today for a in open_items):
            earlier = [m for m in st.held if m.start.date() <= today - timedelta(days=5)]
            if earlier:
                self._add_open_item(series, earlier[-1], earlier[-1].start.date() + timedelta(3))
        if not any(a.due_date >= today for a in open_items) and st.held:
            self._add_open_item(series, st.held[-1], today + timedelta(days=4))

    def _add_open_item(self, series: Series, meeting: MeetingRow, due: date) -> None:
        self.batch.actions.append(
            PlannedAction(
                uuid=random_uuid(self.ids),
                meeting=meeting,
                relationship_id=series.relationship_id,
                text=self.text.action(),
                owner_id=series.member.pk,
                created_by_id=series.member.pk,
                due_date=due,
                created_at=meeting.start + timedelta(minutes=10),
                slow=True,
            )
        )

    def _reschedule_next(self, series: Series) -> None:
        """Move the next occurrence a little, as someone would for a clash."""
        upcoming = next_occurrences(series.segments, self.now, 1)
        if not upcoming:
            return
        key = upcoming[0]
        tz = zone(series.segments[-1].timezone)
        shift = timedelta(hours=2 if key.astimezone(tz).hour <= 14 else -2)
        meeting = self._meeting(
            series,
            key,
            key + shift,
            series.segments[-1].duration_minutes,
            status=Meeting.Status.SCHEDULED,
            reason=self.text.reason(content.RESCHEDULE_REASONS),
            changed_by=series.lead.pk,
            closed_at=None,
        )
        meeting.moved_by_id = series.lead.pk

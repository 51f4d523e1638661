"""Keeping the organization view's TeamRollup rows current, from the worker.

`rollup_organization` recomputes an organization's recent window (the last 90 days of
1:1s, people met over the last 30) and its calendar months (UTC): every month of the
last two years the first time, afterwards the current one and the two before it (so a
meeting closed or rated late still lands in its month), and any month the worker
missed while it was down. It costs the same handful of queries whatever the
organization's size: SQL counts grouped by the series' team and month, one query for
all schedules (expanded in Python, as everywhere in Rapport), one for the ratings and
one for the action items due in the period (judged in their owner's time zone). A
series belongs to its team member's current team; a person counts in their own team.

Every figure is as of the start of the run's UTC day (`as_of`): the recent window is
the 90 days (30 for people met) before that instant, and a meeting closed, an item
created or done, a rating given or a person joining after it counts from the next day
on. The job runs every hour but recomputes the same values all day, so two downloads
an hour apart never isolate one person's new meeting, rating or item. What can still
move within a day: a rating whose score is changed (ratings keep no time of change)
and a meeting reopened (its status is current, not as of the day). Late closings of
earlier meetings change the figures at the next day boundary.

Contributors. `people` counts the people in a group, but a figure is only as private as
the number of people it is made of, so every row also counts:

- `members`: distinct team members whose series had an occurrence planned in the
  period. A series belongs to its member's team and a person has one team, so members
  of different groups never overlap and merged groups add up exactly. The 1:1 figures
  (adherence, cancellations) are shown only from k members.
- `raters`: distinct people who rated a meeting of the group in the period, **each
  counted in one group only**: their own team's group if they rated a meeting there
  (as a team member, their own 1:1s), else the group (lowest team id, people without a
  team last) of meetings they rated as a lead. Counting a lead in every group they
  rated would make the sum over merged groups an upper bound (one manager rating the
  1:1s of five teams of one would count 5 while being one person), and k needs a lower
  bound. Counted once, the raters of any set of groups add up to at most the distinct
  people who rated their meetings: merged groups, the whole organization and a single
  team may be shown from their summed `raters` safely. The price: a single team's
  count can be lower than its distinct raters (a lead counted elsewhere), so its
  usefulness is hidden a little more often than strictly needed.
- `owners`: distinct people who own an action item counted in the group's follow-through
  (due in the period), each counted in one group only by the same rule and for the same
  reason as raters: their own team's group if they own a counted item of a 1:1 there,
  else the group (lowest team id, people without a team last) of items they own in
  other teams' 1:1s. Follow-through is shown from k owners, not k members: in a team
  where five people had 1:1s but one person owned every item due, the rate would be that
  one person's.

Follow-through counts the items with a due date in the window, from the window's first
day to the owner's today (both in the owner's zone, `since <= due <= today`): done by
the due date (on time), done after it (late), or still open and due before today
(overdue). That is the rate of insights/metrics.py (its `overdue_in_window`), with one
difference: here "today" and "done" are as of the start of the UTC day, not the moment
of the request. An open item due before the window is not counted (in the personal
view it still shows as overdue, outside the rate).
"""

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.db import transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Max, Q, Sum
from django.db.models.functions import TruncMonth

from insights.models import TeamRollup
from lib.timezones import zone
from meetings.models import ActionItem, Meeting, Rating, Schedule
from meetings.schedule import Segment, segment_occurrences
from notifications.periodic import periodic
from people.models import Organization, Person

logger = logging.getLogger(__name__)

WINDOW = timedelta(days=90)
MET_WINDOW = timedelta(days=30)
MONTHS = 24
# Months recomputed on every run besides the current one: late closings and ratings land.
REVISED_MONTHS = 2

Kind = TeamRollup.Kind
Scope = TeamRollup.Scope
# A group: a team's id, or None for people without a team.
TeamKey = int | None
# A period: a month's first day, or RECENT.
PeriodKey = date | str
RECENT = "recent"

_COUNTERS = (
    "people",
    "people_met",
    "members",
    "raters",
    "owners",
    "planned",
    "held",
    "cancelled",
    "rescheduled",
    "actions_due",
    "actions_on_time",
    "actions_late",
    "actions_overdue",
    "rating_sum",
    "rating_count",
)


def month_start(moment: datetime) -> date:
    """The first day of the UTC calendar month `moment` falls in."""
    return moment.astimezone(UTC).date().replace(day=1)


def add_months(first: date, count: int) -> date:
    """The first day of the month `count` months after (or before) the month of `first`."""
    index = first.year * 12 + first.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def _instant(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def day_start(moment: datetime) -> datetime:
    """The start (00:00 UTC) of the UTC day `moment` falls in: what a run's figures are as of."""
    return _instant(moment.astimezone(UTC).date())


@dataclass(frozen=True)
class Plan:
    """What one run recomputes: the recent window and these months (first days), as of
    `as_of` (the start of the run's UTC day): nothing after it counts."""

    as_of: datetime
    months: list[date]

    @property
    def recent_start(self) -> datetime:
        return self.as_of - WINDOW

    @property
    def met_start(self) -> datetime:
        return self.as_of - MET_WINDOW

    @property
    def start(self) -> datetime:
        """The earliest instant any figure of this run depends on."""
        return min(self.recent_start, _instant(self.months[0]))

    def month_of(self, moment: datetime) -> date | None:
        first = month_start(moment)
        return first if first >= self.months[0] else None


def months_to_compute(latest: date | None, *, now: datetime, months: int = MONTHS) -> list[date]:
    """Every month of the last `months` the first time; then the current one and the two
    before it (REVISED_MONTHS), so meetings closed and rated late still land in them.

    Months since the latest stored one are recomputed too, so a worker that was down for
    a while leaves no gap in the trends.
    """
    current = month_start(now)
    oldest = add_months(current, -(months - 1))
    if latest is not None:
        oldest = max(oldest, min(add_months(current, -REVISED_MONTHS), latest))
    found = []
    first = oldest
    while first <= current:
        found.append(first)
        first = add_months(first, 1)
    return found


@dataclass
class _Counts:
    values: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_COUNTERS, 0))

    def add(self, name: str, amount: int) -> None:
        self.values[name] += amount


class _Table:
    """Counters by (period, team)."""

    def __init__(self) -> None:
        self.cells: dict[tuple[PeriodKey, TeamKey], _Counts] = defaultdict(_Counts)

    def add(self, period: PeriodKey | None, team: TeamKey, name: str, amount: int = 1) -> None:
        if period is not None and amount:
            self.cells[(period, team)].add(name, amount)


# -- people ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Person:
    team: TeamKey
    active: bool
    joined: datetime
    left: datetime | None

    def worked_during(self, start: datetime, end: datetime) -> bool:
        return self.joined < end and (self.left is None or self.left >= start)

    def active_at(self, moment: datetime) -> bool:
        """Here at `moment`: joined before it, and still active or deactivated after it."""
        if self.joined >= moment:
            return False
        return self.active or (self.left is not None and self.left >= moment)


def _people(organization: Organization) -> dict[int, _Person]:
    rows = Person.objects.filter(organization=organization).values_list(
        "id", "team_id", "is_active", "date_joined", "deactivated_at"
    )
    return {pk: _Person(team, active, joined, left) for pk, team, active, joined, left in rows}


def _count_people(
    table: _Table, plan: Plan, people: dict[int, _Person]
) -> dict[PeriodKey, set[int]]:
    """Head counts per period; returns who counts in each period (people_met needs it)."""
    counted: dict[PeriodKey, set[int]] = {}
    for first in plan.months:
        start, end = _instant(first), min(_instant(add_months(first, 1)), plan.as_of)
        counted[first] = {pk for pk, person in people.items() if person.worked_during(start, end)}
    counted[RECENT] = {pk for pk, person in people.items() if person.active_at(plan.as_of)}
    for period, pks in counted.items():
        for pk in pks:
            table.add(period, people[pk].team, "people")
    return counted


def _closed_in_time(plan: Plan) -> Q:
    """Closed before the run's as_of (meetings closed before closed_at existed count)."""
    return Q(closed_at__isnull=True) | Q(closed_at__lt=plan.as_of)


def _count_met(
    table: _Table,
    plan: Plan,
    organization: Organization,
    people: dict[int, _Person],
    counted: dict[PeriodKey, set[int]],
) -> None:
    """People who took part in a held 1:1 (by its actual start), counted in their own team."""
    held = Meeting.objects.filter(
        _closed_in_time(plan),
        organization=organization,
        status=Meeting.Status.HELD,
        start__gte=plan.start,
        start__lt=plan.as_of,
    )
    lately = ExpressionWrapper(Q(start__gte=plan.met_start), output_field=BooleanField())
    met: dict[PeriodKey, set[int]] = defaultdict(set)
    for role in ("relationship__lead_id", "relationship__member_id"):
        rows = (
            held.annotate(month=TruncMonth("start", tzinfo=UTC), recent=lately)
            .values_list("month", "recent", role)
            .order_by()
            .distinct()
        )
        for month, recent, pk in rows:
            first = plan.month_of(month)
            if first is not None and pk in counted[first]:
                met[first].add(pk)
            if recent and pk in counted[RECENT]:
                met[RECENT].add(pk)
    for period, pks in met.items():
        for pk in pks:
            table.add(period, people[pk].team, "people_met")


# -- 1:1s --------------------------------------------------------------------------------


def _count_meetings(table: _Table, plan: Plan, organization: Organization) -> None:
    """Held, cancelled (or skipped) and rescheduled occurrences, by occurrence key; a
    meeting counts as held or cancelled once closed before as_of."""
    recent = Q(occurrence_start__gte=plan.recent_start)
    moved = ~Q(start=F("occurrence_start"))
    closed = _closed_in_time(plan)
    held = Q(status=Meeting.Status.HELD) & closed
    called_off = Q(status__in=[Meeting.Status.CANCELLED, Meeting.Status.SKIPPED]) & closed
    rows = (
        Meeting.objects.filter(
            organization=organization,
            occurrence_start__gte=plan.start,
            occurrence_start__lt=plan.as_of,
        )
        .annotate(month=TruncMonth("occurrence_start", tzinfo=UTC))
        .values("month", team=F("relationship__member__team_id"))
        .annotate(
            held=Count("id", filter=held),
            cancelled=Count("id", filter=called_off),
            rescheduled=Count("id", filter=moved),
            recent_held=Count("id", filter=held & recent),
            recent_cancelled=Count("id", filter=called_off & recent),
            recent_rescheduled=Count("id", filter=moved & recent),
        )
        .order_by()
    )
    for row in rows:
        first, team = plan.month_of(row["month"]), row["team"]
        table.add(first, team, "held", row["held"])
        table.add(first, team, "cancelled", row["cancelled"])
        table.add(first, team, "rescheduled", row["rescheduled"])
        table.add(RECENT, team, "held", row["recent_held"])
        table.add(RECENT, team, "cancelled", row["recent_cancelled"])
        table.add(RECENT, team, "rescheduled", row["recent_rescheduled"])


def _count_planned(table: _Table, plan: Plan, organization: Organization) -> None:
    """Occurrences of every series' schedule segments that started and ended in the
    period; and the distinct team members they were planned with (`members`)."""
    rows = (
        Schedule.objects.filter(relationship__organization=organization, starts_at__lt=plan.as_of)
        .filter(Q(until__isnull=True) | Q(until__gt=plan.start))
        .values_list(
            "relationship_id",
            "relationship__member_id",
            "relationship__member__team_id",
            "rrule",
            "first_date",
            "local_time",
            "timezone",
            "duration_minutes",
            "until",
        )
    )
    series: dict[int, tuple[int, TeamKey, list[Segment]]] = {}
    for pk, member, member_team, rule, first_date, local_time, tz, minutes, until in rows:
        segment = Segment(rule, first_date, local_time, tz, minutes, until)
        series.setdefault(pk, (member, member_team, []))[2].append(segment)
    members: dict[tuple[PeriodKey, TeamKey], set[int]] = defaultdict(set)
    for member, team, segments in series.values():
        # Like meetings.schedule.occurrences (segments never share a start, but the union
        # is what a series is), keeping each occurrence's length: it counts once ended.
        ends: dict[datetime, datetime] = {}
        for segment in segments:
            length = timedelta(minutes=segment.duration_minutes)
            for start in segment_occurrences(segment, plan.start, plan.as_of):
                ends[start] = start + length
        for start, end in ends.items():
            if end > plan.as_of:
                continue
            first = plan.month_of(start)
            table.add(first, team, "planned")
            if first is not None:
                members[(first, team)].add(member)
            if start >= plan.recent_start:
                table.add(RECENT, team, "planned")
                members[(RECENT, team)].add(member)
    for (period, team), pks in members.items():
        table.add(period, team, "members", len(pks))


def _team_order(team: TeamKey) -> tuple[bool, int]:
    return (team is None, team or 0)


def _count_once(
    table: _Table,
    name: str,
    found: dict[PeriodKey, dict[int, set[TeamKey]]],
    people: dict[int, _Person],
) -> None:
    """Count each person of `found` (the groups they contributed to, per period) in one
    group only: their own team's if among them, else the first by team id (people without
    a team last). So a counter sums over merged groups to at most the distinct people
    (the module's docstring says why k needs that)."""
    for period, groups_by_person in found.items():
        for pk, groups in groups_by_person.items():
            own = people[pk].team if pk in people else None
            group = own if own in groups else min(groups, key=_team_order)
            table.add(period, group, name)


def _count_ratings(
    table: _Table, plan: Plan, organization: Organization, people: dict[int, _Person]
) -> None:
    """Usefulness ratings given before as_of to the period's meetings (by occurrence key),
    by either side; and the people who gave them, each counted in one group (`raters`,
    see the module's docstring)."""
    recent = ExpressionWrapper(
        Q(meeting__occurrence_start__gte=plan.recent_start), output_field=BooleanField()
    )
    rows = (
        Rating.objects.filter(
            meeting__organization=organization,
            meeting__occurrence_start__gte=plan.start,
            meeting__occurrence_start__lt=plan.as_of,
            created_at__lt=plan.as_of,
        )
        .annotate(month=TruncMonth("meeting__occurrence_start", tzinfo=UTC), recent=recent)
        .values_list("month", "recent", "meeting__relationship__member__team_id", "rater_id")
        .annotate(total=Sum("score"), count=Count("id"))
        .order_by()
    )
    rated: dict[PeriodKey, dict[int, set[TeamKey]]] = defaultdict(lambda: defaultdict(set))
    for month, is_recent, team, rater, total, count in rows:
        for period in (plan.month_of(month), RECENT if is_recent else None):
            if period is None:
                continue
            table.add(period, team, "rating_sum", total or 0)
            table.add(period, team, "rating_count", count)
            rated[period][rater].add(team)
    _count_once(table, "raters", rated, people)


# -- follow-through ----------------------------------------------------------------------


def action_outcome(due: date, done_at: datetime | None, tz_name: str) -> str:
    """on_time, late or overdue: done (in the owner's zone) by the due date, after, or not."""
    if done_at is None:
        return "actions_overdue"
    done_on = done_at.astimezone(zone(tz_name)).date()
    return "actions_on_time" if done_on <= due else "actions_late"


def _count_actions(
    table: _Table, plan: Plan, organization: Organization, people: dict[int, _Person]
) -> None:
    """Action items created before as_of, due in the period and not after their owner's
    today (at as_of); done after as_of counts as still open. And the people who own
    them, each counted in one group (`owners`, see the module's docstring)."""
    # A day of margin on each side: owners' dates run up to 14 hours from UTC.
    lo = plan.start.date() - timedelta(days=1)
    hi = plan.as_of.date() + timedelta(days=1)
    rows = (
        ActionItem.objects.filter(
            organization=organization,
            due_date__gte=lo,
            due_date__lte=hi,
            created_at__lt=plan.as_of,
        )
        .values_list(
            "due_date", "done_at", "owner_id", "owner__timezone", "relationship__member__team_id"
        )
        .order_by()
    )
    first_month = plan.months[0]
    # Each owner zone's today and first day of the recent window.
    days: dict[str, tuple[date, date]] = {}
    tally: Counter[tuple[PeriodKey, TeamKey, str]] = Counter()
    owned: dict[PeriodKey, dict[int, set[TeamKey]]] = defaultdict(lambda: defaultdict(set))
    for due, done_at, owner, tz_name, team in rows:
        assert due is not None  # filtered on
        if tz_name not in days:
            tz = zone(tz_name)
            days[tz_name] = (plan.as_of.astimezone(tz).date(), plan.recent_start.astimezone(tz).date())  # fmt: skip
        today, since = days[tz_name]
        done = done_at if done_at is not None and done_at < plan.as_of else None
        # Due today counts once done; still open, it is not overdue before tomorrow.
        if due > today or (due == today and done is None):
            continue
        outcome = action_outcome(due, done, tz_name)
        first = due.replace(day=1)
        if first >= first_month:
            tally[(first, team, outcome)] += 1
            owned[first][owner].add(team)
        # Like insights/metrics.py: since <= due <= today, in the owner's zone.
        if due >= since:
            tally[(RECENT, team, outcome)] += 1
            owned[RECENT][owner].add(team)
    for (period, group, outcome_name), number in tally.items():
        table.add(period, group, "actions_due", number)
        table.add(period, group, outcome_name, number)
    _count_once(table, "owners", owned, people)


# -- writing -----------------------------------------------------------------------------


def _rows(organization: Organization, table: _Table, plan: Plan, at: datetime) -> list[TeamRollup]:
    """ORGANIZATION, TEAM and NO_TEAM rows for each period. Every counter adds up over
    the groups, `members`, `raters` and `owners` too (each person counts in one group)."""
    by_period: dict[PeriodKey, dict[TeamKey, _Counts]] = defaultdict(dict)
    for (period, team), counts in table.cells.items():
        by_period[period][team] = counts
    periods: list[PeriodKey] = [RECENT, *plan.months]
    rows = []
    for period in periods:
        if isinstance(period, date):
            kind, start = Kind.MONTH, period
        else:
            kind, start = Kind.RECENT, plan.as_of.date()
        total = dict.fromkeys(_COUNTERS, 0)
        for team, counts in sorted(by_period[period].items(), key=lambda item: item[0] or 0):
            for name, value in counts.values.items():
                total[name] += value
            scope = Scope.NO_TEAM if team is None else Scope.TEAM
            rows.append(_row(organization, kind, start, scope, team, counts.values, at))
        rows.append(_row(organization, kind, start, Scope.ORGANIZATION, None, total, at))
    return rows


def _row(
    organization: Organization,
    kind: str,
    start: date,
    scope: str,
    team: TeamKey,
    values: dict[str, int],
    at: datetime,
) -> TeamRollup:
    return TeamRollup(
        organization=organization,
        kind=kind,
        period_start=start,
        scope=scope,
        team_id=team,
        computed_at=at,
        **values,
    )


def rollup_organization(
    organization: Organization, *, now: datetime, months: int = MONTHS
) -> dict[str, int]:
    """Recompute the organization's recent and monthly rollups as of the start of `now`'s
    UTC day; return rows written."""
    stored = TeamRollup.objects.filter(organization=organization, kind=Kind.MONTH).aggregate(
        latest=Max("period_start")
    )
    as_of = day_start(now)
    plan = Plan(as_of=as_of, months=months_to_compute(stored["latest"], now=as_of, months=months))
    people = _people(organization)
    table = _Table()
    counted = _count_people(table, plan, people)
    _count_met(table, plan, organization, people, counted)
    _count_meetings(table, plan, organization)
    _count_planned(table, plan, organization)
    _count_ratings(table, plan, organization, people)
    _count_actions(table, plan, organization, people)
    rows = _rows(organization, table, plan, now)
    with transaction.atomic():
        mine = TeamRollup.objects.filter(organization=organization)
        mine.filter(kind=Kind.RECENT).delete()
        mine.filter(kind=Kind.MONTH, period_start__in=plan.months).delete()
        TeamRollup.objects.bulk_create(rows, batch_size=1000)
    return {
        "recent": sum(1 for row in rows if row.kind == Kind.RECENT),
        "months": len(plan.months),
        "rows": len(rows),
    }


@periodic("insights.rollup", timedelta(hours=1))
def rollup_all(now: datetime) -> str:
    """Every organization's rollups, each in its own transaction; a failure skips one org."""
    done = failed = 0
    for organization in Organization.objects.order_by("pk"):
        try:
            with transaction.atomic():
                rollup_organization(organization, now=now)
        except Exception:
            logger.exception("Insights rollup failed for organization %s", organization.pk)
            failed += 1
        else:
            done += 1
    return f"rolled up {done} organization(s)" + (f", {failed} failed" if failed else "")

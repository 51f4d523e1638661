"""The organization view for admins: content-free figures, only for groups of 5 or more.

`org_report` reads nothing but the TeamRollup rows the worker keeps current
(insights/rollups.py) and the names of teams, in two queries whatever the size of the
organization. The k >= 5 rule is applied here, at read time, by `merge_small_groups`:
a team of fewer than 5 active people is never shown on its own, and no person's name
is ever part of any figure.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime

from insights.charts import LineChart, Series, line_chart
from insights.models import TeamRollup
from insights.rollups import MONTHS, add_months
from people.models import Organization

K = 5
NO_VALUE = "—"
HIDDEN = f"Not shown: fewer than {K} people"
ORGANIZATION_LABEL = "Whole organization"

Scope = TeamRollup.Scope


@dataclass(frozen=True)
class Figures:
    """A group's sums for a period; groups merge by adding them up."""

    people: int = 0
    people_met: int = 0
    planned: int = 0
    held: int = 0
    cancelled: int = 0
    rescheduled: int = 0
    actions_on_time: int = 0
    actions_late: int = 0
    actions_overdue: int = 0
    rating_sum: int = 0
    rating_count: int = 0

    @classmethod
    def of(cls, row: TeamRollup) -> "Figures":
        return cls(**{f.name: getattr(row, f.name) for f in fields(cls)})

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})  # fmt: skip

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))

    @property
    def met_share(self) -> float | None:
        """People who took part in a held 1:1 in the period, out of everyone."""
        return _ratio(self.people_met, self.people)

    @property
    def adherence(self) -> float | None:
        """Held out of planned, capped at 100 % (a moved meeting can land in another period)."""
        return _ratio(self.held, self.planned)

    @property
    def cancellation_rate(self) -> float | None:
        return _ratio(self.cancelled, self.planned)

    @property
    def follow_through(self) -> float | None:
        """Action items done by their due date, out of those due (done on time, late, open)."""
        due = self.actions_on_time + self.actions_late + self.actions_overdue
        return _ratio(self.actions_on_time, due)

    @property
    def usefulness(self) -> float | None:
        """The average usefulness rating (1 to 5) of the period's meetings."""
        return self.rating_sum / self.rating_count if self.rating_count else None

    def cells(self) -> "Cells":
        return Cells(
            people=str(self.people),
            met_share=percent(self.met_share),
            adherence=percent(self.adherence),
            cancellation_rate=percent(self.cancellation_rate),
            follow_through=percent(self.follow_through),
            usefulness=average(self.usefulness),
        )


def _ratio(part: int, whole: int) -> float | None:
    return min(1.0, part / whole) if whole else None


def percent(value: float | None) -> str:
    return NO_VALUE if value is None else f"{round(value * 100)} %"


def average(value: float | None) -> str:
    return NO_VALUE if value is None else f"{value:.1f}"


@dataclass(frozen=True)
class Cells:
    """A group's figures as the page and the CSV print them ("—" without a denominator)."""

    people: str
    met_share: str
    adherence: str
    cancellation_rate: str
    follow_through: str
    usefulness: str


@dataclass(frozen=True)
class Group:
    """A team, the people without a team, or the merge of several of them."""

    label: str
    figures: Figures
    teams: int = 1  # how many teams it holds
    without_team: bool = False  # holds the people without a team

    @property
    def people(self) -> int:
        return self.figures.people

    @property
    def is_merged(self) -> bool:
        return self.teams != 1 or self.without_team


@dataclass(frozen=True)
class Merged:
    """The groups that may be shown, and whether some people's figures were held back."""

    shown: tuple[Group, ...]
    hidden_teams: int = 0
    hidden_without_team: bool = False

    @property
    def hidden(self) -> bool:
        return bool(self.hidden_teams or self.hidden_without_team)


def other_label(teams: int, without_team: bool) -> str:
    if not teams:
        return "People without a team"
    label = f"Other teams ({teams} team{'' if teams == 1 else 's'})"
    return f"{label} and people without a team" if without_team else label


def _merge(groups: Sequence[Group]) -> Group:
    total = Figures()
    for group in groups:
        total += group.figures
    teams = sum(group.teams for group in groups)
    without_team = any(group.without_team for group in groups)
    return Group(other_label(teams, without_team), total, teams, without_team)


def merge_small_groups(groups: Iterable[Group], k: int = K) -> Merged:
    """Teams of k or more people as they are; everyone else added up into "Other teams".

    Teams smaller than k and the people without a team are merged. The organization's
    total is shown too, so a merged group below k could be worked out by subtracting the
    shown teams from it: then the smallest shown teams join the merge until it reaches
    k, and only if nothing is left to add is it held back ("not shown").
    """
    present = [group for group in groups if not group.figures.is_empty]
    big = sorted((g for g in present if g.people >= k and not g.is_merged), key=_by_size)
    small = [g for g in present if g.people < k or g.is_merged]
    while small and sum(g.people for g in small) < k and big:
        small.append(big.pop(0))
    shown = sorted(big, key=lambda group: group.label.casefold())
    if not small:
        return Merged(tuple(shown))
    other = _merge(small)
    if other.people < k:
        return Merged(tuple(shown), other.teams, other.without_team)
    return Merged((*shown, other))


def _by_size(group: Group) -> tuple[int, str]:
    return (group.people, group.label.casefold())


# -- the report --------------------------------------------------------------------------


@dataclass(frozen=True)
class Month:
    first: date
    figures: Figures | None  # None: no rollup, or fewer than k people that month

    @property
    def label(self) -> str:
        return f"{self.first:%b %Y}"


@dataclass(frozen=True)
class OrgReport:
    computed_at: datetime | None  # None: the worker has not computed any figure yet
    people: int
    headline: Figures | None  # None below k people
    groups: Merged
    months: tuple[Month, ...]
    rates_chart: LineChart | None
    usefulness_chart: LineChart | None
    k: int = K

    @property
    def hidden_note(self) -> str:
        return HIDDEN


def org_report(organization: Organization) -> OrgReport:
    """The organization's figures, k >= 5 applied, in two queries (rollups with team names)."""
    recent = list(
        TeamRollup.objects.filter(organization=organization, kind=TeamRollup.Kind.RECENT)
        .select_related("team")
        .only(*_FIGURE_FIELDS, "scope", "computed_at", "team__name")
    )
    monthly = list(
        TeamRollup.objects.filter(
            organization=organization, kind=TeamRollup.Kind.MONTH, scope=Scope.ORGANIZATION
        )
        .only(*_FIGURE_FIELDS, "period_start")
        .order_by("-period_start")[:MONTHS]
    )
    whole = next((row for row in recent if row.scope == Scope.ORGANIZATION), None)
    if whole is None:
        return OrgReport(None, 0, None, Merged(()), (), None, None)
    headline = Figures.of(whole)
    groups = merge_small_groups(_group(row) for row in recent if row.scope != Scope.ORGANIZATION)
    months = _months(monthly)
    rates, usefulness = _charts(months)
    return OrgReport(
        computed_at=whole.computed_at,
        people=headline.people,
        headline=headline if headline.people >= K else None,
        # Below k people in all, no team can reach k and their merge is held back.
        groups=groups,
        months=months,
        rates_chart=rates,
        usefulness_chart=usefulness,
    )


_FIGURE_FIELDS = tuple(f.name for f in fields(Figures))


def _group(row: TeamRollup) -> Group:
    if row.scope == Scope.NO_TEAM or row.team is None:
        return Group(other_label(0, True), Figures.of(row), teams=0, without_team=True)
    return Group(row.team.name, Figures.of(row))


def _months(rows: Sequence[TeamRollup]) -> tuple[Month, ...]:
    """Every month from the oldest rollup to the newest, a gap where one is missing."""
    if not rows:
        return ()
    by_first = {row.period_start: Figures.of(row) for row in rows}
    last = max(by_first)
    first = max(min(by_first), add_months(last, 1 - MONTHS))
    months = []
    while first <= last:
        figures = by_first.get(first)
        months.append(Month(first, figures if figures and figures.people >= K else None))
        first = add_months(first, 1)
    return tuple(months)


def _values(months: Sequence[Month], metric: str, scale: float = 1.0) -> list[float | None]:
    values: list[float | None] = []
    for month in months:
        value = getattr(month.figures, metric) if month.figures else None
        values.append(None if value is None else value * scale)
    return values


def _charts(months: Sequence[Month]) -> tuple[LineChart | None, LineChart | None]:
    if not months:
        return None, None
    labels = [month.label for month in months]
    rates = line_chart(
        title="1:1s by month",
        labels=labels,
        series=[
            Series("Cadence adherence", _values(months, "adherence", 100), "circle"),
            Series("People who had a 1:1", _values(months, "met_share", 100), "square", True),
            Series("Follow-through", _values(months, "follow_through", 100), "triangle"),
        ],
        y_min=0,
        y_max=100,
        y_ticks=[(0, "0 %"), (25, "25 %"), (50, "50 %"), (75, "75 %"), (100, "100 %")],
        value_format="{:.0f} %",
        x_title="Month",
    )
    usefulness = line_chart(
        title="Average usefulness by month",
        labels=labels,
        series=[Series("Average usefulness (1 to 5)", _values(months, "usefulness"), "diamond")],
        y_min=1,
        y_max=5,
        y_ticks=[(value, str(value)) for value in range(1, 6)],
        value_format="{:.1f}",
        x_title="Month",
    )
    return rates, usefulness

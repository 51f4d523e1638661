"""The organization view for admins: content-free figures, only for groups of 5 or more.

`org_report` reads nothing but the TeamRollup rows the worker keeps current
(insights/rollups.py) and the names of teams, in two queries whatever the size of the
organization. The k >= 5 rule is applied here, at read time, on four counts:

- people: a team of fewer than 5 active people is never shown on its own
  (`merge_small_groups` adds it into "Other teams", or holds that back);
- members (people who had 1:1s planned): adherence and cancellations of a group, the
  headline or a month are shown only from 5 of them;
- owners (people who own an action item due in the period): follow-through likewise;
- raters (people who rated its meetings): usefulness likewise. Owners and raters are
  each counted in one group, so that merged groups add up to a lower bound (see
  insights/rollups.py).

A figure held back reads "—" with the reason; "—" alone means nothing to count, and a
period before any 1:1 reads "No 1:1 data yet" rather than "not shown". The recent
headline is the sum of the groups read (`org_report` says why), and no person's name
is ever part of any figure. Like the rollups, every figure is as of 00:00 UTC of a day.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime

from insights.charts import LineChart, Series, line_chart
from insights.models import TeamRollup
from insights.rollups import MONTHS, add_months
from people.models import Organization

K = 5
NO_VALUE = "—"
HIDDEN = f"Not shown: fewer than {K} people"
NO_DATA = "No 1:1 data yet"
ORGANIZATION_LABEL = "Whole organization"
# Why a figure that exists is not shown (a "—" with this note, page and CSV alike).
FEW_MEMBERS = f"fewer than {K} people had 1:1s"
FEW_OWNERS = f"fewer than {K} people had action items due"
FEW_RATERS = f"fewer than {K} people rated"
GIVES_AWAY = f"would give away a group of fewer than {K}"

# Figures made of the same contributors: shown together or not at all.
ONE_ON_ONES = "one_on_ones"  # adherence, cancellations
FOLLOW_THROUGH = "follow_through"
USEFULNESS = "usefulness"
FAMILIES = {
    ONE_ON_ONES: ("adherence", "cancellation_rate"),
    FOLLOW_THROUGH: ("follow_through",),
    USEFULNESS: ("usefulness",),
}
# Each family's contributors (a Figures counter) and why it is held back below k of them.
CONTRIBUTORS = {ONE_ON_ONES: "members", FOLLOW_THROUGH: "owners", USEFULNESS: "raters"}
REASONS = {ONE_ON_ONES: FEW_MEMBERS, FOLLOW_THROUGH: FEW_OWNERS, USEFULNESS: FEW_RATERS}
# The family's figures in words, as the notes name them.
WORDS = {
    ONE_ON_ONES: "adherence and cancellations",
    FOLLOW_THROUGH: "follow-through",
    USEFULNESS: "usefulness",
}

Scope = TeamRollup.Scope


@dataclass(frozen=True)
class Figures:
    """A group's sums for a period; groups merge by adding them up.

    `members` adds up exactly (a person has one team, a series its member's); `raters`
    and `owners` count each person in one group only, so their sums over merged groups
    are at most the number of distinct people who rated their meetings or owned their
    items due: a lower bound, which is what k needs (insights/rollups.py explains why
    counting a lead in every group would not do).
    """

    people: int = 0
    people_met: int = 0
    members: int = 0
    raters: int = 0
    owners: int = 0
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
    def has_data(self) -> bool:
        """Any 1:1 planned or held: before that, "no data yet" rather than a 0."""
        return bool(self.planned or self.held or self.cancelled)

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

    def contributors(self, family: str) -> int:
        """The people a family's figures are made of."""
        count: int = getattr(self, CONTRIBUTORS[family])
        return count

    def withheld(self, k: int = K) -> dict[str, str]:
        """The families with a figure made of fewer than k people, and why.

        A family with nothing to count is not withheld: it reads "—" without a note.
        """
        found = {}
        for family, metrics in FAMILIES.items():
            present = any(getattr(self, metric) is not None for metric in metrics)
            if present and self.contributors(family) < k:
                found[family] = REASONS[family]
        return found

    def value(self, metric: str, withheld: Mapping[str, str]) -> float | None:
        """A metric's value, None when there is nothing to count or it is withheld."""
        family = next((name for name, metrics in FAMILIES.items() if metric in metrics), "")
        return None if family in withheld else getattr(self, metric)

    def cells(self, withheld: Mapping[str, str] | None = None) -> "Cells":
        """The figures as printed; `withheld` defaults to what k withholds of them."""
        held_back = self.withheld() if withheld is None else withheld

        def cell(metric: str, show: Callable[[float | None], str]) -> Cell:
            family = next(name for name, metrics in FAMILIES.items() if metric in metrics)
            if family in held_back:
                return Cell(NO_VALUE, held_back[family])
            return Cell(show(getattr(self, metric)))

        return Cells(
            people=str(self.people),
            people_met=str(self.people_met),
            met_share=Cell(percent(self.met_share)),
            adherence=cell("adherence", percent),
            cancellation_rate=cell("cancellation_rate", percent),
            follow_through=cell("follow_through", percent),
            usefulness=cell("usefulness", average),
        )


def _ratio(part: int, whole: int) -> float | None:
    return min(1.0, part / whole) if whole else None


def percent(value: float | None) -> str:
    return NO_VALUE if value is None else f"{round(value * 100)} %"


def average(value: float | None) -> str:
    return NO_VALUE if value is None else f"{value:.1f}"


@dataclass(frozen=True)
class Cell:
    """One printed figure: "—" when there is nothing to count, or, with a `note` saying
    why, when it is held back."""

    value: str
    note: str = ""

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Cells:
    """A group's figures as the page and the CSV print them."""

    people: str
    people_met: str
    met_share: Cell
    adherence: Cell
    cancellation_rate: Cell
    follow_through: Cell
    usefulness: Cell

    @property
    def notes(self) -> tuple[str, ...]:
        """Which figures are held back and why, in words."""
        found = []
        for family, metrics in FAMILIES.items():
            cells: list[Cell] = [getattr(self, metric) for metric in metrics]
            note = next((cell.note for cell in cells if cell.note), "")
            if note:
                found.append(f"{WORDS[family].capitalize()} not shown: {note}")
        return tuple(found)


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

    @property
    def cells(self) -> Cells:
        return self.figures.cells()


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
    figures: Figures | None  # None: no data yet, or fewer than k people that month
    note: str = ""  # NO_DATA or HIDDEN when figures is None
    withheld: Mapping[str, str] = field(default_factory=dict)  # families held back

    @property
    def label(self) -> str:
        return f"{self.first:%b %Y}"

    @property
    def cells(self) -> Cells | None:
        return self.figures.cells(self.withheld) if self.figures else None


@dataclass(frozen=True)
class OrgReport:
    computed_at: datetime | None  # None: the worker has not computed any figure yet
    as_of: date | None  # the figures are as of 00:00 UTC that day
    people: int
    headline: Figures | None  # None below k people
    headline_cells: Cells | None
    headline_note: str  # "", NO_DATA or HIDDEN
    groups: Merged
    months: tuple[Month, ...]
    rates_chart: LineChart | None
    usefulness_chart: LineChart | None
    k: int = K

    @property
    def hidden_note(self) -> str:
        return HIDDEN

    @property
    def trend_notes(self) -> tuple[str, ...]:
        """Which months the trends leave out, and why, in words."""
        notes = []
        for reason in (NO_DATA, HIDDEN):
            months = [m for m in self.months if m.note == reason]
            if months:
                notes.append(f"{reason}: {_spans(months)}.")
        # The charts show adherence of the 1:1 figures; the CSV's notes name cancellations.
        for family, words in (
            (ONE_ON_ONES, "Adherence"),
            (FOLLOW_THROUGH, "Follow-through"),
            (USEFULNESS, "Usefulness"),
        ):
            months = [m for m in self.months if family in m.withheld]
            if months:
                notes.append(f"{words} not shown ({REASONS[family]}): {_spans(months)}.")
        return tuple(notes)


def org_report(organization: Organization) -> OrgReport:
    """The organization's figures, k >= 5 applied, in two queries (rollups with team names).

    The recent headline is the sum of the team and no-team rows read, not the stored
    ORGANIZATION row: deleting a team cascades its rows away, and until the next rollup
    the stored total minus the teams shown would be the deleted team's figures (an admin
    could put one person alone in a team, wait for the rollup and delete it). Summed, the
    groups shown plus the merged ones always add up to the headline. A headline figure is
    held back, too, when the groups whose same figure is held back hold fewer than k
    contributors together: the headline minus the shown groups would be theirs.
    Monthly trends are organization-wide only (team months are never shown), so they
    read the stored ORGANIZATION rows.
    """
    recent = list(
        TeamRollup.objects.filter(organization=organization, kind=TeamRollup.Kind.RECENT)
        .select_related("team")
        .only(*_FIGURE_FIELDS, "scope", "period_start", "computed_at", "team__name")
    )
    monthly = list(
        TeamRollup.objects.filter(
            organization=organization, kind=TeamRollup.Kind.MONTH, scope=Scope.ORGANIZATION
        )
        .only(*_FIGURE_FIELDS, "period_start")
        .order_by("-period_start")[:MONTHS]
    )
    if not recent:
        return OrgReport(None, None, 0, None, None, "", Merged(()), (), None, None)
    parts = [_group(row) for row in recent if row.scope != Scope.ORGANIZATION]
    headline = Figures()
    for group in parts:
        headline += group.figures
    groups = merge_small_groups(parts)
    months = _months(monthly)
    rates, usefulness = _charts(months)
    shown = headline.people >= K and not groups.hidden
    return OrgReport(
        computed_at=max(row.computed_at for row in recent),
        as_of=max(row.period_start for row in recent),
        people=headline.people,
        headline=headline if shown else None,
        headline_cells=headline.cells(_headline_withheld(headline, groups)) if shown else None,
        headline_note=NO_DATA if not headline.has_data else ("" if shown else HIDDEN),
        # Below k people in all, no team can reach k and their merge is held back.
        groups=groups,
        months=months,
        rates_chart=rates,
        usefulness_chart=usefulness,
    )


def _headline_withheld(headline: Figures, groups: Merged) -> dict[str, str]:
    """What k withholds of the headline, and what subtracting the shown groups from it
    would give away: a family held back in groups of fewer than k contributors in all."""
    withheld = headline.withheld()
    for family in FAMILIES:
        if family in withheld:
            continue
        held = [g.figures for g in groups.shown if family in g.figures.withheld()]
        if held and sum(figures.contributors(family) for figures in held) < K:
            withheld[family] = GIVES_AWAY
    return withheld


_FIGURE_FIELDS = tuple(f.name for f in fields(Figures))


def _group(row: TeamRollup) -> Group:
    if row.scope == Scope.NO_TEAM or row.team is None:
        return Group(other_label(0, True), Figures.of(row), teams=0, without_team=True)
    return Group(row.team.name, Figures.of(row))


def _months(rows: Sequence[TeamRollup]) -> tuple[Month, ...]:
    """Every month from the oldest rollup to the newest: no data yet (no rollup, or
    nothing planned or held), not shown (fewer than k people), or the figures with what
    k withholds of them."""
    if not rows:
        return ()
    by_first = {row.period_start: Figures.of(row) for row in rows}
    last = max(by_first)
    first = max(min(by_first), add_months(last, 1 - MONTHS))
    months = []
    while first <= last:
        figures = by_first.get(first)
        if figures is None or not figures.has_data:
            months.append(Month(first, None, NO_DATA))
        elif figures.people < K:
            months.append(Month(first, None, HIDDEN))
        else:
            months.append(Month(first, figures, withheld=figures.withheld()))
        first = add_months(first, 1)
    return tuple(months)


def _spans(months: Sequence[Month]) -> str:
    """Month labels, consecutive ones as a range: "Jan 2026 – Mar 2026, Jun 2026"."""
    runs: list[list[Month]] = []
    for month in months:
        if runs and add_months(runs[-1][-1].first, 1) == month.first:
            runs[-1].append(month)
        else:
            runs.append([month])
    return ", ".join(r[0].label if len(r) == 1 else f"{r[0].label} – {r[-1].label}" for r in runs)


def _values(months: Sequence[Month], metric: str, scale: float = 1.0) -> list[float | None]:
    values: list[float | None] = []
    for month in months:
        value = month.figures.value(metric, month.withheld) if month.figures else None
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

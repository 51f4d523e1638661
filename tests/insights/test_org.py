"""The organization view: k >= 5 proven, no names anywhere, constant queries, the CSV."""

import csv
import io
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from insights.models import TeamRollup
from insights.org import (
    FEW_MEMBERS,
    FEW_OWNERS,
    FEW_RATERS,
    FOLLOW_THROUGH,
    GIVES_AWAY,
    HIDDEN,
    NO_DATA,
    ONE_ON_ONES,
    USEFULNESS,
    Figures,
    Group,
    _headline_withheld,
    merge_small_groups,
    org_report,
    other_label,
)
from insights.rollups import add_months, rollup_organization
from meetings.models import ActionItem, Meeting, Rating, Relationship, Schedule
from meetings.schedule import WEEKDAY_CODES
from people.models import Organization, Person, Team
from tests.conftest import client_for, make_person

Kind = TeamRollup.Kind
Scope = TeamRollup.Scope
COMPUTED = datetime(2027, 3, 15, 12, 0, tzinfo=UTC)
TODAY = COMPUTED.date()


def team_group(name: str, people: int, **counters: int) -> Group:
    return Group(name, Figures(people=people, **counters))


def nobody_group(people: int, **counters: int) -> Group:
    return Group(other_label(0, True), Figures(people=people, **counters), 0, True)


# -- merge_small_groups ------------------------------------------------------------------


def test_teams_of_five_or_more_are_shown_as_they_are() -> None:
    merged = merge_small_groups([team_group("Sales", 5), team_group("Design", 12)])
    assert [(g.label, g.people) for g in merged.shown] == [("Design", 12), ("Sales", 5)]
    assert not merged.hidden


def test_small_teams_and_people_without_a_team_are_added_up_into_other_teams() -> None:
    merged = merge_small_groups(
        [
            team_group("Design", 12),
            team_group("Ops", 3, held=2, planned=4),
            team_group("Legal", 2, held=1, planned=1),
            nobody_group(1, held=1, planned=3),
        ]
    )
    assert [g.label for g in merged.shown] == [
        "Design",
        "Other teams (2 teams) and people without a team",
    ]
    other = merged.shown[-1].figures
    assert (other.people, other.held, other.planned) == (6, 4, 8)


def test_a_team_of_four_never_appears_alone_even_by_subtraction() -> None:
    # Other teams would be Ops alone (4): subtracting Design and Sales from the
    # organization's total would give Ops away. The smallest shown team joins it.
    merged = merge_small_groups(
        [team_group("Design", 12), team_group("Sales", 6), team_group("Ops", 4)]
    )
    assert [(g.label, g.people) for g in merged.shown] == [
        ("Design", 12),
        ("Other teams (2 teams)", 10),
    ]


def test_other_teams_below_five_are_not_shown() -> None:
    merged = merge_small_groups([team_group("Ops", 2), nobody_group(2)])
    assert merged.shown == ()
    assert merged.hidden
    assert (merged.hidden_teams, merged.hidden_without_team) == (1, True)


def test_groups_without_any_figure_are_left_out() -> None:
    merged = merge_small_groups([team_group("Design", 7), team_group("Empty", 0)])
    assert [g.label for g in merged.shown] == ["Design"]
    assert not merged.hidden


def test_the_labels_of_other_teams() -> None:
    assert other_label(1, False) == "Other teams (1 team)"
    assert other_label(3, False) == "Other teams (3 teams)"
    assert other_label(0, True) == "People without a team"


@given(st.lists(st.integers(min_value=0, max_value=12), max_size=8), st.integers(0, 6))
def test_no_group_below_five_can_be_seen_or_worked_out(sizes: list[int], without: int) -> None:
    groups = [team_group(f"Team {i}", size, held=1) for i, size in enumerate(sizes)]
    groups.append(nobody_group(without, held=1))
    merged = merge_small_groups(groups)
    for group in merged.shown:
        assert group.people >= 5
    names_shown = {g.label for g in merged.shown}
    for group in groups[:-1]:
        if group.people < 5:
            assert group.label not in names_shown
    total = sum(g.people for g in groups)
    left_out = total - sum(g.people for g in merged.shown)
    # What is not shown is either nothing or everything (never a difference below 5).
    assert left_out == 0 or left_out >= 5 or not merged.shown


def test_rates_need_a_denominator_and_are_capped() -> None:
    empty = Figures()
    assert (empty.adherence, empty.met_share, empty.follow_through, empty.usefulness) == (
        None,
        None,
        None,
        None,
    )
    assert (empty.cells().adherence.value, empty.cells().adherence.note) == ("—", "")
    figures = Figures(
        people=8,
        people_met=6,
        members=5,
        raters=5,
        owners=5,
        planned=10,
        held=11,
        cancelled=2,
        actions_on_time=3,
        actions_late=1,
        actions_overdue=4,
        rating_sum=17,
        rating_count=4,
    )
    assert figures.adherence == 1.0
    assert figures.cancellation_rate == pytest.approx(0.2)
    assert figures.follow_through == pytest.approx(3 / 8)
    assert figures.usefulness == pytest.approx(4.25)
    cells = figures.cells()
    printed = (cells.met_share, cells.adherence, cells.follow_through, cells.usefulness)
    assert [str(cell) for cell in printed] == ["75 %", "100 %", "38 %", "4.2"]
    assert cells.notes == ()


def test_a_figure_made_of_fewer_than_five_people_is_held_back_with_its_reason() -> None:
    # A team of 8 where 4 people had 1:1s planned, 2 had items due and a single one rated.
    figures = Figures(people=8, people_met=6, members=4, raters=1, owners=2, planned=10, held=9)
    figures += Figures(actions_on_time=1, rating_sum=2, rating_count=6)
    assert figures.withheld() == {
        ONE_ON_ONES: FEW_MEMBERS,
        FOLLOW_THROUGH: FEW_OWNERS,
        USEFULNESS: FEW_RATERS,
    }
    cells = figures.cells()
    assert str(cells.met_share) == "75 %"  # made of the 8 people
    for cell in (cells.adherence, cells.cancellation_rate):
        assert (cell.value, cell.note) == ("—", FEW_MEMBERS)
    assert (cells.follow_through.value, cells.follow_through.note) == ("—", FEW_OWNERS)
    assert (cells.usefulness.value, cells.usefulness.note) == ("—", FEW_RATERS)
    assert cells.notes == (
        f"Adherence and cancellations not shown: {FEW_MEMBERS}",
        f"Follow-through not shown: {FEW_OWNERS}",
        f"Usefulness not shown: {FEW_RATERS}",
    )
    # Nothing to count is not held back: "—" without a note.
    assert Figures(people=8, members=1).withheld() == {}
    # Follow-through without any planned 1:1 is still held back.
    assert Figures(people=8, actions_overdue=2).withheld() == {FOLLOW_THROUGH: FEW_OWNERS}


def test_follow_through_needs_five_owners_not_five_members() -> None:
    # Five people had 1:1s, but one person owned every item due: the rate would be theirs.
    one_owner = Figures(people=6, members=5, owners=1, planned=10, held=9, actions_on_time=3, actions_overdue=1)  # fmt: skip
    assert one_owner.withheld() == {FOLLOW_THROUGH: FEW_OWNERS}
    cells = one_owner.cells()
    assert str(cells.adherence) == "90 %"
    assert (cells.follow_through.value, cells.follow_through.note) == ("—", FEW_OWNERS)
    assert cells.notes == (f"Follow-through not shown: {FEW_OWNERS}",)
    # Five owners are enough, even where fewer people had 1:1s planned.
    five_owners = Figures(people=6, members=2, owners=5, planned=4, held=4, actions_on_time=3, actions_overdue=1)  # fmt: skip
    assert five_owners.withheld() == {ONE_ON_ONES: FEW_MEMBERS}
    assert str(five_owners.cells().follow_through) == "75 %"


# -- org_report --------------------------------------------------------------------------


def rollup(
    org: Organization,
    kind: str,
    period: date,
    scope: str,
    team: Team | None = None,
    **counters: int,
) -> TeamRollup:
    return TeamRollup.objects.create(
        organization=org,
        kind=kind,
        period_start=period,
        scope=scope,
        team=team,
        computed_at=COMPUTED,
        **counters,
    )


def recent(org: Organization, teams: dict[Team | None, int]) -> None:
    """RECENT rows: each team (None: without a team) with its head count, and the total."""
    for team, people in teams.items():
        scope = Scope.NO_TEAM if team is None else Scope.TEAM
        rollup(org, Kind.RECENT, TODAY, scope, team, people=people, people_met=people, members=people, held=3, planned=4)  # fmt: skip
    total = sum(teams.values())
    rollup(
        org,
        Kind.RECENT,
        TODAY,
        Scope.ORGANIZATION,
        people=total,
        people_met=total,
        members=total,
        held=3 * len(teams),
        planned=4 * len(teams),
    )


def test_without_rollups_the_report_is_empty(acme: Organization) -> None:
    report = org_report(acme)
    assert report.computed_at is None
    assert report.as_of is None
    assert report.headline is None
    assert report.months == ()


def test_the_report_applies_k_to_teams_and_the_organization(acme: Organization) -> None:
    big = Team.objects.create(organization=acme, name="Engineering")
    small = Team.objects.create(organization=acme, name="Tiny Skunkworks")
    other = Team.objects.create(organization=acme, name="Legal")
    recent(acme, {big: 9, small: 4, other: 3, None: 1})
    report = org_report(acme)
    assert report.computed_at == COMPUTED
    assert report.as_of == TODAY
    assert report.headline is not None
    assert report.headline.people == 17
    assert report.headline.adherence == pytest.approx(12 / 16)
    assert [g.label for g in report.groups.shown] == [
        "Engineering",
        "Other teams (2 teams) and people without a team",
    ]


def test_an_organization_below_five_shows_no_figure(acme: Organization) -> None:
    small = Team.objects.create(organization=acme, name="Tiny Skunkworks")
    recent(acme, {small: 3, None: 1})
    rollup(acme, Kind.MONTH, date(2027, 3, 1), Scope.ORGANIZATION, people=4, held=2, planned=2)
    report = org_report(acme)
    assert report.headline is None
    assert report.headline_note == HIDDEN
    assert report.groups.shown == ()
    assert report.groups.hidden
    assert [(m.figures, m.note) for m in report.months] == [(None, HIDDEN)]


def test_the_trends_cover_24_months_with_gaps_and_k(acme: Organization) -> None:
    first = date(2025, 1, 1)
    for number in range(30):
        month = add_months(first, number)
        if month == date(2026, 5, 1):
            continue  # the worker missed it
        people = 3 if month == date(2026, 8, 1) else 20
        rollup(acme, Kind.MONTH, month, Scope.ORGANIZATION, people=people, members=people, held=8, planned=10)  # fmt: skip
    recent(acme, {None: 20})
    report = org_report(acme)
    assert len(report.months) == 24
    assert report.months[0].first == date(2025, 7, 1)
    assert report.months[-1].label == "Jun 2027"
    missing = [(m.label, m.note) for m in report.months if m.figures is None]
    assert missing == [("May 2026", NO_DATA), ("Aug 2026", HIDDEN)]
    assert report.trend_notes == (f"{NO_DATA}: May 2026.", f"{HIDDEN}: Aug 2026.")
    assert report.rates_chart is not None
    adherence = report.rates_chart.series[0]
    assert adherence.label == "Cadence adherence"
    assert report.rates_chart.rows[0][1][0] == "80 %"


# -- the page and the CSV on real rollups ------------------------------------------------

# Distinctive names that must never leave the rollups.
NAMES = ("Zebulon Quillfeather", "Ottilie Marchbanks", "Prudence Vexley")


@pytest.fixture
def planted(ada: Person) -> Organization:
    """Acme with a team of 6 (Engineering), a team of 4 and 2 people without a team, in
    1:1s with held meetings, ratings; then the worker's rollup (the next day's, so that
    today's meetings and ratings count)."""
    org = ada.organization
    assert org is not None
    now = datetime.now(UTC)
    engineering = Team.objects.create(organization=org, name="Engineering")
    skunkworks = Team.objects.create(organization=org, name="Tiny Skunkworks")
    lead = make_person(org, "zq@acme.test", NAMES[0], team=engineering)
    people = [lead]
    for number in range(5):
        people.append(make_person(org, f"e{number}@acme.test", f"{NAMES[1]} {number}", team=engineering, manager=lead))  # fmt: skip
    for number in range(4):
        people.append(make_person(org, f"s{number}@acme.test", f"{NAMES[2]} {number}", team=skunkworks, manager=lead))  # fmt: skip
    # Solo has a 1:1 too: with Skunkworks, 5 people had 1:1s and rated in "Other teams".
    people.append(make_person(org, "solo@acme.test", "Solo Noteam"))
    first = (now - timedelta(days=60)).date()
    for member in people[1:]:
        series = Relationship.objects.create(organization=org, lead=lead, member=member)
        Schedule.objects.create(
            relationship=series,
            rrule=f"FREQ=WEEKLY;INTERVAL=1;BYDAY={WEEKDAY_CODES[first.weekday()]}",
            first_date=first,
            local_time=datetime.min.time(),
            timezone="UTC",
            duration_minutes=30,
            starts_at=datetime.combine(first, datetime.min.time(), tzinfo=UTC),
        )
        key = datetime.combine(first, datetime.min.time(), tzinfo=UTC) + timedelta(days=49)
        held = Meeting.objects.create(
            organization=org,
            relationship=series,
            occurrence_start=key,
            start=key,
            duration_minutes=30,
            status=Meeting.Status.HELD,
        )
        Rating.objects.create(meeting=held, rater=member, score=4)
    rollup_organization(org, now=now + timedelta(days=1))
    return org


def test_the_page_shows_k_filtered_figures_and_no_name(ada: Person, planted: Organization) -> None:
    response = client_for(ada).get(reverse("insights:org"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Engineering" in page
    assert "Other teams (1 team) and people without a team" in page
    assert "Tiny Skunkworks" not in page
    # Only the viewer's own name, in the site's header (their account menu).
    assert page.count("Ada Admin") == page.count('class="visually-hidden">Ada Admin<')
    for name in (*NAMES, "Solo Noteam"):
        assert name not in page
    assert "Figures as of" in page
    assert "Download CSV" in page
    assert 'aria-current="page">Insights' in page


def test_the_csv_has_the_same_figures_and_no_name(ada: Person, planted: Organization) -> None:
    response = client_for(ada).get(reverse("insights:org_csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="rapport-insights-')
    assert disposition.endswith('.csv"')
    text = response.content.decode("utf-8-sig")
    for name in (*NAMES, "Tiny Skunkworks", "Solo Noteam", "Ada Admin"):
        assert name not in text
    table = list(csv.DictReader(io.StringIO(text)))
    recent_rows = [row for row in table if row["section"] == "recent"]
    assert [row["group"] for row in recent_rows] == [
        "Whole organization",
        "Engineering",
        "Other teams (1 team) and people without a team",
    ]
    whole = recent_rows[0]
    # Twelve active people: Ada, Solo, the lead and nine reports; eleven of them met.
    assert (whole["people"], whole["people_met"], whole["met_share_percent"]) == ("12", "11", "92")  # fmt: skip
    assert whole["average_usefulness"] == "4.0"
    assert whole["note"] == ""
    # The groups add up to the headline.
    assert sum(int(row["people"]) for row in recent_rows[1:]) == 12
    months = [row for row in table if row["section"] == "month"]
    assert len(months) == 24
    assert months[-1]["group"] == "Whole organization"
    assert months[0]["note"] == NO_DATA


def test_the_csv_has_rates_and_head_counts_never_sums(ada: Person, planted: Organization) -> None:
    text = client_for(ada).get(reverse("insights:org_csv")).content.decode("utf-8-sig")
    header = text.splitlines()[0].split(",")
    assert header == [
        "section",
        "period",
        "group",
        "people",
        "people_met",
        "met_share_percent",
        "adherence_percent",
        "cancellation_percent",
        "follow_through_percent",
        "average_usefulness",
        "note",
    ]
    for row in csv.DictReader(io.StringIO(text)):
        for column in header[5:10]:
            assert row[column] == "" or row[column].isdigit() or len(row[column].split(".")[1]) == 1  # fmt: skip


def test_the_csv_quotes_cells_a_spreadsheet_would_run(ada: Person) -> None:
    org = ada.organization
    assert org is not None
    team = Team.objects.create(organization=org, name="=HYPERLINK(1)")
    recent(org, {team: 7})
    text = client_for(ada).get(reverse("insights:org_csv")).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text
    assert "\n=HYPERLINK" not in text
    assert ",=HYPERLINK" not in text


def test_before_the_first_rollup_the_page_says_when_figures_come(ada: Person) -> None:
    page = client_for(ada).get(reverse("insights:org")).content.decode()
    assert "No figures yet" in page
    assert "every hour" in page
    assert "Download CSV" not in page
    response = client_for(ada).get(reverse("insights:org_csv"))
    assert response.content.decode("utf-8-sig").splitlines()[0].startswith("section,period")


def grow(org: Organization, teams: int, months: int, start: int) -> None:
    """`teams` more teams of 6 in the RECENT rows, and `months` more months of trends."""
    for number in range(start, start + teams):
        team = Team.objects.create(organization=org, name=f"Team {number}")
        rollup(org, Kind.RECENT, TODAY, Scope.TEAM, team, people=6, held=3, planned=4)
    first = date(2027, 3, 1)
    for number in range(start, start + months):
        rollup(org, Kind.MONTH, add_months(first, -number), Scope.ORGANIZATION, people=30, held=9, planned=10)  # fmt: skip


def test_the_query_count_of_the_page_does_not_grow(
    ada: Person, django_assert_num_queries: Callable[..., Any]
) -> None:
    org = ada.organization
    assert org is not None
    rollup(org, Kind.RECENT, TODAY, Scope.ORGANIZATION, people=40, held=9, planned=10)
    grow(org, 2, 2, 0)
    client = client_for(ada)
    client.get(reverse("insights:org"))  # warm caches before counting
    # The session, the person with their organization, the recent rollups with their
    # teams' names, the monthly ones.
    for name in ("insights:org", "insights:org_csv"):
        with django_assert_num_queries(4):
            assert client.get(reverse(name)).status_code == 200
    grow(org, 30, 40, 10)
    for name in ("insights:org", "insights:org_csv"):
        with django_assert_num_queries(4):
            assert client.get(reverse(name)).status_code == 200


# -- privacy: subtraction, contributors, new organizations --------------------------------


def test_a_team_deleted_after_the_rollup_never_makes_a_group_derivable(
    acme: Organization,
) -> None:
    # Bob alone in "Bob's team", rolled up, then the team deleted: its rows go with it
    # (the stored total still holds Bob), and the headline is what is left.
    first, second = (Team.objects.create(organization=acme, name=name) for name in ("A", "B"))
    alone = Team.objects.create(organization=acme, name="Bob's team")
    counters = {"people_met": 5, "members": 5, "raters": 5, "planned": 8, "held": 6}
    for team in (first, second):
        rollup(acme, Kind.RECENT, TODAY, Scope.TEAM, team, people=6, rating_sum=20, rating_count=5, **counters)  # fmt: skip
    rollup(acme, Kind.RECENT, TODAY, Scope.TEAM, alone, people=1, people_met=1, members=1, raters=1, planned=4, held=1, rating_sum=1, rating_count=4)  # fmt: skip
    rollup(acme, Kind.RECENT, TODAY, Scope.ORGANIZATION, people=13, people_met=11, members=11, raters=11, planned=20, held=13, rating_sum=41, rating_count=14)  # fmt: skip
    alone.delete()
    report = org_report(acme)
    assert report.headline is not None
    shown = Figures()
    for group in report.groups.shown:
        shown += group.figures
    assert not report.groups.hidden
    assert report.headline == shown
    assert (report.headline.people, report.headline.held) == (12, 12)


@given(
    st.lists(
        st.tuples(
            st.integers(0, 9),
            st.integers(0, 9),
            st.integers(0, 9),
            st.integers(0, 9),
            st.integers(0, 3),
        ),
        max_size=7,
    ),
)
def test_the_headline_is_the_sum_of_the_groups_and_gives_nobody_away(
    teams: list[tuple[int, int, int, int, int]],
) -> None:
    groups = [
        team_group(
            f"Team {i}",
            people,
            members=members,
            raters=raters,
            owners=owners,
            planned=4,
            held=held,
            rating_sum=4 * raters,
            rating_count=raters,
            actions_on_time=owners,
            actions_overdue=owners,
        )
        for i, (people, members, raters, owners, held) in enumerate(teams)
    ]
    merged = merge_small_groups(groups)
    total = Figures()
    for group in groups:
        total += group.figures
    shown = Figures()
    for group in merged.shown:
        shown += group.figures
    if merged.hidden:
        assert total.people < 5
        return
    assert shown == total
    withheld = _headline_withheld(total, merged)
    for family in (ONE_ON_ONES, FOLLOW_THROUGH, USEFULNESS):
        if family in withheld:
            continue
        # The headline shows it: the groups holding it back hold 0 or at least 5 people.
        held = [g.figures.contributors(family) for g in merged.shown if family in g.figures.withheld()]  # fmt: skip
        assert not held or sum(held) >= 5


def test_a_headline_figure_that_would_give_a_small_group_away_is_held_back(
    ada: Person,
) -> None:
    acme = ada.organization
    assert acme is not None
    big = Team.objects.create(organization=acme, name="Big")
    rated = Team.objects.create(organization=acme, name="Few raters")
    rollup(acme, Kind.RECENT, TODAY, Scope.TEAM, big, people=9, members=9, raters=9, planned=9, held=9, rating_sum=36, rating_count=9)  # fmt: skip
    # Six people, all with 1:1s, but only two rated: usefulness held back in the team,
    # and the headline's would be the big team's plus theirs.
    rollup(acme, Kind.RECENT, TODAY, Scope.TEAM, rated, people=6, members=6, raters=2, planned=6, held=6, rating_sum=4, rating_count=4)  # fmt: skip
    report = org_report(acme)
    assert report.headline_cells is not None
    assert str(report.headline_cells.adherence) == "100 %"
    assert (report.headline_cells.usefulness.value, report.headline_cells.usefulness.note) == (
        "—",
        GIVES_AWAY,
    )
    team = next(g for g in report.groups.shown if g.label == "Few raters")
    assert team.cells.usefulness.note == FEW_RATERS
    page = client_for(ada).get(reverse("insights:org")).content.decode()
    assert f"Usefulness not shown: {GIVES_AWAY}." in page
    assert f'<br><small class="muted">{FEW_RATERS}</small>' in page


def test_merged_groups_add_up_their_contributors(acme: Organization) -> None:
    # Three teams of 3, each with 2 raters and 2 owners: Other teams has 6 of each (each
    # person counted in one group by the rollup), so its usefulness and follow-through
    # are shown.
    for name in ("X", "Y", "Z"):
        team = Team.objects.create(organization=acme, name=name)
        rollup(acme, Kind.RECENT, TODAY, Scope.TEAM, team, people=3, members=2, raters=2, owners=2, planned=4, held=4, rating_sum=8, rating_count=2, actions_on_time=1, actions_late=1)  # fmt: skip
    report = org_report(acme)
    (other,) = report.groups.shown
    assert other.label == "Other teams (3 teams)"
    assert (other.figures.members, other.figures.raters, other.figures.owners) == (6, 6, 6)
    assert str(other.cells.usefulness) == "4.0"
    assert str(other.cells.adherence) == "100 %"
    assert str(other.cells.follow_through) == "50 %"
    assert other.cells.notes == ()


def test_a_headline_follow_through_that_would_give_a_team_away_is_held_back(
    acme: Organization,
) -> None:
    # Big: nine owners. Solo owner: six people with 1:1s, one person owning all its items.
    # The headline's follow-through minus Big's would be that one person's.
    big = Team.objects.create(organization=acme, name="Big")
    solo = Team.objects.create(organization=acme, name="Solo owner")
    rollup(acme, Kind.RECENT, TODAY, Scope.TEAM, big, people=9, members=9, owners=9, planned=9, held=9, actions_on_time=9)  # fmt: skip
    rollup(acme, Kind.RECENT, TODAY, Scope.TEAM, solo, people=6, members=6, owners=1, planned=6, held=6, actions_overdue=4)  # fmt: skip
    report = org_report(acme)
    assert report.headline_cells is not None
    assert str(report.headline_cells.adherence) == "100 %"
    cell = report.headline_cells.follow_through
    assert (cell.value, cell.note) == ("—", GIVES_AWAY)
    assert report.headline_cells.notes == (f"Follow-through not shown: {GIVES_AWAY}",)
    shown = {g.label: g.cells for g in report.groups.shown}
    assert str(shown["Big"].follow_through) == "100 %"
    assert (shown["Solo owner"].follow_through.note, str(shown["Solo owner"].adherence)) == (
        FEW_OWNERS,
        "100 %",
    )
    # With five owners between the teams holding it back, the headline may show it.
    rollup(acme, Kind.RECENT, TODAY, Scope.TEAM, Team.objects.create(organization=acme, name="Four owners"), people=5, members=5, owners=4, planned=5, held=5, actions_on_time=4)  # fmt: skip
    headline = org_report(acme).headline_cells
    assert headline is not None
    assert str(headline.follow_through) == f"{round(13 / 17 * 100)} %"


def add_items(org: Organization, owner_email: str, outcomes: tuple[bool, ...]) -> None:
    """Action items of the owner's own 1:1, due ten days ago: done on time or still open."""
    owner = Person.objects.get(email=owner_email)
    series = Relationship.objects.get(organization=org, member=owner)
    due = (datetime.now(UTC) - timedelta(days=10)).date()
    for done in outcomes:
        done_at = datetime.combine(due, datetime.min.time(), tzinfo=UTC) if done else None
        ActionItem.objects.create(
            organization=org,
            relationship=series,
            owner=owner,
            created_by=owner,
            text="Send the draft",
            due_date=due,
            done_at=done_at,
        )


def test_a_team_of_five_with_one_owner_shows_no_follow_through(
    ada: Person, planted: Organization
) -> None:
    # Engineering: five members had 1:1s, but only one of them owns items due, and nobody
    # else in the organization does: no rate anywhere would be more than theirs.
    add_items(planted, "e0@acme.test", (True, False))
    rollup_organization(planted, now=datetime.now(UTC) + timedelta(days=1))
    page = client_for(ada).get(reverse("insights:org")).content.decode()
    assert f'<br><small class="muted">{FEW_OWNERS}</small>' in page
    assert f"Follow-through not shown: {FEW_OWNERS}." in page  # the headline
    assert f"Follow-through not shown ({FEW_OWNERS}):" in page  # the trends
    text = client_for(ada).get(reverse("insights:org_csv")).content.decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    assert all(row["follow_through_percent"] == "" for row in table)
    by_group = {row["group"]: row for row in table if row["section"] == "recent"}
    engineering = by_group["Engineering"]
    assert engineering["adherence_percent"] != ""
    assert engineering["note"] == f"Follow-through not shown: {FEW_OWNERS}"
    assert by_group["Whole organization"]["note"] == f"Follow-through not shown: {FEW_OWNERS}"
    months = [row for row in table if row["section"] == "month"]
    assert any(f"Follow-through not shown: {FEW_OWNERS}" in row["note"] for row in months)


def test_the_headline_never_gives_a_single_owner_away_by_subtraction(
    ada: Person, planted: Organization
) -> None:
    # Other teams: five owners, all on time. Engineering: one owner, one of two on time.
    # The headline (six owners) minus Other teams would be Engineering's one person.
    add_items(planted, "e0@acme.test", (True, False))
    for email in ("s0@acme.test", "s1@acme.test", "s2@acme.test", "s3@acme.test", "solo@acme.test"):  # fmt: skip
        add_items(planted, email, (True,))
    rollup_organization(planted, now=datetime.now(UTC) + timedelta(days=1))
    report = org_report(planted)
    assert report.headline is not None
    assert report.headline.owners == 6
    assert report.headline_cells is not None
    assert report.headline_cells.follow_through.note == GIVES_AWAY
    text = client_for(ada).get(reverse("insights:org_csv")).content.decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    by_group = {row["group"]: row for row in table if row["section"] == "recent"}
    whole = by_group["Whole organization"]
    assert (whole["follow_through_percent"], whole["note"]) == ("", f"Follow-through not shown: {GIVES_AWAY}")  # fmt: skip
    assert by_group["Engineering"]["follow_through_percent"] == ""
    other = by_group["Other teams (1 team) and people without a team"]
    assert (other["follow_through_percent"], other["note"]) == ("100", "")
    page = client_for(ada).get(reverse("insights:org")).content.decode()
    assert f"Follow-through not shown: {GIVES_AWAY}." in page
    # Team months are never shown: the organization's month, of six owners, may be.
    months = [row for row in table if row["section"] == "month" and row["follow_through_percent"]]
    assert months


def test_five_owners_in_a_team_show_its_follow_through(ada: Person, planted: Organization) -> None:
    for number in range(5):
        add_items(planted, f"e{number}@acme.test", (True, number < 3))
    rollup_organization(planted, now=datetime.now(UTC) + timedelta(days=1))
    text = client_for(ada).get(reverse("insights:org_csv")).content.decode("utf-8-sig")
    by_group = {row["group"]: row for row in csv.DictReader(io.StringIO(text)) if row["section"] == "recent"}  # fmt: skip
    # Eight of ten done on time; Engineering holds every item, the headline too.
    assert by_group["Engineering"]["follow_through_percent"] == "80"
    assert by_group["Engineering"]["note"] == ""
    assert by_group["Whole organization"]["follow_through_percent"] == "80"


def test_a_new_organization_shows_no_data_yet_not_hidden(ada: Person) -> None:
    org = ada.organization
    assert org is not None
    team = Team.objects.create(organization=org, name="Founders")
    rollup(org, Kind.RECENT, TODAY, Scope.TEAM, team, people=7)
    for number in range(3):
        people = 2 if number == 0 else 7  # the founders arrived one by one
        rollup(org, Kind.MONTH, add_months(date(2027, 1, 1), number), Scope.ORGANIZATION, people=people)  # fmt: skip
    report = org_report(org)
    assert report.headline_note == NO_DATA
    assert [m.note for m in report.months] == [NO_DATA, NO_DATA, NO_DATA]
    page = client_for(ada).get(reverse("insights:org")).content.decode()
    assert f"{NO_DATA}: Jan 2027 – Mar 2027." in page
    assert HIDDEN not in page
    text = client_for(ada).get(reverse("insights:org_csv")).content.decode("utf-8-sig")
    notes = [row["note"] for row in csv.DictReader(io.StringIO(text))]
    assert notes == [NO_DATA, "", NO_DATA, NO_DATA, NO_DATA]

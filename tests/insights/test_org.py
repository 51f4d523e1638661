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
from insights.org import Figures, Group, merge_small_groups, org_report, other_label
from insights.rollups import add_months, rollup_organization
from meetings.models import Meeting, Rating, Relationship, Schedule
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
    assert empty.cells().adherence == "—"
    figures = Figures(
        people=8,
        people_met=6,
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
    assert (cells.met_share, cells.adherence, cells.follow_through, cells.usefulness) == (
        "75 %",
        "100 %",
        "38 %",
        "4.2",
    )


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
        rollup(org, Kind.RECENT, TODAY, scope, team, people=people, people_met=people, held=3, planned=4)  # fmt: skip
    total = sum(teams.values())
    rollup(
        org,
        Kind.RECENT,
        TODAY,
        Scope.ORGANIZATION,
        people=total,
        people_met=total,
        held=3 * len(teams),
        planned=4 * len(teams),
    )


def test_without_rollups_the_report_is_empty(acme: Organization) -> None:
    report = org_report(acme)
    assert report.computed_at is None
    assert report.headline is None
    assert report.months == ()


def test_the_report_applies_k_to_teams_and_the_organization(acme: Organization) -> None:
    big = Team.objects.create(organization=acme, name="Engineering")
    small = Team.objects.create(organization=acme, name="Tiny Skunkworks")
    other = Team.objects.create(organization=acme, name="Legal")
    recent(acme, {big: 9, small: 4, other: 3, None: 1})
    report = org_report(acme)
    assert report.computed_at == COMPUTED
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
    assert report.groups.shown == ()
    assert report.groups.hidden
    assert [m.figures for m in report.months] == [None]


def test_the_trends_cover_24_months_with_gaps_and_k(acme: Organization) -> None:
    first = date(2025, 1, 1)
    for number in range(30):
        month = add_months(first, number)
        if month == date(2026, 5, 1):
            continue  # the worker missed it
        people = 3 if month == date(2026, 8, 1) else 20
        rollup(acme, Kind.MONTH, month, Scope.ORGANIZATION, people=people, held=8, planned=10)
    recent(acme, {None: 20})
    report = org_report(acme)
    assert len(report.months) == 24
    assert report.months[0].first == date(2025, 7, 1)
    assert report.months[-1].label == "Jun 2027"
    missing = [m.label for m in report.months if m.figures is None]
    assert missing == ["May 2026", "Aug 2026"]
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
    1:1s with held meetings, ratings; then the worker's rollup."""
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
    make_person(org, "solo@acme.test", "Solo Noteam")
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
    rollup_organization(org, now=now)
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
    # Twelve active people: Ada, Solo, the lead and nine reports; ten of them met.
    assert (whole["people"], whole["people_met"], whole["held"]) == ("12", "10", "9")
    assert whole["average_usefulness"] == "4.00"
    months = [row for row in table if row["section"] == "month"]
    assert len(months) == 24
    assert months[-1]["group"] == "Whole organization"


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

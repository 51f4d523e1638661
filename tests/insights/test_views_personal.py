"""The personal insights pages: what they show, what they never show, and what they cost.

The history comes from the pinned-query tests' builders (tests/meetings/test_query_counts.py):
a weekly 1:1 since 2023 with private points ("Worry"), private notes ("Only mine"),
action items and both ratings in every held meeting.
"""

import csv
import io
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from growth.models import CheckIn
from insights.blocks import blocks_rebuild
from meetings.models import ActionItem, Meeting, Rating, Relationship
from meetings.services.meetings import meeting_rate
from people.models import Organization, Person
from tests.conftest import client_for, make_person
from tests.meetings.test_query_counts import add_history, add_present, past_keys, start_series

pytestmark = pytest.mark.django_db

SECRET_BLOCKER = "Blocked by the secret merger"


@pytest.fixture(autouse=True)
def clock(now: datetime) -> Iterator[time_machine.Traveller]:
    with time_machine.travel(now, tick=False) as traveller:
        yield traveller


@pytest.fixture
def series(acme: Organization, maya: Person, ravi: Person, now: datetime) -> Relationship:
    relationship = start_series(acme, maya, ravi)
    add_present(relationship, now)
    add_history(relationship, past_keys(relationship, now)[-12:])
    blocks_rebuild([relationship.pk])  # the history's ratings are written in bulk
    return relationship


def _checkin(relationship: Relationship, meeting: Meeting, mood: int, workload: str) -> None:
    CheckIn.objects.create(
        organization_id=relationship.organization_id,
        relationship=relationship,
        meeting=meeting,
        author_id=relationship.member_id,
        mood=mood,
        workload=workload,
        blockers=SECRET_BLOCKER,
        wins="A private-ish win",
    )


def _struggling(relationship: Relationship) -> None:
    """Ravi's last five check-ins: mood 4, 4, 4 then 2, 2, too much work, the same blocker."""
    held = list(Meeting.objects.filter(relationship=relationship, status="held").order_by("start"))
    for meeting, mood in zip(held[-5:], (4, 4, 4, 2, 2), strict=True):
        _checkin(relationship, meeting, mood, "too_much" if mood == 2 else "right")


def test_both_participants_see_the_same_health_and_each_other_s_follow_through(
    series: Relationship, maya: Person, ravi: Person
) -> None:
    url = reverse("insights:relationship", args=[series.uuid])
    for viewer, other_name in ((maya, "Ravi"), (ravi, "Maya")):
        page = client_for(viewer).get(url).content.decode()
        assert "Held as planned" in page
        assert page.count('class="follow-card"') == 2
        assert f">{other_name}</h3>" in page
        assert ">You</h3>" in page
        # 12 of the last 13 weekly occurrences were held.
        assert "12 held of 13 planned" in page


def test_no_private_content_on_any_insights_page(
    series: Relationship, maya: Person, ravi: Person
) -> None:
    _struggling(series)
    for viewer in (maya, ravi):
        client = client_for(viewer)
        for url in (
            reverse("insights:relationship", args=[series.uuid]),
            reverse("insights:home"),
            reverse("insights:mine_csv"),
        ):
            body = client.get(url).content.decode()
            for secret in ("Worry", "Only mine", SECRET_BLOCKER, "private-ish", "Notes of"):
                assert secret not in body, (viewer.name, url, secret)


def test_usefulness_is_shown_only_as_averages_over_three_meetings(
    acme: Organization, maya: Person, ravi: Person, now: datetime
) -> None:
    series = start_series(acme, maya, ravi)
    add_history(series, past_keys(series, now)[-5:])
    Rating.objects.all().delete()
    held = list(Meeting.objects.filter(relationship=series).order_by("start"))
    url = reverse("insights:relationship", args=[series.uuid])
    # Both rated two meetings: nothing to show yet.
    for meeting, (lead, member) in zip(held[:2], ((5, 2), (4, 3)), strict=True):
        meeting_rate(actor=maya, meeting=meeting, score=lead)
        meeting_rate(actor=ravi, meeting=meeting, score=member)
    page = client_for(ravi).get(url).content.decode()
    assert "Shown once you have both rated 3 meetings" in page
    assert "How useful you both found" not in page
    # A third meeting completes a block: its averages (4.0 and 3.0) show, never a rating.
    meeting_rate(actor=maya, meeting=held[2], score=3)
    meeting_rate(actor=ravi, meeting=held[2], score=4)
    # Ratings of a fourth meeting do not form a block: they stay hidden.
    meeting_rate(actor=maya, meeting=held[3], score=1)
    meeting_rate(actor=ravi, meeting=held[3], score=1)
    page = client_for(ravi).get(url).content.decode()
    assert "How useful you both found your 1:1s" in page
    assert ": 4.0</title>" in page
    assert ": 3.0</title>" in page  # the markers' labels
    assert "Maya finds your 1:1s more useful than you do, by 1.0 points" in page
    assert "1.0</td>" not in page  # the fourth meeting's 1s never show


def test_the_team_view_lists_direct_reports_with_warnings_and_no_content(
    series: Relationship, maya: Person, olga: Person, acme: Organization
) -> None:
    _struggling(series)
    newcomer = make_person(acme, "nia@acme.test", "Nia Newcomer", manager=maya)
    page = client_for(maya).get(reverse("insights:home")).content.decode()
    assert "Your team" in page
    assert "Ravi Report" in page
    assert "Nia Newcomer" in page
    assert "Mood fell from 4.0 to 2.0" in page
    assert "Workload was “too much” in the last 2 check-ins." in page
    assert "The same blocker came up in 4 of the last 4 check-ins." in page
    assert reverse("meetings:relationship", args=[series.uuid]) in page
    assert f"?with={newcomer.uuid}" in page  # no 1:1 yet: start one
    assert SECRET_BLOCKER not in page
    # Another manager's team view knows nothing of Ravi.
    other = client_for(olga).get(reverse("insights:home")).content.decode()
    assert "Ravi Report" not in other
    assert "Your team" not in other


def test_a_report_who_moved_to_another_manager_leaves_the_team_view(
    series: Relationship, maya: Person, ravi: Person, olga: Person
) -> None:
    from people.services import person_update

    person_update(actor=olga, person=ravi, manager=olga)
    assert "Ravi Report" not in client_for(maya).get(reverse("insights:home")).content.decode()
    page = client_for(olga).get(reverse("insights:home")).content.decode()
    assert "Ravi Report" in page
    assert "No 1:1 yet." in page


def test_my_csv_has_one_row_per_1on1_and_only_block_averages(
    series: Relationship, ravi: Person, maya: Person, acme: Organization, now: datetime
) -> None:
    mentor = start_series(acme, make_person(acme, "mo@acme.test", "Mo Mentor"), ravi)
    response = client_for(ravi).get(reverse("insights:mine_csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="rapport-my-insights-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert len(body) == 2
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    mine = by_name["Maya Manager"]
    assert mine["held (90 days)"] == "12"
    assert mine["cadence adherence %"] == "92"
    assert mine["usefulness blocks (3 meetings you both rated, each)"] == "4"
    assert mine["their latest usefulness average (3 meetings)"] == "4.0"
    assert by_name["Mo Mentor"]["held (90 days)"] == "0"
    assert mentor.pk != series.pk


def _count(client: object, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)  # type: ignore[attr-defined]
        assert response.status_code == 200
    return len(queries)


def test_the_team_view_costs_the_same_for_one_report_or_twelve(
    acme: Organization, maya: Person, ravi: Person, now: datetime
) -> None:
    client = client_for(maya)
    url = reverse("insights:home")
    first = start_series(acme, maya, ravi)
    add_history(first, past_keys(first, now)[-20:])
    client.get(url)
    one = _count(client, url)
    for n in range(11):
        report = make_person(acme, f"r{n}@acme.test", f"Report {n}", manager=maya)
        relationship = start_series(acme, maya, report)
        add_history(relationship, past_keys(relationship, now)[-20:])
    twelve = _count(client, url)
    assert one == twelve == TEAM_VIEW_QUERIES


def test_the_relationship_insights_page_cost_does_not_grow_with_history(
    acme: Organization, maya: Person, ravi: Person, now: datetime
) -> None:
    series = start_series(acme, maya, ravi)
    client = client_for(maya)
    url = reverse("insights:relationship", args=[series.uuid])
    keys = past_keys(series, now)
    add_history(series, keys[-1:])
    client.get(url)
    small = _count(client, url)
    add_history(series, keys[-150:-1])
    assert _count(client, url) == small == RELATIONSHIP_INSIGHTS_QUERIES


# Session and person; the reports, the manager's series and their facts (schedules,
# meetings, last held, actions, points, themes, ratings, check-ins); then the viewer's
# 1:1s (the team's series are measured already, so nothing more is loaded for them).
TEAM_VIEW_QUERIES = 13
# Session and person, the relationship, then schedules, meetings, last held, actions,
# points, themes, ratings and check-ins.
RELATIONSHIP_INSIGHTS_QUERIES = 11


def test_days_since_count_in_the_viewer_s_time_zone(
    acme: Organization, maya: Person, ravi: Person, now: datetime
) -> None:
    series = start_series(acme, maya, ravi)
    # Held on Sunday at 23:30 UTC, 8½ hours before `now` (Monday 08:00 UTC): in Auckland
    # that was Monday 12:30 and it is Monday 21:00 now (today); in Los Angeles it was
    # Sunday 15:30 and it is Monday 00:00 now (yesterday).
    key = past_keys(series, now)[-1]
    Meeting.objects.create(
        organization=acme,
        relationship=series,
        occurrence_start=key,
        start=now - timedelta(hours=8, minutes=30),
        duration_minutes=30,
        status=Meeting.Status.HELD,
    )
    maya.timezone = "Pacific/Auckland"
    maya.save()
    ravi.timezone = "America/Los_Angeles"
    ravi.save()
    url = reverse("insights:relationship", args=[series.uuid])
    assert "<strong>today</strong>" in client_for(maya).get(url).content.decode()
    assert "<strong>yesterday</strong>" in client_for(ravi).get(url).content.decode()


def test_the_follow_through_bar_shows_the_parts_of_the_rate(
    series: Relationship, ravi: Person, now: datetime
) -> None:
    """An item overdue for longer than the window counts as overdue, not in the rate: the
    bar under the rate shows the same parts as the rate."""
    ActionItem.objects.create(
        organization_id=series.organization_id,
        relationship=series,
        text="Long forgotten",
        owner=ravi,
        created_by=ravi,
        due_date=(now - timedelta(days=200)).date(),
    )
    page = client_for(ravi).get(reverse("insights:relationship", args=[series.uuid])).content
    text = page.decode()
    assert "<strong>100 %</strong> on time" in text
    assert "On time 100 %" in text  # Ravi's bar: every item due in 90 days done on time
    assert "The oldest overdue item is 200 days past its due date." in text


def test_the_1on1_page_shows_the_health_card_to_both_with_both_sides_follow_through(
    series: Relationship, maya: Person, ravi: Person
) -> None:
    """Issue 6, point 1: on the relationship page itself, for both participants, with the
    manager's follow-through as prominent as the report's (the same markup for both)."""
    ActionItem.objects.create(
        organization_id=series.organization_id,
        relationship=series,
        text="Overdue for Maya",
        owner=maya,
        created_by=maya,
        due_date=(timezone.now() - timedelta(days=3)).date(),
    )
    url = reverse("meetings:relationship", args=[series.uuid])
    for viewer, other in ((maya, "Ravi"), (ravi, "Maya")):
        page = client_for(viewer).get(url).content.decode()
        card = page[page.index('id="health-card"') :]
        card = card[: card.index("</section>")]
        assert "How your 1:1s are going" in card
        assert "12 of 13, last 90 days" in card
        assert card.count('class="follow-side"') == 2
        assert "<strong>You</strong>" in card
        assert f"<strong>{other}</strong>" in card
        assert "Shared talking points raised" in card
        assert reverse("insights:relationship", args=[series.uuid]) in card
        assert "Overdue for Maya" not in card  # counts, never the text

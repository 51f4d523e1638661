"""Insights a participant sees: a 1:1's health, their team, and their own CSV export.

Everything is loaded through the access helpers: a relationship only by its
participants (404 otherwise), the team view only for the viewer's own reports.
"""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from insights.charts import Series, line_chart, share_bar, sparkline
from insights.facts import ACTIONS, CADENCE
from insights.health import Health, health_for
from insights.metrics import RATING_BLOCK, THEME_MEETINGS, WINDOW, FollowThrough, Usefulness
from insights.team import team_rows
from lib.csvfile import csv_response
from lib.http import PersonRequest
from meetings.access import relationship_for, relationships_of
from meetings.models import Relationship
from meetings.templatetags.rapport import first_name
from people.models import Person


@login_required
@require_GET
def relationship(request: PersonRequest, relationship_uuid: UUID) -> HttpResponse:
    """Everything about how one 1:1 is going, for either participant."""
    viewer = request.user
    series = relationship_for(viewer, relationship_uuid)
    now = timezone.now()
    health = health_for([series], now=now, tz=viewer.timezone)[series.pk]
    other = series.other_participant(viewer)
    context: dict[str, Any] = {
        "relationship": series,
        "viewer": viewer,
        "other": other,
        "is_lead": viewer.pk == series.lead_id,
        "health": health,
        "now": now,
        "window_days": WINDOW.days,
        "theme_meetings": THEME_MEETINGS,
        "rating_block": RATING_BLOCK,
        "sides": follow_sides(health, viewer),
        "changes": health.changes(viewer),
        "balance_bar": balance_bar(health, viewer),
        "usefulness_chart": usefulness_chart(health, viewer),
        "gap_sentence": gap_sentence(health.usefulness, health, viewer),
    }
    return render(request, "insights/relationship.html", context)


def follow_sides(health: Health, viewer: Person) -> list[dict[str, Any]]:
    """Both participants' follow-through, in the same shape, the viewer's first."""
    sides = []
    for person, follow in health.sides(viewer):
        sides.append(
            {
                "person": person,
                "is_viewer": person.pk == viewer.pk,
                "name": "You" if person.pk == viewer.pk else first_name(person.name),
                "follow": follow,
                "bar": follow_bar(follow, person, viewer),
            }
        )
    return sides


def follow_bar(follow: FollowThrough, person: Person, viewer: Person) -> Any:
    """The parts of the on-time rate: items due in the window, done on time, late or not."""
    who = "Your" if person.pk == viewer.pk else f"{first_name(person.name)}’s"
    return share_bar(
        title=f"{who} action items due in the last 90 days",
        parts=[
            ("On time", follow.on_time),
            ("Late", follow.late),
            ("Overdue", follow.overdue_in_window),
        ],
    )


def balance_bar(health: Health, viewer: Person) -> Any:
    lead_label = "You" if viewer.pk == health.lead.pk else first_name(health.lead.name)
    member_label = "You" if viewer.pk == health.member.pk else first_name(health.member.name)
    return share_bar(
        title="Who raised the talking points",
        parts=[(lead_label, health.balance.lead), (member_label, health.balance.member)],
    )


def usefulness_chart(health: Health, viewer: Person) -> Any:
    """Both sides' averages per block of meetings they both rated (none below one block)."""
    blocks = health.usefulness.blocks
    if not blocks:
        return None
    is_lead = viewer.pk == health.lead.pk
    lead_label = "You" if is_lead else first_name(health.lead.name)
    member_label = "You" if not is_lead else first_name(health.member.name)
    return line_chart(
        title="How useful you both found your 1:1s",
        labels=[_block_label(b.first, b.last, viewer) for b in blocks],
        series=[
            Series(lead_label, [b.lead for b in blocks], marker="circle"),
            Series(member_label, [b.member for b in blocks], marker="square", dashed=True),
        ],
        y_min=1,
        y_max=5,
        y_ticks=[(1, "1"), (2, "2"), (3, "3"), (4, "4"), (5, "5")],
        value_format="{:.1f}",
        x_title="Meetings you both rated",
    )


def _block_label(first: datetime, last: datetime, viewer: Person) -> str:
    tz = timezone.get_current_timezone()
    a, b = first.astimezone(tz), last.astimezone(tz)
    if a.year == b.year and a.month == b.month:
        return b.strftime("%b %Y")
    if a.year == b.year:
        return f"{a.strftime('%b')}–{b.strftime('%b %Y')}"
    return f"{a.strftime('%b %Y')}–{b.strftime('%b %Y')}"


def gap_sentence(useful: Usefulness, health: Health, viewer: Person) -> str:
    """The perception gap in words, from the viewer's side."""
    gap = useful.gap
    if gap is None:
        return ""
    is_lead = viewer.pk == health.lead.pk
    other = first_name((health.member if is_lead else health.lead).name)
    mine = gap if is_lead else -gap  # how much more useful the viewer found them
    if abs(mine) < 0.25:
        return f"You and {other} find your 1:1s about equally useful."
    if mine > 0:
        return f"You find your 1:1s more useful than {other} does, by {abs(mine):.1f} points on average."
    return f"{other} finds your 1:1s more useful than you do, by {abs(mine):.1f} points on average."


@login_required
@require_GET
def home(request: PersonRequest) -> HttpResponse:
    """The viewer's team (if they lead anyone) and each of their own 1:1s at a glance."""
    viewer = request.user
    now = timezone.now()
    rows = team_rows(viewer, now=now)
    mine = list(
        relationships_of(viewer)
        .exclude(status=Relationship.Status.ENDED)
        .select_related("lead", "member")
        .order_by("created_at", "pk")
    )
    mine.sort(key=lambda r: r.other_participant(viewer).name.casefold())
    # The team's series are measured already; only the viewer's other 1:1s are loaded.
    healths = {row.relationship.pk: row.health for row in rows if row.relationship and row.health}
    healths |= health_for(
        [r for r in mine if r.pk not in healths],
        now=now,
        tz=viewer.timezone,
        parts={CADENCE, ACTIONS},
        with_warnings=False,
    )
    context = {
        "viewer": viewer,
        "team": [
            {
                "row": row,
                "mood": sparkline(
                    title=f"{first_name(row.person.name)}’s mood in the last check-ins",
                    values=row.health.moods,
                    y_min=1,
                    y_max=5,
                )
                if row.health and row.health.moods
                else None,
            }
            for row in rows
        ],
        "warnings": sum(len(r.health.warnings) for r in rows if r.health),
        "mine": [(r, r.other_participant(viewer), healths[r.pk]) for r in mine],
        "window_days": WINDOW.days,
        "now": now,
    }
    return render(request, "insights/home.html", context)


CSV_HEADER = [
    "1:1 with",
    "kind",
    "status",
    "planned (90 days)",
    "held (90 days)",
    "cadence adherence %",
    "cancelled or skipped (90 days)",
    "cancelled by you",
    "moved (90 days)",
    "moved by you",
    "days since the last held 1:1",
    "held in a row",
    "talking points you raised (90 days)",
    "talking points they raised (90 days)",
    "your action items due in 90 days, done on time",
    "your action items due in 90 days, done late",
    "your open action items",
    "your overdue action items",
    "their action items due in 90 days, done on time",
    "their action items due in 90 days, done late",
    "their open action items",
    "their overdue action items",
    "usefulness blocks (3 meetings you both rated, each)",
    "your latest usefulness average (3 meetings)",
    "their latest usefulness average (3 meetings)",
]


@login_required
@require_GET
def mine_csv(request: PersonRequest) -> HttpResponse:
    """The viewer's own insights, one row per 1:1 they take part in (never others' ratings)."""
    viewer = request.user
    now = timezone.now()
    series = list(
        relationships_of(viewer).select_related("lead", "member").order_by("created_at", "pk")
    )
    healths = health_for(series, now=now, tz=viewer.timezone, with_warnings=False)
    rows = [_csv_row(healths[r.pk], viewer) for r in series]
    filename = f"rapport-my-insights-{timezone.localdate().isoformat()}.csv"
    return csv_response(filename, CSV_HEADER, rows)


def _csv_row(health: Health, viewer: Person) -> list[object]:
    series = health.relationship
    is_lead = viewer.pk == series.lead_id
    other = series.other_participant(viewer)
    seen = health.attendance
    mine, theirs = (
        (health.lead_follow, health.member_follow)
        if is_lead
        else (health.member_follow, health.lead_follow)
    )
    balance = health.balance
    latest = health.usefulness.blocks[-1] if health.usefulness.blocks else None
    adherence = seen.adherence
    return [
        other.name,
        series.get_kind_display(),
        series.get_status_display(),
        seen.planned,
        seen.held,
        round(adherence * 100) if adherence is not None else None,
        seen.cancelled,
        seen.cancelled_by.get(viewer.pk, 0),
        seen.rescheduled,
        seen.rescheduled_by.get(viewer.pk, 0),
        seen.days_since_last,
        seen.streak,
        balance.lead if is_lead else balance.member,
        balance.member if is_lead else balance.lead,
        mine.on_time,
        mine.late,
        mine.open,
        mine.overdue,
        theirs.on_time,
        theirs.late,
        theirs.open,
        theirs.overdue,
        health.usefulness.count,
        f"{(latest.lead if is_lead else latest.member):.1f}" if latest else None,
        f"{(latest.member if is_lead else latest.lead):.1f}" if latest else None,
    ]

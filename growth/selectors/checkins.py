"""Reads for checkins (see growth/selectors/__init__.py for how the 1:1 page uses them)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from growth.models import CheckIn
from meetings.models import Meeting, Relationship
from meetings.occurrences import Occurrence
from people.models import Person

TREND_LENGTH = 12

# The trend chart's geometry (SVG user units); the template draws from these numbers.
CHART_WIDTH, CHART_LEFT, CHART_RIGHT = 300, 84, 10
MOOD_TITLE, MOOD_TOP, MOOD_STEP = 11, 26, 13  # mood 5 at the top, 1 at MOOD_TOP + 4 * MOOD_STEP
LOAD_TITLE, LOAD_TOP, LOAD_STEP = 106, 121, 14  # too much at the top, too little at the bottom
DATES_Y = LOAD_TOP + 2 * LOAD_STEP + 20
CHART_HEIGHT = DATES_Y + 6
MARKER = 5
LOAD_LEVEL: dict[str, int] = {
    CheckIn.Workload.TOO_MUCH: 0,
    CheckIn.Workload.RIGHT: 1,
    CheckIn.Workload.TOO_LITTLE: 2,
}


@dataclass(frozen=True)
class TrendPoint:
    """One check-in of the team member, placed on the chart."""

    checkin: CheckIn
    x: float
    mood_y: float
    load_y: float

    @property
    def load_shape(self) -> str:
        """A shape per workload level (up, square, down), so the chart never relies on colour."""
        x, y, m = self.x, self.load_y, MARKER
        shapes = {
            0: [(x, y - m), (x + m, y + m - 1), (x - m, y + m - 1)],
            1: [
                (x - m + 1, y - m + 1),
                (x + m - 1, y - m + 1),
                (x + m - 1, y + m - 1),
                (x - m + 1, y + m - 1),
            ],
            2: [(x - m, y - m + 1), (x + m, y - m + 1), (x, y + m)],
        }
        return " ".join(
            f"{px:.1f},{py:.1f}" for px, py in shapes[LOAD_LEVEL[self.checkin.workload]]
        )


@dataclass(frozen=True)
class Trend:
    points: list[TrendPoint]

    @property
    def mood_line(self) -> str:
        return " ".join(f"{p.x:.1f},{p.mood_y:.1f}" for p in self.points)

    @property
    def load_line(self) -> str:
        return " ".join(f"{p.x:.1f},{p.load_y:.1f}" for p in self.points)

    @property
    def summary(self) -> str:
        """The chart in one sentence, for its accessible name."""
        if not self.points:
            return "No check-ins yet."
        first, last = self.points[0].checkin, self.points[-1].checkin
        count = len(self.points)
        return (
            f"Mood and workload over the last {count} check-in{'s' if count != 1 else ''}: "
            f"mood from {first.mood} ({first.mood_word}) to {last.mood} ({last.mood_word}), "
            f"workload now {last.get_workload_display().lower()}."
        )


def trend_of(checkins: list[CheckIn]) -> Trend:
    """Place check-ins (oldest first) on the chart."""
    span = CHART_WIDTH - CHART_LEFT - CHART_RIGHT
    step = span / (len(checkins) - 1) if len(checkins) > 1 else 0
    start = CHART_LEFT + (span / 2 if len(checkins) == 1 else 0)
    return Trend(
        [
            TrendPoint(
                checkin=c,
                x=start + i * step,
                mood_y=MOOD_TOP + (5 - c.mood) * MOOD_STEP,
                load_y=LOAD_TOP + LOAD_LEVEL[c.workload] * LOAD_STEP,
            )
            for i, c in enumerate(checkins)
        ]
    )


def member_trend(relationship: Relationship) -> Trend:
    """The team member's last check-ins in this 1:1, oldest to newest (one query)."""
    latest = list(
        CheckIn.objects.filter(relationship=relationship, author_id=relationship.member_id)
        .select_related("meeting")
        .order_by("-meeting__start", "-created_at")[:TREND_LENGTH]
    )
    return trend_of(latest[::-1])


def meeting_checkins(meeting: Meeting | None) -> list[CheckIn]:
    """Both participants' check-ins for a meeting (one query; none if it has no row yet)."""
    if meeting is None:
        return []
    return list(meeting.checkins.select_related("author").order_by("created_at"))


def page_context(
    relationship: Relationship,
    viewer: Person,
    *,
    focus: Occurrence | None,
    focus_meeting: Meeting | None,
    now: datetime,
) -> dict[str, Any]:
    """What the relationship page shows of checkins, for this viewer (keys prefixed "checkins_")."""
    focus_checkins = meeting_checkins(focus_meeting)
    own = next((c for c in focus_checkins if c.author_id == viewer.pk), None)
    return {
        "checkins_focus": focus_checkins,
        "checkins_focus_own": own,
        "checkins_trend": member_trend(relationship),
        "checkins_chart": chart_geometry(),
    }


def chart_geometry() -> dict[str, int]:
    """The fixed numbers the chart template needs (axes and labels)."""
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "right": CHART_WIDTH - CHART_RIGHT,
        "mood_title": MOOD_TITLE,
        "mood_top": MOOD_TOP,
        "mood_mid": MOOD_TOP + 2 * MOOD_STEP,
        "mood_bottom": MOOD_TOP + 4 * MOOD_STEP,
        "load_title": LOAD_TITLE,
        "load_top": LOAD_TOP,
        "load_mid": LOAD_TOP + LOAD_STEP,
        "load_bottom": LOAD_TOP + 2 * LOAD_STEP,
        "dates": DATES_Y,
    }

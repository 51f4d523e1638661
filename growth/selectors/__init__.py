"""Reads for growth. `page_context` gathers what the relationship page shows of it."""

from datetime import datetime
from typing import Any

from growth.selectors import career, checkins, feedback, goals
from meetings.models import Meeting, Relationship
from meetings.occurrences import Occurrence
from people.models import Person


def page_context(
    relationship: Relationship,
    viewer: Person,
    *,
    focus: Occurrence | None,
    focus_meeting: Meeting | None,
    now: datetime,
) -> dict[str, Any]:
    """Check-ins, goals, feedback, career and themes for the 1:1 page, in a fixed number of queries."""
    context: dict[str, Any] = {}
    for area in (checkins, goals, feedback, career):
        context |= area.page_context(
            relationship, viewer, focus=focus, focus_meeting=focus_meeting, now=now
        )
    return context

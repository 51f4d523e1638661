"""Reads for career (see growth/selectors/__init__.py for how the 1:1 page uses them)."""

from datetime import datetime
from typing import Any

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
    """What the relationship page shows of career, for this viewer (keys prefixed "career_")."""
    return {}

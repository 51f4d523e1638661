"""What the check-in tests share: the frozen moment and a valid check-in."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from growth.models import CheckIn
from growth.services.checkins import checkin_submit
from meetings.models import Relationship
from people.models import Person
from tests.meetings.conftest import FIRST

# The `now` fixture: Monday 4 January 2027, the day before the first meeting (FIRST).
VALID = {"mood": "4", "workload": "right", "wins": "Shipped", "blockers": "", "priorities": ""}


def weekly(n: int) -> datetime:
    """The key of the n-th meeting after FIRST (10:00 New York, whatever the DST offset)."""
    day = (FIRST + timedelta(weeks=n)).date()
    return datetime.combine(day, time(10), ZoneInfo("America/New_York")).astimezone(UTC)


def submit(
    person: Person,
    relationship: Relationship,
    *,
    key: datetime = FIRST,
    mood: int = 4,
    workload: str = CheckIn.Workload.RIGHT,
    wins: str = "",
    blockers: str = "",
    priorities: str = "",
    base_version: int = 0,
) -> CheckIn:
    """A check-in through the service, with defaults for what a test does not care about."""
    return checkin_submit(
        actor=person,
        relationship=relationship,
        key=key,
        mood=mood,
        workload=workload,
        wins=wins,
        blockers=blockers,
        priorities=priorities,
        base_version=base_version,
    )

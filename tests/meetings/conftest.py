"""Fixtures shared by the 1:1 tests: a frozen clock, fast passwords, occurrence keys."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from pytest_django.fixtures import Settings

# Maya and Ravi (the `one_on_one` fixture) meet on Tuesdays at 10:00 New York time,
# which is 15:00 UTC in January.
FIRST = datetime(2027, 1, 5, 15, 0, tzinfo=UTC)
SECOND = FIRST + timedelta(days=7)
THIRD = FIRST + timedelta(days=14)


@pytest.fixture
def fast_passwords(settings: Settings) -> None:
    """Personas are created per test; hashing their passwords properly dominates the run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clock(now: datetime) -> Iterator[time_machine.Traveller]:
    """Time stands still at `now` until the test moves it."""
    with time_machine.travel(now, tick=False) as traveller:
        yield traveller

"""Growth tests use the 1:1 fixtures: a frozen clock and fast passwords."""

from tests.meetings.conftest import clock, fast_passwords

__all__ = ["clock", "fast_passwords"]

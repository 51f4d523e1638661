"""Time zone helpers: IANA names only, validated once."""

from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.core.exceptions import ValidationError


@cache
def timezone_names() -> tuple[str, ...]:
    """All IANA zone names this installation knows, sorted."""
    return tuple(sorted(available_timezones() - {"localtime", "Factory"}))


def validate_timezone(value: str) -> None:
    """Refuse anything that is not an IANA time zone name."""
    if value not in timezone_names():
        raise ValidationError("“%(value)s” is not a known time zone.", params={"value": value})


@cache
def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(f"“{name}” is not a known time zone.") from exc

"""Template helpers for the 1:1 pages."""

from datetime import date, datetime

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.safestring import SafeString

from lib.markdown import render_markdown
from lib.timezones import zone
from meetings.models import Theme
from meetings.occurrences import key_slug as _key_slug
from meetings.schedule import describe_rrule

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    return render_markdown(text or "")


@register.filter
def theme_label(value: str) -> str:
    return str(Theme(value).label) if value in Theme.values else value


@register.filter
def time_in_zone(value: datetime, tz_name: str) -> str:
    """The wall-clock time of an instant in another person's zone, e.g. "16:00"."""
    return value.astimezone(zone(tz_name)).strftime("%H:%M")


@register.filter
def is_overdue(due: date | None) -> bool:
    return due is not None and due < timezone.localdate()


@register.filter
def first_name(name: str) -> str:
    return name.split(" ")[0] if name else name


@register.filter(name="describe_rrule")
def describe_rrule_filter(rule: str) -> str:
    return describe_rrule(rule)


@register.filter
def key_slug(value: datetime) -> str:
    """An occurrence key for URLs, always in UTC whatever the viewer's zone."""
    return _key_slug(value)


@register.simple_tag
def live_poll_interval() -> str:
    """How often an open page asks for changes, as an htmx interval (RAPPORT_LIVE_POLL_MS)."""
    return f"{settings.RAPPORT_LIVE_POLL_MS}ms"

"""Words and numbers of the insights pages."""

from django import template

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """0.923 -> "92 %"; None (nothing to measure yet) -> "—"."""
    if value is None:
        return "—"
    return f"{round(value * 100)} %"


@register.filter
def days_ago(days: int | None) -> str:
    if days is None:
        return "never"
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


@register.filter
def score(value: float | None) -> str:
    """A usefulness average with one decimal, out of 5."""
    return "—" if value is None else f"{value:.1f}"

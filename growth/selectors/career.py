"""Reads for career and themes (see growth/selectors/__init__.py for how the 1:1 page uses them)."""

from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from growth.access import career_shared_in
from growth.models import CareerProfile, CareerProfileRevision
from growth.models.career import CAREER_FIELDS
from meetings.models import Meeting, Relationship, Theme
from meetings.occurrences import Occurrence
from meetings.selectors import themes_last_discussed
from people.models import Person


@dataclass(frozen=True, slots=True)
class RevisionView:
    """One saved version of a profile and what it changed: (label, new text) pairs."""

    revision: CareerProfileRevision
    changed: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class ThemeStatus:
    """When a theme was last discussed in a 1:1, and whether it has gone quiet."""

    theme: str
    label: str
    last: datetime | None
    meetings_since: int
    is_quiet: bool


def career_history(profile: CareerProfile | None) -> list[RevisionView]:
    """The profile's saved versions, newest first, each with the labels of what it changed."""
    if profile is None:
        return []
    revisions = list(profile.revisions.select_related("edited_by").order_by("-created_at", "-id"))
    views = []
    for index, revision in enumerate(revisions):
        before = revisions[index + 1] if index + 1 < len(revisions) else None
        changed = tuple(
            (label, getattr(revision, name))
            for name, label in CAREER_FIELDS
            if getattr(revision, name) != (getattr(before, name) if before else "")
        )
        views.append(RevisionView(revision, changed))
    return views


def career_entries(profile: CareerProfile | None) -> list[tuple[str, str]]:
    """The profile's texts as (label, text) pairs, in page order; empty when none is written."""
    if profile is None:
        return []
    entries = [(label, getattr(profile, name)) for name, label in CAREER_FIELDS]
    return entries if any(text for _, text in entries) else []


def theme_statuses(relationship: Relationship, *, quiet_after: int) -> list[ThemeStatus]:
    """Each theme but "other" with its last discussion (shared points only) and quietness."""
    latest = themes_last_discussed(relationship)
    # Held meetings, oldest first: counting those after a discussion is a bisection.
    held = list(
        Meeting.objects.filter(relationship=relationship, status=Meeting.Status.HELD)
        .order_by("start")
        .values_list("start", flat=True)
    )
    statuses = []
    for value, label in Theme.choices:
        if value == Theme.OTHER:
            continue
        last = latest.get(value)
        since = len(held) - bisect_right(held, last) if last else len(held)
        statuses.append(ThemeStatus(value, label, last, since, since > quiet_after))
    return statuses


def page_context(
    relationship: Relationship,
    viewer: Person,
    *,
    focus: Occurrence | None,
    focus_meeting: Meeting | None,
    now: datetime,
) -> dict[str, Any]:
    """The member's career profile (manager 1:1s) and the themes card, in 3 queries."""
    # One query brings the member's current manager, the organization's threshold and
    # the profile (a LEFT JOIN: None when the member has not written one yet).
    member = Person.objects.select_related("organization", "career_profile").get(
        pk=relationship.member_id
    )
    shown = career_shared_in(relationship, member)
    profile: CareerProfile | None = getattr(member, "career_profile", None) if shown else None
    assert member.organization is not None  # a 1:1's participants belong to its organization
    quiet_after = member.organization.quiet_theme_after
    return {
        "career_shown": shown,
        "career_profile": profile,
        "career_entries": career_entries(profile),
        "career_is_member": viewer.pk == relationship.member_id,
        "career_themes": theme_statuses(relationship, quiet_after=quiet_after),
        "career_quiet_after": quiet_after,
    }

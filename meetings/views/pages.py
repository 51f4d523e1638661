"""Building the relationship page and its live fragments."""

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from growth.selectors import page_context as growth_page_context
from insights.facts import ACTIONS, BALANCE, CADENCE
from insights.health import health_for
from insights.metrics import WINDOW
from lib.http import PersonRequest
from meetings.access import shares_visible_to
from meetings.models import Meeting, Relationship, Theme
from meetings.occurrences import Occurrence, focus
from meetings.pagecache import cached_part, viewer_key
from meetings.schedule import describe_rrule
from meetings.selectors import (
    agenda_points,
    history_page,
    later_points,
    meeting_record,
    open_action_items,
    own_private_note,
    record_has_content,
    series_upcoming,
)
from meetings.services.shares import is_shareable
from meetings.views.shares import share_context
from playbook.models import Template

PAGE_TEMPLATE = "meetings/relationship.html"


def page_number(request: PersonRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 1_000_000 else 1


def search_query(request: PersonRequest) -> str:
    return request.GET.get("q", "").strip()[:200]


def relationship_context(
    request: PersonRequest, relationship: Relationship, *, page: int = 1, query: str = ""
) -> dict[str, Any]:
    """Everything the relationship page shows, for this viewer, in a fixed number of queries."""
    viewer = request.user
    now = timezone.now()
    schedules = list(relationship.schedules.all())
    occurrences = series_upcoming(relationship, now=now, schedules=schedules)
    current = focus(occurrences)
    focus_meeting = current.meeting if current else None
    later = later_points(relationship, viewer, current.key if current else None)
    history = history_page(relationship, viewer, now=now, page=page, query=query)
    past = [m for m in history.object_list if focus_meeting is None or m.pk != focus_meeting.pk]
    history.object_list = past
    # The newest meeting opens with its record; the others load theirs when opened.
    open_record = (
        meeting_record(relationship, viewer, past[0].pk)
        if past and page == 1 and not query
        else None
    )
    other = relationship.other_participant(viewer)
    growth = growth_page_context(
        relationship, viewer, focus=current, focus_meeting=focus_meeting, now=now
    )
    # How the 1:1 is going (cadence, who raises the points, follow-through): four queries.
    health = health_for(
        [relationship],
        now=now,
        tz=viewer.timezone,
        parts={CADENCE, BALANCE, ACTIONS},
        schedules={relationship.pk: schedules},
        with_warnings=False,
    )[relationship.pk]
    growth |= {
        "health": health,
        "health_sides": health.sides(viewer),
        "health_changes": health.changes(viewer),
        "window_days": WINDOW.days,
    }
    if viewer.pk == relationship.member_id and is_shareable(relationship):
        # The team member of an archived manager 1:1 may share chosen meetings.
        growth |= share_context(viewer, relationship)
    return growth | {
        "relationship": relationship,
        "viewer": viewer,
        "other": other,
        "is_lead": viewer.pk == relationship.lead_id,
        "writable": relationship.status != Relationship.Status.ENDED,
        "schedule": schedules[-1] if schedules else None,
        "cadence_label": describe_rrule(schedules[-1].rrule) if schedules else "",
        "focus": current,
        "focus_meeting": focus_meeting,
        "points": agenda_points(relationship, viewer, current, is_focus=True),
        "upcoming": [(o, later.get(o.key, [])) for o in occurrences if o != current],
        "actions": open_action_items(relationship),
        "private_note": own_private_note(focus_meeting, viewer),
        "history": history,
        "open_record": open_record,
        "query": query,
        "templates": Template.objects.filter(
            organization_id=relationship.organization_id, is_active=True
        ),
        "themes": Theme.choices,
        "now": now,
    }


# Partials that need only the focus meeting, its agenda and the open action items.
LIGHT_FRAGMENTS = frozenset({"agenda", "actions", "add-point"})


def fragment_context(request: PersonRequest, relationship: Relationship) -> dict[str, Any]:
    """What the agenda and action-item partials show: far less than the whole page."""
    viewer = request.user
    now = timezone.now()
    occurrences = series_upcoming(relationship, now=now)
    current = focus(occurrences)
    other = relationship.other_participant(viewer)
    return {
        "relationship": relationship,
        "viewer": viewer,
        "other": other,
        "writable": relationship.status != Relationship.Status.ENDED,
        "focus": current,
        "points": agenda_points(relationship, viewer, current, is_focus=True),
        "upcoming": [(o, []) for o in occurrences if o != current],
        "actions": open_action_items(relationship),
        "themes": Theme.choices,
        "now": now,
    }


def render_page(
    request: PersonRequest, relationship: Relationship, *, status: int = 200
) -> HttpResponse:
    """The whole page; its body comes from the viewer's page cache when nothing changed."""
    page, query = page_number(request), search_query(request)
    key = viewer_key(
        request,
        "relationship",
        relationship.uuid,
        relationship.shared_version,
        relationship.private_version_of(request.user),
        page,
        query,
    )
    body = cached_part(
        request,
        key,
        f"{PAGE_TEMPLATE}#body",
        lambda: (
            relationship_context(request, relationship, page=page, query=query)
            | shared_with_viewer(request, relationship)
        ),
    )
    context = {"body": body, "other": relationship.other_participant(request.user)}
    return render(request, PAGE_TEMPLATE, context, status=status)


def shared_with_viewer(request: PersonRequest, relationship: Relationship) -> dict[str, Any]:
    """Whether the report of this manager 1:1 shared meetings of an earlier 1:1 with the viewer.

    Asked on the manager's page of an ongoing manager 1:1 only (one query), where the
    new manager looks for it; a new share shows within the page cache's lifetime.
    """
    viewer = request.user
    if (
        relationship.kind != Relationship.Kind.MANAGER
        or viewer.pk != relationship.lead_id
        or relationship.status == Relationship.Status.ENDED
    ):
        return {}
    shared = shares_visible_to(viewer).filter(shared_by_id=relationship.member_id).exists()
    return {"shared_from_other": shared}


def render_fragment(
    request: PersonRequest, relationship: Relationship, name: str, **extra: Any
) -> HttpResponse:
    """Render one named partial of the relationship page (after an htmx write)."""
    if name in LIGHT_FRAGMENTS:
        context = fragment_context(request, relationship)
    else:
        context = relationship_context(request, relationship)
    context.update(extra)
    return render(request, f"{PAGE_TEMPLATE}#{name}", context)


def occurrence_context(
    request: PersonRequest, relationship: Relationship, occurrence: Occurrence
) -> dict[str, Any]:
    """A single occurrence's page: upcoming (its own points) or past (its record)."""
    viewer = request.user
    now = timezone.now()
    current = focus(series_upcoming(relationship, now=now))
    meeting: Meeting | None = occurrence.meeting
    is_focus = current is not None and current.key == occurrence.key
    is_past = not is_focus and (not occurrence.is_scheduled or occurrence.end < now)
    record = meeting_record(relationship, viewer, meeting.pk) if is_past and meeting else None
    other = relationship.other_participant(viewer)
    return {
        "relationship": relationship,
        "viewer": viewer,
        "other": other,
        "writable": relationship.status != Relationship.Status.ENDED,
        "occurrence": occurrence,
        "is_focus": is_focus,
        "is_past": is_past,
        "record": record,
        "record_visible": record is not None and record_has_content(record),
        "points": []
        if record
        else agenda_points(relationship, viewer, occurrence, is_focus=is_focus),
        "private_note": own_private_note(meeting, viewer),
        "themes": Theme.choices,
        "now": now,
    }

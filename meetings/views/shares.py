"""Sharing chosen meetings of an archived manager 1:1 with the new manager, and reading them.

The team member shares and withdraws from the archived 1:1's page (the "share" section,
meetings/shares_form.html); the new manager reads what was shared on one page per
person. Everything else of the old 1:1 stays out of the new manager's reach: its own
URLs answer 404 for them like any 1:1 they take no part in.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from lib.http import PersonRequest, attempt
from meetings.access import relationship_for, shared_by_for, shares_visible_to
from meetings.models import CarryOver, Discussion, Meeting, MeetingShare, Relationship, TalkingPoint
from meetings.services.shares import (
    meetings_share,
    share_target,
    share_withdraw,
    shares_withdraw_all,
)
from people.models import Person


def share_context(viewer: Person, relationship: Relationship) -> dict[str, Any]:
    """What the share section of an archived manager 1:1 shows its team member (3 queries)."""
    target = share_target(relationship, viewer)
    meetings = list(relationship.meetings.filter(status=Meeting.Status.HELD).order_by("-start"))
    shares: dict[int, list[MeetingShare]] = defaultdict(list)
    for share in (
        MeetingShare.objects.filter(shared_by=viewer, meeting__relationship=relationship)
        .select_related("shared_with")
        .order_by("created_at")
    ):
        shares[share.meeting_id].append(share)
    rows = [
        (
            meeting,
            shares[meeting.pk],
            target is not None and any(s.shared_with_id == target.pk for s in shares[meeting.pk]),
        )
        for meeting in meetings
    ]
    return {
        "share_target": target,
        "share_rows": rows,
        "share_count": sum(len(s) for s in shares.values()),
        "share_open": any(not shared for _, _, shared in rows),
    }


def _back(relationship: Relationship) -> HttpResponse:
    return redirect(reverse("meetings:relationship", args=[relationship.uuid]) + "#share")


def _uuids(values: list[str]) -> list[UUID]:
    try:
        return [UUID(value) for value in values]
    except ValueError as exc:
        raise ValidationError("Choose meetings from the list.") from exc


@login_required
@require_POST
def share_view(request: PersonRequest, relationship_uuid: UUID) -> HttpResponse:
    """Share the ticked meetings with the team member's current manager."""
    relationship = relationship_for(request.user, relationship_uuid)

    def share() -> object:
        return meetings_share(
            actor=request.user,
            relationship=relationship,
            meeting_uuids=_uuids(request.POST.getlist("meeting")),
        )

    attempt(
        request, share, "Shared. Your manager can read those meetings' shared notes and agenda."
    )
    return _back(relationship)


@login_required
@require_POST
def share_withdraw_view(request: PersonRequest, relationship_uuid: UUID) -> HttpResponse:
    """Withdraw one share (`withdraw` = its id) or every share of this 1:1 (`all`)."""
    relationship = relationship_for(request.user, relationship_uuid)
    if request.POST.get("all"):
        attempt(
            request,
            lambda: shares_withdraw_all(actor=request.user, relationship=relationship),
            "Withdrawn. Nobody else sees any meeting of this 1:1 now.",
        )
        return _back(relationship)

    def withdraw() -> None:
        [share_uuid] = _uuids([request.POST.get("withdraw", "")])
        share_withdraw(actor=request.user, relationship=relationship, share_uuid=share_uuid)

    attempt(request, withdraw, "Withdrawn. That meeting is no longer shared.")
    return _back(relationship)


@dataclass
class SharedMeeting:
    """One shared meeting as its reader sees it: date, shared notes and shared agenda."""

    share: MeetingShare
    meeting: Meeting
    former_manager: Person
    # (point, state) with state "discussed", "carried" (on the agenda, moved on) or "planned".
    points: list[tuple[TalkingPoint, str]] = field(default_factory=list)


def shared_meetings(shares: list[MeetingShare]) -> list[SharedMeeting]:
    """The shared meetings with their shared agenda, in a fixed number of queries.

    Only points that are not private, whoever wrote them; nothing else of the meeting
    (no action items, check-ins, feedback, ratings or private notes) is read at all.
    """
    entries = {
        share.meeting_id: SharedMeeting(
            share=share, meeting=share.meeting, former_manager=share.meeting.relationship.lead
        )
        for share in shares
    }
    ids = list(entries)
    seen: set[tuple[int, int]] = set()

    def add(meeting_id: int, point: TalkingPoint, state: str) -> None:
        if (meeting_id, point.pk) not in seen:
            seen.add((meeting_id, point.pk))
            entries[meeting_id].points.append((point, state))

    for row in (
        Discussion.objects.filter(meeting_id__in=ids, point__is_private=False)
        .select_related("point__author")
        .order_by("point__position", "point__created_at")
    ):
        add(row.meeting_id, row.point, "discussed")
    for carry in (
        CarryOver.objects.filter(meeting_id__in=ids, point__is_private=False)
        .select_related("point__author")
        .order_by("point__position", "point__created_at")
    ):
        add(carry.meeting_id, carry.point, "carried")
    by_key = {(e.meeting.relationship_id, e.meeting.occurrence_start): e for e in entries.values()}
    planned = Q()
    for relationship_id, key in by_key:
        planned |= Q(relationship_id=relationship_id, planned_for=key)
    if by_key:
        for point in (
            TalkingPoint.objects.filter(planned, is_private=False)
            .select_related("author")
            .order_by("position", "created_at")
        ):
            assert point.planned_for is not None
            add(by_key[(point.relationship_id, point.planned_for)].meeting.pk, point, "planned")
    return sorted(entries.values(), key=lambda e: e.meeting.start, reverse=True)


@login_required
@require_GET
def shared_history(request: PersonRequest, person_uuid: UUID) -> HttpResponse:
    """The meetings `person` shared with the viewer; 404 when there are none."""
    sharer = shared_by_for(request.user, person_uuid)
    shares = list(
        shares_visible_to(request.user)
        .filter(shared_by=sharer)
        .select_related("meeting__relationship__lead")
    )
    return render(
        request,
        "meetings/shares.html",
        {"sharer": sharer, "entries": shared_meetings(shares), "viewer": request.user},
    )

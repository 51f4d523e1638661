"""One occurrence at a time: reschedule, cancel or skip, close (held), rate."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from meetings import signals
from meetings.models import CarryOver, Discussion, Meeting, Rating, Relationship, TalkingPoint
from meetings.occurrences import focus
from meetings.services.common import (
    bump_private,
    bump_shared,
    ensure_participant,
    ensure_writable,
    meeting_end,
    meeting_materialize,
    now,
    record,
    validate_text,
)
from meetings.signals import emit
from people.models import Person


def _ensure_open(meeting: Meeting) -> None:
    if meeting.is_closed:
        raise ValidationError(f"This meeting is already {meeting.get_status_display().lower()}.")


def _is_focus(meeting: Meeting) -> bool:
    """Whether the meeting is the one the relationship's open agenda belongs to right now."""
    from meetings.selectors import series_upcoming

    current = focus(series_upcoming(meeting.relationship, now=now()))
    return current is not None and current.key == meeting.occurrence_start


def _carry_over_open_points(meeting: Meeting, *, was_focus: bool) -> int:
    """Record which open points were on this meeting's agenda and move on with the series.

    The points stay open and so appear on the next meeting exactly once; the
    record keeps the meeting's history complete.
    """
    discussed_here = Discussion.objects.filter(point=OuterRef("pk"), meeting=meeting)
    raised_for_it = Q(planned_for=meeting.occurrence_start)
    if was_focus:
        raised_for_it |= Q(planned_for__isnull=True) | Q(planned_for__lt=meeting.occurrence_start)
    pending = (
        TalkingPoint.objects.filter(
            relationship_id=meeting.relationship_id,
            status=TalkingPoint.Status.OPEN,
            is_standing=False,
            created_at__lt=meeting_end(meeting),
        )
        .filter(raised_for_it)
        .exclude(Exists(discussed_here))
        .values_list("pk", flat=True)
    )
    rows = [CarryOver(point_id=pk, meeting=meeting) for pk in pending]
    CarryOver.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


@transaction.atomic
def meeting_reschedule(
    *, actor: Person, relationship: Relationship, key: datetime, new_start: datetime, reason: str
) -> Meeting:
    """Move one occurrence to another time; its open points follow the series."""
    ensure_participant(relationship, actor)
    ensure_writable(relationship)
    if new_start <= now():
        raise ValidationError("Choose a time in the future.")
    meeting = meeting_materialize(relationship=relationship, key=key)
    _ensure_open(meeting)
    clash = Meeting.objects.filter(
        relationship=relationship, start=new_start, status=Meeting.Status.SCHEDULED
    ).exclude(pk=meeting.pk)
    if clash.exists():
        raise ValidationError("Another meeting of this 1:1 is already at that time.")
    meeting.start = new_start
    meeting.reason = validate_text(reason, limit=500, label="The reason", required=False)
    meeting.status_changed_by = actor
    meeting.moved_by = actor
    meeting.sequence += 1
    meeting.save(update_fields=["start", "reason", "status_changed_by", "moved_by", "sequence"])
    bump_shared(relationship)
    record(actor, "meeting.reschedule", meeting, relationship)
    emit(
        signals.occurrence_changed, relationship=relationship, meeting=meeting, change="rescheduled"
    )
    return meeting


@transaction.atomic
def meeting_cancel(
    *, actor: Person, relationship: Relationship, key: datetime, reason: str, skip: bool = False
) -> Meeting:
    """Cancel (or deliberately skip) one occurrence; open points carry over."""
    ensure_participant(relationship, actor)
    ensure_writable(relationship)
    meeting = meeting_materialize(relationship=relationship, key=key)
    _ensure_open(meeting)
    was_focus = meeting.start <= now() or _is_focus(meeting)
    meeting.status = Meeting.Status.SKIPPED if skip else Meeting.Status.CANCELLED
    meeting.reason = validate_text(reason, limit=500, label="The reason", required=False)
    meeting.status_changed_by = actor
    meeting.closed_at = now()
    meeting.sequence += 1
    meeting.save(update_fields=["status", "reason", "status_changed_by", "closed_at", "sequence"])
    _carry_over_open_points(meeting, was_focus=was_focus)
    bump_shared(relationship)
    record(actor, "meeting.skip" if skip else "meeting.cancel", meeting, relationship)
    change = "skipped" if skip else "cancelled"
    emit(signals.occurrence_changed, relationship=relationship, meeting=meeting, change=change)
    return meeting


@transaction.atomic
def meeting_close(
    *, actor: Person, relationship: Relationship, key: datetime, rating: int | None = None
) -> Meeting:
    """Mark a meeting as held; open points not discussed move to the next meeting."""
    ensure_participant(relationship, actor)
    ensure_writable(relationship)
    meeting = meeting_materialize(relationship=relationship, key=key)
    _ensure_open(meeting)
    if meeting.start > now() + timedelta(hours=1):
        raise ValidationError("A meeting can be marked as held once it has started.")
    was_focus = meeting.start <= now() or _is_focus(meeting)
    meeting.status = Meeting.Status.HELD
    meeting.status_changed_by = actor
    meeting.closed_at = now()
    meeting.save(update_fields=["status", "status_changed_by", "closed_at"])
    _carry_over_open_points(meeting, was_focus=was_focus)
    if rating is not None:
        meeting_rate(actor=actor, meeting=meeting, score=rating)
    bump_shared(relationship)
    record(actor, "meeting.close", meeting, relationship)
    emit(signals.meeting_closed, relationship=relationship, meeting=meeting)
    return meeting


@transaction.atomic
def meeting_reopen(*, actor: Person, relationship: Relationship, meeting: Meeting) -> Meeting:
    """Undo a close or cancellation made by mistake; carry-over records go with it."""
    ensure_participant(relationship, actor)
    ensure_writable(relationship)
    if not meeting.is_closed:
        raise ValidationError("This meeting is not closed.")
    CarryOver.objects.filter(meeting=meeting).delete()
    was_off_calendar = meeting.status in (Meeting.Status.CANCELLED, Meeting.Status.SKIPPED)
    meeting.status = Meeting.Status.SCHEDULED
    meeting.closed_at = None
    meeting.status_changed_by = actor
    meeting.sequence += 1
    meeting.save(update_fields=["status", "closed_at", "status_changed_by", "sequence"])
    bump_shared(relationship)
    record(actor, "meeting.reopen", meeting, relationship)
    if was_off_calendar:
        emit(
            signals.occurrence_changed,
            relationship=relationship,
            meeting=meeting,
            change="reopened",
        )
    return meeting


@transaction.atomic
def meeting_rate(*, actor: Person, meeting: Meeting, score: int) -> Rating:
    """Record how useful the actor found a held meeting; only they will see it."""
    ensure_participant(meeting.relationship, actor)
    ensure_writable(meeting.relationship)
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError("Only a meeting that was held can be rated.")
    if not 1 <= score <= 5:
        raise ValidationError("Rate from 1 (not useful) to 5 (very useful).")
    rating, _ = Rating.objects.update_or_create(
        meeting=meeting, rater=actor, defaults={"score": score}
    )
    bump_private(meeting.relationship, actor)
    emit(signals.meeting_rated, relationship=meeting.relationship, meeting=meeting)
    return rating

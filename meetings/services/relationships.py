"""Starting, re-planning and ending a 1:1 series."""

from datetime import UTC, date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q

from meetings import signals
from meetings.models import Relationship, Schedule
from meetings.schedule import (
    Cadence,
    CadenceError,
    Segment,
    first_occurrence_on_or_after,
    local_to_utc,
    validate_segment,
)
from meetings.services.common import bump_shared, ensure_participant, ensure_writable, now, record
from meetings.signals import emit
from people.models import Person
from playbook.models import Template


def _new_segment(
    *,
    relationship: Relationship,
    cadence: Cadence,
    from_date: date,
    local_time: time,
    timezone: str,
    duration_minutes: int,
    at: datetime,
) -> Schedule:
    """Validate and create a schedule segment whose first meeting is on or after `from_date`."""
    try:
        rule = cadence.rrule()
        first = first_occurrence_on_or_after(rule, from_date, local_time)
        segment = Segment(rule, first, local_time, timezone, duration_minutes)
        starts_at = validate_segment(segment, now=at)
    except CadenceError as exc:
        raise ValidationError(str(exc)) from exc
    if not 5 <= duration_minutes <= 480:
        raise ValidationError("A 1:1 lasts between 5 minutes and 8 hours.")
    return Schedule.objects.create(
        relationship=relationship,
        rrule=rule,
        first_date=first,
        local_time=local_time,
        timezone=timezone,
        duration_minutes=duration_minutes,
        starts_at=starts_at,
    )


def _check_pair(actor: Person, other: Person, kind: str) -> None:
    if other.pk == actor.pk:
        raise ValidationError("A 1:1 needs two people.")
    if actor.organization_id is None or other.organization_id != actor.organization_id:
        raise ValidationError("Choose someone in your organization.")
    if not other.is_active:
        raise ValidationError("Choose someone in your organization.")
    if kind == Relationship.Kind.MANAGER and other.manager_id != actor.pk:
        raise ValidationError(
            f"{other.name} does not report to you; choose mentor, peer or skip-level instead."
        )
    already = Relationship.objects.filter(
        Q(lead=actor, member=other) | Q(lead=other, member=actor),
        organization_id=actor.org_id,
    ).exclude(status=Relationship.Status.ENDED)
    if already.exists():
        raise ValidationError(f"You already have a 1:1 with {other.name}.")


@transaction.atomic
def relationship_start(
    *,
    actor: Person,
    other: Person,
    kind: str,
    cadence: Cadence,
    first_date: date,
    local_time: time,
    timezone: str,
    duration_minutes: int,
    template: Template | None = None,
    now: datetime | None = None,
) -> Relationship:
    """Start a recurring 1:1 led by `actor`; optionally seed its first agenda from a template."""
    at = now or datetime.now(UTC)
    _check_pair(actor, other, kind)
    relationship = Relationship.objects.create(
        organization_id=actor.org_id, kind=kind, lead=actor, member=other
    )
    _new_segment(
        relationship=relationship,
        cadence=cadence,
        from_date=first_date,
        local_time=local_time,
        timezone=timezone,
        duration_minutes=duration_minutes,
        at=at,
    )
    record(actor, "relationship.start", relationship, relationship)
    emit(signals.relationship_started, relationship=relationship)
    if template is not None:
        from meetings.services.agenda import template_apply

        template_apply(actor=actor, relationship=relationship, template=template, planned_for=None)
    return relationship


def _end_current_segment(relationship: Relationship, cut: datetime) -> None:
    relationship.schedules.filter(Q(until__isnull=True) | Q(until__gt=cut)).update(
        until=cut, sequence=F("sequence") + 1
    )


@transaction.atomic
def relationship_change_cadence(
    *,
    actor: Person,
    relationship: Relationship,
    cadence: Cadence,
    from_date: date,
    local_time: time,
    timezone: str,
    duration_minutes: int,
) -> Schedule:
    """From `from_date` on, follow a new cadence; earlier meetings keep the old one."""
    ensure_participant(relationship, actor)
    ensure_writable(relationship)
    at = now()
    cut = local_to_utc(datetime.combine(from_date, time(0, 0)), timezone)
    if cut < at:
        cut = at
    _end_current_segment(relationship, cut)
    schedule = _new_segment(
        relationship=relationship,
        cadence=cadence,
        from_date=from_date,
        local_time=local_time,
        timezone=timezone,
        duration_minutes=duration_minutes,
        at=max(at, cut),
    )
    if relationship.status == Relationship.Status.PAUSED:
        Relationship.objects.filter(pk=relationship.pk).update(status=Relationship.Status.ACTIVE)
    bump_shared(relationship)
    record(actor, "relationship.change_cadence", relationship, relationship)
    emit(signals.schedule_changed, relationship=relationship, reason="cadence")
    return schedule


@transaction.atomic
def relationship_pause(*, actor: Person, relationship: Relationship) -> None:
    """Stop scheduling meetings until resumed; open points and actions stay."""
    ensure_participant(relationship, actor)
    ensure_writable(relationship)
    if relationship.status == Relationship.Status.PAUSED:
        raise ValidationError("This 1:1 is already paused.")
    _end_current_segment(relationship, now())
    Relationship.objects.filter(pk=relationship.pk).update(status=Relationship.Status.PAUSED)
    relationship.status = Relationship.Status.PAUSED
    bump_shared(relationship)
    record(actor, "relationship.pause", relationship, relationship)
    emit(signals.schedule_changed, relationship=relationship, reason="pause")


@transaction.atomic
def relationship_resume(*, actor: Person, relationship: Relationship, from_date: date) -> Schedule:
    """Resume a paused series with its last cadence, from `from_date` on."""
    ensure_participant(relationship, actor)
    ensure_writable(relationship)
    if relationship.status != Relationship.Status.PAUSED:
        raise ValidationError("This 1:1 is not paused.")
    last = relationship.schedules.order_by("-starts_at").first()
    assert last is not None
    at = now()
    try:
        first = first_occurrence_on_or_after(last.rrule, from_date, last.local_time)
        segment = Segment(last.rrule, first, last.local_time, last.timezone, last.duration_minutes)
        starts_at = validate_segment(segment, now=at)
    except CadenceError as exc:
        raise ValidationError(str(exc)) from exc
    schedule = Schedule.objects.create(
        relationship=relationship,
        rrule=last.rrule,
        first_date=first,
        local_time=last.local_time,
        timezone=last.timezone,
        duration_minutes=last.duration_minutes,
        starts_at=starts_at,
    )
    Relationship.objects.filter(pk=relationship.pk).update(status=Relationship.Status.ACTIVE)
    relationship.status = Relationship.Status.ACTIVE
    bump_shared(relationship)
    record(actor, "relationship.resume", relationship, relationship)
    emit(signals.schedule_changed, relationship=relationship, reason="resume")
    return schedule


@transaction.atomic
def relationship_archive(*, relationship: Relationship, reason: str) -> None:
    """End a series because of a change outside it (reporting line, someone leaving).

    Nobody's action in the 1:1: no participant check. Its history stays readable for
    both participants, as after `relationship_end`.
    """
    if relationship.status == Relationship.Status.ENDED:
        return
    at = now()
    _end_current_segment(relationship, at)
    Relationship.objects.filter(pk=relationship.pk).update(
        status=Relationship.Status.ENDED, ended_at=at, end_reason=reason
    )
    relationship.status = Relationship.Status.ENDED
    relationship.ended_at = at
    relationship.end_reason = reason
    bump_shared(relationship)
    emit(signals.relationship_ended, relationship=relationship, reason=reason)


@transaction.atomic
def relationship_end(*, actor: Person, relationship: Relationship) -> None:
    """End the series: no more meetings; its history stays readable for both."""
    ensure_participant(relationship, actor)
    ensure_writable(relationship)
    at = now()
    _end_current_segment(relationship, at)
    Relationship.objects.filter(pk=relationship.pk).update(
        status=Relationship.Status.ENDED, ended_at=at, end_reason=Relationship.EndReason.ENDED
    )
    relationship.status = Relationship.Status.ENDED
    relationship.ended_at = at
    relationship.end_reason = Relationship.EndReason.ENDED
    bump_shared(relationship)
    record(actor, "relationship.end", relationship, relationship)
    emit(signals.relationship_ended, relationship=relationship, reason="ended")

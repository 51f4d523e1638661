"""Pieces shared by the meeting services."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from activity.services import activity_record
from meetings.live import note_bump
from meetings.models import Meeting, Relationship
from meetings.occurrences import occurrence_exists
from people.models import Person


@dataclass
class EditConflict(Exception):
    """Someone saved this text since the editor loaded it; nothing was overwritten."""

    current_text: str
    current_version: int
    updated_by: str


def bump_shared(relationship: Relationship) -> None:
    """Tell open pages of both participants that something they can see changed."""
    # One statement that also returns the version it made (PostgreSQL and SQLite
    # 3.35+ both have RETURNING): no other write can slip between bump and read.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Relationship._meta.db_table} SET shared_version = shared_version + 1 "  # noqa: S608
            "WHERE id = %s RETURNING shared_version",
            [relationship.pk],
        )
        row = cursor.fetchone()
    if row is None:  # the relationship is gone: nothing to tell
        return
    relationship.shared_version = row[0]
    note_bump(relationship.pk, row[0])


def bump_private(relationship: Relationship, person: Person) -> None:
    """Tell the person's own cached pages that something only they can see changed."""
    field = relationship.private_version_field(person)
    Relationship.objects.filter(pk=relationship.pk).update(**{field: F(field) + 1})


def bump_for(relationship: Relationship, actor: Person, *, shared: bool) -> None:
    """After a write: bump what its readers see (shared covers both participants' pages)."""
    if shared:
        bump_shared(relationship)
    else:
        bump_private(relationship, actor)


def record(actor: Person, verb: str, obj: object, relationship: Relationship) -> None:
    activity_record(
        actor=actor,
        verb=verb,
        object_type=type(obj).__name__,
        object_uuid=obj.uuid,  # type: ignore[attr-defined]
        relationship_id=relationship.pk,
    )


def ensure_participant(relationship: Relationship, person: Person) -> None:
    """Services trust no caller: the actor must take part in the relationship."""
    if person.pk not in (relationship.lead_id, relationship.member_id):
        raise PermissionDenied("Not a participant of this 1:1.")


def ensure_writable(relationship: Relationship) -> None:
    if relationship.status == Relationship.Status.ENDED:
        raise PermissionDenied("This 1:1 has ended; its history is read-only.")


def validate_text(value: str, *, limit: int, label: str, required: bool = True) -> str:
    text = value.strip()
    if required and not text:
        raise ValidationError(f"{label} cannot be empty.")
    if len(text) > limit:
        raise ValidationError(
            f"{label} is too long: {len(text):,} characters, the limit is {limit:,}."
        )
    if "\x00" in text:
        raise ValidationError(f"{label} contains a character that cannot be stored.")
    return text


@transaction.atomic
def meeting_materialize(*, relationship: Relationship, key: datetime) -> Meeting:
    """The Meeting row of an occurrence, created on first touch; 404-style error if no such."""
    existing = Meeting.objects.filter(relationship=relationship, occurrence_start=key).first()
    if existing is not None:
        return existing
    schedules = list(relationship.schedules.all())
    segment = occurrence_exists(schedules, key)
    if segment is None:
        raise ValidationError("There is no meeting at that time in this series.")
    meeting, _ = Meeting.objects.get_or_create(
        relationship=relationship,
        occurrence_start=key,
        defaults={
            "organization_id": relationship.organization_id,
            "start": key,
            "duration_minutes": segment.duration_minutes,
        },
    )
    return meeting


def meeting_end(meeting: Meeting) -> datetime:
    return meeting.start + timedelta(minutes=meeting.duration_minutes)


def now() -> datetime:
    return timezone.now()

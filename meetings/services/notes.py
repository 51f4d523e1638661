"""Shared meeting notes and private notes, saved without ever overwriting blindly."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from meetings.models import Meeting, PrivateNote
from meetings.services.common import (
    EditConflict,
    bump_private,
    bump_shared,
    ensure_participant,
    ensure_writable,
    record,
    validate_text,
)
from people.models import Person

NOTES_LIMIT = 50_000


@transaction.atomic
def shared_notes_save(*, actor: Person, meeting: Meeting, text: str, base_version: int) -> Meeting:
    """Save the shared notes if nobody saved since `base_version`; else raise EditConflict."""
    relationship = meeting.relationship
    ensure_participant(relationship, actor)
    ensure_writable(relationship)
    clean = validate_text(text, limit=NOTES_LIMIT, label="The notes", required=False)
    updated = Meeting.objects.filter(pk=meeting.pk, notes_version=base_version).update(
        notes=clean,
        notes_version=F("notes_version") + 1,
        notes_updated_at=timezone.now(),
        notes_updated_by=actor,
    )
    if not updated:
        current = Meeting.objects.select_related("notes_updated_by").get(pk=meeting.pk)
        editor = current.notes_updated_by.name if current.notes_updated_by else "someone"
        raise EditConflict(current.notes, current.notes_version, editor)
    meeting.refresh_from_db()
    bump_shared(relationship)
    record(actor, "notes.save", meeting, relationship)
    return meeting


@transaction.atomic
def private_note_save(
    *, actor: Person, meeting: Meeting, text: str, base_version: int
) -> PrivateNote:
    """Save the actor's private note on a meeting (their other tabs cannot overwrite it)."""
    ensure_participant(meeting.relationship, actor)
    ensure_writable(meeting.relationship)
    clean = validate_text(text, limit=NOTES_LIMIT, label="The private note", required=False)
    note, _ = PrivateNote.objects.get_or_create(meeting=meeting, author=actor)
    updated = PrivateNote.objects.filter(pk=note.pk, version=base_version).update(
        text=clean, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        note.refresh_from_db()
        raise EditConflict(note.text, note.version, actor.name)
    note.refresh_from_db()
    bump_private(meeting.relationship, actor)
    return note

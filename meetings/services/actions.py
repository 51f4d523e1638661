"""Action items: commitments that stay with the relationship until done."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from meetings.models import ActionItem, Relationship
from meetings.services.common import (
    EditConflict,
    bump_shared,
    ensure_participant,
    ensure_writable,
    meeting_materialize,
    now,
    record,
    validate_text,
)
from people.models import Person

ACTION_LIMIT = 2000


def _check_owner(relationship: Relationship, owner: Person) -> None:
    if owner.pk not in (relationship.lead_id, relationship.member_id):
        raise ValidationError("The owner must be one of the two of you.")


@transaction.atomic
def action_add(
    *,
    actor: Person,
    relationship: Relationship,
    text: str,
    owner: Person,
    due_date: date | None = None,
    meeting_key: datetime | None = None,
) -> ActionItem:
    """Record a commitment by either participant, optionally from a given meeting."""
    ensure_participant(relationship, actor)
    ensure_writable(relationship)
    _check_owner(relationship, owner)
    meeting = (
        meeting_materialize(relationship=relationship, key=meeting_key) if meeting_key else None
    )
    item = ActionItem.objects.create(
        organization_id=relationship.organization_id,
        relationship=relationship,
        meeting=meeting,
        text=validate_text(text, limit=ACTION_LIMIT, label="An action item"),
        owner=owner,
        due_date=due_date,
        created_by=actor,
    )
    bump_shared(relationship)
    record(actor, "action.add", item, relationship)
    return item


@transaction.atomic
def action_edit(
    *,
    actor: Person,
    item: ActionItem,
    text: str,
    owner: Person,
    due_date: date | None,
    base_version: int,
) -> ActionItem:
    """Change an action item, unless the other participant changed it first."""
    relationship = item.relationship
    ensure_participant(relationship, actor)
    ensure_writable(relationship)
    _check_owner(relationship, owner)
    updated = ActionItem.objects.filter(pk=item.pk, version=base_version).update(
        text=validate_text(text, limit=ACTION_LIMIT, label="An action item"),
        owner=owner,
        due_date=due_date,
        version=F("version") + 1,
    )
    if not updated:
        current = ActionItem.objects.get(pk=item.pk)
        raise EditConflict(current.text, current.version, "the other participant")
    item.refresh_from_db()
    bump_shared(relationship)
    record(actor, "action.edit", item, relationship)
    return item


@transaction.atomic
def action_set_done(
    *, actor: Person, item: ActionItem, done: bool, meeting_key: datetime | None = None
) -> ActionItem:
    """Complete an action item (optionally in a meeting) or reopen it."""
    relationship = item.relationship
    ensure_participant(relationship, actor)
    ensure_writable(relationship)
    if done == item.is_done:
        return item
    if done:
        item.done_at = now()
        item.completed_in = (
            meeting_materialize(relationship=relationship, key=meeting_key) if meeting_key else None
        )
    else:
        item.done_at = None
        item.completed_in = None
    item.version += 1
    item.save(update_fields=["done_at", "completed_in", "version"])
    bump_shared(relationship)
    record(actor, "action.complete" if done else "action.reopen", item, relationship)
    return item


@transaction.atomic
def action_delete(*, actor: Person, item: ActionItem) -> None:
    """Remove an action item recorded by mistake."""
    relationship = item.relationship
    ensure_participant(relationship, actor)
    ensure_writable(relationship)
    record(actor, "action.delete", item, relationship)
    item.delete()
    bump_shared(relationship)

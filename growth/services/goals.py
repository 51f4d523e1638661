"""Writes for goals: one named action per change, in one transaction, with its activity record."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from activity.services import activity_record
from growth.models import Goal, GoalUpdate
from growth.models.goals import GOAL_TEXT, GOAL_TITLE, GOAL_UNDO_DAYS, REVIEW_PERIOD
from lib.timezones import zone
from meetings.models import Meeting, Relationship
from meetings.services.common import (
    EditConflict,
    bump_shared,
    ensure_participant,
    ensure_writable,
    meeting_materialize,
    now,
    validate_text,
)
from people.models import Person

UNDO = timedelta(days=GOAL_UNDO_DAYS)


@dataclass(frozen=True)
class GoalFields:
    """What a person writes about a goal (the same for creating, proposing and editing)."""

    kind: str
    title: str
    why: str = ""
    target_date: date | None = None
    review_period: str = ""


def today_for(person: Person, at: datetime) -> date:
    """The person's calendar day at `at` (target dates are in the owner's days)."""
    return at.astimezone(zone(person.timezone or "UTC")).date()


def _clean(fields: GoalFields, *, today: date, keep_date: date | None = None) -> dict[str, object]:
    if fields.kind not in Goal.Kind.values:
        raise ValidationError("Choose personal, career or performance.")
    period = validate_text(
        fields.review_period, limit=REVIEW_PERIOD, label="The review period", required=False
    )
    if fields.kind == Goal.Kind.PERFORMANCE and not period:
        raise ValidationError('A performance goal needs a review period ("2027 H1").')
    target = fields.target_date
    if target is not None and target < today and target != keep_date:
        raise ValidationError("The target date cannot be in the past.")
    return {
        "kind": fields.kind,
        "title": validate_text(fields.title, limit=GOAL_TITLE, label="The title"),
        "why": validate_text(fields.why, limit=GOAL_TEXT, label="Why it matters", required=False),
        "target_date": target,
        "review_period": period,
    }


def _tell(goal: Goal, *relationships: Relationship | None) -> None:
    """Bump the 1:1 pages that show the goal (and the one it moved from)."""
    seen: set[int] = set()
    for relationship in relationships:
        if relationship is not None and relationship.pk not in seen:
            seen.add(relationship.pk)
            bump_shared(relationship)


def _record(actor: Person, verb: str, goal: Goal) -> None:
    """The activity row; a goal outside any 1:1 is recorded without one."""
    activity_record(
        actor=actor,
        verb=verb,
        object_type="Goal",
        object_uuid=goal.uuid,
        relationship_id=goal.relationship_id,
    )


def _check_relationship(relationship: Relationship | None, person: Person) -> None:
    """The 1:1 a goal goes to (if any) is the person's own and still open."""
    if relationship is None:
        return
    ensure_participant(relationship, person)
    ensure_writable(relationship)


def _ensure_live(goal: Goal) -> None:
    if goal.deleted_at is not None:
        raise ValidationError("This goal was deleted; restore it first.")


def _ensure_open(goal: Goal) -> None:
    """A goal of an ended 1:1 is part of its read-only history."""
    if goal.relationship is not None:
        ensure_writable(goal.relationship)


@transaction.atomic
def goal_create(
    *, actor: Person, fields: GoalFields, relationship: Relationship | None = None
) -> Goal:
    """A goal of one's own, active at once, optionally discussed in one of one's 1:1s."""
    _check_relationship(relationship, actor)
    goal = Goal.objects.create(
        organization_id=actor.org_id,
        owner=actor,
        proposed_by=actor,
        relationship=relationship,
        state=Goal.State.ACTIVE,
        accepted_at=now(),
        **_clean(fields, today=today_for(actor, now())),
    )
    _tell(goal, relationship)
    _record(actor, "goal.create", goal)
    return goal


@transaction.atomic
def goal_propose(*, actor: Person, relationship: Relationship, fields: GoalFields) -> Goal:
    """A goal for the team member of the 1:1: theirs at once, or waiting for them to accept."""
    _check_relationship(relationship, actor)
    owner = relationship.member
    by_owner = actor.pk == owner.pk
    goal = Goal.objects.create(
        organization_id=relationship.organization_id,
        owner=owner,
        proposed_by=actor,
        relationship=relationship,
        state=Goal.State.ACTIVE if by_owner else Goal.State.PROPOSED,
        accepted_at=now() if by_owner else None,
        **_clean(fields, today=today_for(owner, now())),
    )
    _tell(goal, relationship)
    _record(actor, "goal.create" if by_owner else "goal.propose", goal)
    return goal


def may_edit_goal(actor: Person, goal: Goal) -> bool:
    """The owner changes their goal; the proposer too while it waits for an answer."""
    if goal.state == Goal.State.PROPOSED:
        return actor.pk in (goal.owner_id, goal.proposed_by_id)
    return actor.pk == goal.owner_id


@transaction.atomic
def goal_edit(
    *,
    actor: Person,
    goal: Goal,
    fields: GoalFields,
    base_version: int,
    relationship: Relationship | None = None,
    move: bool = False,
) -> Goal:
    """Change a goal (by its owner, or the proposer while proposed); `move` sets its 1:1 too."""
    if not may_edit_goal(actor, goal):
        raise PermissionDenied("Only the owner of a goal can change it.")
    _ensure_live(goal)
    _ensure_open(goal)
    previous = goal.relationship
    target = relationship if move else previous
    if move and target != previous:
        if goal.state != Goal.State.ACTIVE or actor.pk != goal.owner_id:
            raise ValidationError("Only an active goal can move to another 1:1.")
        _check_relationship(target, goal.owner)
    values = _clean(fields, today=today_for(goal.owner, now()), keep_date=goal.target_date)
    updated = Goal.objects.filter(pk=goal.pk, version=base_version).update(
        **values, relationship=target, version=F("version") + 1, updated_at=now()
    )
    if not updated:
        current = Goal.objects.get(pk=goal.pk)
        raise EditConflict(current.title, current.version, "someone else")
    goal.refresh_from_db()
    _tell(goal, previous, target)
    _record(actor, "goal.edit", goal)
    return goal


def _answer(actor: Person, goal: Goal, state: str, verb: str) -> Goal:
    if actor.pk != goal.owner_id:
        raise PermissionDenied("Only the person the goal is for can answer a proposal.")
    _ensure_live(goal)
    _ensure_open(goal)
    if goal.state != Goal.State.PROPOSED:
        raise ValidationError("This goal is not waiting for an answer.")
    goal.state = state
    goal.accepted_at = now() if state == Goal.State.ACTIVE else None
    goal.updated_at = now()
    goal.version += 1
    goal.save(update_fields=["state", "accepted_at", "updated_at", "version"])
    _tell(goal, goal.relationship)
    _record(actor, verb, goal)
    return goal


@transaction.atomic
def goal_accept(*, actor: Person, goal: Goal) -> Goal:
    """The owner takes on a goal proposed to them: it becomes active."""
    return _answer(actor, goal, Goal.State.ACTIVE, "goal.accept")


@transaction.atomic
def goal_decline(*, actor: Person, goal: Goal) -> Goal:
    """The owner turns down a goal proposed to them."""
    return _answer(actor, goal, Goal.State.DECLINED, "goal.decline")


def _update_meeting(goal: Goal, key: datetime | None) -> Meeting | None:
    """The meeting an update is written in: the 1:1's, started and not closed yet."""
    if key is None:
        return None
    if goal.relationship is None:
        raise ValidationError("This goal is not discussed in a 1:1.")
    meeting = meeting_materialize(relationship=goal.relationship, key=key)
    if meeting.start > now() or meeting.closed_at is not None:
        raise ValidationError("Progress can be linked only to a meeting in progress.")
    return meeting


@transaction.atomic
def goal_update_add(
    *, actor: Person, goal: Goal, text: str, status: str, meeting_key: datetime | None = None
) -> GoalUpdate:
    """A progress update by the owner or their 1:1 partner; it sets the goal's status."""
    relationship = goal.relationship
    if actor.pk != goal.owner_id:
        if relationship is None:
            raise PermissionDenied("Only the owner can update this goal.")
        ensure_participant(relationship, actor)
    _ensure_live(goal)
    _ensure_open(goal)
    if goal.state != Goal.State.ACTIVE:
        raise ValidationError("Only an active goal takes progress updates.")
    if status not in Goal.Status.values:
        raise ValidationError("Choose a status.")
    update = GoalUpdate.objects.create(
        goal=goal,
        author=actor,
        text=validate_text(text, limit=GOAL_TEXT, label="A progress update"),
        status=status,
        meeting=_update_meeting(goal, meeting_key),
    )
    goal.status = status
    goal.updated_at = now()
    goal.version += 1
    goal.save(update_fields=["status", "updated_at", "version"])
    _tell(goal, relationship)
    _record(actor, "goal.update", goal)
    return update


def may_delete_goal(actor: Person, goal: Goal) -> bool:
    """The owner deletes their goal; a proposer withdraws a proposal not answered yet."""
    if goal.state == Goal.State.PROPOSED:
        return actor.pk == goal.proposed_by_id
    return actor.pk == goal.owner_id


@transaction.atomic
def goal_delete(*, actor: Person, goal: Goal) -> Goal:
    """Soft delete: gone for everybody else; whoever deleted it can undo for 30 days."""
    if not may_delete_goal(actor, goal):
        raise PermissionDenied("Only the owner can delete this goal.")
    _ensure_open(goal)
    if goal.deleted_at is not None:
        return goal
    goal.deleted_at = now()
    goal.version += 1
    goal.save(update_fields=["deleted_at", "version"])
    _tell(goal, goal.relationship)
    _record(actor, "goal.withdraw" if goal.state == Goal.State.PROPOSED else "goal.delete", goal)
    return goal


@transaction.atomic
def goal_restore(*, actor: Person, goal: Goal) -> Goal:
    """Undo a delete within 30 days."""
    if not may_delete_goal(actor, goal):
        raise PermissionDenied("Only the owner can restore this goal.")
    _ensure_open(goal)
    if goal.deleted_at is None:
        return goal
    if goal.deleted_at + UNDO < now():
        raise ValidationError(f"Deleted goals can be restored for {GOAL_UNDO_DAYS} days only.")
    goal.deleted_at = None
    goal.version += 1
    goal.save(update_fields=["deleted_at", "version"])
    _tell(goal, goal.relationship)
    _record(actor, "goal.restore", goal)
    return goal


@transaction.atomic
def goals_purge_deleted(*, now: datetime) -> int:
    """Remove goals deleted more than 30 days ago (their updates go with them)."""
    _total, per_model = Goal.objects.filter(deleted_at__lt=now - UNDO).delete()
    return per_model.get(Goal._meta.label, 0)

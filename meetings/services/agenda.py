"""The shared agenda: talking points, their order, discussion and standing topics."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from meetings.models import Discussion, Meeting, Relationship, TalkingPoint, Theme
from meetings.services.common import (
    EditConflict,
    bump_for,
    bump_shared,
    ensure_participant,
    ensure_writable,
    meeting_materialize,
    record,
    validate_text,
)
from people.models import Person
from playbook.models import Question, Template


def _label(point: TalkingPoint) -> str:
    return "A private talking point" if point.is_private else "A talking point"


def _after_write(point: TalkingPoint, *, was_private: bool | None = None) -> None:
    """Bump the live version only if the other participant can see the change."""
    shared = not point.is_private or was_private is False
    bump_for(point.relationship, point.author, shared=shared)


def _position_after_last(relationship: Relationship) -> Coalesce:
    """The position after the relationship's last point, as an expression an INSERT computes."""
    top = (
        TalkingPoint.objects.filter(relationship_id=relationship.pk)
        .order_by()
        .values("relationship_id")
        .annotate(m=Max("position") + 1)
        .values("m")
    )
    return Coalesce(Subquery(top), Value(1))


def _next_position(relationship: Relationship) -> int:
    """`_position_after_last` read now, for inserts that number several points at once."""
    return int(
        Relationship.objects.filter(pk=relationship.pk)
        .annotate(next_position=_position_after_last(relationship))
        .values_list("next_position", flat=True)
        .get()
    )


def _check_theme(theme: str) -> str:
    if theme not in Theme.values:
        raise ValidationError("Choose a theme from the list.")
    return theme


@transaction.atomic
def point_add(
    *,
    actor: Person,
    relationship: Relationship,
    text: str,
    theme: str = Theme.OTHER,
    is_private: bool = False,
    is_standing: bool = False,
    planned_for: datetime | None = None,
    source: str = TalkingPoint.Source.PERSON,
) -> TalkingPoint:
    """Add a talking point to the next meeting (or to the occurrence `planned_for`)."""
    ensure_participant(relationship, actor)
    ensure_writable(relationship)
    if is_private and is_standing:
        raise ValidationError("A standing topic is shared by both of you; it cannot be private.")
    point = TalkingPoint.objects.create(
        organization_id=relationship.organization_id,
        relationship=relationship,
        author=actor,
        text=validate_text(text, limit=settings.RAPPORT_MAX_TEXT, label="A talking point"),
        theme=_check_theme(theme),
        is_private=is_private,
        is_standing=is_standing,
        planned_for=planned_for,
        position=_position_after_last(relationship),
        source=source,
    )
    _after_write(point)
    if not is_private:
        record(actor, "point.add", point, relationship)
    return point


@transaction.atomic
def point_edit(
    *,
    actor: Person,
    point: TalkingPoint,
    text: str,
    theme: str,
    is_private: bool,
    base_version: int,
) -> TalkingPoint:
    """Change a point's text, theme or privacy; only its author may, and never blindly."""
    relationship = point.relationship
    ensure_participant(relationship, actor)
    ensure_writable(relationship)
    if point.author_id != actor.pk:
        raise PermissionDenied("Only the author of a talking point can change it.")
    if is_private and point.is_standing:
        raise ValidationError("A standing topic is shared by both of you; it cannot be private.")
    clean = validate_text(text, limit=settings.RAPPORT_MAX_TEXT, label=_label(point))
    updated = TalkingPoint.objects.filter(pk=point.pk, version=base_version).update(
        text=clean,
        theme=_check_theme(theme),
        is_private=is_private,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if not updated:
        current = TalkingPoint.objects.get(pk=point.pk)
        raise EditConflict(current.text, current.version, actor.name)
    was_private = point.is_private
    point.refresh_from_db()
    _after_write(point, was_private=was_private)
    return point


@transaction.atomic
def point_delete(*, actor: Person, point: TalkingPoint) -> None:
    """Remove a point its author no longer wants to raise."""
    relationship = point.relationship
    ensure_participant(relationship, actor)
    ensure_writable(relationship)
    if point.author_id != actor.pk:
        raise PermissionDenied("Only the author of a talking point can remove it.")
    if point.discussions.exists():
        raise ValidationError("This point was discussed in a meeting; it stays in the record.")
    if not point.is_private:
        record(actor, "point.delete", point, relationship)
    point.delete()
    bump_for(relationship, actor, shared=not point.is_private)


@transaction.atomic
def point_move(*, actor: Person, point: TalkingPoint, direction: int) -> None:
    """Swap a point with its visible neighbour (direction -1 = up, +1 = down)."""
    relationship = point.relationship
    ensure_participant(relationship, actor)
    ensure_writable(relationship)
    if direction not in (-1, 1):
        raise ValidationError("Move a point up or down.")
    siblings = TalkingPoint.objects.visible_to(actor.pk).filter(
        relationship=relationship, status=TalkingPoint.Status.OPEN
    )
    if direction < 0:
        neighbour = siblings.filter(position__lt=point.position).order_by("-position").first()
    else:
        neighbour = siblings.filter(position__gt=point.position).order_by("position").first()
    if neighbour is None:
        return
    point.position, neighbour.position = neighbour.position, point.position
    TalkingPoint.objects.filter(pk=point.pk).update(position=point.position)
    TalkingPoint.objects.filter(pk=neighbour.pk).update(position=neighbour.position)
    bump_for(relationship, actor, shared=not (point.is_private or neighbour.is_private))


@transaction.atomic
def point_set_discussed(
    *, actor: Person, point: TalkingPoint, meeting_key: datetime, discussed: bool
) -> Meeting:
    """Mark a point as discussed in a meeting, or take that back."""
    relationship = point.relationship
    ensure_participant(relationship, actor)
    ensure_writable(relationship)
    meeting = meeting_materialize(relationship=relationship, key=meeting_key)
    if discussed:
        Discussion.objects.get_or_create(point=point, meeting=meeting)
        if not point.is_standing:
            point.status = TalkingPoint.Status.DISCUSSED
    else:
        Discussion.objects.filter(point=point, meeting=meeting).delete()
        point.status = TalkingPoint.Status.OPEN
    TalkingPoint.objects.filter(pk=point.pk).update(status=point.status)
    _after_write(point)
    return meeting


@transaction.atomic
def point_set_standing(*, actor: Person, point: TalkingPoint, standing: bool) -> None:
    """Make a shared point a standing topic that appears in every meeting, or stop it."""
    relationship = point.relationship
    ensure_participant(relationship, actor)
    ensure_writable(relationship)
    # Even "stop repeating" is refused: it would bump the shared version and record
    # activity for a point the other participant must not know exists.
    if point.is_private:
        raise ValidationError("A standing topic is shared by both of you; it cannot be private.")
    if point.status != TalkingPoint.Status.OPEN and standing:
        point.status = TalkingPoint.Status.OPEN
    point.is_standing = standing
    TalkingPoint.objects.filter(pk=point.pk).update(is_standing=standing, status=point.status)
    bump_shared(relationship)
    record(actor, "point.standing" if standing else "point.unstanding", point, relationship)


@transaction.atomic
def template_apply(
    *,
    actor: Person,
    relationship: Relationship,
    template: Template,
    planned_for: datetime | None,
) -> list[TalkingPoint]:
    """Add a template's prompts as shared talking points, in the template's order."""
    ensure_participant(relationship, actor)
    ensure_writable(relationship)
    if template.organization_id != relationship.organization_id or not template.is_active:
        raise ValidationError("Choose one of your organization's templates.")
    position = _next_position(relationship)
    points = [
        TalkingPoint(
            organization_id=relationship.organization_id,
            relationship=relationship,
            author=actor,
            text=(f"{prompt.section}: {prompt.text}" if prompt.section else prompt.text),
            theme=prompt.theme,
            planned_for=planned_for,
            position=position + offset,
            source=TalkingPoint.Source.TEMPLATE,
        )
        for offset, prompt in enumerate(template.prompts.all())
    ]
    TalkingPoint.objects.bulk_create(points)
    bump_shared(relationship)
    record(actor, "template.apply", template, relationship)
    return points


def question_accept(
    *,
    actor: Person,
    relationship: Relationship,
    question: Question,
    is_private: bool = False,
) -> TalkingPoint:
    """Turn a suggested question into a talking point for the next meeting."""
    if question.organization_id != relationship.organization_id:
        raise ValidationError("Choose one of your organization's questions.")
    return point_add(
        actor=actor,
        relationship=relationship,
        text=question.text,
        theme=question.theme,
        is_private=is_private,
        source=TalkingPoint.Source.QUESTION,
    )

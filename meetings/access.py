"""Access helpers: the only door through which views load 1:1 objects for a person.

Anything the person may not see answers 404, exactly like something that does
not exist: outsiders cannot tell the difference. A participant who may see an
object but not change it gets 403 from `require_*` helpers.
"""

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from meetings.models import ActionItem, Meeting, MeetingShare, Relationship, TalkingPoint
from meetings.occurrences import Occurrence, from_meeting, occurrence_exists, parse_key_slug
from people.models import Person


def relationships_of(person: Person) -> QuerySet[Relationship]:
    """Every relationship the person takes part in, within their organization."""
    return Relationship.objects.filter(
        Q(lead_id=person.pk) | Q(member_id=person.pk), organization_id=person.org_id
    )


def relationship_for(
    person: Person, relationship_uuid: UUID, *, with_people: bool = True
) -> Relationship:
    """The relationship if the person is a participant; 404 otherwise.

    Writes that never show the participants pass `with_people=False` and skip the
    joins (planning them costs PostgreSQL more than running them).
    """
    query = relationships_of(person).filter(uuid=relationship_uuid)
    if with_people:
        query = query.select_related("lead", "member")
    relationship = query.first()
    if relationship is None:
        raise Http404("No such 1:1.")
    return relationship


def point_for(person: Person, point_uuid: UUID) -> TalkingPoint:
    """A talking point the person may see: a participant's shared point or their own private one."""
    point = (
        TalkingPoint.objects.visible_to(person.pk)
        .filter(
            Q(relationship__lead_id=person.pk) | Q(relationship__member_id=person.pk),
            uuid=point_uuid,
            organization_id=person.org_id,
        )
        .select_related("relationship")
        .first()
    )
    if point is None:
        raise Http404("No such talking point.")
    return point


def action_item_for(person: Person, item_uuid: UUID) -> ActionItem:
    """An action item of one of the person's relationships; 404 otherwise."""
    item = (
        ActionItem.objects.filter(
            Q(relationship__lead_id=person.pk) | Q(relationship__member_id=person.pk),
            uuid=item_uuid,
            organization_id=person.org_id,
        )
        .select_related("relationship", "owner")
        .first()
    )
    if item is None:
        raise Http404("No such action item.")
    return item


def require_open(relationship: Relationship) -> None:
    """Ended relationships are read-only history."""
    if relationship.status == Relationship.Status.ENDED:
        raise PermissionDenied("This 1:1 has ended; its history is read-only.")


def require_author(person: Person, point: TalkingPoint) -> None:
    if point.author_id != person.pk:
        raise PermissionDenied("Only the author of a talking point can change it.")


def occurrence_for(relationship: Relationship, slug: str) -> Occurrence:
    """An occurrence of an already authorized relationship, by its key; 404 if there is none."""
    key = parse_key_slug(slug)
    if key is None:
        raise Http404("No such meeting.")
    schedules = list(relationship.schedules.all())
    tz_name = schedules[-1].timezone if schedules else "UTC"
    meeting = Meeting.objects.filter(relationship=relationship, occurrence_start=key).first()
    if meeting is not None:
        segment = occurrence_exists(schedules, key)
        return from_meeting(meeting, segment.timezone if segment else tz_name)
    segment = occurrence_exists(schedules, key)
    if segment is None:
        raise Http404("No such meeting.")
    return Occurrence(key, key, segment.duration_minutes, segment.timezone)


def shares_visible_to(person: Person) -> QuerySet[MeetingShare]:
    """Meeting shares the person may read: made to them, in their organization, while active.

    Nobody else reads a share: not the sharer's other managers, not org admins. A
    withdrawn share is a deleted row, so it disappears at once.
    """
    if not person.is_active:
        return MeetingShare.objects.none()
    return MeetingShare.objects.filter(shared_with_id=person.pk, organization_id=person.org_id)


def shared_by_for(person: Person, sharer_uuid: UUID) -> Person:
    """Someone who shared at least one meeting with the person; 404 otherwise."""
    sharer = Person.objects.filter(
        uuid=sharer_uuid,
        organization_id=person.org_id,
        pk__in=shares_visible_to(person).values("shared_by_id"),
    ).first()
    if sharer is None:
        raise Http404("Nothing shared.")
    return sharer

"""Sharing chosen past meetings of an archived manager 1:1 with one's new manager.

When the reporting line changes, nothing of the old 1:1 passes to the new manager
(DESIGN.md, principle 6). The team member may choose held meetings to show them; a
share reveals that meeting's shared notes and shared agenda only (never private
points, private notes, ratings, check-ins or action items) and can be withdrawn at
any time, which deletes the row. Activity records name the share, never its content.
"""

from collections.abc import Sequence
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q

from meetings.models import Meeting, MeetingShare, Relationship
from meetings.services.common import bump_private, record
from people.models import Person

# End reasons that make a manager 1:1 "archived": it ended because of a change outside it.
ARCHIVED_REASONS = (Relationship.EndReason.MANAGER_CHANGE, Relationship.EndReason.LEFT)


def is_shareable(relationship: Relationship) -> bool:
    """Whether meetings of this 1:1 may be shared: an archived manager 1:1."""
    return (
        relationship.kind == Relationship.Kind.MANAGER
        and relationship.status == Relationship.Status.ENDED
        and relationship.end_reason in ARCHIVED_REASONS
    )


def ensure_sharer(relationship: Relationship, actor: Person) -> None:
    """Only the team member of an archived manager 1:1 shares its meetings."""
    if actor.pk != relationship.member_id:
        raise PermissionDenied("Only the team member of this 1:1 can share its meetings.")
    if not is_shareable(relationship):
        raise PermissionDenied("Only an archived manager 1:1 can be shared with a new manager.")


def share_target(relationship: Relationship, actor: Person) -> Person | None:
    """The actor's current manager if meetings of this 1:1 may go to them; None otherwise.

    The target must work in the same organization, be active and take no part in the
    archived 1:1 (a manager who comes back already has it).
    """
    if actor.manager_id is None:
        return None
    manager = Person.objects.filter(
        pk=actor.manager_id, organization_id=actor.org_id, is_active=True
    ).first()
    if manager is None or manager.pk in (relationship.lead_id, relationship.member_id):
        return None
    return manager


@transaction.atomic
def meetings_share(
    *, actor: Person, relationship: Relationship, meeting_uuids: Sequence[UUID]
) -> list[MeetingShare]:
    """Share chosen held meetings of an archived manager 1:1 with the actor's current manager.

    Idempotent: a meeting already shared with that manager is left as it is. Returns the
    shares created. Nothing changes when any input is refused.
    """
    ensure_sharer(relationship, actor)
    wanted = set(meeting_uuids)
    if not wanted:
        raise ValidationError("Choose at least one meeting to share.")
    target = share_target(relationship, actor)
    if target is None:
        raise ValidationError(
            "You have no manager to share with right now. Once you have one, you can share."
        )
    meetings = list(
        Meeting.objects.filter(
            relationship=relationship, status=Meeting.Status.HELD, uuid__in=wanted
        )
    )
    if len(meetings) != len(wanted):
        raise ValidationError("Only held meetings of this 1:1 can be shared.")
    already = set(
        MeetingShare.objects.filter(
            meeting__in=meetings, shared_with=target, shared_by=actor
        ).values_list("meeting_id", flat=True)
    )
    created = [
        MeetingShare.objects.create(
            organization_id=relationship.organization_id,
            meeting=meeting,
            shared_by=actor,
            shared_with=target,
        )
        for meeting in meetings
        if meeting.pk not in already
    ]
    for share in created:
        record(actor, "meeting.share", share, relationship)
    if created:
        # The sharer's page lists the shares; the reader's pages link to them.
        bump_private(relationship, actor)
        _refresh_reader_pages(actor, {target.pk})
    return created


def _refresh_reader_pages(actor: Person, reader_ids: set[int]) -> None:
    """Refresh the cached pages of readers who have a 1:1 with the actor (their link to
    what was shared), through their own private version: the actor's pages do not change."""
    if not reader_ids:
        return
    ongoing = Relationship.objects.filter(
        Q(lead_id=actor.pk, member_id__in=reader_ids)
        | Q(member_id=actor.pk, lead_id__in=reader_ids)
    ).exclude(status=Relationship.Status.ENDED)
    for relationship in ongoing:
        reader_id = (
            relationship.member_id if relationship.lead_id == actor.pk else relationship.lead_id
        )
        field = (
            "lead_private_version"
            if reader_id == relationship.lead_id
            else "member_private_version"
        )
        Relationship.objects.filter(pk=relationship.pk).update(**{field: F(field) + 1})


def _shares_of(actor: Person, relationship: Relationship) -> list[MeetingShare]:
    return list(
        MeetingShare.objects.filter(shared_by=actor, meeting__relationship=relationship)
        .select_related("meeting")
        .order_by("pk")
    )


@transaction.atomic
def share_withdraw(*, actor: Person, relationship: Relationship, share_uuid: UUID) -> None:
    """Withdraw one share: the meeting disappears for its reader at once."""
    ensure_sharer(relationship, actor)
    share = next((s for s in _shares_of(actor, relationship) if s.uuid == share_uuid), None)
    if share is None:
        raise ValidationError("That meeting is not shared (any more).")
    record(actor, "meeting.share_withdraw", share, relationship)
    share.delete()
    bump_private(relationship, actor)
    _refresh_reader_pages(actor, {share.shared_with_id})


@transaction.atomic
def shares_withdraw_all(*, actor: Person, relationship: Relationship) -> int:
    """Withdraw every share of this 1:1's meetings the actor made; return how many."""
    ensure_sharer(relationship, actor)
    shares = _shares_of(actor, relationship)
    for share in shares:
        record(actor, "meeting.share_withdraw", share, relationship)
    MeetingShare.objects.filter(pk__in=[s.pk for s in shares]).delete()
    if shares:
        bump_private(relationship, actor)
        _refresh_reader_pages(actor, {share.shared_with_id for share in shares})
    return len(shares)

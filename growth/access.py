"""Access helpers for growth: the only door through which views load its rows.

Like meetings/access.py: whatever a person may not see answers 404, exactly like
something that does not exist.
"""

from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404

from growth.models import CareerProfile, Feedback, Goal
from meetings.models import Relationship
from people.models import Person


def _participant_of_relationship(person: Person) -> Q:
    return Q(relationship__lead_id=person.pk) | Q(relationship__member_id=person.pk)


def goals_visible_to(person: Person) -> QuerySet[Goal]:
    """Goals the person owns, live goals of their 1:1s, and proposals they withdrew (to undo).

    Deleted goals stay visible to whoever deleted them, for the undo: the owner for
    their goals, the proposer for a proposal withdrawn before the owner answered.
    """
    live = Q(deleted_at__isnull=True)
    withdrawn = Q(state=Goal.State.PROPOSED, deleted_at__isnull=False)
    return Goal.objects.filter(organization_id=person.org_id).filter(
        (Q(owner_id=person.pk) & ~withdrawn)
        | (Q(proposed_by_id=person.pk) & withdrawn)
        | (_participant_of_relationship(person) & live)
    )


def goal_for(person: Person, goal_uuid: UUID) -> Goal:
    """A goal the person may see: their own (even deleted, to undo) or their 1:1 partner's."""
    goal = (
        goals_visible_to(person)
        .filter(uuid=goal_uuid)
        .select_related("owner", "proposed_by", "relationship__lead", "relationship__member")
        .first()
    )
    if goal is None:
        raise Http404("No such goal.")
    return goal


def feedback_visible_to(person: Person) -> QuerySet[Feedback]:
    """Feedback the person gave (even deleted, to undo) or received (live only)."""
    return Feedback.objects.filter(organization_id=person.org_id).filter(
        Q(giver_id=person.pk) | Q(receiver_id=person.pk, deleted_at__isnull=True)
    )


def feedback_for(person: Person, feedback_uuid: UUID) -> Feedback:
    """Feedback the person gave or received; 404 otherwise (also for deleted feedback they got)."""
    feedback = (
        feedback_visible_to(person)
        .filter(uuid=feedback_uuid)
        .select_related("giver", "receiver", "relationship", "meeting")
        .first()
    )
    if feedback is None:
        raise Http404("No such feedback.")
    return feedback


def career_shared_in(relationship: Relationship, member: Person) -> bool:
    """Whether the 1:1 shows its member's career profile: a manager 1:1 led by their manager now."""
    return (
        relationship.kind == Relationship.Kind.MANAGER
        and relationship.member_id == member.pk
        and member.manager_id == relationship.lead_id
    )


def career_viewer_relationship(viewer: Person, person: Person) -> Relationship | None:
    """The manager 1:1 through which `viewer` (the person's manager) sees their career profile."""
    if viewer.org_id != person.org_id or person.manager_id != viewer.pk:
        return None
    return Relationship.objects.filter(
        lead_id=viewer.pk,
        member_id=person.pk,
        kind=Relationship.Kind.MANAGER,
        organization_id=viewer.org_id,
    ).first()


def career_person_for(viewer: Person, person_uuid: UUID) -> Person:
    """The person whose career profile `viewer` may read: themselves or their report in a 1:1."""
    person = Person.objects.filter(uuid=person_uuid, organization_id=viewer.org_id).first()
    if person is None:
        raise Http404("No such career profile.")
    if person.pk == viewer.pk or career_viewer_relationship(viewer, person) is not None:
        return person
    raise Http404("No such career profile.")


def career_profile_of(person: Person) -> CareerProfile | None:
    """The profile of a person already cleared by `career_person_for` (or the viewer's own)."""
    return CareerProfile.objects.filter(person=person).first()

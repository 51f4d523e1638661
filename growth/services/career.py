"""Writes for career: one named action per change, in one transaction, with its activity record."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from activity.services import activity_record
from growth.models import CareerProfile, CareerProfileRevision
from growth.models.career import CAREER_FIELDS, CAREER_TEXT
from meetings.models import Relationship
from meetings.services.common import EditConflict, bump_shared, validate_text
from people.models import Person


@transaction.atomic
def career_profile_save(
    *,
    actor: Person,
    person: Person,
    strengths: str,
    skills_to_grow: str,
    next_role: str,
    support_needed: str,
    base_version: int,
) -> CareerProfile:
    """Save the person's own career profile and keep the result as a revision.

    Raises EditConflict when it was saved elsewhere since `base_version`; a save
    that changes nothing writes nothing.
    """
    if actor.pk != person.pk:
        raise PermissionDenied("Only you can change your career profile.")
    assert person.organization_id is not None
    given = {
        "strengths": strengths,
        "skills_to_grow": skills_to_grow,
        "next_role": next_role,
        "support_needed": support_needed,
    }
    texts = {
        name: validate_text(given[name], limit=CAREER_TEXT, label=label, required=False)
        for name, label in CAREER_FIELDS
    }
    profile, _ = CareerProfile.objects.get_or_create(
        person=person, defaults={"organization_id": person.organization_id}
    )
    if all(getattr(profile, name) == text for name, text in texts.items()):
        return profile
    updated = CareerProfile.objects.filter(pk=profile.pk, version=base_version).update(
        **texts, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        profile.refresh_from_db()
        raise _conflict(profile)
    profile.refresh_from_db()
    CareerProfileRevision.objects.create(profile=profile, edited_by=actor, **texts)
    # The profile shows on the person's manager 1:1s with their current manager: refresh
    # those pages, and only those (a former manager's page must not react to it).
    relationships = list(
        Relationship.objects.filter(
            member_id=person.pk, lead_id=person.manager_id, kind=Relationship.Kind.MANAGER
        )
    )
    for relationship in relationships:
        bump_shared(relationship)
    activity_record(
        actor=actor,
        verb="career.save",
        object_type="CareerProfile",
        object_uuid=profile.uuid,
        relationship_id=relationships[0].pk if relationships else None,
    )
    return profile


def _conflict(profile: CareerProfile) -> EditConflict:
    text = "\n\n".join(
        f"{label}: {getattr(profile, name)}"
        for name, label in CAREER_FIELDS
        if getattr(profile, name)
    )
    # Only the person edits their profile: a conflict comes from another tab of theirs.
    return EditConflict(text, profile.version, "you, in another window")

"""Writes for teams: create, rename, delete; each leaves a content-free audit record."""

from django.core.exceptions import ValidationError
from django.db import transaction

from activity.services import activity_record
from people.models import Organization, Person, Team

NAME_MAX = 200


def _record(actor: Person, verb: str, team: Team) -> None:
    activity_record(
        actor=actor,
        verb=verb,
        object_type="team",
        object_uuid=team.uuid,
        organization_id=team.organization_id,
    )


def _clean_name(organization: Organization, name: str, team: Team | None = None) -> str:
    """The trimmed name; refused when empty, too long, or taken in the organization.

    Names are compared without regard to case: "Platform" and "platform" would be
    two teams nobody can tell apart in a list.
    """
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Give the team a name."})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": f"Keep the name under {NAME_MAX} characters."})
    taken = Team.objects.filter(organization=organization, name__iexact=name)
    if team is not None:
        taken = taken.exclude(pk=team.pk)
    if taken.exists():
        raise ValidationError({"name": f"There is already a team called “{name}”."})
    return name


@transaction.atomic
def team_create(*, actor: Person, organization: Organization, name: str) -> Team:
    """Create a team in the organization."""
    team = Team.objects.create(organization=organization, name=_clean_name(organization, name))
    _record(actor, "team.create", team)
    return team


@transaction.atomic
def team_rename(*, actor: Person, team: Team, name: str) -> bool:
    """Rename a team; False when the name did not change."""
    assert team.organization is not None
    name = _clean_name(team.organization, name, team)
    if name == team.name:
        return False
    team.name = name
    team.save(update_fields=["name"])
    _record(actor, "team.rename", team)
    return True


@transaction.atomic
def team_delete(*, actor: Person, team: Team) -> int:
    """Delete a team; its members keep working, without a team. Return how many they were."""
    members = Person.objects.filter(team=team).update(team=None)
    _record(actor, "team.delete", team)
    team.delete()
    return members

"""Access helpers for the organization admin pages: the only door to their rows.

The admin pages do not exist for anyone but an org admin, and only for their own
organization: everyone else, and anything of another organization, answers 404
exactly like something that does not exist (never 403, which would admit it does).
"""

from uuid import UUID

from django.http import Http404

from accounts.models import Invitation
from people.models import Organization, Person, Team


def org_admin_of(person: Person) -> Organization:
    """The organization `person` administers; 404 unless they are an active org admin."""
    if not (person.is_active and person.is_org_admin and person.organization_id):
        raise Http404("No such page.")
    organization = person.organization
    assert organization is not None
    return organization


def person_in_org(admin: Person, person_uuid: UUID) -> Person:
    """A person (active or not) of the admin's organization; 404 otherwise."""
    organization = org_admin_of(admin)
    person = (
        Person.objects.filter(organization=organization, uuid=person_uuid)
        .select_related("team", "manager")
        .first()
    )
    if person is None:
        raise Http404("No such person.")
    return person


def team_in_org(admin: Person, team_uuid: UUID) -> Team:
    """A team of the admin's organization; 404 otherwise."""
    organization = org_admin_of(admin)
    team = Team.objects.filter(organization=organization, uuid=team_uuid).first()
    if team is None:
        raise Http404("No such team.")
    return team


def invitation_in_org(admin: Person, invitation_uuid: UUID) -> Invitation:
    """An invitation of the admin's organization; 404 otherwise."""
    organization = org_admin_of(admin)
    invitation = (
        Invitation.objects.filter(organization=organization, uuid=invitation_uuid)
        .select_related("person")
        .first()
    )
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation

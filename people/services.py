"""Writes for organizations and people."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction

from lib.timezones import validate_timezone
from people.models import Organization, Person, Team
from playbook.services import playbook_seed_organization


@transaction.atomic
def organization_create(*, name: str) -> Organization:
    """Create an organization with the default question bank and templates."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the organization a name."})
    organization = Organization(name=name)
    organization.full_clean()
    organization.save()
    playbook_seed_organization(organization=organization)
    return organization


def person_add(
    *,
    organization: Organization,
    email: str,
    name: str,
    password: str | None,
    manager: Person | None = None,
    title: str = "",
    team: Team | None = None,
    timezone: str = "UTC",
    is_org_admin: bool = False,
) -> Person:
    """Add a person to an organization; a None password means they cannot sign in yet."""
    validate_timezone(timezone)
    if manager is not None and manager.organization_id != organization.pk:
        raise ValidationError({"manager": "The manager must work in the same organization."})
    if team is not None and team.organization_id != organization.pk:
        raise ValidationError({"team": "The team must belong to the same organization."})
    person = Person(
        organization=organization,
        email=Person.objects.normalize_email(email.strip()).lower(),
        name=name.strip(),
        title=title.strip(),
        team=team,
        manager=manager,
        timezone=timezone,
        is_org_admin=is_org_admin,
        # The admin site is where org admins work, and Django lets only staff in.
        is_staff=is_org_admin,
    )
    # Checks the email's format and that no one has it yet, the name and the field lengths.
    person.full_clean(exclude=["password"])
    if password is None:
        person.set_unusable_password()
    else:
        password_validation.validate_password(password, user=person)
        person.set_password(password)
    person.save()
    return person

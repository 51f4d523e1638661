"""Writes made from the organization admin pages that span several rows.

Adding a person with an optional invitation, and the organization's settings; each
leaves a content-free audit record.
"""

from dataclasses import dataclass

from django.db import transaction

from accounts.models import Invitation
from accounts.services import invitation_create
from activity.services import activity_record
from people.models import Organization, Person, Team
from people.services import person_add


@dataclass(frozen=True)
class NewPerson:
    """What an admin types to add someone."""

    email: str
    name: str
    title: str = ""
    team: Team | None = None
    manager: Person | None = None
    timezone: str = "UTC"
    is_org_admin: bool = False


@transaction.atomic
def person_add_by_admin(
    *, actor: Person, organization: Organization, new: NewPerson, invite: bool, base_url: str
) -> tuple[Person, Invitation | None]:
    """Add a person who cannot sign in until invited; invite them at once if asked."""
    person = person_add(
        organization=organization,
        email=new.email,
        name=new.name,
        password=None,
        manager=new.manager,
        title=new.title,
        team=new.team,
        timezone=new.timezone,
        is_org_admin=new.is_org_admin,
        recorded_as="person.create",
        actor=actor,
    )
    invitation = None
    if invite:
        invitation = invitation_create(actor=actor, person=person, base_url=base_url).invitation
    return person, invitation


@transaction.atomic
def invitations_bulk_create(
    *, actor: Person, organization: Organization, lines: list[tuple[str, str]], base_url: str
) -> list[Invitation]:
    """Invite every (email, name): people of the organization as they are, others added first.

    The lines are validated by the caller (people.forms.BulkInviteForm); any error
    here still rolls the whole batch back.
    """
    existing = {
        person.email: person
        for person in Person.objects.filter(
            organization=organization, email__in=[email for email, _ in lines]
        )
    }
    invitations = []
    for email, name in lines:
        person = existing.get(email)
        if person is None:
            person, _ = person_add_by_admin(
                actor=actor,
                organization=organization,
                new=NewPerson(email=email, name=name),
                invite=False,
                base_url=base_url,
            )
        invitations.append(
            invitation_create(actor=actor, person=person, base_url=base_url).invitation
        )
    return invitations


@transaction.atomic
def organization_settings_update(
    *,
    actor: Person,
    organization: Organization,
    email_domains: list[str],
    require_mfa: bool,
    retention_days: int,
    quiet_theme_after: int,
) -> list[str]:
    """Change the organization's settings (not its name); return the fields changed."""
    values = {
        "email_domains": "\n".join(email_domains),
        "require_mfa": require_mfa,
        "retention_days": retention_days,
        "quiet_theme_after": quiet_theme_after,
    }
    changed = [field for field, value in values.items() if getattr(organization, field) != value]
    if not changed:
        return []
    for field in changed:
        setattr(organization, field, values[field])
    organization.full_clean()
    organization.save(update_fields=changed)
    activity_record(
        actor=actor,
        verb="organization.update",
        object_type="organization",
        object_uuid=organization.uuid,
        organization_id=organization.pk,
    )
    return changed

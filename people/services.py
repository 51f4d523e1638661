"""Writes for organizations and people."""

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.timezone import now

from activity.services import activity_record
from lib.timezones import validate_timezone
from meetings.models import Relationship
from meetings.services.common import bump_shared
from meetings.services.relationships import relationship_archive
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
    recorded_as: str | None = None,
    actor: Person | None = None,
) -> Person:
    """Add a person to an organization; a None password means they cannot sign in yet.

    With `recorded_as` (a verb such as "person.create") the addition joins the audit
    trail, made by `actor` (None for provisioning: SCIM, single sign-on).
    """
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
    if recorded_as is not None:
        activity_record(
            actor=actor,
            verb=recorded_as,
            object_type="person",
            object_uuid=person.uuid,
            organization_id=organization.pk,
        )
    return person


def _record(actor: Person | None, verb: str, person: Person) -> None:
    activity_record(
        actor=actor,
        verb=verb,
        object_type="person",
        object_uuid=person.uuid,
        organization_id=person.organization_id,
    )


def manager_cycle(person: Person, manager: Person | None) -> bool:
    """Whether making `manager` the person's manager would close a loop in the reporting line."""
    seen: set[int] = set()
    boss = manager
    while boss is not None:
        if boss.pk == person.pk or boss.pk in seen:
            return True
        seen.add(boss.pk)
        boss = (
            Person.objects.filter(pk=boss.manager_id).only("id", "manager_id").first()
            if boss.manager_id
            else None
        )
    return False


def manager_changed(person: Person, old_manager_id: int | None) -> None:
    """After a person's manager changed: archive their 1:1 with the former manager.

    The archived relationship stays readable for both; nothing of it passes to the new
    manager unless the person shares chosen meetings (meetings.services.shares). A new
    manager 1:1 can start at once. Call inside the transaction that saved the change.
    """
    if old_manager_id == person.manager_id:
        return
    former = Relationship.objects.filter(member=person, kind=Relationship.Kind.MANAGER).exclude(
        status=Relationship.Status.ENDED
    )
    if person.manager_id is not None:
        former = former.exclude(lead_id=person.manager_id)
    for relationship in former:
        relationship_archive(
            relationship=relationship, reason=Relationship.EndReason.MANAGER_CHANGE
        )


def _validate_place(
    organization_id: int | None, person: Person, manager: Person | None, team: Team | None
) -> None:
    errors: dict[str, str] = {}
    if manager is not None:
        if manager.organization_id != organization_id:
            errors["manager"] = "The manager must work in the same organization."
        elif not manager.is_active:
            errors["manager"] = f"{manager.name} has left the organization."
        elif person.pk is not None and manager_cycle(person, manager):
            errors["manager"] = (
                f"{manager.name} already reports to {person.name}, directly or through others."
            )
    if team is not None and team.organization_id != organization_id:
        errors["team"] = "The team must belong to the same organization."
    if errors:
        raise ValidationError(errors)


# What person_update may change, by field name.
EDITABLE = ("email", "name", "title", "team", "manager", "timezone", "is_org_admin")


@transaction.atomic
def person_update(*, actor: Person | None, person: Person, **changes: Any) -> list[str]:
    """Change a person's profile or place in the organization; return the fields changed.

    `actor` is the org admin (None for provisioning); a manager change archives the
    person's 1:1 with their former manager (see `manager_changed`).
    """
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"person_update cannot change {sorted(unknown)}")
    if actor is not None and actor.pk == person.pk and changes.get("is_org_admin") is False:
        raise ValidationError({"is_org_admin": "You cannot remove your own admin rights."})
    old_manager_id = person.manager_id
    if "email" in changes:
        changes["email"] = Person.objects.normalize_email(changes["email"].strip()).lower()
    for field in ("name", "title"):
        if field in changes:
            changes[field] = changes[field].strip()
    changed = [field for field, value in changes.items() if getattr(person, field) != value]
    for field in changed:
        setattr(person, field, changes[field])
    _validate_place(person.organization_id, person, person.manager, person.team)
    person.full_clean(exclude=["password"])
    if "is_org_admin" in changed:
        person.is_staff = person.is_org_admin or person.is_superuser
        changed.append("is_staff")
    if not changed:
        return []
    person.save(update_fields=changed)
    if "email" in changed:
        from allauth.account.models import EmailAddress

        # The new address is the sign-in address; it is verified by whoever set it
        # (an org admin or the identity provider), like the first one.
        EmailAddress.objects.filter(user=person).delete()
        EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    if "manager" in changed:
        manager_changed(person, old_manager_id)
        # A manager 1:1 shows the report's career profile only while the lead is their
        # manager: refresh its pages so a former manager stops seeing it at once.
        for relationship in Relationship.objects.filter(
            member=person, kind=Relationship.Kind.MANAGER
        ):
            bump_shared(relationship)
    _record(actor, "person.update", person)
    return changed


@transaction.atomic
def person_deactivate(*, actor: Person | None, person: Person) -> None:
    """The person left: they cannot sign in, their 1:1s end, their reports lose them as manager.

    Their data stays for the organization's retention period; their former partners keep
    their own view of the shared history.
    """
    if actor is not None and actor.pk == person.pk:
        raise ValidationError("You cannot deactivate yourself.")
    if not person.is_active:
        return
    at = now()
    person.is_active = False
    person.deactivated_at = at
    person.save(update_fields=["is_active", "deactivated_at"])
    ongoing = Relationship.objects.filter(
        Q(lead=person) | Q(member=person), organization_id=person.org_id
    ).exclude(status=Relationship.Status.ENDED)
    for relationship in ongoing:
        relationship_archive(relationship=relationship, reason=Relationship.EndReason.LEFT)
    for report in Person.objects.filter(manager=person):
        report.manager = None
        report.save(update_fields=["manager"])
        _record(actor, "person.update", report)
    from accounts.models import Invitation

    Invitation.objects.filter(person=person).pending(at).update(revoked_at=at)
    _record(actor, "person.deactivate", person)
    transaction.on_commit(lambda: end_sessions(person))


def end_sessions(person: Person) -> None:
    """Sign the person out everywhere (every browser session they have)."""
    from allauth.usersessions.models import UserSession

    for session in UserSession.objects.filter(user=person):
        session.end()


@transaction.atomic
def person_reactivate(*, actor: Person | None, person: Person) -> None:
    """The person is back: they can sign in again; ended 1:1s stay ended."""
    if person.is_active:
        return
    person.is_active = True
    person.deactivated_at = None
    person.save(update_fields=["is_active", "deactivated_at"])
    _record(actor, "person.reactivate", person)

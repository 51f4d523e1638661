"""Writes made over SCIM, and the organization's SCIM tokens.

People are written only through people.services, so SCIM changes behave exactly like
changes in the app: a manager change archives the old manager 1:1, deactivation ends 1:1s.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.timezone import now

from activity.services import activity_record
from lib.secrets import new_token
from lib.timezones import validate_timezone
from people.models import Organization, Person, Team
from people.services import person_add, person_deactivate, person_reactivate, person_update
from scim.errors import ScimError, invalid_value
from scim.models import ScimGroup, ScimToken
from scim.resources import EnterpriseUser, Group, User
from scim.selectors import people, scim_state, team_members

# How long a rotated token keeps working when the admin asks for a grace period.
ROTATION_GRACE = timedelta(hours=1)


@dataclass(frozen=True)
class CreatedToken:
    token: ScimToken
    secret: str


def token_create(*, actor: Person, organization: Organization) -> CreatedToken:
    """A new SCIM token for the organization; the secret is returned once and never stored."""
    secret, digest = new_token(prefix="scim_")
    token = ScimToken.objects.create(
        organization=organization, token_digest=digest, prefix=secret[:9], created_by=actor
    )
    activity_record(
        actor=actor,
        verb="scim.token_create",
        object_type="organization",
        object_uuid=organization.uuid,
    )
    return CreatedToken(token=token, secret=secret)


@transaction.atomic
def token_rotate(*, actor: Person, organization: Organization, grace: bool) -> CreatedToken:
    """Replace every usable token by a new one; the old ones stop now or after ROTATION_GRACE."""
    until = now() + ROTATION_GRACE if grace else now()
    ScimToken.objects.filter(organization=organization, revoked_at__isnull=True).update(
        revoked_at=until
    )
    ScimToken.objects.filter(organization=organization, revoked_at__gt=until).update(
        revoked_at=until
    )
    return token_create(actor=actor, organization=organization)


def token_revoke(*, actor: Person, token: ScimToken) -> None:
    """The token stops working at once (a grace period still running ends too)."""
    if token.is_usable():
        token.revoked_at = now()
        token.save(update_fields=["revoked_at"])
        activity_record(
            actor=actor,
            verb="scim.token_revoke",
            object_type="organization",
            object_uuid=token.organization.uuid,
        )


# --- Users ---------------------------------------------------------------------------


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(
            f"{field}: {' '.join(str(m) for m in errs[0].messages)}"
            if field != "__all__"
            else " ".join(errs[0].messages)
            for field, errs in error.error_dict.items()
        )
    return " ".join(error.messages)


@dataclass
class _Wanted:
    """The Person and ScimUser values a User resource asks for."""

    email: str
    user_name: str
    name: str
    given_name: str
    family_name: str
    display_name: str
    email_type: str
    email_primary: bool | None
    title: str
    timezone: str
    external_id: str
    active: bool | None  # None: unassigned, the person stays as they are
    manager: Person | None
    manage_manager: bool


def _email(user: User, current: Person | None) -> tuple[str, str, bool | None]:
    """The sign-in address and its type: the primary email, else userName, else the current."""
    emails = [e for e in user.emails or [] if e.value]
    chosen = next((e for e in emails if e.primary), None) or next(
        (e for e in emails if (e.type or "").lower() == "work"), None
    )
    chosen = chosen or (emails[0] if emails else None)
    candidate = chosen.value if chosen else None
    if candidate is None:
        try:
            validate_email(user.user_name or "")
            candidate = user.user_name
        except ValidationError:
            candidate = current.email if current else None
    if not candidate:
        raise invalid_value("Rapport needs an email address: make userName one or send emails.")
    try:
        validate_email(candidate)
    except ValidationError:
        raise invalid_value(f"{candidate!r} is not an email address.") from None
    if chosen is None:
        return candidate.strip().lower(), "", None
    return candidate.strip().lower(), chosen.type or "", chosen.primary


def _name(user: User, before: User | None, fallback: str) -> str:
    name = user.name
    formatted = (name.formatted or "").strip() if name else ""
    parts = " ".join(p.strip() for p in (name.given_name, name.family_name) if p) if name else ""
    if before is not None and formatted:
        old = before.name
        same_formatted = old is not None and formatted == (old.formatted or "")
        parts_changed = old is None or (
            (name.given_name, name.family_name) != (old.given_name, old.family_name)  # type: ignore[union-attr]
        )
        if same_formatted and parts_changed and parts:
            formatted = ""  # the parts changed, not the full name: rebuild it from them
    return formatted or parts or (user.display_name or "").strip() or fallback


def _manager(organization: Organization, user: User) -> tuple[Person | None, bool]:
    """The manager the resource names, and whether it speaks about the manager at all."""
    extension = user[EnterpriseUser]
    if extension is None:
        return None, False
    manager = extension.manager
    if manager is None or not manager.value:
        return None, True
    found = _person_by_id(organization, manager.value)
    if found is None:
        raise invalid_value(f"manager {manager.value!r} is not a user of this organization.")
    return found, True


def _person_by_id(organization: Organization, value: str) -> Person | None:
    try:
        return people(organization).filter(uuid=UUID(value.strip())).first()
    except ValueError:
        return None


def _wanted(
    organization: Organization, user: User, current: Person | None, before: User | None
) -> _Wanted:
    email, email_type, email_primary = _email(user, current)
    user_name = (user.user_name or "").strip()
    if not user_name:
        raise invalid_value("userName is required.")
    manager, manage_manager = _manager(organization, user)
    # A PATCH result is the whole resource: no manager there means no manager. A PUT
    # without the enterprise extension leaves the manager to the app.
    manage_manager = manage_manager or before is not None
    timezone = (user.timezone or "").strip() or (current.timezone if current else "UTC")
    try:
        validate_timezone(timezone)
    except ValidationError:
        raise invalid_value(f"timezone {timezone!r} is not an IANA time zone name.") from None
    name = user.name
    return _Wanted(
        email=email,
        user_name="" if user_name.lower() == email else user_name,
        name=_name(user, before, current.name if current else email.split("@")[0]),
        given_name=(name.given_name or "").strip() if name else "",
        family_name=(name.family_name or "").strip() if name else "",
        display_name=(user.display_name or "").strip(),
        email_type=email_type,
        email_primary=email_primary,
        title=(user.title or "").strip(),
        timezone=timezone,
        external_id=(user.external_id or "").strip(),
        active=user.active,
        manager=manager,
        manage_manager=manage_manager,
    )


def _check_unique(organization: Organization, wanted: _Wanted, person: Person | None) -> None:
    others = Person.objects.all()
    in_org = people(organization)
    if person is not None:
        others, in_org = others.exclude(pk=person.pk), in_org.exclude(pk=person.pk)
    user_name = wanted.user_name or wanted.email
    taken = (
        others.filter(email=wanted.email).exists()
        or in_org.filter(**{"scim_user_name__iexact": user_name}).exists()
    )
    if taken:
        raise ScimError(409, "userName or email is already in use.", "uniqueness")


def _save_state(person: Person, wanted: _Wanted) -> None:
    state = scim_state(person)
    state.user_name = wanted.user_name
    state.given_name = wanted.given_name[:200]
    state.family_name = wanted.family_name[:200]
    state.display_name = wanted.display_name[:200]
    state.email_type = wanted.email_type[:50]
    state.email_primary = wanted.email_primary
    state.active_unassigned = wanted.active is None
    state.last_modified = now()
    state.deleted_at = None
    state.full_clean(exclude=["person"])
    state.save()


def _apply(person: Person, wanted: _Wanted) -> None:
    if wanted.active is True and not person.is_active:
        person_reactivate(actor=None, person=person)
    changes: dict[str, object] = {
        "email": wanted.email,
        "name": wanted.name,
        "title": wanted.title,
        "timezone": wanted.timezone,
    }
    if wanted.manage_manager:
        changes["manager"] = wanted.manager
    person_update(actor=None, person=person, **changes)
    if person.external_id != wanted.external_id:
        person.external_id = wanted.external_id
        person.full_clean(exclude=["password"])
        person.save(update_fields=["external_id"])
    if wanted.active is False and person.is_active:
        person_deactivate(actor=None, person=person)
    _save_state(person, wanted)


def _guarded(organization: Organization, work: Callable[[], Person]) -> Person:
    """Run a write; turn model validation and constraint failures into SCIM errors."""
    try:
        with transaction.atomic():
            return work()
    except ValidationError as exc:
        raise invalid_value(_messages(exc)) from None
    except IntegrityError:
        raise ScimError(409, "userName or email is already in use.", "uniqueness") from None


def user_create(*, organization: Organization, user: User) -> Person:
    """Provision a person; the same userName as a person deleted over SCIM revives them."""

    def work() -> Person:
        wanted = _wanted(organization, user, None, None)
        deleted = (
            Person.objects.filter(organization=organization, scim__deleted_at__isnull=False)
            .filter(email=wanted.email)
            .first()
        )
        if deleted is not None:
            _check_unique(organization, wanted, deleted)
            _apply(deleted, wanted)
            return deleted
        _check_unique(organization, wanted, None)
        person = person_add(
            organization=organization,
            email=wanted.email,
            name=wanted.name,
            password=None,
            manager=wanted.manager,
            title=wanted.title,
            timezone=wanted.timezone,
            recorded_as="person.create",
            actor=None,
        )
        _apply(person, wanted)
        return person

    return _guarded(organization, work)


def user_replace(
    *, organization: Organization, person: Person, user: User, before: User | None = None
) -> Person:
    """Make the person what the resource says (PUT, and PATCH after applying it)."""

    def work() -> Person:
        wanted = _wanted(organization, user, person, before)
        _check_unique(organization, wanted, person)
        _apply(person, wanted)
        return person

    return _guarded(organization, work)


@transaction.atomic
def user_delete(*, person: Person) -> None:
    """DELETE: the person is deactivated and hidden from SCIM; their data stays."""
    person_deactivate(actor=None, person=person)
    state = scim_state(person)
    state.deleted_at = now()
    state.last_modified = state.deleted_at
    state.save()


# --- Groups --------------------------------------------------------------------------


def _members(organization: Organization, group: Group) -> list[Person]:
    found: list[Person] = []
    for member in group.members or []:
        if member.type and member.type != "User":
            raise invalid_value("Rapport teams contain people only, not other groups.")
        value = (member.value or "").strip().lower()
        person = _person_by_id(organization, value)
        if person is None:
            raise invalid_value(f"member {member.value!r} is not a user of this organization.")
        found.append(person)
    return found


def _group_write(organization: Organization, team: Team, group: Group) -> Team:
    name = (group.display_name or "").strip()
    if not name:
        raise invalid_value("displayName is required.")
    if (
        Team.objects.filter(organization=organization, name__iexact=name)
        .exclude(pk=team.pk)
        .exists()
    ):
        raise ScimError(409, f"A team named {name!r} already exists.", "uniqueness")
    team.name = name
    team.external_id = (group.external_id or "").strip()
    team.full_clean(exclude=["organization"])
    team.save()
    wanted = _members(organization, group)
    wanted_ids = {p.pk for p in wanted}
    for person in wanted:
        if person.team_id != team.pk:
            # A person is in at most one team: joining this one leaves the previous one.
            person_update(actor=None, person=person, team=team)
    for person in team_members(team):
        if person.pk not in wanted_ids:
            person_update(actor=None, person=Person.objects.get(pk=person.pk), team=None)
    scim, _ = ScimGroup.objects.get_or_create(team=team)
    scim.last_modified = now()
    scim.save(update_fields=["last_modified"])
    activity_record(
        actor=None,
        verb="team.update",
        object_type="organization",
        object_uuid=organization.uuid,
        organization_id=organization.pk,
    )
    return team


def _guarded_team(work: Callable[[], Team]) -> Team:
    try:
        with transaction.atomic():
            return work()
    except ValidationError as exc:
        raise invalid_value(_messages(exc)) from None
    except IntegrityError:
        raise ScimError(409, "A team with this name already exists.", "uniqueness") from None


def group_create(*, organization: Organization, group: Group) -> Team:
    """A new team with the given members (moved out of their previous team)."""
    return _guarded_team(lambda: _group_write(organization, Team(organization=organization), group))


def group_replace(*, organization: Organization, team: Team, group: Group) -> Team:
    """Make the team what the resource says: name, externalId and exactly these members."""
    return _guarded_team(lambda: _group_write(organization, team, group))


@transaction.atomic
def group_delete(*, organization: Organization, team: Team) -> None:
    """The team goes; its members stay, without a team."""
    for person in Person.objects.filter(team=team):
        person_update(actor=None, person=person, team=None)
    team.delete()
    activity_record(
        actor=None,
        verb="team.delete",
        object_type="organization",
        object_uuid=organization.uuid,
        organization_id=organization.pk,
    )

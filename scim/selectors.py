"""Reads for SCIM: the people and teams one organization's token may see, as SCIM resources.

Every query starts from the token's organization; a person deleted over SCIM (tombstone)
is hidden. String columns are annotated lower-cased because SCIM compares them
case-insensitively (RFC 7643 §2.1, caseExact false).
"""

from uuid import UUID

from django.db.models import CharField, F, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from scim2_models import Meta, Reference

from people.models import Organization, Person, Team
from scim.errors import not_found
from scim.models import ScimGroup, ScimUser
from scim.resources import (
    Email,
    EnterpriseUser,
    Group,
    GroupMember,
    GroupMembership,
    Manager,
    Name,
    User,
)


def people(organization: Organization) -> QuerySet[Person]:
    """The organization's people SCIM may see, annotated with the filterable columns."""
    return (
        Person.objects.filter(organization=organization)
        .filter(Q(scim__isnull=True) | Q(scim__deleted_at__isnull=True))
        .select_related("scim", "manager", "team__scim")
        .annotate(
            scim_user_name=Coalesce(
                NullIf(F("scim__user_name"), Value("")), F("email"), output_field=CharField()
            ),
            scim_email_type=Coalesce(
                NullIf(F("scim__email_type"), Value("")), Value("work"), output_field=CharField()
            ),
            scim_display_name=Coalesce(
                NullIf(F("scim__display_name"), Value("")), F("name"), output_field=CharField()
            ),
            scim_last_modified=Coalesce(F("scim__last_modified"), F("date_joined")),
        )
        .order_by("pk")
    )


def groups_ensure(organization: Organization) -> None:
    """Give every team of the organization its SCIM id (teams made in the app lack one)."""
    missing = Team.objects.filter(organization=organization, scim__isnull=True)
    ScimGroup.objects.bulk_create([ScimGroup(team=team) for team in missing])


def teams(organization: Organization) -> QuerySet[Team]:
    """The organization's teams with their visible members prefetched."""
    return (
        Team.objects.filter(organization=organization)
        .select_related("scim")
        .prefetch_related(Prefetch("members", queryset=_visible_people(), to_attr="visible"))
        .order_by("pk")
    )


def _visible_people() -> QuerySet[Person]:
    return (
        Person.objects.filter(Q(scim__isnull=True) | Q(scim__deleted_at__isnull=True))
        .only("uuid", "name", "team_id")
        .order_by("pk")
    )


def _uuid(value: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise not_found() from None


def person_get(organization: Organization, person_id: str) -> Person:
    """A visible person of the organization by SCIM id; 404 for anything else."""
    person = people(organization).filter(uuid=_uuid(person_id)).first()
    if person is None:
        raise not_found("User")
    return person


def team_get(organization: Organization, team_id: str) -> Team:
    """A team of the organization by SCIM id; 404 for anything else."""
    groups_ensure(organization)
    team = teams(organization).filter(scim__uuid=_uuid(team_id)).first()
    if team is None:
        raise not_found("Group")
    return team


def scim_state(person: Person) -> ScimUser:
    """The person's SCIM state, or an unsaved blank one for people made in the app."""
    try:
        return person.scim
    except ScimUser.DoesNotExist:
        return ScimUser(person=person, last_modified=person.date_joined)


def split_name(name: str) -> tuple[str, str]:
    given, _, family = name.strip().partition(" ")
    return given, family


def user_resource(person: Person, base: str) -> User:
    """The SCIM User of a person; `base` is the absolute /scim/v2 URL."""
    state = scim_state(person)
    given, family = split_name(person.name)
    if state.pk is not None:
        given, family = state.given_name, state.family_name
    user = User(
        id=str(person.uuid),
        external_id=person.external_id or None,
        user_name=state.user_name or person.email,
        name=Name(formatted=person.name, given_name=given or None, family_name=family or None),
        # People provisioned over SCIM show what the provider set (removable); people
        # added in the app show their name.
        display_name=(state.display_name or None) if state.pk else person.name,
        title=person.title or None,
        timezone=person.timezone,
        active=None if state.active_unassigned else person.is_active,
        emails=[
            Email(
                value=person.email,
                type=state.email_type or "work",
                primary=True if state.email_primary is None else state.email_primary,
            )
        ],
        meta=Meta(
            resource_type="User",
            created=person.date_joined,
            last_modified=state.last_modified,
            location=f"{base}/Users/{person.uuid}",
        ),
    )
    team = person.team
    if team is not None and hasattr(team, "scim"):
        user.groups = [
            GroupMembership(
                value=str(team.scim.uuid),
                ref=Reference(f"{base}/Groups/{team.scim.uuid}"),
                display=team.name,
            )
        ]
    manager = person.manager
    if manager is not None:
        user[EnterpriseUser] = EnterpriseUser(
            manager=Manager(
                value=str(manager.uuid),
                ref=Reference(f"{base}/Users/{manager.uuid}"),
                display_name=manager.name,
            )
        )
    return user


def team_members(team: Team) -> list[Person]:
    return list(_visible_people().filter(team=team))


def group_resource(team: Team, base: str, members: list[Person] | None = None) -> Group:
    """The SCIM Group of a team; `members` (prefetched) or fetched here."""
    scim = team.scim
    if members is None:
        members = getattr(team, "visible", None)
    if members is None:
        members = team_members(team)
    return Group(
        id=str(scim.uuid),
        external_id=team.external_id or None,
        display_name=team.name,
        members=[
            GroupMember(
                value=str(person.uuid),
                ref=Reference(f"{base}/Users/{person.uuid}"),
                type="User",
                display=person.name,
            )
            for person in members
        ]
        or None,
        meta=Meta(
            resource_type="Group",
            created=scim.created_at,
            last_modified=scim.last_modified,
            location=f"{base}/Groups/{scim.uuid}",
        ),
    )

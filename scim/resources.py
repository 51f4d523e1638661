"""The SCIM resources Rapport serves, as scim2-models classes, and its discovery documents.

Rapport publishes only the attributes it stores, so the User schema is a subset of
RFC 7643's: what a client sends beyond it is ignored (RFC 7644 §3.3 lets a service
provider drop attributes it does not support).
"""

from typing import Annotated, Any

from pydantic import Field
from scim2_models import (
    AuthenticationScheme,
    Bulk,
    CaseExact,
    ChangePassword,
    ComplexAttribute,
    ETag,
    Extension,
    Filter,
    Meta,
    Mutability,
    Patch,
    Reference,
    Required,
    Resource,
    ResourceType,
    Returned,
    Schema,
    ServiceProviderConfig,
    Sort,
    Uniqueness,
)
from scim2_models.urn import URN

from lib.timezones import timezone_names

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"

# Largest page a list answers (ServiceProviderConfig filter.maxResults).
MAX_RESULTS = 200
DEFAULT_COUNT = 100


class Name(ComplexAttribute):
    """The person's name; Rapport keeps one full name (formatted) and remembers the parts."""

    formatted: str | None = None
    family_name: str | None = None
    given_name: str | None = None


class Email(ComplexAttribute):
    """Rapport keeps one address, the sign-in address: it is always the primary one."""

    value: Annotated[str | None, Required.true] = None
    type: str | None = Field(None, examples=["work", "home", "other"])
    primary: bool | None = None


class GroupMembership(ComplexAttribute):
    """The person's team (at most one), read-only: membership is changed through Groups."""

    value: Annotated[str | None, Mutability.read_only] = None
    ref: Annotated[Reference["Group"] | None, Mutability.read_only] = Field(
        None, serialization_alias="$ref", validation_alias="$ref"
    )
    display: Annotated[str | None, Mutability.read_only] = None


class Manager(ComplexAttribute):
    """The person's manager: `value` is the manager's SCIM id."""

    value: Annotated[str | None, CaseExact.true] = None
    ref: Reference["User"] | None = Field(None, serialization_alias="$ref", validation_alias="$ref")
    # Computed, so returned only on request: a client comparing what it sent with what
    # it reads back would otherwise see a difference it did not make.
    display_name: Annotated[str | None, Mutability.read_only, Returned.request] = None


class EnterpriseUser(Extension):
    """The enterprise extension, of which Rapport supports the manager."""

    __schema__ = URN(ENTERPRISE_SCHEMA)

    manager: Manager | None = None


class User(Resource[EnterpriseUser]):
    """A person. userName is their sign-in email address (or an email must be given)."""

    __schema__ = URN(USER_SCHEMA)

    user_name: Annotated[str | None, Required.true, Uniqueness.server] = None
    # Rapport shows everyone by name, so a person always has one.
    name: Annotated[Name | None, Required.true] = None
    display_name: str | None = None
    title: str | None = None
    # Rapport schedules 1:1s in each person's zone, so every person has one (UTC if unsaid).
    # Published as the attribute's canonicalValues: the IANA zones Rapport accepts.
    timezone: Annotated[str | None, Required.true] = Field(None, examples=sorted(timezone_names()))
    active: bool | None = None
    # Rapport signs people in by email; it keeps exactly one, the primary.
    emails: Annotated[list[Email] | None, Required.true] = None
    groups: Annotated[list[GroupMembership] | None, Mutability.read_only] = None


class GroupMember(ComplexAttribute):
    """A member of a team: only Users (Rapport has no nested teams)."""

    value: Annotated[str | None, Mutability.immutable, CaseExact.true] = None
    ref: Annotated[Reference["User"] | None, Mutability.immutable] = Field(
        None, serialization_alias="$ref", validation_alias="$ref"
    )
    type: Annotated[str | None, Mutability.immutable] = Field(None, examples=["User"])
    # Computed, so returned only on request (see Manager.display_name).
    display: Annotated[str | None, Mutability.read_only, Returned.request] = None


class Group(Resource[Any]):
    """A team. A person is in at most one team: adding them to a group moves them."""

    __schema__ = URN(GROUP_SCHEMA)

    display_name: Annotated[str | None, Required.true] = None
    members: list[GroupMember] | None = None


def schemas() -> list[Schema]:
    """The schemas Rapport publishes at /Schemas."""
    documents = [
        (User.to_schema(), "User", "A person of the organization"),
        (Group.to_schema(), "Group", "A team of the organization"),
        (EnterpriseUser.to_schema(), "EnterpriseUser", "The enterprise extension (manager)"),
    ]
    for schema, name, description in documents:
        schema.name = name
        schema.description = description
        schema.meta = Meta(resource_type="Schema", location=f"/Schemas/{schema.id}")
        for attribute in schema.attributes or []:
            if attribute.name == "userName":
                attribute.description = (
                    "The sign-in email address; if it is not one, give a work email."
                )
    return [schema for schema, _, _ in documents]


def resource_types() -> list[ResourceType]:
    """The resource types Rapport serves at /ResourceTypes."""
    user = ResourceType.from_resource(User)
    user.description = "People"
    group = ResourceType.from_resource(Group)
    group.description = "Teams"
    return [user, group]


def service_provider_config() -> ServiceProviderConfig:
    """Exactly what Rapport supports: PATCH and filtering, no bulk, sort, ETags or passwords."""
    return ServiceProviderConfig(
        documentation_uri=None,
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_RESULTS),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=False),
        authentication_schemes=[
            AuthenticationScheme(
                type=AuthenticationScheme.Type.oauthbearertoken,
                name="Bearer token",
                description="A token an organization admin creates on the SCIM settings page.",
                primary=True,
            )
        ],
    )

"""SCIM bearer tokens, and the provisioning state SCIM keeps beside people and teams."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.timezone import now

from people.models import Organization, Person, Team


class ScimTokenQuerySet(models.QuerySet["ScimToken"]):
    def usable(self) -> "ScimTokenQuerySet":
        """Tokens that authenticate now: not revoked, or still inside their rotation grace."""
        return self.filter(models.Q(revoked_at__isnull=True) | models.Q(revoked_at__gt=now()))


class ScimToken(models.Model):
    """A bearer token an identity provider uses to provision one organization.

    Only the SHA-256 digest is stored; `prefix` is the first characters, shown so an admin
    can tell tokens apart. `revoked_at` in the future is a rotation grace period.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="scim_tokens"
    )
    token_digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=16)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ScimTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}…"

    def is_usable(self) -> bool:
        return self.revoked_at is None or self.revoked_at > now()


class ScimUser(models.Model):
    """What the identity provider said about a person that Rapport does not model itself.

    `user_name` is kept only when it is not the person's email address (the usual case is
    userName = email). `deleted_at` marks a person deleted over SCIM: deactivated and
    hidden from SCIM (GET answers 404), their data kept for the retention period.
    """

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="scim")
    user_name = models.CharField(max_length=254, blank=True)
    given_name = models.CharField(max_length=200, blank=True)
    family_name = models.CharField(max_length=200, blank=True)
    display_name = models.CharField(max_length=200, blank=True)
    email_type = models.CharField(max_length=50, blank=True)
    # As sent; Rapport's one address is the sign-in address whatever the flag says.
    email_primary = models.BooleanField(null=True, blank=True)
    # The provider removed `active` (RFC 7644 §3.5.2.2: unassigned). The person stays as
    # they were; SCIM shows no `active` until the provider sets it again.
    active_unassigned = models.BooleanField(default=False)
    last_modified = models.DateTimeField(default=now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.user_name or str(self.person)


class ScimGroup(models.Model):
    """The public SCIM id of a team (teams have no UUID of their own) and its timestamps."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="scim")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(default=now)
    last_modified = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return str(self.uuid)

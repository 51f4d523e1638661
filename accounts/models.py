"""Invitations: how a person an org admin added gets into Rapport."""

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.timezone import now


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self, at: datetime | None = None) -> "InvitationQuerySet":
        """Neither accepted nor revoked, and not expired at `at` (default: now)."""
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=at or now()
        )


class Invitation(models.Model):
    """An emailed link with which `person` sets a password or signs in with SSO.

    The link's token is stored only as its SHA-256 digest (lib/secrets.py).
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "people.Organization", on_delete=models.CASCADE, related_name="invitations"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(help_text="Where the invitation was sent.")
    token_digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "-created_at"], name="invitation_org_idx")]

    def __str__(self) -> str:
        return f"Invitation for {self.email}"

    def state(self, at: datetime | None = None) -> str:
        """accepted, revoked, expired or pending."""
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= (at or now()):
            return "expired"
        return "pending"

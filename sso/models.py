"""An organization's OpenID Connect settings: who its identity provider is and how to reach it."""

from django.conf import settings
from django.db import models
from django.utils.timezone import now


class SsoConfig(models.Model):
    """One organization's single sign-on connection (OpenID Connect).

    The client secret is stored encrypted (lib/secrets.py) because Rapport must send it
    to the identity provider; it is never shown back, only replaced.
    """

    organization = models.OneToOneField(
        "people.Organization", on_delete=models.CASCADE, related_name="sso_config"
    )
    issuer = models.URLField(
        max_length=500,
        help_text="The identity provider's issuer URL, e.g. https://example.okta.com.",
    )
    client_id = models.CharField(max_length=255)
    client_secret_encrypted = models.TextField(blank=True)
    enabled = models.BooleanField(
        default=False, help_text="People of the organization can sign in with single sign-on."
    )
    allow_jit = models.BooleanField(
        default=False,
        help_text=(
            "Create an account at first sign-in for addresses in the organization's "
            "email domains, instead of requiring an invitation."
        ),
    )
    updated_at = models.DateTimeField(default=now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "single sign-on configuration"

    def __str__(self) -> str:
        return f"Single sign-on of {self.organization_id}"

    @property
    def provider_id(self) -> str:
        """The allauth provider id of this organization's OpenID Connect app."""
        return provider_id_for(self.organization.uuid.hex)

    @property
    def has_secret(self) -> bool:
        return bool(self.client_secret_encrypted)


PROVIDER_PREFIX = "org-"


def provider_id_for(org_uuid_hex: str) -> str:
    return f"{PROVIDER_PREFIX}{org_uuid_hex}"

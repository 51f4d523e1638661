"""The SSO tests' world: Acme (fixed uuid, email domain acme.test) with OpenID Connect
configured against the test identity provider (tests/idp) running on loopback."""

from typing import Any

import pytest

from lib.secrets import encrypt
from people.models import Organization
from sso.models import SsoConfig
from tests.idp.fixture import SSO_ORG_UUID, IdentityProvider, identity_provider

__all__ = ["identity_provider"]


@pytest.fixture(autouse=True)
def _allow_loopback_issuer(settings: Any) -> None:
    """The test provider runs on 127.0.0.1 over http, which production refuses."""
    settings.RAPPORT_ALLOW_PRIVATE_URLS = True


@pytest.fixture
def acme(db: None) -> Organization:
    return Organization.objects.create(
        name="Acme", uuid=SSO_ORG_UUID, email_domains="acme.test\nacme-labs.test"
    )


def sso_config(
    org: Organization,
    *,
    issuer: str = "https://idp.acme.test",
    client_id: str = "rapport",
    secret: str = "s3cret",  # noqa: S107 (a test fixture)
    enabled: bool = True,
    allow_jit: bool = False,
) -> SsoConfig:
    return SsoConfig.objects.create(
        organization=org,
        issuer=issuer,
        client_id=client_id,
        client_secret_encrypted=encrypt(secret),
        enabled=enabled,
        allow_jit=allow_jit,
    )


@pytest.fixture
def acme_sso_config(acme: Organization, identity_provider: IdentityProvider) -> SsoConfig:
    """Acme's SSO, pointing at the running test provider (no just-in-time accounts)."""
    return sso_config(
        acme,
        issuer=identity_provider.issuer,
        client_id=identity_provider.client_id,
        secret=identity_provider.client_secret,
    )

"""Single sign-on writes and checks: saving an organization's settings, checking the
issuer, and deciding what a successful OpenID Connect login may do."""

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.timezone import now

from activity.services import activity_record
from lib.outgoing import check_outgoing_url
from lib.secrets import encrypt
from people.models import Organization, Person
from sso.models import PROVIDER_PREFIX, SsoConfig

logger = logging.getLogger(__name__)

WELL_KNOWN = "/.well-known/openid-configuration"
# The connection check answers while the admin waits: a slow issuer is reported, not awaited.
CHECK_TIMEOUT_SECONDS = 5


def normalize_issuer(url: str) -> str:
    """The issuer as stored: no surrounding space, no discovery suffix, no trailing slash."""
    url = url.strip()
    if url.endswith(WELL_KNOWN):
        url = url[: -len(WELL_KNOWN)]
    return url.rstrip("/")


def validate_outgoing_url(url: str) -> None:
    """Refuse an issuer URL Rapport's server must not call: not https, or a private address.

    Rapport's server fetches the identity provider's documents and tokens, so an admin
    could otherwise make it reach inside the network it runs in. The same rules as for
    webhooks and CalDAV (lib.outgoing); RAPPORT_ALLOW_PRIVATE_URLS lifts them.
    """
    parts = urlsplit(url)
    schemes = {"https", "http"} if settings.RAPPORT_ALLOW_PRIVATE_URLS else {"https"}
    if parts.scheme not in schemes or not parts.hostname:
        raise ValidationError(
            "Enter the issuer's https:// address, for example https://example.okta.com."
        )
    check_outgoing_url(url, what="The issuer")


def validate_issuer_url(url: str) -> None:
    """An issuer is an outgoing URL without credentials, query or fragment."""
    parts = urlsplit(url)
    if parts.username or parts.password or parts.query or parts.fragment:
        raise ValidationError("The issuer URL may not contain a user name, a query or a fragment.")
    validate_outgoing_url(url)


@transaction.atomic
def sso_config_save(
    *,
    actor: Person,
    organization: Organization,
    issuer: str,
    client_id: str,
    client_secret: str | None,
    enabled: bool,
    allow_jit: bool,
) -> SsoConfig:
    """Create or change the organization's single sign-on settings.

    A None or empty `client_secret` keeps the stored one; the secret is stored
    encrypted and never written to the activity trail or the log.
    """
    if not actor.is_org_admin or actor.organization_id != organization.pk:
        raise ValidationError("Only an admin of the organization can change its single sign-on.")
    issuer = normalize_issuer(issuer)
    validate_issuer_url(issuer)
    client_id = client_id.strip()
    if not client_id:
        raise ValidationError({"client_id": "Enter the client id the identity provider gave you."})
    config = SsoConfig.objects.select_for_update().filter(organization=organization).first()
    if config is None:
        config = SsoConfig(organization=organization)
    if client_secret:
        config.client_secret_encrypted = encrypt(client_secret.strip())
    if enabled and not config.client_secret_encrypted:
        raise ValidationError(
            {"client_secret": "Enter the client secret before turning single sign-on on."}
        )
    if enabled and not organization.domains():
        raise ValidationError(
            {"enabled": "Add the organization's email domains before turning single sign-on on."}
        )
    config.issuer = issuer
    config.client_id = client_id
    config.enabled = enabled
    config.allow_jit = allow_jit
    config.updated_at = now()
    config.updated_by = actor
    config.save()
    activity_record(
        actor=actor, verb="sso.update", object_type="organization", object_uuid=organization.uuid
    )
    return config


@dataclass(frozen=True)
class Discovery:
    """What the issuer's discovery document says, as the settings page shows it."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str
    scopes: list[str]


class CheckFailed(Exception):
    """The issuer could not be reached or did not answer like an OpenID Connect provider."""


def sso_discovery_fetch(issuer: str) -> Discovery:
    """Fetch and check the issuer's /.well-known/openid-configuration (short timeout)."""
    try:
        validate_issuer_url(issuer)
    except ValidationError as exc:
        raise CheckFailed(exc.messages[0]) from exc
    url = issuer + WELL_KNOWN
    try:
        # No redirects: the address was checked, where a redirect leads was not.
        response = requests.get(url, timeout=CHECK_TIMEOUT_SECONDS, allow_redirects=False)
    except requests.Timeout as exc:
        raise CheckFailed(f"{url} did not answer within {CHECK_TIMEOUT_SECONDS} seconds.") from exc
    except requests.RequestException as exc:
        raise CheckFailed(f"{url} cannot be reached ({type(exc).__name__}).") from exc
    if response.status_code != 200:
        raise CheckFailed(f"{url} answered with HTTP status {response.status_code}, not 200.")
    try:
        document: Any = response.json()
    except ValueError as exc:
        raise CheckFailed(f"{url} did not answer with JSON.") from exc
    if not isinstance(document, dict):
        raise CheckFailed(f"{url} did not answer with a discovery document.")
    missing = [
        key
        for key in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
        if not isinstance(document.get(key), str)
    ]
    if missing:
        raise CheckFailed(f"The discovery document lacks {', '.join(missing)}.")
    if str(document["issuer"]).rstrip("/") != issuer.rstrip("/"):
        raise CheckFailed(
            f"The provider calls itself {document['issuer']}, not {issuer}: "
            "use exactly its issuer URL."
        )
    scopes = document.get("scopes_supported")
    return Discovery(
        issuer=document["issuer"],
        authorization_endpoint=document["authorization_endpoint"],
        token_endpoint=document["token_endpoint"],
        userinfo_endpoint=str(document.get("userinfo_endpoint", "")),
        jwks_uri=document["jwks_uri"],
        scopes=[str(s) for s in scopes] if isinstance(scopes, list) else [],
    )


def sso_config_for_email(email: str) -> SsoConfig | None:
    """The enabled single sign-on of the organization that owns the address's domain."""
    _, _, domain = email.strip().lower().rpartition("@")
    if not domain:
        return None
    configs = SsoConfig.objects.filter(
        enabled=True, organization__email_domains__icontains=domain
    ).select_related("organization")
    # Domains are a text list per organization; the few candidates are checked exactly.
    matches = [config for config in configs if domain in config.organization.domains()]
    if len(matches) > 1:
        # Two organizations claim the domain: sending the person to either could be wrong.
        logger.warning(
            "SSO: organizations %s all claim one email domain",
            sorted(config.organization_id for config in matches),
        )
        return None
    return matches[0] if matches else None


def enabled_config(provider_id: str) -> SsoConfig | None:
    """The enabled configuration behind an allauth provider id "org-<uuid hex>", if any."""
    if not provider_id.startswith(PROVIDER_PREFIX):
        return None
    hex_part = provider_id.removeprefix(PROVIDER_PREFIX)
    if len(hex_part) != 32 or not all(c in "0123456789abcdef" for c in hex_part):
        return None
    return (
        SsoConfig.objects.filter(enabled=True, organization__uuid=hex_part)
        .select_related("organization")
        .first()
    )


# What a successful login at the identity provider may do in Rapport.


class Refused(Exception):
    """The identity provider signed the person in, but Rapport does not let them in."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.message = message
        # A short code for tests and the log (never personal data).
        self.reason = reason


def claim_is_true(value: object) -> bool:
    """OpenID Connect booleans, also as the strings some providers send."""
    return value is True or (isinstance(value, str) and value.lower() == "true")


def email_is_verified(claims: dict[str, Any]) -> bool:
    """Whether the provider vouches for the address.

    `email_verified` is the standard claim; Microsoft Entra ID sends none and offers the
    optional claim `xms_edov` (email domain owner verified) instead.
    """
    return claim_is_true(claims.get("email_verified")) or claim_is_true(claims.get("xms_edov"))


def name_from_claims(claims: dict[str, Any], email: str) -> str:
    name = claims.get("name")
    if not isinstance(name, str) or not name.strip():
        parts = [claims.get("given_name"), claims.get("family_name")]
        name = " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
    return (name.strip() or email.partition("@")[0])[:200]


@dataclass(frozen=True)
class Decision:
    """Who signs in: an existing person, or (person None) a new one created just in time."""

    email: str
    person: Person | None


def sso_decide(*, config: SsoConfig, claims: dict[str, Any], linked: Person | None) -> Decision:
    """Decide whether a login of `config`'s provider may enter Rapport, and as whom.

    `linked` is the person already connected to this identity-provider account, if any.
    Raises Refused with a message for the person otherwise.
    """
    org = config.organization
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise Refused(
            "Your identity provider did not send an email address, so Rapport cannot tell "
            "who you are. Ask your administrator to release the email claim to Rapport.",
            reason="no_email",
        )
    email = email.strip().lower()
    if not email_is_verified(claims):
        raise Refused(
            "Your identity provider did not confirm that your email address is verified. "
            "Ask your administrator to verify it there.",
            reason="unverified",
        )
    if not org.owns_email(email):
        raise Refused(
            f"Your address {email} is not in one of {org.name}'s email domains, so it "
            "cannot sign in to this organization with single sign-on.",
            reason="outside_domains",
        )
    person = linked or _person_with_address(email)
    if person is not None and person.organization_id != org.pk:
        raise Refused(
            "This address already belongs to a Rapport account of another organization. "
            "Sign in there, or ask your administrators to move the account.",
            reason="other_org",
        )
    if person is not None and not person.is_active:
        raise Refused(
            f"Your Rapport account at {org.name} has been deactivated. "
            "Ask your administrator if this is a mistake.",
            reason="deactivated",
        )
    if person is None and not config.allow_jit:
        raise Refused(
            f"{org.name} has no Rapport account for {email} yet. "
            "Ask your administrator to invite you.",
            reason="not_invited",
        )
    return Decision(email=email, person=person)


def _person_with_address(email: str) -> Person | None:
    """The person whose sign-in address, or one of whose allauth addresses, this is."""
    from allauth.account.models import EmailAddress

    person = Person.objects.filter(email__iexact=email).first()
    if person is None:
        owner = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
        person = owner.user if owner else None
    return person


def sso_person_create(*, config: SsoConfig, email: str, claims: dict[str, Any]) -> Person:
    """Create a person just in time, in the organization whose provider signed them in."""
    from people.services import person_add

    person = person_add(
        organization=config.organization,
        email=email,
        name=name_from_claims(claims, email),
        password=None,
        recorded_as="person.create_sso",
        actor=None,
    )
    return person


def sso_person_connected(*, person: Person) -> None:
    """An invited person signed in with SSO: the invitation is used and the address verified."""
    from allauth.account.models import EmailAddress

    from accounts.models import Invitation
    from accounts.services import invitation_mark_accepted

    invitations = list(Invitation.objects.filter(person=person).pending())
    for invitation in invitations:
        invitation_mark_accepted(invitation)
    if not invitations:
        EmailAddress.objects.update_or_create(
            user=person, email=person.email, defaults={"verified": True, "primary": True}
        )

"""The SSO-ready demo organization: Initech, whose people would sign in with their IdP.

Its single sign-on is filled in with sample values (an issuer under the reserved
.example domain) and left turned off: no real identity provider answers there. An
operator trying SSO signs in as Initech's admin with the demo password, registers
Rapport at a real Okta or Entra ID tenant with the redirect URI shown on
/org/sso/, enters the real issuer, client id and secret, and turns it on.
"""

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction

from demo.org import DEMO_PASSWORD
from lib.secrets import encrypt
from people.models import Organization, Person
from people.services import person_add
from sso.models import SsoConfig

SSO_ORG_NAME = "Initech"
SSO_DOMAIN = "initech.example"
SAMPLE_ISSUER = "https://idp.initech.example/oauth2/default"
SAMPLE_CLIENT_ID = "0oa-initech-rapport-demo"
SAMPLE_SECRET = "replace-with-the-secret-from-your-identity-provider"  # noqa: S105 (a placeholder)

# (email local part, name, title, org admin, manager's local part)
PEOPLE = [
    ("irene", "Irene Ibarra", "Head of Operations", True, None),
    ("peter", "Peter Park", "Engineering Manager", False, None),
    ("samir", "Samir Nair", "Software Engineer", False, "peter"),
    ("joanna", "Joanna Lee", "Software Engineer", False, "peter"),
]


@transaction.atomic
def load_sso_demo() -> list[str]:
    """Create Initech with its (turned off) SSO once; return lines to print either way."""
    organization = Organization.objects.filter(name=SSO_ORG_NAME).order_by("pk").first()
    if organization is None:
        organization = _create()
    admin = organization.people.filter(is_org_admin=True).order_by("pk").first()
    lines = [
        f"SSO-ready demo organization “{SSO_ORG_NAME}” (email domain {SSO_DOMAIN}): its "
        "single sign-on holds sample values and is off until you connect a real identity "
        "provider (docs/sso.md)."
    ]
    if admin is not None:
        lines.append(
            f"  Sign in as its admin {admin.email} (password {DEMO_PASSWORD}) and open "
            "Organization → Single sign-on (/org/sso/)."
        )
    return lines


def _create() -> Organization:
    organization = Organization.objects.create(name=SSO_ORG_NAME, email_domains=SSO_DOMAIN)
    saved: dict[str, Person] = {}
    for local, name, title, is_admin, manager in PEOPLE:
        saved[local] = person_add(
            organization=organization,
            email=f"{local}@{SSO_DOMAIN}",
            name=name,
            password=None,
            title=title,
            manager=saved[manager] if manager else None,
            is_org_admin=is_admin,
        )
    Person.objects.filter(organization=organization).update(password=make_password(DEMO_PASSWORD))
    EmailAddress.objects.bulk_create(
        EmailAddress(user=p, email=p.email, verified=True, primary=True) for p in saved.values()
    )
    SsoConfig.objects.create(
        organization=organization,
        issuer=SAMPLE_ISSUER,
        client_id=SAMPLE_CLIENT_ID,
        client_secret_encrypted=encrypt(SAMPLE_SECRET),
        enabled=False,
        allow_jit=True,
        updated_by=saved["irene"],
    )
    return organization

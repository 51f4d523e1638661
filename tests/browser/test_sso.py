"""Single sign-on in a real browser: /sso/ → the test identity provider → My 1:1s.

The provider is tests/idp (django-oauth-toolkit) on loopback, as in tests/sso.
"""

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from lib.secrets import encrypt
from people.models import Organization, Person
from sso.models import SsoConfig
from tests.browser.conftest import BROWSER_TEST, OpenAs, check_page
from tests.idp.fixture import SSO_ORG_UUID, IdentityProvider, identity_provider

__all__ = ["identity_provider"]

pytestmark = BROWSER_TEST


@pytest.fixture(autouse=True)
def _allow_loopback_issuer(settings: Any) -> None:
    settings.RAPPORT_ALLOW_PRIVATE_URLS = True


@pytest.fixture
def acme(db: None) -> Organization:
    """Acme with the uuid whose redirect URI the test provider knows."""
    return Organization.objects.create(name="Acme", uuid=SSO_ORG_UUID, email_domains="acme.test")


@pytest.fixture
def acme_sso(acme: Organization, identity_provider: IdentityProvider) -> SsoConfig:
    return SsoConfig.objects.create(
        organization=acme,
        issuer=identity_provider.issuer,
        client_id=identity_provider.client_id,
        client_secret_encrypted=encrypt(identity_provider.client_secret),
        enabled=True,
    )


def test_a_person_signs_in_with_single_sign_on(
    open_as: OpenAs,
    live_server: LiveServer,
    identity_provider: IdentityProvider,
    acme_sso: SsoConfig,
    ravi: Person,
) -> None:
    page = open_as(None)
    page.goto("/sso/")
    expect(page.get_by_role("heading", name="Sign in with single sign-on")).to_be_visible()
    check_page(page)

    page.get_by_label("Work email").fill("ravi@acme.test")
    page.get_by_role("button", name="Continue with single sign-on").click()
    # At the identity provider.
    expect(page.get_by_role("heading", name="Test identity provider")).to_be_visible()
    assert page.url.startswith(identity_provider.base_url)
    page.get_by_label("IdP user name").fill("ravi@acme.test")
    page.get_by_label("IdP password").fill(identity_provider.password)
    page.get_by_role("button", name="Sign in at the IdP").click()

    expect(page.get_by_role("heading", name="My 1:1s", level=1)).to_be_visible()
    assert page.url.startswith(live_server.url)


def test_the_sso_pages_are_accessible(
    open_as: OpenAs, acme_sso: SsoConfig, ada: Person, identity_provider: IdentityProvider
) -> None:
    # Signing in with a password needs a confirmed address.
    EmailAddress.objects.get_or_create(
        user=ada, email=ada.email, defaults={"verified": True, "primary": True}
    )
    page = open_as(ada)
    page.goto("/org/sso/")
    expect(page.get_by_role("heading", name="Single sign-on", level=1)).to_be_visible()
    expect(page.locator("#redirect-uri")).to_contain_text("/accounts/oidc/org-")
    check_page(page)

    page.get_by_role("button", name="Check the connection").click()
    expect(page.get_by_text("The identity provider answered.")).to_be_visible()
    check_page(page)

    page.get_by_label("Client id").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Enter the client id")).to_be_visible()
    check_page(page)


def test_a_refusal_is_a_clear_page(
    open_as: OpenAs, acme_sso: SsoConfig, identity_provider: IdentityProvider
) -> None:
    page = open_as(None)
    page.goto("/sso/?email=newbie@acme.test")
    page.get_by_role("button", name="Continue with single sign-on").click()
    page.get_by_label("IdP user name").fill("newbie@acme.test")
    page.get_by_label("IdP password").fill(identity_provider.password)
    page.get_by_role("button", name="Sign in at the IdP").click()
    expect(
        page.get_by_role("heading", name="You cannot sign in with single sign-on")
    ).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Ask your administrator to invite you.")
    check_page(page)

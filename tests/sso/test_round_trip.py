"""OpenID Connect end to end: a real provider (django-oauth-toolkit, tests/idp) on loopback,
Rapport's live server, and an HTTP user agent following every redirect between them."""

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse
from pytest_django.live_server_helper import LiveServer

from accounts.models import Invitation
from accounts.services import invitation_create
from activity.models import Activity
from lib.secrets import encrypt
from people.models import Organization, Person
from people.services import person_deactivate
from sso.models import SsoConfig
from tests.conftest import make_person
from tests.idp.fixture import SSO_PROVIDER_ID, IdentityProvider, sso_round_trip

pytestmark = pytest.mark.django_db(transaction=True)


def _home(live_server: LiveServer) -> str:
    return f"{live_server.url}{reverse('meetings:home')}"


def _signed_in(session_cookies_owner: object, live_server: LiveServer) -> bool:
    import requests

    assert isinstance(session_cookies_owner, requests.Session)
    response = session_cookies_owner.get(_home(live_server), allow_redirects=False, timeout=10)
    return response.status_code == 200


def test_an_existing_person_signs_in_and_their_invitation_is_used(
    live_server: LiveServer,
    identity_provider: IdentityProvider,
    acme_sso_config: SsoConfig,
    ravi: Person,
    ada: Person,
) -> None:
    invitation = invitation_create(actor=ada, person=ravi, base_url=live_server.url).invitation

    session, page = sso_round_trip(live_server.url, identity_provider, email="ravi@acme.test")

    assert page.status_code == 200
    assert page.url == _home(live_server)
    assert "My 1:1s" in page.text
    assert _signed_in(session, live_server)
    account = SocialAccount.objects.get(user=ravi)
    assert account.provider == SSO_PROVIDER_ID
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert EmailAddress.objects.get(user=ravi, email="ravi@acme.test").verified


def test_a_second_sign_in_uses_the_connected_account(
    live_server: LiveServer,
    identity_provider: IdentityProvider,
    acme_sso_config: SsoConfig,
    ravi: Person,
) -> None:
    sso_round_trip(live_server.url, identity_provider, email="ravi@acme.test")
    _session, page = sso_round_trip(live_server.url, identity_provider, email="ravi@acme.test")

    assert page.url == _home(live_server)
    assert SocialAccount.objects.filter(user=ravi).count() == 1
    assert Person.objects.filter(email="ravi@acme.test").count() == 1


def test_just_in_time_creates_the_person_in_the_providers_organization(
    live_server: LiveServer,
    identity_provider: IdentityProvider,
    acme_sso_config: SsoConfig,
    acme: Organization,
) -> None:
    SsoConfig.objects.filter(pk=acme_sso_config.pk).update(allow_jit=True)

    session, page = sso_round_trip(live_server.url, identity_provider, email="newbie@acme.test")

    assert page.url == _home(live_server), page.text[:500]
    person = Person.objects.get(email="newbie@acme.test")
    assert person.organization == acme
    assert person.name == "Nina Newcomer"
    assert not person.has_usable_password()
    assert not person.is_org_admin
    assert EmailAddress.objects.get(user=person).verified
    assert Activity.objects.filter(verb="person.create_sso", object_uuid=person.uuid).exists()
    assert _signed_in(session, live_server)


def _assert_refused(page: object, text: str) -> None:
    import requests

    assert isinstance(page, requests.Response)
    assert page.status_code == 403, page.text[:500]
    assert "You cannot sign in with single sign-on" in page.text
    assert text in page.text


def test_without_just_in_time_an_unknown_address_is_told_to_ask_for_an_invitation(
    live_server: LiveServer, identity_provider: IdentityProvider, acme_sso_config: SsoConfig
) -> None:
    session, page = sso_round_trip(live_server.url, identity_provider, email="newbie@acme.test")

    _assert_refused(page, "Ask your administrator to invite you.")
    assert not Person.objects.filter(email="newbie@acme.test").exists()
    assert not _signed_in(session, live_server)


def test_an_address_outside_the_organizations_domains_is_refused(
    live_server: LiveServer, identity_provider: IdentityProvider, acme_sso_config: SsoConfig
) -> None:
    SsoConfig.objects.filter(pk=acme_sso_config.pk).update(allow_jit=True)

    # The person types an Acme address, but the provider signs in someone else.
    session, page = sso_round_trip(
        live_server.url,
        identity_provider,
        email="ravi@acme.test",
        idp_user="stranger@elsewhere.test",
    )

    _assert_refused(page, "is not in one of Acme")
    assert not Person.objects.filter(email="stranger@elsewhere.test").exists()
    assert not _signed_in(session, live_server)


def test_a_person_of_another_organization_is_refused(
    live_server: LiveServer,
    identity_provider: IdentityProvider,
    acme_sso_config: SsoConfig,
    globex: Organization,
) -> None:
    SsoConfig.objects.filter(pk=acme_sso_config.pk).update(allow_jit=True)
    moved = make_person(globex, "moved@acme.test", "Mo Moved")

    session, page = sso_round_trip(live_server.url, identity_provider, email="moved@acme.test")

    _assert_refused(page, "another organization")
    assert not SocialAccount.objects.filter(user=moved).exists()
    assert not _signed_in(session, live_server)


def test_a_deactivated_person_is_refused(
    live_server: LiveServer,
    identity_provider: IdentityProvider,
    acme_sso_config: SsoConfig,
    acme: Organization,
    ada: Person,
) -> None:
    leaver = make_person(acme, "leaver@acme.test", "Lee Leaver")
    person_deactivate(actor=ada, person=leaver)

    session, page = sso_round_trip(live_server.url, identity_provider, email="leaver@acme.test")

    _assert_refused(page, "has been deactivated")
    assert not _signed_in(session, live_server)


def test_a_connected_person_who_left_is_refused(
    live_server: LiveServer,
    identity_provider: IdentityProvider,
    acme_sso_config: SsoConfig,
    ravi: Person,
    ada: Person,
) -> None:
    sso_round_trip(live_server.url, identity_provider, email="ravi@acme.test")
    person_deactivate(actor=ada, person=ravi)

    session, page = sso_round_trip(live_server.url, identity_provider, email="ravi@acme.test")

    _assert_refused(page, "has been deactivated")
    assert not _signed_in(session, live_server)


def test_an_unverified_address_is_refused(
    live_server: LiveServer, identity_provider: IdentityProvider, acme_sso_config: SsoConfig
) -> None:
    SsoConfig.objects.filter(pk=acme_sso_config.pk).update(allow_jit=True)

    session, page = sso_round_trip(live_server.url, identity_provider, email="unverified@acme.test")

    _assert_refused(page, "did not confirm that your email address is verified")
    assert not Person.objects.filter(email="unverified@acme.test").exists()
    assert not _signed_in(session, live_server)


def test_a_wrong_client_secret_shows_a_clear_error(
    live_server: LiveServer,
    identity_provider: IdentityProvider,
    acme_sso_config: SsoConfig,
    ravi: Person,
) -> None:
    SsoConfig.objects.filter(pk=acme_sso_config.pk).update(
        client_secret_encrypted=encrypt("not the secret")
    )

    session, page = sso_round_trip(live_server.url, identity_provider, email="ravi@acme.test")

    assert page.status_code == 400
    assert "Single sign-on did not work" in page.text
    assert "client secret" in page.text
    assert "not the secret" not in page.text
    assert not SocialAccount.objects.exists()
    assert not _signed_in(session, live_server)
    assert Invitation.objects.count() == 0


def test_connecting_a_provider_account_to_a_signed_in_person_is_refused(
    live_server: LiveServer,
    identity_provider: IdentityProvider,
    acme_sso_config: SsoConfig,
    ravi: Person,
) -> None:
    """Accounts are connected only by signing in with SSO, where the address is checked."""
    session, _page = sso_round_trip(live_server.url, identity_provider, email="ravi@acme.test")
    SocialAccount.objects.all().delete()
    login = reverse("openid_connect_login", kwargs={"provider_id": SSO_PROVIDER_ID})

    page = session.post(
        f"{live_server.url}{login}",
        data={"process": "connect", "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        timeout=20,
    )

    _assert_refused(page, "Sign out first")
    assert not SocialAccount.objects.exists()

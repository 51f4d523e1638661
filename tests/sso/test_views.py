"""The settings page (/org/sso/) and the sign-in entry (/sso/)."""

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.adapter import get_adapter
from django.test import Client
from django.urls import reverse

from lib.secrets import decrypt
from people.models import Organization, Person
from sso.models import SsoConfig
from tests.conftest import client_for
from tests.idp.fixture import SSO_PROVIDER_ID, IdentityProvider, _free_port
from tests.sso.conftest import sso_config

SETTINGS = "/org/sso/"
START = "/sso/"


def _form(**changes: str) -> dict[str, str]:
    return {
        "issuer": "https://idp.acme.test",
        "client_id": "rapport",
        "client_secret": "",
        "enabled": "on",
        "action": "save",
    } | changes


def test_the_urls_keep_their_names() -> None:
    assert reverse("sso:settings") == SETTINGS
    assert reverse("sso:start") == START


def test_the_settings_page_shows_what_to_register_and_never_the_secret(
    acme: Organization, ada: Person
) -> None:
    sso_config(acme, secret="very-secret-value")
    page = client_for(ada).get(SETTINGS).content.decode()
    assert f"http://testserver/accounts/oidc/{SSO_PROVIDER_ID}/login/callback/" in page
    assert "openid email profile" in page
    assert "acme.test, acme-labs.test" in page
    assert "Leave blank to keep the current secret" in page
    assert "very-secret-value" not in page
    # Not even the encrypted form (Fernet tokens start with gAAAA).
    assert "gAAAA" not in page


def test_the_redirect_uri_is_the_one_allauth_sends(acme: Organization, ada: Person) -> None:
    from django.test import RequestFactory

    from sso.views import callback_url

    sso_config(acme)
    request = RequestFactory().get("/")
    provider = get_adapter(request).get_provider(request, SSO_PROVIDER_ID)
    adapter = provider.get_oauth2_adapter(request)
    assert adapter.get_callback_url(request, provider.app) == callback_url(request, acme)


def test_an_admin_saves_and_a_blank_secret_keeps_the_old_one(
    acme: Organization, ada: Person
) -> None:
    client = client_for(ada)
    response = client.post(SETTINGS, _form(client_secret="the secret", allow_jit="on"))
    assert response.status_code == 302
    config = SsoConfig.objects.get(organization=acme)
    assert (config.enabled, config.allow_jit, decrypt(config.client_secret_encrypted)) == (
        True,
        True,
        "the secret",
    )
    response = client.post(SETTINGS, _form(client_id="other"))
    assert response.status_code == 302
    config.refresh_from_db()
    assert config.client_id == "other"
    assert decrypt(config.client_secret_encrypted) == "the secret"
    assert not config.allow_jit


@pytest.mark.parametrize(
    ("changes", "error", "private_allowed"),
    [
        ({"issuer": ""}, "Enter the identity provider", True),
        ({"issuer": "http://10.0.0.5"}, "https://", False),
        ({"issuer": "https://127.0.0.1/o"}, "private or local network", False),
        ({"issuer": "https://idp.invalid"}, "cannot be found", False),
        ({"issuer": "https://idp.test/?x=1"}, "may not contain", True),
        ({"client_id": ""}, "Enter the client id", True),
        ({"client_id": "a b"}, "no spaces", True),
        ({"client_secret": ""}, "Enter the client secret before turning", True),
        ({"client_secret": "x" * 1001}, "at most 1000", True),
    ],
)
def test_bad_settings_are_refused_and_change_nothing(
    settings: Any,
    acme: Organization,
    ada: Person,
    changes: dict[str, str],
    error: str,
    private_allowed: bool,
) -> None:
    settings.RAPPORT_ALLOW_PRIVATE_URLS = private_allowed
    response = client_for(ada).post(SETTINGS, _form(**changes))
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not SsoConfig.objects.exists()


def test_the_connection_check_shows_the_providers_endpoints(
    acme: Organization, ada: Person, identity_provider: IdentityProvider
) -> None:
    response = client_for(ada).post(
        SETTINGS, _form(issuer=identity_provider.issuer + "/", action="check")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The identity provider answered" in page
    assert f"{identity_provider.issuer}/authorize/" in page
    assert f"{identity_provider.issuer}/token/" in page
    assert not SsoConfig.objects.exists()


def test_the_connection_check_explains_a_wrong_issuer(
    acme: Organization, ada: Person, identity_provider: IdentityProvider
) -> None:
    client = client_for(ada)
    wrong_path = client.post(SETTINGS, _form(issuer=identity_provider.base_url, action="check"))
    assert "answered with HTTP status 404" in wrong_path.content.decode()
    nobody = client.post(SETTINGS, _form(issuer=f"http://127.0.0.1:{_free_port()}", action="check"))
    assert "cannot be reached" in nobody.content.decode()


def test_the_connection_check_refuses_private_addresses(
    settings: Any, acme: Organization, ada: Person
) -> None:
    settings.RAPPORT_ALLOW_PRIVATE_URLS = False
    response = client_for(ada).post(SETTINGS, _form(issuer="https://127.0.0.1", action="check"))
    assert response.status_code == 400
    assert "private or local network" in response.content.decode()


def test_start_prefills_the_address() -> None:
    page = Client().get(START, {"email": "ravi@acme.test"}).content.decode()
    assert 'value="ravi@acme.test"' in page
    assert "Sign in with single sign-on" in page


@pytest.mark.parametrize(
    ("email", "error"),
    [
        ("", "Enter your work email"),
        ("not an address", "Enter a valid email address"),
        ("someone@nosso.test", "No organization uses single sign-on for this address"),
    ],
)
def test_start_explains_what_is_wrong(db: None, email: str, error: str) -> None:
    response = Client().post(START, {"email": email})
    assert response.status_code == 400
    assert error in response.content.decode()


def test_start_refuses_a_domain_whose_sso_is_off(acme: Organization) -> None:
    sso_config(acme, enabled=False)
    response = Client().post(START, {"email": "ravi@acme.test"})
    assert response.status_code == 400
    assert "No organization uses single sign-on" in response.content.decode()


def test_start_sends_the_person_to_their_organizations_provider(
    acme: Organization, identity_provider: IdentityProvider
) -> None:
    sso_config(acme, issuer=identity_provider.issuer, client_id=identity_provider.client_id)
    response = Client().post(START, {"email": "Ravi@Acme.test"})
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert (
        f"{target.scheme}://{target.netloc}{target.path}"
        == f"{identity_provider.issuer}/authorize/"
    )
    query = parse_qs(target.query)
    assert query["client_id"] == [identity_provider.client_id]
    assert query["login_hint"] == ["ravi@acme.test"]
    assert query["redirect_uri"] == [
        f"http://testserver/accounts/oidc/{SSO_PROVIDER_ID}/login/callback/"
    ]
    assert set(query["scope"][0].split()) == {"openid", "email", "profile"}
    assert query["code_challenge_method"] == ["S256"]


def test_start_says_when_the_provider_is_down(acme: Organization) -> None:
    sso_config(acme, issuer=f"http://127.0.0.1:{_free_port()}")
    response = Client().post(START, {"email": "ravi@acme.test"})
    assert response.status_code == 502
    assert "identity provider cannot be reached" in response.content.decode()


def test_start_needs_the_csrf_token(acme: Organization) -> None:
    response = Client(enforce_csrf_checks=True).post(START, {"email": "ravi@acme.test"})
    assert response.status_code == 403


def test_organizations_are_not_listed_as_providers(acme: Organization) -> None:
    """allauth lists providers on its pages: that must not reveal who uses Rapport."""
    sso_config(acme)
    adapter = get_adapter()
    assert adapter.list_providers(None) == []
    assert adapter.list_apps(None, provider="openid_connect") == []
    [app] = adapter.list_apps(None, provider=SSO_PROVIDER_ID)
    assert app.pk is None
    assert app.secret == "s3cret"
    assert app.settings["server_url"] == "https://idp.acme.test"
    assert adapter.list_apps(None, provider=SSO_PROVIDER_ID, client_id="other") == []
    SsoConfig.objects.update(enabled=False)
    assert adapter.list_apps(None, provider=SSO_PROVIDER_ID) == []


def test_allauths_login_url_of_a_disabled_organization_is_not_found(acme: Organization) -> None:
    sso_config(acme, enabled=False)
    url = reverse("openid_connect_login", kwargs={"provider_id": SSO_PROVIDER_ID})
    assert Client().post(url).status_code == 404
    assert Client().post(url.replace(SSO_PROVIDER_ID, "org-nothex")).status_code == 404


def test_only_the_start_page_may_send_its_form_to_another_origin(db: None) -> None:
    """The POST of /sso/ is redirected to the provider; CSP form-action covers that redirect."""
    start = Client().get(START)["Content-Security-Policy"]
    assert "form-action 'self' https: http:" in start
    login = Client().get(reverse("account_login"))["Content-Security-Policy"]
    assert "form-action 'self';" in login + ";"
    assert "https:" not in login.split("form-action")[1].split(";")[0]


def test_a_callback_without_a_started_sign_in_is_a_clear_error(acme: Organization) -> None:
    sso_config(acme)
    url = reverse("openid_connect_callback", kwargs={"provider_id": SSO_PROVIDER_ID})
    response = Client().get(url, {"code": "x", "state": "forged"})
    assert response.status_code == 400
    assert "Single sign-on did not work" in response.content.decode()

"""Single sign-on rules without a provider: who may come in, settings, issuer safety."""

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError

from activity.models import Activity
from lib.secrets import decrypt
from people.models import Organization, Person
from sso.models import SsoConfig
from sso.services import (
    Refused,
    email_is_verified,
    name_from_claims,
    normalize_issuer,
    sso_config_for_email,
    sso_config_save,
    sso_decide,
    validate_issuer_url,
)
from tests.conftest import make_person
from tests.sso.conftest import sso_config


def _claims(email: str = "new@acme.test", **more: Any) -> dict[str, Any]:
    return {"sub": "1", "email": email, "email_verified": True, "name": "Nia New", **more}


def _reason(**kwargs: Any) -> str:
    with pytest.raises(Refused) as refused:
        sso_decide(**kwargs)
    return refused.value.reason


def test_an_active_person_of_the_organization_is_let_in(acme: Organization, ravi: Person) -> None:
    config = sso_config(acme)
    decision = sso_decide(config=config, claims=_claims("RAVI@acme.test"), linked=None)
    assert decision.person == ravi
    assert decision.email == "ravi@acme.test"


def test_an_unknown_address_needs_jit(acme: Organization) -> None:
    assert _reason(config=sso_config(acme), claims=_claims(), linked=None) == "not_invited"
    acme.sso_config.allow_jit = True
    decision = sso_decide(config=acme.sso_config, claims=_claims(), linked=None)
    assert decision.person is None


def test_every_refusal(acme: Organization, globex: Organization, ada: Person) -> None:
    config = sso_config(acme, allow_jit=True)
    make_person(globex, "moved@acme.test", "Mo")
    left = make_person(acme, "left@acme.test", "Left", is_active=False)
    assert _reason(config=config, claims=_claims(email_verified=False), linked=None) == "unverified"
    assert (
        _reason(config=config, claims=_claims(email_verified="false"), linked=None) == "unverified"
    )
    assert _reason(config=config, claims={"sub": "1"}, linked=None) == "no_email"
    assert (
        _reason(config=config, claims=_claims("x@acme.test.evil"), linked=None) == "outside_domains"
    )
    assert (
        _reason(config=config, claims=_claims("x@sub.acme.test"), linked=None) == "outside_domains"
    )
    assert _reason(config=config, claims=_claims("moved@acme.test"), linked=None) == "other_org"
    assert _reason(config=config, claims=_claims("left@acme.test"), linked=None) == "deactivated"
    # Already connected: the connected person counts, whatever address the provider sends now.
    assert _reason(config=config, claims=_claims(), linked=left) == "deactivated"


def test_a_secondary_address_of_someone_elses_account_is_not_reused(
    acme: Organization, globex: Organization
) -> None:
    otto = make_person(globex, "otto@globex.test", "Otto")
    EmailAddress.objects.create(user=otto, email="otto@acme.test", verified=True)
    config = sso_config(acme, allow_jit=True)
    assert _reason(config=config, claims=_claims("otto@acme.test"), linked=None) == "other_org"


def test_verification_claims() -> None:
    assert email_is_verified({"email_verified": True})
    assert email_is_verified({"email_verified": "true"})
    # Microsoft Entra ID: "email domain owner verified", an optional claim.
    assert email_is_verified({"xms_edov": True})
    assert not email_is_verified({})
    assert not email_is_verified({"email_verified": 1})


def test_names_come_from_the_claims() -> None:
    assert name_from_claims({"name": " Ada L "}, "a@x.test") == "Ada L"
    assert name_from_claims({"given_name": "Ada", "family_name": "L"}, "a@x.test") == "Ada L"
    assert name_from_claims({}, "ada.l@x.test") == "ada.l"
    assert len(name_from_claims({"name": "x" * 500}, "a@x.test")) == 200


def test_issuers_are_normalized() -> None:
    assert normalize_issuer(" https://x.okta.com/ ") == "https://x.okta.com"
    assert (
        normalize_issuer(
            "https://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration"
        )
        == "https://login.microsoftonline.com/t/v2.0"
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://idp.example.com",
        "https://127.0.0.1/o",
        "https://10.1.2.3",
        "https://[::1]/",
        "https://169.254.169.254/latest",
        "https://user:pw@idp.example.com",
        "https://idp.example.com/?a=1",
        "ftp://idp.example.com",
        "idp.example.com",
    ],
)
def test_private_or_plain_http_issuers_are_refused(settings: Any, url: str) -> None:
    settings.RAPPORT_ALLOW_PRIVATE_URLS = False
    with pytest.raises(ValidationError):
        validate_issuer_url(url)


def test_the_operator_can_allow_a_provider_on_the_local_network(settings: Any) -> None:
    settings.RAPPORT_ALLOW_PRIVATE_URLS = True
    validate_issuer_url("http://127.0.0.1:8001/o")


def test_saving_encrypts_the_secret_and_keeps_it_when_left_blank(
    acme: Organization, ada: Person
) -> None:
    config = sso_config_save(
        actor=ada,
        organization=acme,
        issuer="https://idp.acme.test/",
        client_id=" rapport ",
        client_secret="first secret",
        enabled=True,
        allow_jit=False,
    )
    assert config.issuer == "https://idp.acme.test"
    assert config.client_id == "rapport"
    assert "first secret" not in config.client_secret_encrypted
    assert decrypt(config.client_secret_encrypted) == "first secret"

    again = sso_config_save(
        actor=ada,
        organization=acme,
        issuer="https://idp.acme.test",
        client_id="rapport",
        client_secret=None,
        enabled=False,
        allow_jit=True,
    )
    assert decrypt(again.client_secret_encrypted) == "first secret"
    assert (again.enabled, again.allow_jit, again.updated_by) == (False, True, ada)
    assert Activity.objects.filter(verb="sso.update", actor=ada).count() == 2


def test_turning_sso_on_needs_a_secret_and_domains(
    acme: Organization, ada: Person, globex: Organization
) -> None:
    args: dict[str, Any] = {"issuer": "https://idp.acme.test", "client_id": "r", "allow_jit": False}
    with pytest.raises(ValidationError, match="client secret"):
        sso_config_save(actor=ada, organization=acme, client_secret="", enabled=True, **args)
    Organization.objects.filter(pk=acme.pk).update(email_domains="")
    acme.refresh_from_db()
    with pytest.raises(ValidationError, match="email domains"):
        sso_config_save(actor=ada, organization=acme, client_secret="s", enabled=True, **args)
    assert not SsoConfig.objects.exists()


def test_only_an_admin_of_the_organization_saves(
    acme: Organization, globex: Organization, maya: Person, ada: Person
) -> None:
    args: dict[str, Any] = {"issuer": "https://idp.test", "client_id": "r", "client_secret": "s"}
    for actor, org in [(maya, acme), (ada, globex)]:
        with pytest.raises(ValidationError):
            sso_config_save(actor=actor, organization=org, enabled=False, allow_jit=False, **args)


def test_the_email_domain_finds_the_organization(acme: Organization, globex: Organization) -> None:
    Organization.objects.filter(pk=globex.pk).update(email_domains="globex.test")
    config = sso_config(acme)
    sso_config(Organization.objects.get(pk=globex.pk), enabled=False)
    assert sso_config_for_email("Someone@ACME-labs.test") == config
    assert sso_config_for_email("someone@acme.test") == config
    assert sso_config_for_email("someone@cme.test") is None
    assert sso_config_for_email("someone@sub.acme.test") is None
    # Globex has SSO, but it is off.
    assert sso_config_for_email("otto@globex.test") is None
    assert sso_config_for_email("nobody") is None


def test_a_domain_two_organizations_claim_sends_nobody_anywhere(
    acme: Organization, globex: Organization
) -> None:
    Organization.objects.filter(pk=globex.pk).update(email_domains="acme.test")
    sso_config(acme)
    sso_config(Organization.objects.get(pk=globex.pk))
    assert sso_config_for_email("ravi@acme.test") is None
    assert sso_config_for_email("ravi@acme-labs.test") == acme.sso_config

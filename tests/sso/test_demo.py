"""The demo's SSO-ready organization (demo/sso.py), loaded by `make run`."""

from django.test import Client
from django.urls import reverse

from demo.sso import SAMPLE_ISSUER, SSO_ORG_NAME, load_sso_demo
from lib.secrets import decrypt
from people.models import Organization
from sso.models import SsoConfig


def test_initech_is_ready_for_sso_but_waits_for_a_real_provider(db: None) -> None:
    lines = load_sso_demo()
    again = load_sso_demo()

    assert lines == again
    assert "irene@initech.example" in lines[1]
    organization = Organization.objects.get(name=SSO_ORG_NAME)
    assert organization.domains() == ["initech.example"]
    config = SsoConfig.objects.get(organization=organization)
    assert (config.issuer, config.enabled, config.allow_jit) == (SAMPLE_ISSUER, False, True)
    assert decrypt(config.client_secret_encrypted)
    assert organization.people.count() == 4

    admin = organization.people.get(is_org_admin=True)
    client = Client()
    client.force_login(admin)
    page = client.get(reverse("sso:settings")).content.decode()
    assert SAMPLE_ISSUER in page
    assert "Status: off" in page
    # Off: the sign-in entry does not send anyone to the sample issuer.
    response = Client().post(reverse("sso:start"), {"email": "samir@initech.example"})
    assert response.status_code == 400

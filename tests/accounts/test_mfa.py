"""TOTP two-factor authentication with recovery codes, and organizations that require it."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from people.models import Organization, Person
from tests.accounts.conftest import sign_in, stored_secret, totp_code, verify
from tests.conftest import client_for
from tests.support.worker import sent_mail

HOME = reverse("meetings:home")
ACTIVATE = reverse("mfa_activate_totp")


def activate_totp(client: Client) -> str:
    """Set up TOTP through the pages like a person with an app would; returns the secret."""
    page = client.get(ACTIVATE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Set up an authenticator app</h1>" in html
    assert 'src="data:image/svg+xml;base64,' in html  # the QR code
    secret = page.context["form"].secret
    assert secret in html
    wrong = client.post(ACTIVATE, {"code": "000000" if totp_code(secret) != "000000" else "1"})
    assert wrong.status_code == 200
    assert "That code is not right" in wrong.content.decode()
    response = client.post(ACTIVATE, {"code": totp_code(secret)})
    assert response.status_code == 302, response.content.decode()[:3000]
    return str(secret)


def signed_in(person: Person) -> Client:
    client = Client()
    assert sign_in(client, verify(person).email).status_code == 302
    return client


# A real commit: allauth sends the notification from an on-commit hook during the request.
@pytest.mark.django_db(transaction=True)
def test_a_person_turns_on_totp_and_then_signs_in_with_a_code(maya: Person) -> None:
    client = signed_in(maya)
    secret = activate_totp(client)
    assert stored_secret(maya) == secret
    stored = Authenticator.objects.get(user=maya, type=Authenticator.Type.TOTP)
    assert secret not in str(stored.data)  # encrypted at rest
    assert "Two-factor authentication is on" in sent_mail()[-1].subject
    assert '<span class="badge">On</span>' in client.get(reverse("mfa_index")).content.decode()

    fresh = Client()
    response = sign_in(fresh, maya.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert fresh.get(HOME).status_code == 302  # not signed in before the code
    page = fresh.get(reverse("mfa_authenticate"))
    assert "<h1>Enter your code</h1>" in page.content.decode()
    wrong = fresh.post(reverse("mfa_authenticate"), {"code": "12345"})
    assert wrong.status_code == 200
    cache.clear()  # the activation code may be this period's code: allauth refuses reuse
    response = fresh.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert fresh.get(HOME).context["user"] == maya


def test_recovery_codes_can_be_seen_downloaded_renewed_and_used_once(maya: Person) -> None:
    client = signed_in(maya)
    activate_totp(client)
    page = client.get(reverse("mfa_view_recovery_codes"))
    assert page.status_code == 200
    codes = page.context["unused_codes"]
    assert len(codes) == 10
    assert all(code in page.content.decode() for code in codes)

    download = client.get(reverse("mfa_download_recovery_codes"))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    text = download.content.decode()
    assert "Rapport recovery codes for maya@acme.test" in text
    assert all(code in text for code in codes)

    assert client.get(reverse("mfa_generate_recovery_codes")).status_code == 200
    response = client.post(reverse("mfa_generate_recovery_codes"))
    assert response.status_code == 302
    new_codes = client.get(reverse("mfa_view_recovery_codes")).context["unused_codes"]
    assert set(new_codes).isdisjoint(codes)

    fresh = Client()
    sign_in(fresh, maya.email)
    old = fresh.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert old.status_code == 200  # the old set no longer works
    assert fresh.post(reverse("mfa_authenticate"), {"code": new_codes[0]}).status_code == 302
    assert fresh.get(HOME).status_code == 200
    again = Client()
    sign_in(again, maya.email)
    assert again.post(reverse("mfa_authenticate"), {"code": new_codes[0]}).status_code == 200


def test_a_person_turns_totp_off(maya: Person) -> None:
    client = signed_in(maya)
    activate_totp(client)
    page = client.get(reverse("mfa_deactivate_totp"))
    assert "<h1>Turn off two-factor authentication</h1>" in page.content.decode()
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=maya).exists()
    assert sign_in(Client(), maya.email)["Location"] == HOME


def require_mfa(organization: Organization | None) -> None:
    assert organization is not None
    organization.require_mfa = True
    organization.save(update_fields=["require_mfa"])


def test_an_organization_that_requires_mfa_sends_its_people_to_set_it_up(
    maya: Person, otto: Person
) -> None:
    require_mfa(maya.organization)
    client = signed_in(maya)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == ACTIVATE
    assert client.get(reverse("growth:goals"))["Location"] == ACTIVATE
    htmx = client.get(HOME, headers={"HX-Request": "true"})
    assert htmx.status_code == 403
    assert htmx["HX-Redirect"] == ACTIVATE
    assert "requires two-factor authentication" in htmx.content.decode()
    # The pages needed on the way stay open.
    for allowed in (ACTIVATE, reverse("account_email"), reverse("mfa_index")):
        assert client.get(allowed).status_code == 200, allowed
    page = client.get(ACTIVATE).content.decode()
    assert "Acme requires two-factor authentication" in page

    activate_totp(client)
    assert client.get(HOME).status_code == 200
    # It cannot be turned off while the organization requires it.
    refused = client.post(reverse("mfa_deactivate_totp"))
    assert refused.status_code == 200
    assert "requires two-factor authentication" in refused.content.decode()
    assert Authenticator.objects.filter(user=maya, type=Authenticator.Type.TOTP).exists()

    # Another organization is not affected.
    assert client_for(otto).get(HOME).status_code == 200


def test_signing_out_stays_possible_when_mfa_is_required(maya: Person) -> None:
    require_mfa(maya.organization)
    client = signed_in(maya)
    assert client.post(reverse("account_logout")).status_code == 302
    assert client.get(HOME)["Location"].startswith(reverse("account_login"))


def test_a_removed_authenticator_is_checked_again(maya: Person) -> None:
    client = signed_in(maya)
    activate_totp(client)
    require_mfa(maya.organization)
    assert client.get(HOME).status_code == 200  # remembered in the session
    Authenticator.objects.filter(user=maya).delete()
    # Removed behind the page's back (an operator): the next new session checks again.
    fresh = signed_in(maya)
    assert fresh.get(HOME)["Location"] == ACTIVATE

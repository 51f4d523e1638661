"""Signing in with email and password: verification, refusals, rate limiting, leaving."""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from accounts.adapter import SIGN_IN_REFUSED
from people.models import Person
from people.services import person_deactivate
from tests.accounts.conftest import link_in_last_mail, sign_in, verify
from tests.conftest import PASSWORD
from tests.support.worker import sent_mail

HOME = reverse("meetings:home")
REFUSED = escape(SIGN_IN_REFUSED)


def test_the_sign_in_page_looks_like_rapport(db: None) -> None:
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Sign in to Rapport</h1>" in html
    assert "pico.min.css" in html  # inside Rapport's base.html
    assert reverse("account_reset_password") in html
    assert "sign up" not in html.lower()


def test_the_old_address_leads_to_the_sign_in_page(db: None) -> None:
    response = Client().get("/login/?next=/goals/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/goals/"


def test_a_verified_person_signs_in_with_email_and_password(maya: Person) -> None:
    verify(maya)
    client = Client()
    response = sign_in(client, "MAYA@acme.test")
    assert response.status_code == 302
    assert response["Location"] == HOME
    assert client.get(HOME).context["user"] == maya


def test_a_wrong_password_is_refused_without_saying_whether_the_account_exists(
    maya: Person,
) -> None:
    verify(maya)
    wrong = sign_in(Client(), maya.email, "not the password")
    unknown = sign_in(Client(), "nobody@acme.test", "not the password")
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert REFUSED in response.content.decode()


def test_an_unverified_person_gets_a_confirmation_email_that_signs_them_in(
    maya: Person,
) -> None:
    EmailAddress.objects.create(user=maya, email=maya.email, verified=False, primary=True)
    client = Client()
    response = sign_in(client, maya.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not client.get(HOME).wsgi_request.user.is_authenticated
    assert len(sent_mail()) == 1
    assert sent_mail()[0].subject == "[Rapport] Confirm your email address"
    assert sent_mail()[0].alternatives  # type: ignore[attr-defined]  # an HTML version too

    confirm = link_in_last_mail(r"/accounts/confirm-email/[^\s]+/")
    assert client.get(confirm).status_code == 200
    response = client.post(confirm)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=maya).verified
    assert client.get(HOME).context["user"] == maya


def test_the_sixth_failed_attempt_in_five_minutes_is_refused_even_with_the_right_password(
    maya: Person,
) -> None:
    verify(maya)
    for _ in range(5):
        response = sign_in(Client(), maya.email, "wrong password")
        assert REFUSED in response.content.decode()
    client = Client()
    response = sign_in(client, maya.email, PASSWORD)
    assert response.status_code == 200
    assert "Too many failed sign-in attempts for this account" in response.content.decode()
    assert not client.get(HOME).wsgi_request.user.is_authenticated
    # Another account is not affected.
    olga = verify(Person.objects.create_user(email="olga2@acme.test", password=PASSWORD, name="O"))
    assert sign_in(Client(), olga.email).status_code == 302


def test_a_deactivated_person_is_refused_like_a_wrong_password(maya: Person, ada: Person) -> None:
    verify(maya)
    person_deactivate(actor=ada, person=maya)
    client = Client()
    response = sign_in(client, maya.email, PASSWORD)
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert not client.get(HOME).wsgi_request.user.is_authenticated


def test_deactivation_ends_an_open_session_at_once(maya: Person, ada: Person) -> None:
    verify(maya)
    client = Client()
    sign_in(client, maya.email)
    assert client.get(HOME).status_code == 200
    person_deactivate(actor=ada, person=maya)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_session_of_a_person_made_inactive_without_the_service_stops_too(maya: Person) -> None:
    """Even if the sessions were not ended, an inactive person is never loaded (the backend)."""
    verify(maya)
    client = Client()
    sign_in(client, maya.email)
    Person.objects.filter(pk=maya.pk).update(is_active=False)
    assert client.get(HOME).status_code == 302


def test_the_sign_up_page_politely_says_accounts_come_by_invitation(db: None) -> None:
    for method in ("get", "post"):
        response = getattr(Client(), method)(reverse("account_signup"))
        assert response.status_code == 200
        assert "Accounts come by invitation" in response.content.decode()


@pytest.mark.parametrize("remember", ["on", ""])
def test_signing_out_ends_the_session(maya: Person, remember: str) -> None:
    verify(maya)
    client = Client()
    sign_in(client, maya.email, remember=remember)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert client.get(HOME).status_code == 302


def test_a_person_without_any_address_record_gets_a_confirmation_email(maya: Person) -> None:
    """People added before accounts (or by an import) have no allauth record yet."""
    assert not EmailAddress.objects.filter(user=maya).exists()
    response = sign_in(Client(), maya.email)
    assert response["Location"] == reverse("account_email_verification_sent")
    assert len(sent_mail()) == 1
    assert sent_mail()[0].to == [maya.email]

"""Accepting an invitation: every state of the link, the password, signing in, SSO."""

from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse
from django.utils.timezone import now

from accounts.models import Invitation
from accounts.services import SentInvitation, invitation_create, invitation_revoke
from people.models import Organization, Person
from people.services import person_add, person_deactivate
from tests.support.worker import sent_mail

HOME = reverse("meetings:home")
NEW = "a long and good passphrase"


@pytest.fixture
def newcomer(acme: Organization, maya: Person) -> Person:
    return person_add(
        organization=acme, email="nina@acme.test", name="Nina Newcomer", password=None, manager=maya
    )


@pytest.fixture
def sent(
    ada: Person, newcomer: Person, django_capture_on_commit_callbacks: object
) -> SentInvitation:
    return invitation_create(actor=ada, person=newcomer, base_url="http://testserver")


def url(sent: SentInvitation) -> str:
    return reverse("accounts:invite", args=[sent.token])


def test_the_page_says_who_invited_whom_where(sent: SentInvitation) -> None:
    response = Client().get(url(sent))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Join Acme on Rapport</h1>" in html
    assert "Ada Admin invited you, Nina Newcomer," in html
    assert "nina@acme.test" in html
    assert "single sign-on" not in html  # Acme has no email domains
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_token_is_stored_only_as_a_digest(sent: SentInvitation) -> None:
    invitation = Invitation.objects.get()
    assert sent.token not in invitation.token_digest
    assert not Invitation.objects.filter(token_digest=sent.token).exists()
    values = [str(v) for v in Invitation.objects.values_list().get()]
    assert all(sent.token not in value for value in values)


def test_accepting_sets_the_password_signs_in_and_opens_my_1on1s(
    sent: SentInvitation, newcomer: Person
) -> None:
    client = Client()
    response = client.post(url(sent), {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    assert response["Location"] == HOME
    page = client.get(HOME)
    assert page.status_code == 200
    assert page.context["user"] == newcomer
    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW)
    assert EmailAddress.objects.get(user=newcomer).verified
    assert Invitation.objects.get().state() == "accepted"
    # The link works once.
    used = Client().get(url(sent))
    assert used.status_code == 404
    assert "ask your organization" in used.content.decode().lower()


@pytest.mark.parametrize(
    ("first", "second", "error"),
    [
        ("short", "short", "too short"),
        ("123456789012", "123456789012", "entirely numeric"),
        ("nina@acme.test", "nina@acme.test", "too similar"),
        (NEW, NEW + "x", "didn’t match"),
        ("", "", "This field is required"),
    ],
)
def test_a_bad_password_is_refused_and_changes_nothing(
    sent: SentInvitation, newcomer: Person, first: str, second: str, error: str
) -> None:
    client = Client()
    response = client.post(url(sent), {"new_password1": first, "new_password2": second})
    assert response.status_code == 200
    assert error in response.content.decode()
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()
    assert Invitation.objects.get().state() == "pending"
    assert client.get(HOME).status_code == 302


def test_an_unknown_token_answers_404_with_a_friendly_page(db: None) -> None:
    response = Client().get(reverse("accounts:invite", args=["nope"]))
    assert response.status_code == 404
    html = response.content.decode()
    assert "This invitation link does not work" in html
    assert "Ask your organization" in html
    assert Client().post(reverse("accounts:invite", args=["x" * 300])).status_code == 404


def test_a_revoked_invitation_answers_404(sent: SentInvitation, ada: Person) -> None:
    invitation_revoke(actor=ada, invitation=sent.invitation)
    assert Client().get(url(sent)).status_code == 404
    response = Client().post(url(sent), {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 404
    assert not Person.objects.get(email="nina@acme.test").has_usable_password()


def test_an_expired_invitation_answers_404(sent: SentInvitation) -> None:
    with time_machine.travel(now() + timedelta(days=15)):
        assert Client().get(url(sent)).status_code == 404


def test_a_newer_invitation_replaces_the_older_link(
    sent: SentInvitation, ada: Person, newcomer: Person
) -> None:
    newer = invitation_create(actor=ada, person=newcomer, base_url="http://testserver")
    assert Client().get(url(sent)).status_code == 404
    assert Client().get(url(newer)).status_code == 200


def test_the_invitation_of_a_person_who_left_answers_404(sent: SentInvitation, ada: Person) -> None:
    person_deactivate(actor=ada, person=sent.invitation.person)
    assert Client().get(url(sent)).status_code == 404


def test_the_emailed_link_opens_the_page(
    ada: Person, newcomer: Person, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        invitation_create(actor=ada, person=newcomer, base_url="http://testserver")
    link = sent_mail()[-1].body.split("http://testserver")[1].split()[0]
    assert Client().get(link).status_code == 200


def test_an_organization_with_email_domains_offers_single_sign_on(
    acme: Organization, sent: SentInvitation
) -> None:
    acme.email_domains = "acme.test"
    acme.save(update_fields=["email_domains"])
    html = Client().get(url(sent)).content.decode()
    assert f'href="{reverse("sso:start")}"' in html
    assert "Sign in with single sign-on" in html


def test_accepting_in_an_organization_that_requires_mfa_leads_to_its_setup(
    acme: Organization, sent: SentInvitation
) -> None:
    acme.require_mfa = True
    acme.save(update_fields=["require_mfa"])
    client = Client()
    client.post(url(sent), {"new_password1": NEW, "new_password2": NEW})
    assert client.get(HOME)["Location"] == reverse("mfa_activate_totp")

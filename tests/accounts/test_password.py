"""Forgotten and changed passwords, by email and in the account pages."""

from django.test import Client
from django.urls import reverse

from people.models import Person
from tests.accounts.conftest import link_in_last_mail, sign_in, verify
from tests.conftest import PASSWORD, client_for
from tests.support.worker import sent_mail

NEW = "a brand new long passphrase"


def test_a_forgotten_password_is_reset_by_email(maya: Person) -> None:
    verify(maya)
    client = Client()
    page = client.get(reverse("account_reset_password"))
    assert "<h1>Reset your password</h1>" in page.content.decode()

    response = client.post(reverse("account_reset_password"), {"email": maya.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert "<h1>Check your email</h1>" in client.get(response["Location"]).content.decode()
    assert len(sent_mail()) == 1
    message = sent_mail()[0]
    assert message.subject == "[Rapport] Choose a new password"
    assert message.to == [maya.email]
    assert "Hello Maya Manager" in message.body
    assert "example.com" not in message.body  # Rapport's voice, not allauth's site greeting
    html_body, kind = message.alternatives[0]  # type: ignore[attr-defined]
    assert kind == "text/html"
    assert "Choose a new password</a>" in html_body

    link = link_in_last_mail(r"/accounts/password/reset/key/[^\s]+/")
    form_page = client.get(link, follow=True)
    assert "<h1>Choose a new password</h1>" in form_page.content.decode()
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    short = client.post(action, {"password1": "short", "password2": "short"})
    assert short.status_code == 200
    assert "too short" in short.content.decode()
    done = client.post(action, {"password1": NEW, "password2": NEW})
    assert done.status_code == 302
    assert "<h1>Password changed</h1>" in client.get(done["Location"]).content.decode()

    maya.refresh_from_db()
    assert maya.check_password(NEW)
    # The link works once.
    again = client.get(link, follow=True)
    assert "Link expired" in again.content.decode()
    assert sign_in(Client(), maya.email, NEW).status_code == 302


def test_asking_for_an_unknown_address_looks_the_same_and_invites_nobody_to_sign_up(
    db: None,
) -> None:
    response = Client().post(reverse("account_reset_password"), {"email": "nobody@acme.test"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert len(sent_mail()) == 1  # allauth tells the address owner, without a sign-up link
    assert "ask your organization's admin for an invitation" in sent_mail()[0].body
    assert "signup" not in sent_mail()[0].body


def test_a_person_changes_their_password_and_is_told_by_email(maya: Person) -> None:
    verify(maya)
    client = Client()
    sign_in(client, maya.email)
    page = client.get(reverse("account_change_password"))
    assert "<h1>Change password</h1>" in page.content.decode()
    wrong = client.post(
        reverse("account_change_password"),
        {"oldpassword": "nope", "password1": NEW, "password2": NEW},
    )
    assert wrong.status_code == 200
    maya.refresh_from_db()
    assert maya.check_password(PASSWORD)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW, "password2": NEW},
    )
    assert response.status_code == 302
    maya.refresh_from_db()
    assert maya.check_password(NEW)
    assert client.get(reverse("meetings:home")).status_code == 200  # still signed in
    notice = sent_mail()[-1]
    assert notice.subject == "[Rapport] Your password was changed"
    assert "Your password was changed." in notice.body
    assert "Was it not you? Reset your password at once" in notice.body


def test_the_email_page_shows_the_address_without_a_way_to_add_another(maya: Person) -> None:
    verify(maya)
    response = client_for(maya).get(reverse("account_email"))
    html = response.content.decode()
    assert response.status_code == 200
    assert maya.email in html
    assert "Confirmed" in html
    assert 'name="action_add"' not in html

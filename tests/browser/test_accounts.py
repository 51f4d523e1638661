"""Accounts in a real browser: signing in, a forgotten password, two-factor, sessions, invites."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from accounts.services import invitation_create
from people.models import Person
from people.services import person_add
from tests.accounts.conftest import stored_secret, totp_code
from tests.browser.conftest import BROWSER_TEST, OpenAs, check_page, verified
from tests.conftest import PASSWORD
from tests.support.worker import sent_mail

pytestmark = BROWSER_TEST

NEW = "a brand new long passphrase"


def heading(page: Page, name: str) -> None:
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()


def fill_sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_the_sign_in_page_refuses_a_wrong_password_clearly(open_as: OpenAs, maya: Person) -> None:
    verified(maya)
    page = open_as(None)
    page.goto("/accounts/login/")
    heading(page, "Sign in to Rapport")
    check_page(page)
    fill_sign_in(page, maya.email, "wrong password")
    expect(page.get_by_role("alert")).to_contain_text("do not match an active Rapport account")
    check_page(page)
    page.goto("/accounts/signup/")
    heading(page, "Accounts come by invitation")
    check_page(page)


def test_a_forgotten_password_is_reset_from_the_emailed_link(open_as: OpenAs, maya: Person) -> None:
    verified(maya)
    page = open_as(None)
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    heading(page, "Reset your password")
    check_page(page)
    page.get_by_label("Email").fill(maya.email)
    page.get_by_role("button", name="Email me a reset link").click()
    heading(page, "Check your email")
    check_page(page)

    body = str(sent_mail()[-1].body)
    link = re.search(r"http://[^\s]+/accounts/password/reset/key/[^\s]+/", body)
    assert link, body
    page.goto(link.group(0))
    heading(page, "Choose a new password")
    check_page(page)
    page.get_by_label("New password", exact=True).fill(NEW)
    page.get_by_label("New password again").fill(NEW)
    page.get_by_role("button", name="Set my new password").click()
    heading(page, "Password changed")
    check_page(page)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Email").fill(maya.email)
    page.get_by_label("Password", exact=True).fill(NEW)
    page.get_by_role("button", name="Sign in").click()
    heading(page, "My 1:1s")


def test_two_factor_is_set_up_and_then_asked_for_at_sign_in(open_as: OpenAs, maya: Person) -> None:
    page = open_as(maya)
    page.get_by_role("link", name="Account", exact=True).click()
    heading(page, "Account and security")
    check_page(page)
    page.get_by_role("link", name="Two-factor authentication").click()
    heading(page, "Two-factor authentication")
    check_page(page)
    page.get_by_role("button", name="Set up an authenticator app").click()
    heading(page, "Set up an authenticator app")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    check_page(page)
    secret = page.get_by_label("Secret key").input_value()
    page.get_by_label("Code from the app").fill("000000" if totp_code(secret) != "000000" else "1")
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page.get_by_text("That code is not right")).to_be_visible()
    check_page(page)
    page.get_by_label("Code from the app").fill(totp_code(secret))
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    heading(page, "Recovery codes")
    check_page(page)
    assert stored_secret(maya) == secret

    other = open_as(None)
    fill_sign_in(other, maya.email, PASSWORD)
    heading(other, "Enter your code")
    check_page(other)
    # The code of the next period: this period's was used to turn two-factor on.
    other.get_by_label("Code").fill(totp_code(secret, step=1))
    other.get_by_role("button", name="Sign in").click()
    expect(other.get_by_role("alert")).to_be_visible()
    cache.clear()  # allow this period's code again (allauth remembers used codes)
    other.get_by_label("Code").fill(totp_code(secret))
    other.get_by_role("button", name="Sign in").click()
    heading(other, "My 1:1s")


def test_the_sessions_page_signs_out_the_other_browsers(open_as: OpenAs, maya: Person) -> None:
    laptop = open_as(maya)
    phone = open_as(maya)
    laptop.goto("/accounts/sessions/")
    heading(laptop, "Where you are signed in")
    expect(laptop.get_by_role("listitem").filter(has_text="Signed in")).to_have_count(2)
    check_page(laptop)
    laptop.get_by_role("button", name="Sign out everywhere else").click()
    expect(laptop.get_by_role("listitem").filter(has_text="Signed in")).to_have_count(1)
    phone.goto("/")
    heading(phone, "Sign in to Rapport")
    laptop.goto("/")
    heading(laptop, "My 1:1s")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_an_invitation_is_accepted_in_the_browser(
    open_as: OpenAs, ada: Person, scheme: str
) -> None:
    nina = person_add(
        organization=ada.organization,  # type: ignore[arg-type]
        email="nina@acme.test",
        name="Nina Newcomer",
        password=None,
    )
    token = invitation_create(actor=ada, person=nina, base_url="http://testserver").token
    page = open_as(None, color_scheme=scheme)  # type: ignore[arg-type]
    page.goto(f"/invite/{token}/")
    heading(page, "Join Acme on Rapport")
    check_page(page)
    page.get_by_label("Choose a password").fill("short")
    page.get_by_label("The same password again").fill("short")
    page.get_by_role("button", name="Set my password and sign in").click()
    expect(page.get_by_text("This password is too short")).to_be_visible()
    check_page(page)
    page.get_by_label("Choose a password").fill(NEW)
    page.get_by_label("The same password again").fill(NEW)
    page.get_by_role("button", name="Set my password and sign in").click()
    heading(page, "My 1:1s")
    page.goto("/invite/not-a-token/")
    heading(page, "This invitation link does not work")
    check_page(page)


def test_the_other_account_pages_pass_axe(open_as: OpenAs, maya: Person) -> None:
    page = open_as(maya)
    for url, name in [
        ("/accounts/password/change/", "Change password"),
        ("/accounts/email/", "Email address"),
        ("/accounts/2fa/", "Two-factor authentication"),
    ]:
        page.goto(url)
        heading(page, name)
        check_page(page)

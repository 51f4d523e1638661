"""The account and security hub, and the Account link in the navigation."""

from allauth.mfa.models import Authenticator
from django.urls import reverse

from people.models import Person
from tests.accounts.conftest import verify
from tests.conftest import client_for


def test_the_hub_links_every_security_page(maya: Person) -> None:
    verify(maya)
    response = client_for(maya).get(reverse("accounts:security"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Account and security</h1>" in html
    for name in (
        "account_change_password",
        "account_email",
        "mfa_index",
        "usersessions_list",
        "people:mydata",
    ):
        assert f'href="{reverse(name)}"' in html, name
    assert "confirmed" in html
    assert "Off: turn it on" in html
    # The navigation leads here, marked as the current page.
    assert f'<a href="{reverse("accounts:security")}" aria-current="page">Account</a>' in html


def test_the_hub_shows_when_two_factor_is_on(maya: Person) -> None:
    Authenticator.objects.create(user=maya, type=Authenticator.Type.TOTP, data={})
    html = client_for(maya).get(reverse("accounts:security")).content.decode()
    assert "On: signing in asks for a code" in html
    assert "not confirmed yet" in html


def test_the_hub_costs_a_fixed_number_of_queries(
    maya: Person, django_assert_num_queries: object
) -> None:
    client = client_for(maya)
    with django_assert_num_queries(4):  # type: ignore[operator]
        client.get(reverse("accounts:security"))

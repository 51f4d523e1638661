"""Demo people can sign in at once: their addresses are confirmed."""

from io import StringIO

from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from demo.org import DEMO_PASSWORD
from people.models import Person
from tests.accounts.conftest import sign_in


def test_demo_people_have_confirmed_addresses_and_sign_in(db: None) -> None:
    call_command("demo_load", stdout=StringIO())
    people = Person.objects.filter(organization__isnull=False)
    assert people.exists()
    confirmed = EmailAddress.objects.filter(verified=True, primary=True, user__in=people)
    assert confirmed.count() == people.count()
    response = sign_in(Client(), people.first().email, DEMO_PASSWORD)  # type: ignore[union-attr]
    assert response["Location"] == reverse("meetings:home")

"""The list of a person's sessions and "sign out everywhere else"."""

from django.test import Client
from django.urls import reverse

from people.models import Person
from tests.accounts.conftest import sign_in, verify

HOME = reverse("meetings:home")


def test_signing_out_everywhere_else_ends_the_other_sessions_only(maya: Person) -> None:
    verify(maya)
    laptop, phone = Client(HTTP_USER_AGENT="Laptop browser"), Client(HTTP_USER_AGENT="Phone")
    sign_in(laptop, maya.email)
    sign_in(phone, maya.email)

    page = laptop.get(reverse("usersessions_list"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<h1>Where you are signed in</h1>" in html
    assert "Laptop browser" in html
    assert "Phone" in html
    assert html.count('class="badge">This device') == 1

    response = laptop.post(reverse("usersessions_list"))
    assert response.status_code == 302
    assert laptop.get(HOME).status_code == 200
    assert phone.get(HOME).status_code == 302
    assert (
        ">Sign out everywhere else</button>"
        not in laptop.get(reverse("usersessions_list")).content.decode()
    )

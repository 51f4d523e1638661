"""The SCIM settings page: base URL, a token shown once, rotation, revocation, last use."""

import re

from django.urls import reverse

from lib.secrets import token_digest
from people.models import Organization, Person
from scim.models import ScimToken
from tests.conftest import client_for
from tests.scim.conftest import ScimClient


def test_the_page_shows_the_base_url_and_no_token_yet(ada: Person) -> None:
    response = client_for(ada).get(reverse("scim:settings"))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<code class="org-email">http://testserver/scim/v2</code>' in page
    assert "No token yet" in page
    assert 'action="/org/scim/tokens/new/"' in page


def test_a_new_token_is_shown_once_and_works(ada: Person, acme: Organization) -> None:
    client = client_for(ada)
    response = client.post(reverse("scim:token_create"))
    assert response.status_code == 200
    match = re.search(r'value="(scim_[^"]+)"', response.content.decode())
    assert match
    secret = match.group(1)
    stored = ScimToken.objects.get(organization=acme)
    assert stored.token_digest == token_digest(secret)
    assert stored.created_by == ada
    again = client.get(reverse("scim:settings")).content.decode()
    assert secret not in again
    assert stored.prefix in again
    assert ScimClient(secret).get("Users").status_code == 200
    assert "Never" not in client.get(reverse("scim:settings")).content.decode()


def test_rotate_replaces_the_token(ada: Person, acme: Organization) -> None:
    client = client_for(ada)
    old = re.search(
        r'value="(scim_[^"]+)"', client.post(reverse("scim:token_create")).content.decode()
    )
    response = client.post(reverse("scim:token_rotate"))
    new = re.search(r'value="(scim_[^"]+)"', response.content.decode())
    assert old
    assert new
    assert old.group(1) != new.group(1)
    assert ScimClient(old.group(1)).get("Users").status_code == 401
    assert ScimClient(new.group(1)).get("Users").status_code == 200


def test_rotate_with_grace_keeps_the_old_token_for_a_while(ada: Person) -> None:
    client = client_for(ada)
    old = re.search(
        r'value="(scim_[^"]+)"', client.post(reverse("scim:token_create")).content.decode()
    )
    response = client.post(reverse("scim:token_rotate"), {"grace": "on"})
    assert old
    assert "Works until" in response.content.decode()
    assert ScimClient(old.group(1)).get("Users").status_code == 200


def test_revoke(ada: Person) -> None:
    client = client_for(ada)
    secret = re.search(
        r'value="(scim_[^"]+)"', client.post(reverse("scim:token_create")).content.decode()
    )
    token = ScimToken.objects.get()
    response = client.post(reverse("scim:token_revoke", args=[token.uuid]), follow=True)
    assert "revoked" in response.content.decode()
    assert secret
    assert ScimClient(secret.group(1)).get("Users").status_code == 401

"""Who may use the single sign-on URLs (namespace sso), for every role.

Rows are (url name, method, target, maya, ravi, olga, ada, otto) like
tests/growth/test_permissions_*.py. Only an org admin (Ada) reaches her own
organization's settings; everyone else gets 404, like a page that does not exist.

"start" (/sso/) is the sign-in entry, used before anyone is signed in: anonymous
visitors get the same answer as everyone else instead of the redirect to the login
page that tests/permissions.py asserts for anonymous visitors, so its rows are checked
here by `_check_public` (the posted address's domain has no SSO: 400 for all).
"""

import pytest
from django.test import Client
from django.urls import reverse

from people.models import Person
from sso.models import SsoConfig
from tests.permissions import ARGS, BAD, GO, NO, OK, ROLES, Row, cases, check

TABLE: list[Row] = [
    # name        method  target  maya  ravi  olga  ada  otto
    ("settings",  "GET",  "",     NO,   NO,   NO,   OK,  NO),
    ("settings",  "POST", "",     NO,   NO,   NO,   GO,  NO),
    ("start",     "GET",  "",     OK,   OK,   OK,   OK,  OK),
    ("start",     "POST", "",     BAD,  BAD,  BAD,  BAD, BAD),
]  # fmt: skip

PUBLIC = {"start"}


def _cases() -> list[pytest.ParameterSet]:
    signed_in = cases([row for row in TABLE if row[0] not in PUBLIC])
    public = [
        pytest.param(name, method, target, role, expected, id=f"{name}-{method}-{role}")
        for name, method, target, *statuses in TABLE
        if name in PUBLIC
        # Anonymous visitors get what the last role gets (the same for everyone).
        for role, expected in zip(ROLES, [*statuses, statuses[-1]], strict=True)
    ]
    return signed_in + public


@pytest.mark.parametrize(ARGS, _cases())
def test_permission(
    maya: Person,
    ravi: Person,
    olga: Person,
    ada: Person,
    otto: Person,
    name: str,
    method: str,
    target: str,
    role: str,
    expected: int,
) -> None:
    people = {"maya": maya, "ravi": ravi, "olga": olga, "ada": ada, "otto": otto}
    actor = people.get(role)
    url = reverse(f"sso:{name}")
    if name in PUBLIC:
        _check_public(actor, method, url, expected)
        return
    data = {
        "issuer": "https://idp.acme.test",
        "client_id": "rapport",
        "client_secret": "s",
        "enabled": "on",
    }
    check(actor, method, url, data, expected)
    saved = SsoConfig.objects.filter(organization=ada.organization).exists()
    assert saved == (actor is not None and method == "POST" and expected == GO)


def _check_public(actor: Person | None, method: str, url: str, expected: int) -> None:
    client = Client()
    if actor is not None:
        client.force_login(actor)
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, {"email": "someone@nosso.test"})
    assert response.status_code == expected


def test_an_admin_changes_only_their_own_organization(ada: Person, otto: Person) -> None:
    otto.is_org_admin = True
    otto.save()
    globex = otto.organization
    assert globex is not None
    globex.email_domains = "globex.test"
    globex.save()
    client = Client()
    client.force_login(otto)
    data = {"issuer": "https://idp.globex.test", "client_id": "g", "client_secret": "s"}
    assert client.post(reverse("sso:settings"), data).status_code == GO
    assert SsoConfig.objects.get().organization == globex
    page = client.get(reverse("sso:settings")).content.decode()
    assert "idp.globex.test" in page
    assert ada.organization is not None
    assert ada.organization.uuid.hex not in page


def test_wrong_method() -> None:
    assert Client().put(reverse("sso:start")).status_code == 405

"""SCIM tokens and isolation: hashed storage, rotation, revocation, org scoping, errors, logs."""

import logging
from collections.abc import Callable
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils.timezone import now
from django.views.debug import SafeExceptionReporterFilter

from people.models import Organization, Person, Team
from scim.models import ScimGroup, ScimToken
from scim.services import token_create, token_revoke, token_rotate
from tests.scim.conftest import ScimClient

ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


def assert_error(response: object, status: int, scim_type: str | None = None) -> None:
    assert response.status_code == status, response.content  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/scim+json"  # type: ignore[index]
    body = response.json()  # type: ignore[attr-defined]
    assert body["schemas"] == [ERROR]
    assert body["status"] == str(status)
    assert body["detail"]
    if scim_type:
        assert body["scimType"] == scim_type


def test_tokens_are_stored_as_digests(acme: Organization, ada: Person) -> None:
    created = token_create(actor=ada, organization=acme)
    assert created.secret.startswith("scim_")
    stored = ScimToken.objects.get()
    assert created.secret not in {stored.token_digest, stored.prefix}
    assert len(stored.token_digest) == 64
    assert created.secret.startswith(stored.prefix)
    assert len(stored.prefix) < 12


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Bearer scim_wrong",
        "Token x",
        "Bearer " + "x" * 500,
    ],
)
def test_without_a_valid_token_it_is_401(acme_token: str, header: str | None) -> None:
    client = Client()
    headers = {} if header is None else {"Authorization": header}
    response = client.get("/scim/v2/Users", headers=headers)
    assert_error(response, 401)
    assert response["WWW-Authenticate"] == 'Bearer realm="SCIM"'


def test_a_revoked_token_stops_at_once(scim: ScimClient, ada: Person) -> None:
    assert scim.get("Users").status_code == 200
    token_revoke(actor=ada, token=ScimToken.objects.get())
    assert_error(scim.get("Users"), 401)


def test_rotation_without_grace_stops_the_old_token_at_once(
    scim: ScimClient, scim_for: Callable[[str], ScimClient], acme: Organization, ada: Person
) -> None:
    new = token_rotate(actor=ada, organization=acme, grace=False)
    assert_error(scim.get("Users"), 401)
    assert scim_for(new.secret).get("Users").status_code == 200


def test_rotation_with_grace_keeps_the_old_token_an_hour(
    scim: ScimClient, scim_for: Callable[[str], ScimClient], acme: Organization, ada: Person
) -> None:
    new = token_rotate(actor=ada, organization=acme, grace=True)
    assert scim.get("Users").status_code == 200
    assert scim_for(new.secret).get("Users").status_code == 200
    with time_machine.travel(now() + timedelta(minutes=61)):
        assert_error(scim.get("Users"), 401)
        assert scim_for(new.secret).get("Users").status_code == 200


def test_last_use_is_recorded(scim: ScimClient) -> None:
    assert ScimToken.objects.get().last_used_at is None
    scim.get("ServiceProviderConfig")
    assert ScimToken.objects.get().last_used_at is not None


def test_another_organization_is_invisible(
    globex_scim: ScimClient, maya: Person, ravi: Person, acme: Organization, otto: Person
) -> None:
    team = Team.objects.create(organization=acme, name="Platform")
    group = ScimGroup.objects.create(team=team)
    listed = globex_scim.get("Users").json()
    assert [u["userName"] for u in listed["Resources"]] == ["otto@globex.test"]
    assert globex_scim.get('Users?filter=userName eq "ravi@acme.test"').json()["totalResults"] == 0
    assert_error(globex_scim.get(f"Users/{ravi.uuid}"), 404)
    assert_error(globex_scim.put(f"Users/{ravi.uuid}", {"userName": "ravi@acme.test"}), 404)
    assert_error(
        globex_scim.patch(f"Users/{ravi.uuid}", {"op": "replace", "path": "title", "value": "x"}),
        404,
    )
    assert_error(globex_scim.delete(f"Users/{ravi.uuid}"), 404)
    assert globex_scim.get("Groups").json()["totalResults"] == 0
    assert_error(globex_scim.get(f"Groups/{group.uuid}"), 404)
    ravi.refresh_from_db()
    assert ravi.is_active
    assert ravi.title == ""


def test_another_organizations_people_cannot_be_referenced(
    globex_scim: ScimClient, maya: Person, otto: Person
) -> None:
    refused = globex_scim.patch(
        f"Users/{otto.uuid}",
        {
            "op": "replace",
            "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
            "value": {"value": str(maya.uuid)},
        },
    )
    assert_error(refused, 400, "invalidValue")
    group = globex_scim.post(
        "Groups",
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "displayName": "G",
            "members": [{"value": str(maya.uuid)}],
        },
    )
    assert_error(group, 400, "invalidValue")
    assert not Team.objects.exists()


def test_another_organizations_groups_are_404(
    scim: ScimClient, globex_scim: ScimClient, ravi: Person, otto: Person
) -> None:
    created = scim.post(
        "Groups",
        {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Platform"},
    ).json()
    assert_error(globex_scim.get(f"Groups/{created['id']}"), 404)
    assert_error(globex_scim.delete(f"Groups/{created['id']}"), 404)
    assert Team.objects.filter(name="Platform").exists()


def test_error_format_on_every_path(scim: ScimClient, ravi: Person) -> None:
    assert_error(scim.get("Nothing/here"), 404)
    assert_error(scim.get("/scim/v2/"), 404)
    assert_error(scim.get("Users/not-a-uuid"), 404)
    assert_error(scim.get("Users/00000000-0000-0000-0000-000000000000"), 404)
    assert_error(scim.get("Schemas/urn:nothing"), 404)
    assert_error(scim.get("ResourceTypes/Nothing"), 404)
    assert_error(scim.delete("ServiceProviderConfig"), 405)
    assert scim.delete("ServiceProviderConfig")["Allow"] == "GET"
    assert_error(scim.call("PATCH", "Users", {}), 405)
    assert_error(scim.post("Users", "{not json"), 400, "invalidSyntax")
    assert_error(scim.post("Users", "[1, 2]"), 400, "invalidSyntax")
    assert_error(scim.post("Users", b"\xff\xfe"), 400, "invalidSyntax")
    assert_error(scim.post("Users", {"userName": 5}), 400, "invalidValue")
    assert_error(scim.post("Users", "x" * 1_000_001), 413)
    assert_error(
        scim.post("Users", "userName=x", content_type="application/x-www-form-urlencoded"), 415
    )
    assert_error(scim.get("Users?filter=userName eq"), 400, "invalidFilter")
    assert_error(scim.get("Users?attributes=nope.nope.nope"), 400, "invalidValue")
    assert_error(scim.post("/scim/v2/.search", {}), 501)


def test_the_token_never_reaches_the_logs(
    acme_token: str, caplog: pytest.LogCaptureFixture, ravi: Person
) -> None:
    client = Client()
    headers = {"Authorization": f"Bearer {acme_token}"}
    with caplog.at_level(logging.DEBUG):
        client.get("/scim/v2/Nothing", headers=headers)
        client.post("/scim/v2/Users", "{bad", content_type="application/scim+json", headers=headers)
        response = client.get("/scim/v2/Users", headers=headers)
    assert acme_token not in caplog.text
    assert all(acme_token not in str(getattr(r, "request", "")) for r in caplog.records)
    # Error reports (mail to ADMINS, debug pages) filter the request headers like this.
    meta = SafeExceptionReporterFilter().get_safe_request_meta(response.wsgi_request)
    assert acme_token not in str(meta)
    assert acme_token not in response.content.decode()


def test_hostile_input_is_a_clear_400(scim: ScimClient, ravi: Person) -> None:
    assert_error(scim.post("Users", {"userName": "a\x00b@acme.test"}), 400, "invalidValue")
    assert_error(scim.post("Users", "[" * 100_000 + "]" * 100_000), 400, "invalidSyntax")
    assert_error(scim.get('Users?filter=userName eq "a%00b"'), 400, "invalidFilter")
    assert_error(scim.get("Users?filter=" + "x" * 3000), 400, "invalidFilter")
    huge = scim.get(f"Users?startIndex={10**30}")
    assert huge.status_code == 200
    assert huge.json()["Resources"] == []

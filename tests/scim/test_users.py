"""SCIM Users: create, read, replace, patch, delete, and what each does to the person."""

from typing import Any

from meetings.models import Relationship
from people.models import Organization, Person
from scim.models import ScimUser
from tests.scim.conftest import ScimClient

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def user_body(email: str = "nia@acme.test", **extra: Any) -> dict[str, Any]:
    return {
        "schemas": [USER],
        "userName": email,
        "name": {"givenName": "Nia", "familyName": "New"},
        "emails": [{"value": email, "type": "work", "primary": True}],
        "active": True,
        **extra,
    }


def create(scim: ScimClient, email: str = "nia@acme.test", **extra: Any) -> dict[str, Any]:
    response = scim.post("Users", user_body(email, **extra))
    assert response.status_code == 201, response.content
    return dict(response.json())


def test_it_creates_a_person(scim: ScimClient, acme: Organization) -> None:
    response = scim.post("Users", user_body(title="Engineer", externalId="okta-1"))
    assert response.status_code == 201, response.content
    body = response.json()
    person = Person.objects.get(email="nia@acme.test")
    assert person.organization == acme
    assert person.name == "Nia New"
    assert person.title == "Engineer"
    assert person.external_id == "okta-1"
    assert person.timezone == "UTC"
    assert person.is_active
    assert not person.has_usable_password()
    assert body["id"] == str(person.uuid)
    assert body["userName"] == "nia@acme.test"
    assert body["name"] == {"formatted": "Nia New", "givenName": "Nia", "familyName": "New"}
    assert body["meta"]["resourceType"] == "User"
    assert response["Location"] == body["meta"]["location"]
    assert body["meta"]["location"] == f"http://testserver/scim/v2/Users/{person.uuid}"
    assert response["Content-Type"] == "application/scim+json"


def test_it_accepts_plain_json_too(scim: ScimClient) -> None:
    response = scim.post("Users", user_body(), content_type="application/json")
    assert response.status_code == 201


def test_a_username_that_is_not_an_address_needs_an_email(scim: ScimClient) -> None:
    body = user_body(userName="njones")
    response = scim.post("Users", body)
    assert response.status_code == 201
    assert response.json()["userName"] == "njones"
    assert Person.objects.get(email="nia@acme.test").scim.user_name == "njones"
    assert scim.get('Users?filter=userName eq "NJONES"').json()["totalResults"] == 1

    refused = scim.post("Users", {"schemas": [USER], "userName": "nomail"})
    assert refused.status_code == 400
    assert refused.json()["scimType"] == "invalidValue"


def test_it_refuses_a_taken_user_name(scim: ScimClient, maya: Person, otto: Person) -> None:
    for email in ("maya@acme.test", "MAYA@acme.test", "otto@globex.test"):
        response = scim.post("Users", user_body(email))
        assert response.status_code == 409
        assert response.json()["scimType"] == "uniqueness"
    assert Person.objects.count() == 3  # maya, otto, and ada who made the token


def test_it_refuses_bad_values_and_changes_nothing(scim: ScimClient) -> None:
    for extra in (
        {"timezone": "Mars/Olympus"},
        {"title": "x" * 201},
        {"emails": [{"value": "not an address", "primary": True}]},
        {ENTERPRISE: {"manager": {"value": "00000000-0000-0000-0000-000000000000"}}},
        {"active": "maybe"},
        {"name": "Nia"},
    ):
        response = scim.post("Users", user_body(**extra))
        assert response.status_code == 400, (extra, response.content)
        assert response.json()["scimType"] == "invalidValue"
    assert not Person.objects.filter(email="nia@acme.test").exists()


def test_it_ignores_attributes_it_does_not_serve(scim: ScimClient) -> None:
    body = user_body(phoneNumbers=[{"value": "+1 555"}], locale="en-US")
    body["name"]["middleName"] = "Q"
    assert scim.post("Users", body).status_code == 201


def test_it_reads_a_person_made_in_the_app(scim: ScimClient, ravi: Person, maya: Person) -> None:
    body = scim.get(f"Users/{ravi.uuid}").json()
    assert body["userName"] == "ravi@acme.test"
    assert body["displayName"] == "Ravi Report"
    assert body["name"]["givenName"] == "Ravi"
    assert body["timezone"] == "Europe/Berlin"
    assert body["emails"] == [{"value": "ravi@acme.test", "type": "work", "primary": True}]
    assert body[ENTERPRISE]["manager"] == {
        "value": str(maya.uuid),
        "$ref": f"http://testserver/scim/v2/Users/{maya.uuid}",
    }
    asked = scim.get(f"Users/{ravi.uuid}?attributes={ENTERPRISE}:manager.displayName").json()
    assert asked[ENTERPRISE]["manager"]["displayName"] == "Maya Manager"


def test_attributes_and_excluded_attributes(scim: ScimClient, ravi: Person) -> None:
    only = scim.get(f"Users/{ravi.uuid}?attributes=title,userName").json()
    assert "userName" in only
    assert "emails" not in only
    assert "id" in only
    without = scim.get(f"Users/{ravi.uuid}?excludedAttributes=emails").json()
    assert "emails" not in without
    assert "userName" in without


def test_put_replaces_the_person(scim: ScimClient, maya: Person, olga: Person) -> None:
    extra = {"title": "Engineer", ENTERPRISE: {"manager": {"value": str(maya.uuid)}}}
    created = create(scim, "nia@acme.test", **extra)
    body = user_body(
        "nia.new@acme.test",
        name={"formatted": "Nia Newer"},
        timezone="Europe/Paris",
        **{ENTERPRISE: {"manager": {"value": str(olga.uuid)}}},
    )
    response = scim.put(f"Users/{created['id']}", body)
    assert response.status_code == 200, response.content
    person = Person.objects.get(uuid=created["id"])
    assert person.email == "nia.new@acme.test"
    assert person.name == "Nia Newer"
    assert person.title == ""  # not sent: cleared
    assert person.timezone == "Europe/Paris"
    assert person.manager == olga


def test_put_without_the_enterprise_extension_keeps_the_manager(
    scim: ScimClient, maya: Person, ravi: Person
) -> None:
    response = scim.put(f"Users/{ravi.uuid}", user_body("ravi@acme.test"))
    assert response.status_code == 200
    ravi.refresh_from_db()
    assert ravi.manager == maya


def test_patch_with_paths(scim: ScimClient, maya: Person) -> None:
    created = create(scim)
    response = scim.patch(
        f"Users/{created['id']}",
        {"op": "replace", "path": "title", "value": "Lead"},
        {"op": "replace", "path": 'emails[type eq "work"].value', "value": "nia2@acme.test"},
        {"op": "add", "path": "name.givenName", "value": "Niamh"},
        {"op": "add", "path": f"{ENTERPRISE}:manager", "value": {"value": str(maya.uuid)}},
        {"op": "remove", "path": "externalId"},
    )
    assert response.status_code == 200, response.content
    person = Person.objects.get(uuid=created["id"])
    assert (person.title, person.email, person.name) == ("Lead", "nia2@acme.test", "Niamh New")
    assert person.manager == maya
    assert response.json()["emails"][0]["value"] == "nia2@acme.test"


def test_patch_without_path_like_okta(scim: ScimClient) -> None:
    created = create(scim)
    response = scim.patch(
        f"Users/{created['id']}",
        {
            "op": "replace",
            "value": {"title": "Chef", "name": {"givenName": "N", "familyName": "W"}},
        },
    )
    assert response.status_code == 200, response.content
    person = Person.objects.get(uuid=created["id"])
    assert (person.title, person.name) == ("Chef", "N W")


def test_patch_like_entra_id(scim: ScimClient, maya: Person) -> None:
    """Entra ID capitalizes op, sends booleans as strings and the manager as a bare id."""
    created = create(scim)
    response = scim.patch(
        f"Users/{created['id']}",
        {"op": "Replace", "path": "active", "value": "False"},
        {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": str(maya.uuid)},
    )
    assert response.status_code == 200, response.content
    person = Person.objects.get(uuid=created["id"])
    assert not person.is_active


def test_patch_errors_change_nothing(scim: ScimClient) -> None:
    created = create(scim, title="Engineer")
    for operations in (
        [
            {"op": "replace", "path": "title", "value": "X"},
            {"op": "replace", "path": "timezone", "value": "Nowhere"},
        ],
        [{"op": "frobnicate", "path": "title", "value": "X"}],
        [{"op": "replace", "path": "groups", "value": [{"value": "x"}]}],
        [],
    ):
        response = scim.patch(f"Users/{created['id']}", *operations)
        assert response.status_code == 400, (operations, response.content)
        assert response.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert Person.objects.get(uuid=created["id"]).title == "Engineer"


def test_a_manager_change_archives_the_old_one_on_one(
    scim: ScimClient, one_on_one: Relationship, ravi: Person, olga: Person
) -> None:
    response = scim.patch(
        f"Users/{ravi.uuid}",
        {"op": "replace", "path": f"{ENTERPRISE}:manager", "value": {"value": str(olga.uuid)}},
    )
    assert response.status_code == 200, response.content
    one_on_one.refresh_from_db()
    ravi.refresh_from_db()
    assert ravi.manager == olga
    assert one_on_one.status == Relationship.Status.ENDED
    assert one_on_one.end_reason == Relationship.EndReason.MANAGER_CHANGE


def test_removing_the_manager_archives_the_one_on_one(
    scim: ScimClient, one_on_one: Relationship, ravi: Person
) -> None:
    response = scim.patch(f"Users/{ravi.uuid}", {"op": "remove", "path": f"{ENTERPRISE}:manager"})
    assert response.status_code == 200
    ravi.refresh_from_db()
    one_on_one.refresh_from_db()
    assert ravi.manager is None
    assert one_on_one.end_reason == Relationship.EndReason.MANAGER_CHANGE


def test_a_manager_loop_is_refused(scim: ScimClient, maya: Person, ravi: Person) -> None:
    response = scim.patch(
        f"Users/{maya.uuid}",
        {"op": "replace", "path": f"{ENTERPRISE}:manager.value", "value": str(ravi.uuid)},
    )
    assert response.status_code == 400
    maya.refresh_from_db()
    assert maya.manager is None


def test_deactivation_ends_one_on_ones_and_reactivation_lets_back_in(
    scim: ScimClient, one_on_one: Relationship, ravi: Person
) -> None:
    response = scim.patch(f"Users/{ravi.uuid}", {"op": "replace", "value": {"active": False}})
    assert response.status_code == 200
    assert response.json()["active"] is False
    ravi.refresh_from_db()
    one_on_one.refresh_from_db()
    assert not ravi.is_active
    assert ravi.deactivated_at is not None
    assert one_on_one.end_reason == Relationship.EndReason.LEFT

    assert (
        scim.patch(
            f"Users/{ravi.uuid}", {"op": "replace", "path": "active", "value": True}
        ).status_code
        == 200
    )
    assert Person.objects.get(pk=ravi.pk).is_active
    one_on_one.refresh_from_db()
    assert one_on_one.status == Relationship.Status.ENDED  # ended 1:1s stay ended


def test_delete_deactivates_and_hides_and_keeps_the_data(
    scim: ScimClient, one_on_one: Relationship, ravi: Person
) -> None:
    assert scim.delete(f"Users/{ravi.uuid}").status_code == 204
    ravi.refresh_from_db()
    assert not ravi.is_active
    assert Relationship.objects.filter(pk=one_on_one.pk).exists()
    missing = scim.get(f"Users/{ravi.uuid}")
    assert missing.status_code == 404
    assert missing.json()["status"] == "404"
    assert scim.delete(f"Users/{ravi.uuid}").status_code == 404
    assert scim.get('Users?filter=userName eq "ravi@acme.test"').json()["totalResults"] == 0


def test_a_deleted_person_comes_back_with_a_new_post(scim: ScimClient, ravi: Person) -> None:
    scim.delete(f"Users/{ravi.uuid}")
    response = scim.post("Users", user_body("ravi@acme.test", name={"formatted": "Ravi Back"}))
    assert response.status_code == 201, response.content
    assert response.json()["id"] == str(ravi.uuid)
    ravi.refresh_from_db()
    assert ravi.is_active
    assert ravi.name == "Ravi Back"
    assert ScimUser.objects.get(person=ravi).deleted_at is None
    assert scim.get(f"Users/{ravi.uuid}").status_code == 200

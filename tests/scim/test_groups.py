"""SCIM Groups are teams; a person is in at most one team, so joining a group moves them."""

from typing import Any

from people.models import Organization, Person, Team
from tests.scim.conftest import ScimClient

GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"


def group_body(name: str, *members: Person, **extra: Any) -> dict[str, Any]:
    return {
        "schemas": [GROUP],
        "displayName": name,
        "members": [{"value": str(p.uuid)} for p in members],
        **extra,
    }


def test_it_creates_a_team_with_members(
    scim: ScimClient, acme: Organization, ravi: Person, maya: Person
) -> None:
    response = scim.post("Groups", group_body("Platform", ravi, maya, externalId="okta-g1"))
    assert response.status_code == 201, response.content
    team = Team.objects.get(organization=acme, name="Platform")
    assert team.external_id == "okta-g1"
    assert set(team.members.all()) == {ravi, maya}
    body = response.json()
    assert body["id"] == str(team.scim.uuid)
    assert sorted(m["value"] for m in body["members"]) == sorted([str(ravi.uuid), str(maya.uuid)])
    assert response["Location"].endswith(f"/scim/v2/Groups/{team.scim.uuid}")
    user = scim.get(f"Users/{ravi.uuid}").json()
    assert user["groups"] == [
        {"value": str(team.scim.uuid), "$ref": body["meta"]["location"], "display": "Platform"}
    ]


def test_adding_a_member_moves_them_from_their_previous_team(
    scim: ScimClient, ravi: Person
) -> None:
    first = scim.post("Groups", group_body("Platform", ravi)).json()
    second = scim.post("Groups", group_body("Sales")).json()
    response = scim.patch(
        f"Groups/{second['id']}",
        {"op": "add", "path": "members", "value": [{"value": str(ravi.uuid)}]},
    )
    assert response.status_code == 200, response.content
    ravi.refresh_from_db()
    assert ravi.team is not None
    assert ravi.team.name == "Sales"
    assert "members" not in scim.get(f"Groups/{first['id']}").json()


def test_removing_members(scim: ScimClient, ravi: Person, maya: Person) -> None:
    created = scim.post("Groups", group_body("Platform", ravi, maya)).json()
    response = scim.patch(
        f"Groups/{created['id']}", {"op": "remove", "path": f'members[value eq "{ravi.uuid}"]'}
    )
    assert response.status_code == 200, response.content
    ravi.refresh_from_db()
    maya.refresh_from_db()
    assert ravi.team is None
    assert maya.team is not None
    scim.patch(f"Groups/{created['id']}", {"op": "remove", "path": "members"})
    maya.refresh_from_db()
    assert maya.team is None


def test_put_renames_and_sets_exact_members(scim: ScimClient, ravi: Person, maya: Person) -> None:
    created = scim.post("Groups", group_body("Platform", ravi)).json()
    response = scim.put(f"Groups/{created['id']}", group_body("Platform Team", maya))
    assert response.status_code == 200, response.content
    ravi.refresh_from_db()
    maya.refresh_from_db()
    assert ravi.team is None
    assert maya.team is not None
    assert maya.team.name == "Platform Team"


def test_group_refusals_change_nothing(scim: ScimClient, acme: Organization, ravi: Person) -> None:
    Team.objects.create(organization=acme, name="Sales")
    taken = scim.post("Groups", group_body("sales"))
    assert taken.status_code == 409
    assert taken.json()["scimType"] == "uniqueness"
    for body in (
        group_body(""),
        group_body("X" * 201),
        {"schemas": [GROUP], "displayName": "G", "members": [{"value": "nobody"}]},
        {
            "schemas": [GROUP],
            "displayName": "G",
            "members": [{"value": str(ravi.uuid), "type": "Group"}],
        },
    ):
        response = scim.post("Groups", body)
        assert response.status_code == 400, (body, response.content)
    assert list(Team.objects.values_list("name", flat=True)) == ["Sales"]
    ravi.refresh_from_db()
    assert ravi.team is None


def test_delete_removes_the_team_and_keeps_the_people(scim: ScimClient, ravi: Person) -> None:
    created = scim.post("Groups", group_body("Platform", ravi)).json()
    assert scim.delete(f"Groups/{created['id']}").status_code == 204
    assert not Team.objects.exists()
    ravi.refresh_from_db()
    assert ravi.is_active
    assert ravi.team is None
    assert scim.get(f"Groups/{created['id']}").status_code == 404


def test_teams_made_in_the_app_are_groups(
    scim: ScimClient, acme: Organization, ravi: Person
) -> None:
    team = Team.objects.create(organization=acme, name="Made in the app")
    Person.objects.filter(pk=ravi.pk).update(team=team)
    listed = scim.get("Groups").json()
    assert [g["displayName"] for g in listed["Resources"]] == ["Made in the app"]
    assert listed["Resources"][0]["members"][0]["value"] == str(ravi.uuid)

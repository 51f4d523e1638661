"""SCIM list queries: every filter operator, pagination edges, and pinned query counts."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.models import Organization, Person, Team
from tests.conftest import make_person
from tests.scim.conftest import ScimClient

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def names(scim: ScimClient, query: str) -> list[str]:
    response = scim.get(f"Users?{query}")
    assert response.status_code == 200, response.content
    return sorted(user["userName"] for user in response.json()["Resources"])


@pytest.fixture
def staff(
    maya: Person, ravi: Person, olga: Person, oren: Person, ada: Person, otto: Person
) -> None:
    Person.objects.filter(pk=ravi.pk).update(title="Engineer", external_id="ext-ravi")
    Person.objects.filter(pk=oren.pk).update(is_active=False, title="Designer")


ALL = ["ada@acme.test", "maya@acme.test", "olga@acme.test", "oren@acme.test", "ravi@acme.test"]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('userName eq "RAVI@acme.test"', ["ravi@acme.test"]),
        ('userName ne "ravi@acme.test"', [n for n in ALL if n != "ravi@acme.test"]),
        ('userName co "av"', ["ravi@acme.test"]),
        ('userName sw "o"', ["olga@acme.test", "oren@acme.test"]),
        ('userName ew "a@acme.test"', ["ada@acme.test", "maya@acme.test", "olga@acme.test"]),
        ('userName gt "o"', ["olga@acme.test", "oren@acme.test", "ravi@acme.test"]),
        ('userName ge "olga@acme.test"', ["olga@acme.test", "oren@acme.test", "ravi@acme.test"]),
        ('userName lt "b"', ["ada@acme.test"]),
        ('userName le "ada@acme.test"', ["ada@acme.test"]),
        ("title pr", ["oren@acme.test", "ravi@acme.test"]),
        ('externalId eq "ext-ravi"', ["ravi@acme.test"]),
        ('emails.value eq "maya@acme.test"', ["maya@acme.test"]),
        ('emails[type eq "work" and value co "maya"]', ["maya@acme.test"]),
        ('name.formatted sw "Olga"', ["olga@acme.test"]),
        ('displayName eq "Ada Admin"', ["ada@acme.test"]),
        ("active eq false", ["oren@acme.test"]),
        ('active eq true and title eq "engineer"', ["ravi@acme.test"]),
        ('title eq "Designer" or userName eq "ada@acme.test"', ["ada@acme.test", "oren@acme.test"]),
        (
            'not (userName sw "o") and active eq true',
            ["ada@acme.test", "maya@acme.test", "ravi@acme.test"],
        ),
        ('meta.created gt "2000-01-01T00:00:00Z"', ALL),
        ('meta.lastModified lt "2000-01-01T00:00:00Z"', []),
        ('timezone eq "Europe/Berlin"', ["ravi@acme.test"]),
    ],
)
def test_filter_operators(
    scim: ScimClient, staff: None, expression: str, expected: list[str]
) -> None:
    assert names(scim, f"filter={expression}") == expected


def test_filter_on_manager_and_family_name(scim: ScimClient, maya: Person, ravi: Person) -> None:
    assert names(scim, f'filter={ENTERPRISE}:manager.value eq "{maya.uuid}"') == ["ravi@acme.test"]
    scim.put(
        f"Users/{ravi.uuid}",
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": "ravi@acme.test",
            "name": {"givenName": "Ravi", "familyName": "Report"},
        },
    )
    assert names(scim, 'filter=name.familyName eq "report"') == ["ravi@acme.test"]


@pytest.mark.parametrize(
    "expression",
    [
        "userName eq",
        'userName zz "x"',
        'password eq "x"',
        "active gt true",
        'active eq "yes"',
        'meta.created gt "yesterday"',
        'meta.created co "2020"',
        '(userName eq "x"',
        'urn:example:other:2.0:User:userName eq "x"',
    ],
)
def test_invalid_filters_are_400_invalid_filter(scim: ScimClient, expression: str) -> None:
    response = scim.get(f"Users?filter={expression}")
    assert response.status_code == 400
    body = response.json()
    assert body["scimType"] == "invalidFilter"
    assert body["status"] == "400"


def test_group_filters(scim: ScimClient, acme: Organization, ravi: Person) -> None:
    team = Team.objects.create(organization=acme, name="Platform", external_id="g-1")
    Team.objects.create(organization=acme, name="Sales")
    Person.objects.filter(pk=ravi.pk).update(team=team)
    listed = scim.get('Groups?filter=displayName eq "platform"').json()
    assert [g["displayName"] for g in listed["Resources"]] == ["Platform"]
    by_member = scim.get(f'Groups?filter=members.value eq "{ravi.uuid}"').json()
    assert [g["displayName"] for g in by_member["Resources"]] == ["Platform"]
    assert scim.get('Groups?filter=externalId eq "g-1"').json()["totalResults"] == 1


def page(scim: ScimClient, query: str) -> dict[str, Any]:
    response = scim.get(f"Users?{query}")
    assert response.status_code == 200, response.content
    return dict(response.json())


def test_pagination(scim: ScimClient, staff: None) -> None:
    first = page(scim, "startIndex=1&count=2")
    assert (first["totalResults"], first["startIndex"], first["itemsPerPage"]) == (5, 1, 2)
    second = page(scim, "startIndex=3&count=2")
    last = page(scim, "startIndex=5&count=2")
    seen = [u["id"] for p in (first, second, last) for u in p["Resources"]]
    assert len(seen) == len(set(seen)) == 5
    beyond = page(scim, "startIndex=50")
    assert beyond["totalResults"] == 5
    assert beyond["Resources"] == []
    assert beyond["itemsPerPage"] == 0


def test_pagination_edges(scim: ScimClient, staff: None) -> None:
    below = page(scim, "startIndex=0&count=1")  # startIndex < 1 is 1 (RFC 7644 §3.4.2.4)
    assert below["startIndex"] == 1
    assert below["itemsPerPage"] == 1
    assert page(scim, "startIndex=-5")["startIndex"] == 1
    zero = page(scim, "count=0")
    assert zero["totalResults"] == 5
    assert zero["itemsPerPage"] == 0
    assert zero["Resources"] == []
    assert page(scim, "count=-3")["itemsPerPage"] == 0
    assert page(scim, "count=100000")["itemsPerPage"] == 5
    for bad in ("count=ten", "startIndex=1.5"):
        response = scim.get(f"Users?{bad}")
        assert response.status_code == 400
        assert response.json()["scimType"] == "invalidValue"


def test_count_is_capped_at_max_results(scim: ScimClient, acme: Organization, ada: Person) -> None:
    from scim.resources import MAX_RESULTS

    Person.objects.bulk_create(
        Person(organization=acme, email=f"p{i}@acme.test", name=f"P {i}")
        for i in range(MAX_RESULTS + 5)
    )
    assert page(scim, f"count={MAX_RESULTS + 50}")["itemsPerPage"] == MAX_RESULTS


def test_search_endpoint(scim: ScimClient, staff: None) -> None:
    response = scim.post(
        "Users/.search",
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
            "filter": 'userName sw "o"',
            "attributes": ["userName"],
            "count": 1,
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["totalResults"] == 2
    assert len(body["Resources"]) == 1
    assert set(body["Resources"][0]) <= {"id", "userName", "schemas"}
    everything = scim.post(
        "/scim/v2/.search", {"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"]}
    )
    assert everything.status_code == 501


def _queries(scim: ScimClient, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert scim.get(url).status_code == 200
    return len(captured.captured_queries)


def test_list_query_counts_do_not_grow(scim: ScimClient, acme: Organization, maya: Person) -> None:
    team = Team.objects.create(organization=acme, name="Platform")
    for i in range(3):
        make_person(acme, f"a{i}@acme.test", f"A {i}", manager=maya, team=team)
    scim.get("Users")  # gives the team its SCIM id once
    users, groups = _queries(scim, "Users"), _queries(scim, "Groups")
    for i in range(10):
        extra = Team.objects.create(organization=acme, name=f"T{i}")
        make_person(acme, f"b{i}@acme.test", f"B {i}", manager=maya, team=extra)
    scim.get("Users")
    assert _queries(scim, "Users") == users
    assert _queries(scim, "Groups") == groups


def test_list_query_counts_are_pinned(
    scim: ScimClient, acme: Organization, maya: Person, django_assert_num_queries: Any
) -> None:
    team = Team.objects.create(organization=acme, name="Platform")
    for i in range(3):
        make_person(acme, f"a{i}@acme.test", f"A {i}", manager=maya, team=team)
    scim.get("Groups")
    # token, teams lacking a SCIM id, count, page (last use was written a moment ago)
    with django_assert_num_queries(4):
        assert scim.get("Users").status_code == 200
    # token, teams lacking a SCIM id, count, page, members
    with django_assert_num_queries(5):
        assert scim.get("Groups").status_code == 200


def test_the_api_needs_no_csrf_token(acme_token: str) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/scim/v2/Groups",
        '{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "G"}',
        content_type="application/scim+json",
        headers={"Authorization": f"Bearer {acme_token}"},
    )
    assert response.status_code == 201

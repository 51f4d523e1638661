"""Query counts of the admin list pages are pinned and do not grow with the organization."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.services import invitation_create
from people.models import Organization, Person, Team
from people.services import person_update
from people.services_teams import team_create, team_rename
from tests.conftest import client_for


def grow(org: Organization, admin: Person, count: int, start: int) -> None:
    """Add `count` people in chains of three (manager, report, report's report) with a team."""
    team = team_create(actor=admin, organization=org, name=f"Team {start}")
    boss = None
    for number in range(start, start + count):
        person = Person.objects.create_user(
            email=f"p{number}@acme.test",
            password=None,
            name=f"Person {number:04d}",
            organization=org,
            team=team,
            manager=boss if number % 3 else None,
            title="Engineer",
        )
        boss = person
        if number % 5 == 0:
            invitation_create(actor=admin, person=person, base_url="http://testserver/")
        if number % 7 == 0:
            person_update(actor=admin, person=person, title="Staff engineer")
    # The overview's latest lines then mention people, invitations and a team.
    team_rename(actor=admin, team=team, name=f"Team {start} renamed")


PAGES = ["people:org_home", "people:people", "people:chart", "people:teams", "people:invitations"]


@pytest.mark.parametrize("name", PAGES)
def test_the_query_count_does_not_grow_with_the_org(
    name: str, ada: Person, django_assert_num_queries: Callable[..., Any]
) -> None:
    org = ada.organization
    assert org is not None
    client: Client = client_for(ada)
    url = reverse(name)
    grow(org, ada, 10, 0)
    client.get(url)  # warm caches (content types, sessions) before counting
    expected = EXPECTED[name]
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    grow(org, ada, 60, 100)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


# Session and person (with their organization) come first on every page: 2 queries.
EXPECTED = {
    # people counts, 1:1 counts, meetings, teams, invitations, the activity, and the
    # names of the people, teams and invitations it mentions (one query per kind)
    "people:org_home": 11,
    # count, page, teams for the filter
    "people:people": 5,
    # everyone active, at once
    "people:chart": 3,
    # teams with their counts
    "people:teams": 3,
    # count, page
    "people:invitations": 4,
}


def test_the_filtered_people_list_stays_constant(
    ada: Person, django_assert_num_queries: Callable[..., Any]
) -> None:
    org = ada.organization
    assert org is not None
    grow(org, ada, 30, 0)
    team = Team.objects.get(name="Team 0 renamed")
    url = reverse("people:people") + f"?q=person&team={team.uuid}&status=invited&no_manager=on"
    client = client_for(ada)
    client.get(url)
    # As unfiltered, plus the chosen team.
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200

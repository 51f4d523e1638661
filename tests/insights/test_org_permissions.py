"""Who may see the organization's insights: org admins, for their own organization only.

Rows are (url name, method, target, maya, ravi, olga, ada, otto) like
tests/people/test_permissions_orgadmin.py. Ada (Acme's admin) gets the page and the CSV;
Maya, Ravi and Olga get 404 as for a page that does not exist; anonymous visitors go to
the login page. Target "otto-admin" makes Otto Globex's admin: he gets the pages, with
Globex's figures only, never Acme's.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from insights.models import TeamRollup
from people.models import Organization, Person, Team
from tests.conftest import client_for
from tests.permissions import ARGS, NO, OK, WRONG_METHOD, Row, cases, check

W = WRONG_METHOD

TABLE: list[Row] = [
    # name       method  target        maya  ravi  olga  ada   otto
    ("org",      "GET",  "",           NO,   NO,   NO,   OK,   NO),
    ("org",      "POST", "",           W,    W,    W,    W,    W),
    ("org_csv",  "GET",  "",           NO,   NO,   NO,   OK,   NO),
    ("org_csv",  "POST", "",           W,    W,    W,    W,    W),
    # Otto administers Globex: its insights are his.
    ("org",      "GET",  "otto-admin", NO,   NO,   NO,   OK,   OK),
    ("org_csv",  "GET",  "otto-admin", NO,   NO,   NO,   OK,   OK),
]  # fmt: skip

CASES = cases(TABLE)


@dataclass
class World:
    maya: Person
    ravi: Person
    olga: Person
    ada: Person
    otto: Person


def figures_for(org: Organization, team_name: str) -> None:
    """Recent rollups of one team of 6, as the worker would write them."""
    team = Team.objects.create(organization=org, name=team_name)
    at = datetime(2027, 3, 15, 12, 0, tzinfo=UTC)
    for scope, group in ((TeamRollup.Scope.TEAM, team), (TeamRollup.Scope.ORGANIZATION, None)):
        TeamRollup.objects.create(
            organization=org,
            kind=TeamRollup.Kind.RECENT,
            period_start=at.date(),
            scope=scope,
            team=group,
            people=6,
            planned=4,
            held=3,
            computed_at=at,
        )


@pytest.fixture
def world(maya: Person, ravi: Person, olga: Person, ada: Person, otto: Person) -> World:
    assert ada.organization is not None
    assert otto.organization is not None
    figures_for(ada.organization, "Acme Rockets")
    figures_for(otto.organization, "Globex Widgets")
    return World(maya, ravi, olga, ada, otto)


@pytest.mark.parametrize(ARGS, CASES)
def test_permission(
    world: World, name: str, method: str, target: str, role: str, expected: int
) -> None:
    if target == "otto-admin":
        Person.objects.filter(pk=world.otto.pk).update(is_org_admin=True)
        world.otto.refresh_from_db()
    actor: Person | None = getattr(world, role, None)
    check(actor, method, reverse(f"insights:{name}"), {}, expected)


@pytest.mark.parametrize("name", ["org", "org_csv"])
def test_an_admin_sees_only_their_own_organization(world: World, name: str) -> None:
    Person.objects.filter(pk=world.otto.pk).update(is_org_admin=True)
    world.otto.refresh_from_db()
    theirs = client_for(world.otto).get(reverse(f"insights:{name}")).content.decode()
    ours = client_for(world.ada).get(reverse(f"insights:{name}")).content.decode()
    assert "Globex Widgets" in theirs
    assert "Acme Rockets" not in theirs
    assert "Acme Rockets" in ours
    assert "Globex Widgets" not in ours

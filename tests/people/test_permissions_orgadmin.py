"""Who may use the organization admin pages: every URL of the area, for every role.

Rows are (url name, method, target, maya, ravi, olga, ada, otto) like
tests/growth/test_permissions_*.py. Only an org admin reaches these pages, and only
for their own organization: Ada (admin of Acme) gets them; Maya, Ravi and Olga get
404 as for a page that does not exist; Otto (Globex) gets 404 for Acme's things.

Targets: "" Acme's things (Ravi, the team Platform, a pending invitation for Nina);
"globex" the same kinds of things of Globex, with Otto made Globex's admin: he gets
them and Ada gets 404; "otto-admin" Acme's things with Otto as Globex's admin: still
404 for him. Pages without a target (lists, forms) are his own organization's.
"""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from accounts.models import Invitation
from accounts.services import invitation_create
from people.models import Organization, Person, Team
from tests.conftest import make_person
from tests.permissions import ARGS, GO, NO, OK, WRONG_METHOD, Row, cases, check

W = WRONG_METHOD

TABLE: list[Row] = [
    # name                 method  target        maya  ravi  olga  ada   otto
    ("org_home",           "GET",  "",           NO,   NO,   NO,   OK,   NO),
    ("org_home",           "POST", "",           W,    W,    W,    W,    W),
    ("people",             "GET",  "",           NO,   NO,   NO,   OK,   NO),
    ("people",             "POST", "",           W,    W,    W,    W,    W),
    ("people_lookup",      "GET",  "",           NO,   NO,   NO,   OK,   NO),
    ("people_lookup",      "POST", "",           W,    W,    W,    W,    W),
    ("person_new",         "GET",  "",           NO,   NO,   NO,   OK,   NO),
    ("person_new",         "POST", "",           NO,   NO,   NO,   GO,   NO),
    ("person",             "GET",  "",           NO,   NO,   NO,   OK,   NO),
    ("person",             "POST", "",           NO,   NO,   NO,   GO,   NO),
    ("person_deactivate",  "GET",  "",           NO,   NO,   NO,   OK,   NO),
    ("person_deactivate",  "POST", "",           NO,   NO,   NO,   GO,   NO),
    ("person_reactivate",  "GET",  "",           NO,   NO,   NO,   OK,   NO),
    ("person_reactivate",  "POST", "",           NO,   NO,   NO,   GO,   NO),
    ("chart",              "GET",  "",           NO,   NO,   NO,   OK,   NO),
    ("chart",              "POST", "",           W,    W,    W,    W,    W),
    ("teams",              "GET",  "",           NO,   NO,   NO,   OK,   NO),
    ("teams",              "POST", "",           W,    W,    W,    W,    W),
    ("team_new",           "GET",  "",           NO,   NO,   NO,   OK,   NO),
    ("team_new",           "POST", "",           NO,   NO,   NO,   GO,   NO),
    ("team",               "GET",  "",           NO,   NO,   NO,   OK,   NO),
    ("team",               "POST", "",           NO,   NO,   NO,   GO,   NO),
    ("team_delete",        "GET",  "",           NO,   NO,   NO,   OK,   NO),
    ("team_delete",        "POST", "",           NO,   NO,   NO,   GO,   NO),
    ("invitations",        "GET",  "",           NO,   NO,   NO,   OK,   NO),
    ("invitations",        "POST", "",           W,    W,    W,    W,    W),
    ("invitation_new",     "GET",  "",           NO,   NO,   NO,   OK,   NO),
    ("invitation_new",     "POST", "",           NO,   NO,   NO,   GO,   NO),
    ("invitation_bulk",    "GET",  "",           NO,   NO,   NO,   OK,   NO),
    ("invitation_bulk",    "POST", "",           NO,   NO,   NO,   GO,   NO),
    ("invitation_revoke",  "GET",  "",           W,    W,    W,    W,    W),
    ("invitation_revoke",  "POST", "",           NO,   NO,   NO,   GO,   NO),
    ("invitation_resend",  "GET",  "",           W,    W,    W,    W,    W),
    ("invitation_resend",  "POST", "",           NO,   NO,   NO,   GO,   NO),
    ("org_settings",       "GET",  "",           NO,   NO,   NO,   OK,   NO),
    ("org_settings",       "POST", "",           NO,   NO,   NO,   GO,   NO),
    # Otto administers Globex: its pages are his; Acme's things stay hidden from him.
    ("org_home",           "GET",  "otto-admin", NO,   NO,   NO,   OK,   OK),
    ("people",             "GET",  "otto-admin", NO,   NO,   NO,   OK,   OK),
    ("person",             "GET",  "otto-admin", NO,   NO,   NO,   OK,   NO),
    ("person",             "POST", "otto-admin", NO,   NO,   NO,   GO,   NO),
    ("person_deactivate",  "POST", "otto-admin", NO,   NO,   NO,   GO,   NO),
    ("team",               "GET",  "otto-admin", NO,   NO,   NO,   OK,   NO),
    ("team_delete",        "POST", "otto-admin", NO,   NO,   NO,   GO,   NO),
    ("invitation_revoke",  "POST", "otto-admin", NO,   NO,   NO,   GO,   NO),
    ("invitation_resend",  "POST", "otto-admin", NO,   NO,   NO,   GO,   NO),
    # Globex's things: Otto (its admin) gets them, Ada (Acme's admin) gets 404.
    ("person",             "GET",  "globex",     NO,   NO,   NO,   NO,   OK),
    ("person",             "POST", "globex",     NO,   NO,   NO,   NO,   GO),
    ("person_deactivate",  "GET",  "globex",     NO,   NO,   NO,   NO,   OK),
    ("person_deactivate",  "POST", "globex",     NO,   NO,   NO,   NO,   GO),
    ("person_reactivate",  "POST", "globex",     NO,   NO,   NO,   NO,   GO),
    ("team",               "GET",  "globex",     NO,   NO,   NO,   NO,   OK),
    ("team",               "POST", "globex",     NO,   NO,   NO,   NO,   GO),
    ("team_delete",        "GET",  "globex",     NO,   NO,   NO,   NO,   OK),
    ("team_delete",        "POST", "globex",     NO,   NO,   NO,   NO,   GO),
    ("invitation_revoke",  "POST", "globex",     NO,   NO,   NO,   NO,   GO),
    ("invitation_resend",  "POST", "globex",     NO,   NO,   NO,   NO,   GO),
]  # fmt: skip

CASES = cases(TABLE)


@dataclass
class Things:
    person: Person
    team: Team
    invitation: Invitation


@dataclass
class World:
    maya: Person
    ravi: Person
    olga: Person
    ada: Person
    otto: Person
    acme: Things
    globex: Things


def _things(org: Organization, admin: Person, person: Person, team_name: str, nina: str) -> Things:
    team = Team.objects.create(organization=org, name=team_name)
    newcomer = Person.objects.create_user(
        email=nina, password=None, name="Nina New", organization=org
    )
    sent = invitation_create(actor=admin, person=newcomer, base_url="http://testserver/")
    return Things(person=person, team=team, invitation=sent.invitation)


@pytest.fixture
def world(
    maya: Person, ravi: Person, olga: Person, oren: Person, ada: Person, otto: Person
) -> World:
    assert otto.organization is not None
    assert ada.organization is not None
    gina = make_person(otto.organization, "gina@globex.test", "Gina Globex")
    otto.is_org_admin = True
    otto.save(update_fields=["is_org_admin"])
    globex = _things(otto.organization, otto, gina, "Globex team", "nina@globex.test")
    acme = _things(ada.organization, ada, ravi, "Platform", "nina@acme.test")
    otto.is_org_admin = False
    otto.save(update_fields=["is_org_admin"])
    return World(maya, ravi, olga, ada, otto, acme=acme, globex=globex)


def url_for(world: World, name: str, target: str) -> str:
    things = world.globex if target == "globex" else world.acme
    if name in ("person", "person_deactivate", "person_reactivate"):
        return reverse(f"people:{name}", args=[things.person.uuid])
    if name in ("team", "team_delete"):
        return reverse(f"people:{name}", args=[things.team.uuid])
    if name in ("invitation_revoke", "invitation_resend"):
        return reverse(f"people:{name}", args=[things.invitation.uuid])
    return reverse(f"people:{name}")


def post_data(world: World, name: str, target: str) -> dict[str, str]:
    things = world.globex if target == "globex" else world.acme
    if name in ("person_new", "person"):
        data = {
            "email": "pat@acme.test",
            "name": "Pat Person",
            "title": "Engineer",
            "team": str(things.team.uuid),
            "manager": "",
            "timezone": "Europe/Paris",
        }
        if name == "person":
            data["email"] = things.person.email
        return data
    if name in ("team_new", "team"):
        return {"name": "Renamed team"}
    if name == "invitation_new":
        return {"email": "lee@acme.test", "name": "Lee Newcomer"}
    if name == "invitation_bulk":
        return {"lines": "kim@acme.test, Kim One\nlou@acme.test, Lou Two"}
    if name == "org_settings":
        return {"email_domains": "acme.test", "retention_days": "365", "quiet_theme_after": "4"}
    return {}


@pytest.mark.parametrize(ARGS, CASES)
def test_permission(
    world: World, name: str, method: str, target: str, role: str, expected: int
) -> None:
    if target in ("globex", "otto-admin"):
        world.otto.is_org_admin = True
        world.otto.save(update_fields=["is_org_admin"])
    url = url_for(world, name, target)
    actor: Person | None = getattr(world, role, None)
    check(actor, method, url, post_data(world, name, target), expected)


def test_missing_things_answer_like_hidden_ones(world: World) -> None:
    from tests.conftest import client_for

    missing = "00000000-0000-4000-8000-000000000000"
    client = client_for(world.ada)
    for name in ("person", "person_deactivate", "person_reactivate", "team", "team_delete"):
        assert client.get(reverse(f"people:{name}", args=[missing])).status_code == NO
    for name in ("invitation_revoke", "invitation_resend"):
        assert client.post(reverse(f"people:{name}", args=[missing])).status_code == NO
    assert client.get(reverse("people:chart") + f"?root={missing}").status_code == NO
    assert client.get(reverse("people:chart") + "?root=not-a-uuid").status_code == NO

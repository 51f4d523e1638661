"""The organization admin pages: every form's valid and invalid paths.

Invalid input answers 400 with the error on the form and changes nothing.
"""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation
from accounts.services import invitation_create
from activity.models import Activity
from meetings.models import Relationship
from people.models import Organization, Person, Team
from tests.conftest import client_for, make_person
from tests.support.worker import sent_mail

BASE = "http://testserver/"


@pytest.fixture
def admin(ada: Person) -> Client:
    return client_for(ada)


def _person_data(person: Person, **changes: str) -> dict[str, str]:
    data = {
        "email": person.email,
        "name": person.name,
        "title": person.title,
        "team": str(person.team.uuid) if person.team else "",
        "manager": person.manager.email if person.manager else "",
        "timezone": person.timezone,
        "is_org_admin": "on" if person.is_org_admin else "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != "" or key == "manager"}


def _reload(person: Person) -> Person:
    return Person.objects.get(pk=person.pk)


# Overview ------------------------------------------------------------------------------


def test_the_overview_counts_without_showing_any_content(
    admin: Client, ada: Person, maya: Person, ravi: Person, one_on_one: Relationship
) -> None:
    invitation_create(
        actor=ada,
        person=Person.objects.create_user(
            email="nina@acme.test", password=None, name="Nina New", organization=ada.organization
        ),
        base_url=BASE,
    )
    response = admin.get(reverse("people:org_home"))
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary.relationships_active == 1
    assert summary.invitations_pending == 1
    assert summary.without_manager == 3  # Maya, Ada and Nina
    # Maya and Ravi have passwords; only Nina can neither sign in nor has yet.
    assert (summary.invited, summary.active) == (1, 3)
    text = response.content.decode()
    assert "Ada Admin invited" in text
    assert "Nina New" in text


# People --------------------------------------------------------------------------------


def test_the_people_list_searches_and_filters(
    admin: Client, ada: Person, maya: Person, ravi: Person, olga: Person, oren: Person
) -> None:
    platform = Team.objects.create(organization_id=ada.org_id, name="Platform")
    Person.objects.filter(pk=ravi.pk).update(team=platform, title="Staff engineer")
    url = reverse("people:people")

    def names(query: str) -> list[str]:
        response = admin.get(url + query)
        assert response.status_code == 200
        return [person.name for person, _ in response.context["rows"]]

    assert names("?q=staff") == ["Ravi Report"]
    assert names("?q=oren%40acme") == ["Oren Otherreport"]
    assert names(f"?team={platform.uuid}") == ["Ravi Report"]
    assert names("?no_manager=on") == ["Ada Admin", "Maya Manager", "Olga Othermanager"]
    Person.objects.filter(pk=oren.pk).update(password="!unusable")
    assert names("?status=invited") == ["Oren Otherreport"]
    assert "Oren Otherreport" not in names("?status=active")
    assert names("?status=left") == []
    # Nonsense filters are ignored, not an error page.
    assert len(names("?team=nope&status=weird&page=99")) == 5


def test_the_manager_lookup_suggests_active_people_of_the_org(
    admin: Client, maya: Person, otto: Person
) -> None:
    response = admin.get(reverse("people:people_lookup") + "?q=ma")
    text = response.content.decode()
    assert 'value="maya@acme.test"' in text
    assert "otto" not in admin.get(reverse("people:people_lookup") + "?q=ot").content.decode()


def test_an_admin_adds_a_person_and_invites_them(
    admin: Client, ada: Person, maya: Person, django_capture_on_commit_callbacks: Any
) -> None:
    team = Team.objects.create(organization_id=ada.org_id, name="Platform")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            reverse("people:person_new"),
            {
                "email": " Pat@Acme.test ",
                "name": "Pat  Person",
                "title": "Engineer",
                "team": str(team.uuid),
                "manager": "maya@acme.test",
                "timezone": "Europe/Paris",
                "invite": "on",
            },
        )
    pat = Person.objects.get(email="pat@acme.test")
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person", args=[pat.uuid])
    assert (pat.name, pat.manager, pat.team, pat.timezone) == (
        "Pat Person",
        maya,
        team,
        "Europe/Paris",
    )
    assert not pat.has_usable_password()
    assert Invitation.objects.filter(person=pat).pending().count() == 1
    assert [message.to for message in sent_mail()] == [["pat@acme.test"]]
    assert Activity.objects.filter(verb="person.create", object_uuid=pat.uuid).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "not-an-address"}, "email", "valid email"),
        ({"email": "maya@acme.test"}, "email", "already exists"),
        ({"email": "otto@globex.test"}, "email", "already exists"),
        ({"name": "   "}, "name", "required"),
        ({"manager": "nobody@acme.test"}, "manager", "No one in Acme"),
        ({"manager": "otto@globex.test"}, "manager", "No one in Acme"),
        ({"timezone": "Mars/Olympus"}, "timezone", "valid choice"),
        ({"team": "00000000-0000-4000-8000-000000000000"}, "team", "valid choice"),
    ],
)
def test_adding_a_person_refuses_bad_input_and_adds_nobody(
    admin: Client,
    maya: Person,
    otto: Person,
    changes: dict[str, str],
    field: str,
    message: str,
) -> None:
    data = {
        "email": "pat@acme.test",
        "name": "Pat",
        "timezone": "UTC",
        "manager": "",
        "invite": "on",
    }
    data.update(changes)
    before = Person.objects.count()
    response = admin.post(reverse("people:person_new"), data)
    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors[field])
    assert Person.objects.count() == before
    assert sent_mail() == []


def test_a_left_manager_is_refused(admin: Client, ada: Person, maya: Person) -> None:
    Person.objects.filter(pk=maya.pk).update(is_active=False)
    response = admin.post(
        reverse("people:person_new"),
        {"email": "pat@acme.test", "name": "Pat", "timezone": "UTC", "manager": maya.email},
    )
    assert response.status_code == 400
    assert "has left" in str(response.context["form"].errors["manager"])


def test_an_admin_edits_a_person(admin: Client, ada: Person, ravi: Person, olga: Person) -> None:
    response = admin.get(reverse("people:person", args=[ravi.uuid]))
    assert "archives Ravi Report’s current 1:1 with Maya Manager" in response.content.decode()
    response = admin.post(
        reverse("people:person", args=[ravi.uuid]),
        _person_data(ravi, title="Staff engineer", manager="olga@acme.test"),
    )
    assert response.status_code == 302
    ravi = _reload(ravi)
    assert (ravi.title, ravi.manager) == ("Staff engineer", olga)


def test_a_manager_change_archives_the_old_one_on_one(
    admin: Client, ravi: Person, olga: Person, one_on_one: Relationship
) -> None:
    admin.post(reverse("people:person", args=[ravi.uuid]), _person_data(ravi, manager=olga.email))
    one_on_one.refresh_from_db()
    assert one_on_one.status == Relationship.Status.ENDED
    assert one_on_one.end_reason == Relationship.EndReason.MANAGER_CHANGE


def test_a_loop_in_the_reporting_line_is_refused_and_nothing_changes(
    admin: Client, maya: Person, ravi: Person
) -> None:
    response = admin.post(
        reverse("people:person", args=[maya.uuid]),
        _person_data(maya, manager=ravi.email, title="Changed too"),
    )
    assert response.status_code == 400
    assert "already reports to" in str(response.context["form"].errors["manager"])
    maya = _reload(maya)
    assert (maya.manager_id, maya.title) == (None, "")
    # The page shows what is stored, not the refused values.
    assert response.context["person"].manager is None


def test_a_person_cannot_be_their_own_manager(admin: Client, maya: Person) -> None:
    response = admin.post(
        reverse("people:person", args=[maya.uuid]), _person_data(maya, manager=maya.email)
    )
    assert response.status_code == 400
    assert _reload(maya).manager_id is None


def test_an_admin_cannot_demote_themselves(admin: Client, ada: Person) -> None:
    data = _person_data(ada)
    data.pop("is_org_admin")
    response = admin.post(reverse("people:person", args=[ada.uuid]), data)
    assert response.status_code == 400
    assert "own admin rights" in str(response.context["form"].errors["is_org_admin"])
    assert _reload(ada).is_org_admin


def test_deactivating_asks_first_then_ends_the_one_on_ones(
    admin: Client, ada: Person, maya: Person, ravi: Person, one_on_one: Relationship
) -> None:
    url = reverse("people:person_deactivate", args=[maya.uuid])
    page = admin.get(url).content.decode()
    assert "can no longer sign in" in page
    assert "730 days" in page
    assert _reload(maya).is_active
    response = admin.post(url)
    assert response.status_code == 302
    maya = _reload(maya)
    assert not maya.is_active
    assert maya.deactivated_at is not None
    assert _reload(ravi).manager_id is None
    one_on_one.refresh_from_db()
    assert one_on_one.end_reason == Relationship.EndReason.LEFT
    response = admin.post(reverse("people:person_reactivate", args=[maya.uuid]))
    assert _reload(maya).is_active


def test_an_admin_cannot_deactivate_themselves(admin: Client, ada: Person) -> None:
    url = reverse("people:person_deactivate", args=[ada.uuid])
    assert "cannot deactivate yourself" in admin.get(url).content.decode()
    response = admin.post(url, follow=True)
    assert "cannot deactivate yourself" in response.content.decode()
    assert _reload(ada).is_active


def test_the_person_page_shows_the_reporting_line_and_reports(
    admin: Client, maya: Person, ravi: Person
) -> None:
    boss = make_person(maya.organization, "boss@acme.test", "Bea Boss")  # type: ignore[arg-type]
    Person.objects.filter(pk=maya.pk).update(manager=boss)
    response = admin.get(reverse("people:person", args=[ravi.uuid]))
    assert [p.name for p in response.context["line"]] == ["Maya Manager", "Bea Boss"]
    response = admin.get(reverse("people:person", args=[maya.uuid]))
    assert [p.name for p in response.context["reports"]] == ["Ravi Report"]


# Org chart -----------------------------------------------------------------------------


def test_the_chart_nests_reports_under_their_managers(
    admin: Client, ada: Person, maya: Person, ravi: Person, olga: Person, oren: Person
) -> None:
    response = admin.get(reverse("people:chart"))
    lines = [
        (line.kind, line.node.name if line.node else "") for line in response.context["chart"].lines
    ]
    assert lines == [
        ("leaf", "Ada Admin"),
        ("open", "Maya Manager"),
        ("leaf", "Ravi Report"),
        ("close", "Maya Manager"),
        ("open", "Olga Othermanager"),
        ("leaf", "Oren Otherreport"),
        ("close", "Olga Othermanager"),
    ]


def test_a_deep_chart_loads_lower_levels_on_demand(admin: Client, ada: Person) -> None:
    org = ada.organization
    assert org is not None
    boss = None
    chain = []
    for level in range(6):
        boss = make_person(org, f"level{level}@acme.test", f"Level {level}", manager=boss)
        chain.append(boss)
    response = admin.get(reverse("people:chart"))
    kinds = [(line.kind, line.node.name) for line in response.context["chart"].lines if line.node]
    assert ("more", "Level 2") in kinds
    assert all(name != "Level 3" for _, name in kinds)
    part = admin.get(reverse("people:chart") + f"?root={chain[2].uuid}", HTTP_HX_REQUEST="true")
    text = part.content.decode()
    assert "Level 3" in text
    assert "<html" not in text
    page = admin.get(reverse("people:chart") + f"?root={chain[2].uuid}").content.decode()
    assert "Level 1" in page
    assert "<html" in page


# Teams ---------------------------------------------------------------------------------


def test_teams_are_created_renamed_and_deleted(admin: Client, ada: Person, ravi: Person) -> None:
    response = admin.post(reverse("people:team_new"), {"name": "  Platform  "})
    team = Team.objects.get(name="Platform")
    assert response["Location"] == reverse("people:team", args=[team.uuid])
    Person.objects.filter(pk=ravi.pk).update(team=team)
    teams = admin.get(reverse("people:teams")).context["teams"]
    assert [(t.name, t.member_count) for t in teams] == [("Platform", 1)]
    admin.post(reverse("people:team", args=[team.uuid]), {"name": "Core"})
    team.refresh_from_db()
    assert team.name == "Core"
    assert "1 member" in admin.get(reverse("people:team_delete", args=[team.uuid])).content.decode()
    admin.post(reverse("people:team_delete", args=[team.uuid]))
    assert not Team.objects.filter(pk=team.pk).exists()
    ravi = _reload(ravi)
    assert ravi.team is None
    assert ravi.is_active
    verbs = list(Activity.objects.filter(object_type="team").values_list("verb", flat=True))
    assert sorted(verbs) == ["team.create", "team.delete", "team.rename"]


@pytest.mark.parametrize("name", ["", "   ", "platform", "x" * 201])
def test_bad_team_names_are_refused(admin: Client, ada: Person, name: str) -> None:
    Team.objects.create(organization_id=ada.org_id, name="Platform")
    response = admin.post(reverse("people:team_new"), {"name": name})
    assert response.status_code == 400
    assert response.context["form"].errors["name"]
    assert Team.objects.count() == 1


def test_renaming_to_a_taken_name_is_refused(admin: Client, ada: Person) -> None:
    Team.objects.create(organization_id=ada.org_id, name="Platform")
    core = Team.objects.create(organization_id=ada.org_id, name="Core")
    response = admin.post(reverse("people:team", args=[core.uuid]), {"name": "PLATFORM"})
    assert response.status_code == 400
    assert "already a team called" in str(response.context["form"].errors["name"])
    core.refresh_from_db()
    assert core.name == "Core"


def test_the_same_team_name_may_exist_in_another_org(
    admin: Client, ada: Person, globex: Organization
) -> None:
    Team.objects.create(organization=globex, name="Platform")
    assert admin.post(reverse("people:team_new"), {"name": "Platform"}).status_code == 302


# Invitations ---------------------------------------------------------------------------


def test_inviting_someone_new_adds_them(
    admin: Client, ada: Person, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            reverse("people:invitation_new"), {"email": "lee@acme.test", "name": "Lee New"}
        )
    assert response.status_code == 302
    lee = Person.objects.get(email="lee@acme.test")
    assert lee.organization == ada.organization
    assert not lee.has_usable_password()
    assert Invitation.objects.get(person=lee).state() == "pending"
    assert len(sent_mail()) == 1


def test_inviting_someone_of_the_org_needs_no_name(admin: Client, ravi: Person) -> None:
    response = admin.post(
        reverse("people:invitation_new"),
        {"email": ravi.email, "next": reverse("people:person", args=[ravi.uuid])},
    )
    assert response["Location"] == reverse("people:person", args=[ravi.uuid])
    assert Invitation.objects.filter(person=ravi).count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "lee@acme.test", "name": ""}, "name"),
        ({"email": "not an address", "name": "Lee"}, "email"),
        ({"email": "otto@globex.test", "name": "Otto"}, "email"),
        ({"email": "maya@acme.test", "left": "yes"}, "email"),
    ],
)
def test_bad_invitations_are_refused(
    admin: Client, maya: Person, otto: Person, data: dict[str, str], field: str
) -> None:
    if data.pop("left", None):
        Person.objects.filter(pk=maya.pk).update(is_active=False)
    before = Person.objects.count()
    response = admin.post(reverse("people:invitation_new"), data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert Person.objects.count() == before
    assert Invitation.objects.count() == 0


def test_bulk_invitations_all_or_nothing(
    admin: Client, ada: Person, ravi: Person, django_capture_on_commit_callbacks: Any
) -> None:
    url = reverse("people:invitation_bulk")
    bad = "kim@acme.test, Kim One\nnot-an-email, X\n\nkim@acme.test, Kim Again\nlou@acme.test\notto@globex.test, Otto\n"
    make_person(Organization.objects.create(name="Globex"), "otto@globex.test", "Otto")
    response = admin.post(url, {"lines": bad})
    assert response.status_code == 400
    errors = response.context["form"].line_errors
    assert [number for number, _ in errors] == [2, 4, 5, 6]
    assert "already on line 1" in errors[1][1]
    assert "name" in errors[2][1]
    assert Person.objects.filter(email__in=["kim@acme.test", "lou@acme.test"]).count() == 0
    assert Invitation.objects.count() == 0
    assert sent_mail() == []

    good = f"kim@acme.test, Kim One\n{ravi.email}\nlou@acme.test , Lou  Two\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url, {"lines": good})
    assert response.status_code == 302
    assert Person.objects.get(email="lou@acme.test").name == "Lou Two"
    assert Invitation.objects.pending().count() == 3
    assert len(sent_mail()) == 3


def test_an_empty_bulk_invitation_is_refused(admin: Client) -> None:
    response = admin.post(reverse("people:invitation_bulk"), {"lines": " \n "})
    assert response.status_code == 400


def test_invitations_are_listed_revoked_and_resent(
    admin: Client, ada: Person, ravi: Person
) -> None:
    first = invitation_create(actor=ada, person=ravi, base_url=BASE).invitation
    url = reverse("people:invitations")
    assert [i for i, _ in admin.get(url + "?state=pending").context["rows"]] == [first]
    admin.post(reverse("people:invitation_resend", args=[first.uuid]))
    first.refresh_from_db()
    assert first.state() == "revoked"
    second = Invitation.objects.pending().get(person=ravi)
    assert [i for i, _ in admin.get(url + "?state=revoked").context["rows"]] == [first]
    admin.post(reverse("people:invitation_revoke", args=[second.uuid]))
    second.refresh_from_db()
    assert second.state() == "revoked"
    # Revoking again is refused with a message, not an error page.
    response = admin.post(reverse("people:invitation_revoke", args=[second.uuid]), follow=True)
    assert "Only a pending invitation" in response.content.decode()
    Invitation.objects.filter(pk=second.pk).update(
        revoked_at=None, expires_at=timezone.now() - timedelta(days=1)
    )
    assert [i for i, _ in admin.get(url + "?state=expired").context["rows"]] == [second]
    assert admin.get(url + "?state=bogus").status_code == 200


def test_an_accepted_invitation_is_not_resent(admin: Client, ada: Person, ravi: Person) -> None:
    invitation = invitation_create(actor=ada, person=ravi, base_url=BASE).invitation
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    response = admin.post(reverse("people:invitation_resend", args=[invitation.uuid]), follow=True)
    assert "already accepted" in response.content.decode()
    assert Invitation.objects.count() == 1


# Settings ------------------------------------------------------------------------------


def test_settings_are_saved(admin: Client, ada: Person) -> None:
    response = admin.post(
        reverse("people:org_settings"),
        {
            "email_domains": "Acme.test\n@acme.example\n\nacme.test",
            "require_mfa": "on",
            "retention_days": "365",
            "quiet_theme_after": "6",
        },
    )
    assert response.status_code == 302
    org = Organization.objects.get(pk=ada.org_id)
    assert org.domains() == ["acme.test", "acme.example"]
    assert (org.require_mfa, org.retention_days, org.quiet_theme_after) == (True, 365, 6)
    assert org.name == "Acme"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email_domains": "not a domain"}, "email_domains"),
        ({"email_domains": "acme"}, "email_domains"),
        ({"email_domains": "-bad-.com"}, "email_domains"),
        ({"retention_days": "29"}, "retention_days"),
        ({"retention_days": "3651"}, "retention_days"),
        ({"retention_days": "many"}, "retention_days"),
        ({"quiet_theme_after": "0"}, "quiet_theme_after"),
        ({"quiet_theme_after": "53"}, "quiet_theme_after"),
    ],
)
def test_bad_settings_are_refused_and_nothing_changes(
    admin: Client, ada: Person, data: dict[str, str], field: str
) -> None:
    valid = {
        "email_domains": "acme.test",
        "retention_days": "400",
        "quiet_theme_after": "5",
        "require_mfa": "on",
    }
    response = admin.post(reverse("people:org_settings"), valid | data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    org = Organization.objects.get(pk=ada.org_id)
    assert (org.email_domains, org.require_mfa, org.retention_days) == ("", False, 730)


# Privacy -------------------------------------------------------------------------------


def test_no_admin_page_shows_any_one_on_one_content(
    admin: Client, ada: Person, maya: Person, ravi: Person, one_on_one: Relationship
) -> None:
    from meetings.services.agenda import point_add

    point_add(actor=maya, relationship=one_on_one, text="SECRET talking point")
    point_add(actor=ravi, relationship=one_on_one, text="SECRET private worry", is_private=True)
    urls = [
        reverse(name)
        for name in ("people:org_home", "people:people", "people:chart", "people:teams")
    ]
    urls += [reverse("people:person", args=[person.uuid]) for person in (maya, ravi)]
    urls += [reverse("people:person_deactivate", args=[maya.uuid])]
    for url in urls:
        response = admin.get(url)
        assert response.status_code == 200
        assert "SECRET" not in response.content.decode(), url


def test_the_person_page_offers_what_fits_the_invitation_and_status(
    admin: Client, ada: Person, ravi: Person, maya: Person
) -> None:
    url = reverse("people:person", args=[ravi.uuid])
    page = admin.get(url).content.decode()
    assert "Never invited." in page
    assert ">Invite</button>" in page
    invitation = invitation_create(actor=ada, person=ravi, base_url=BASE).invitation
    page = admin.get(url).content.decode()
    assert reverse("people:invitation_resend", args=[invitation.uuid]) in page
    assert reverse("people:invitation_revoke", args=[invitation.uuid]) in page
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    page = admin.get(url).content.decode()
    assert reverse("people:invitation_resend", args=[invitation.uuid]) not in page
    assert "Deactivate (left the organization)" in page
    admin.post(reverse("people:person_deactivate", args=[ravi.uuid]))
    page = admin.get(url).content.decode()
    assert reverse("people:person_reactivate", args=[ravi.uuid]) in page
    assert "Deactivate (left the organization)" not in page
    own = admin.get(reverse("people:person", args=[ada.uuid])).content.decode()
    assert "You cannot deactivate yourself" in own

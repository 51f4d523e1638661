"""The admin for people and teams: an org admin manages their own organization only."""

import pytest
from django.contrib import admin
from django.urls import reverse

from people.models import Organization, Person, Team
from tests.conftest import PASSWORD, client_for

NEW_PASSWORD = "a much longer passphrase 42"


def add_person_data(**overrides: str) -> dict[str, str]:
    return {
        "email": "Nia@Acme.test",
        "name": "Nia New",
        "title": "Engineer",
        "team": "",
        "manager": "",
        "timezone": "Europe/Lisbon",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **overrides,
    }


def change_person_data(person: Person, **overrides: str) -> dict[str, str]:
    data = {
        "email": person.email,
        "name": person.name,
        "title": person.title,
        "team": str(person.team_id or ""),
        "manager": str(person.manager_id or ""),
        "timezone": person.timezone,
        "is_active": "on",
        **overrides,
    }
    return {key: value for key, value in data.items() if value != "off"}


def test_it_lists_only_the_admins_own_people(
    ada: Person, maya: Person, ravi: Person, otto: Person
) -> None:
    response = client_for(ada).get(reverse("admin:people_person_changelist"))

    assert response.status_code == 200
    assert set(response.context["cl"].result_list) == {ada, maya, ravi}


def test_it_lists_only_the_admins_own_teams(
    ada: Person, acme: Organization, globex: Organization
) -> None:
    ours = Team.objects.create(organization=acme, name="Platform")
    Team.objects.create(organization=globex, name="Globex platform")

    response = client_for(ada).get(reverse("admin:people_team_changelist"))

    assert list(response.context["cl"].result_list) == [ours]


@pytest.mark.parametrize("view", ["change", "delete", "history", "password_change"])
def test_it_answers_404_for_a_person_of_another_organization(
    ada: Person, otto: Person, view: str
) -> None:
    name = (
        "admin:auth_user_password_change"
        if view == "password_change"
        else f"admin:people_person_{view}"
    )
    url = reverse(name, args=[otto.pk])
    client = client_for(ada)

    assert client.get(url).status_code == 404
    assert client.post(url, {"post": "yes", "name": "Hacked"}).status_code == 404
    otto.refresh_from_db()
    assert otto.name == "Otto Outsider"


def test_it_answers_404_for_a_team_of_another_organization(
    ada: Person, globex: Organization
) -> None:
    theirs = Team.objects.create(organization=globex, name="Globex platform")

    response = client_for(ada).get(reverse("admin:people_team_change", args=[theirs.pk]))

    assert response.status_code == 404


def test_it_adds_a_person_to_the_admins_organization(
    ada: Person, maya: Person, acme: Organization
) -> None:
    team = Team.objects.create(organization=acme, name="Platform")

    response = client_for(ada).post(
        reverse("admin:people_person_add"),
        add_person_data(manager=str(maya.pk), team=str(team.pk)),
    )

    assert response.status_code == 302
    nia = Person.objects.get(email="nia@acme.test")
    assert nia.organization == acme
    assert (nia.manager, nia.team, nia.timezone) == (maya, team, "Europe/Lisbon")
    assert nia.check_password(NEW_PASSWORD)
    assert (nia.is_staff, nia.is_superuser, nia.is_org_admin) == (False, False, False)


def test_it_makes_an_added_org_admin_staff(ada: Person, acme: Organization) -> None:
    client_for(ada).post(reverse("admin:people_person_add"), add_person_data(is_org_admin="on"))

    nia = Person.objects.get(email="nia@acme.test")
    assert nia.is_org_admin
    assert nia.is_staff
    assert not nia.is_superuser


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password2": "something else entirely"}, "password2"),
        ({"password1": "12345", "password2": "12345"}, "password2"),
        ({"email": "ada@acme.test"}, "email"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
    ],
)
def test_it_refuses_bad_input_when_adding_a_person(
    ada: Person, overrides: dict[str, str], field: str
) -> None:
    response = client_for(ada).post(
        reverse("admin:people_person_add"), add_person_data(**overrides)
    )

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not Person.objects.filter(name="Nia New").exists()


def test_it_refuses_a_manager_or_team_from_another_organization(
    ada: Person, otto: Person, globex: Organization
) -> None:
    theirs = Team.objects.create(organization=globex, name="Globex platform")
    client = client_for(ada)

    with_manager = client.post(
        reverse("admin:people_person_add"), add_person_data(manager=str(otto.pk))
    )
    with_team = client.post(
        reverse("admin:people_person_add"), add_person_data(team=str(theirs.pk))
    )

    assert "manager" in with_manager.context["adminform"].form.errors
    assert "team" in with_team.context["adminform"].form.errors
    assert not Person.objects.filter(name="Nia New").exists()


def test_it_offers_only_the_admins_own_people_and_teams_as_choices(
    ada: Person, maya: Person, otto: Person, acme: Organization, globex: Organization
) -> None:
    Team.objects.create(organization=acme, name="Platform")
    Team.objects.create(organization=globex, name="Globex platform")

    form = client_for(ada).get(reverse("admin:people_person_add")).context["adminform"].form

    assert set(form.fields["manager"].queryset) == {ada, maya}
    assert [t.name for t in form.fields["team"].queryset] == ["Platform"]
    assert "organization" not in form.fields
    assert "is_superuser" not in form.fields


def test_it_never_shows_a_password_hash(ada: Person, maya: Person) -> None:
    response = client_for(ada).get(reverse("admin:people_person_change", args=[maya.pk]))

    assert response.status_code == 200
    parts = maya.password.split("$")
    algorithm, salt, hashed = parts[0], parts[-2], parts[-1]
    assert algorithm.encode() not in response.content
    assert salt[:6].encode() not in response.content
    assert hashed[:6].encode() not in response.content
    assert reverse("admin:auth_user_password_change", args=[maya.pk]).encode() in response.content


def test_it_sets_a_new_password_for_a_person(ada: Person, maya: Person) -> None:
    response = client_for(ada).post(
        reverse("admin:auth_user_password_change", args=[maya.pk]),
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    maya.refresh_from_db()
    assert maya.check_password(NEW_PASSWORD)


def test_it_edits_a_person_without_granting_more_than_org_admin(
    ada: Person, maya: Person, ravi: Person
) -> None:
    response = client_for(ada).post(
        reverse("admin:people_person_change", args=[ravi.pk]),
        change_person_data(
            ravi, title="Senior engineer", is_org_admin="on", is_superuser="on", is_staff="on"
        ),
    )

    assert response.status_code == 302
    ravi.refresh_from_db()
    assert ravi.title == "Senior engineer"
    assert ravi.is_org_admin
    assert ravi.is_staff
    assert not ravi.is_superuser


def test_it_refuses_a_reporting_loop(ada: Person, maya: Person, ravi: Person) -> None:
    response = client_for(ada).post(
        reverse("admin:people_person_change", args=[maya.pk]),
        change_person_data(maya, manager=str(ravi.pk)),
    )

    assert response.status_code == 200
    assert "manager" in response.context["adminform"].form.errors
    maya.refresh_from_db()
    assert maya.manager is None


def test_it_keeps_an_org_admin_from_locking_themselves_out(ada: Person) -> None:
    response = client_for(ada).post(
        reverse("admin:people_person_change", args=[ada.pk]),
        change_person_data(ada, is_active="off", title="Still admin"),
    )

    assert response.status_code == 302
    ada.refresh_from_db()
    assert ada.title == "Still admin"
    assert ada.is_org_admin
    assert ada.is_active


def test_it_keeps_a_superuser_out_of_an_org_admins_reach(ada: Person, acme: Organization) -> None:
    root = Person.objects.create_superuser(
        "root@acme.test", PASSWORD, name="Root", organization=acme
    )
    client = client_for(ada)

    change = client.post(
        reverse("admin:people_person_change", args=[root.pk]), change_person_data(root, name="X")
    )
    password = client.post(
        reverse("admin:auth_user_password_change", args=[root.pk]),
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert change.status_code == 403
    assert password.status_code == 403
    root.refresh_from_db()
    assert root.name == "Root"
    assert root.check_password(PASSWORD)


def test_it_adds_a_team_to_the_admins_organization(ada: Person, acme: Organization) -> None:
    response = client_for(ada).post(reverse("admin:people_team_add"), {"name": "Design"})

    assert response.status_code == 302
    assert Team.objects.get(name="Design").organization == acme


def test_it_redirects_a_person_without_admin_rights_to_the_admin_login(ravi: Person) -> None:
    client = client_for(ravi)

    for url in [reverse("admin:index"), reverse("admin:people_person_changelist")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_it_shows_staff_who_are_not_org_admins_nothing(acme: Organization, maya: Person) -> None:
    staff = Person.objects.create_user(
        "sam@acme.test", PASSWORD, name="Sam Staff", organization=acme, is_staff=True
    )
    client = client_for(staff)

    assert client.get(reverse("admin:index")).context["app_list"] == []
    assert client.get(reverse("admin:people_person_changelist")).status_code == 403
    # They can see no one, so a person's page answers as if it did not exist.
    assert client.get(reverse("admin:people_person_change", args=[maya.pk])).status_code == 404


def test_it_shows_org_admins_people_teams_templates_and_questions_only(ada: Person) -> None:
    response = client_for(ada).get(reverse("admin:index"))

    models = {
        (app["app_label"], model["object_name"])
        for app in response.context["app_list"]
        for model in app["models"]
    }
    assert models == {
        ("people", "Organization"),
        ("people", "Person"),
        ("people", "Team"),
        ("playbook", "Question"),
        ("playbook", "Template"),
    }


def test_it_registers_no_1_1_content_in_the_admin() -> None:
    registered = {model._meta.app_label for model in admin.site._registry}

    assert not registered & {"meetings", "activity"}


def test_it_leaves_organizations_to_superusers(
    ada: Person, acme: Organization, globex: Organization
) -> None:
    root = Person.objects.create_superuser("root@example.test", PASSWORD, name="Root")
    org_admin = client_for(ada)

    # An org admin sees their own organization only, and cannot add or remove one.
    listing = org_admin.get(reverse("admin:people_organization_changelist"))
    assert listing.status_code == 200
    assert [o.pk for o in listing.context["cl"].result_list] == [acme.pk]
    assert org_admin.get(reverse("admin:people_organization_add")).status_code == 403
    other = reverse("admin:people_organization_change", args=[globex.pk])
    assert org_admin.get(other).status_code in (302, 404)
    assert client_for(root).get(reverse("admin:people_organization_changelist")).status_code == 200
    assert (
        client_for(root)
        .get(reverse("admin:people_organization_change", args=[acme.pk]))
        .status_code
        == 200
    )


def test_it_lets_a_superuser_place_a_person_in_any_organization(
    globex: Organization, maya: Person
) -> None:
    root = Person.objects.create_superuser("root@example.test", PASSWORD, name="Root")
    client = client_for(root)

    assert client.get(reverse("admin:people_person_change", args=[maya.pk])).status_code == 200
    response = client.post(
        reverse("admin:people_person_add"),
        add_person_data(organization=str(globex.pk), manager=str(maya.pk)),
    )
    assert "manager" in response.context["adminform"].form.errors

    client.post(reverse("admin:people_person_add"), add_person_data(organization=str(globex.pk)))
    assert Person.objects.get(email="nia@acme.test").organization == globex

"""Creating organizations and adding people."""

import pytest
from django.core.exceptions import ValidationError

from people.models import Organization, Person, Team
from people.services import organization_create, person_add
from playbook.defaults import DEFAULT_QUESTIONS, DEFAULT_TEMPLATES
from tests.conftest import PASSWORD


def test_it_creates_an_organization_with_the_default_playbook(db: None) -> None:
    organization = organization_create(name="  Initech ")

    assert organization.name == "Initech"
    assert organization.questions.count() == len(DEFAULT_QUESTIONS)
    assert organization.templates.count() == len(DEFAULT_TEMPLATES)


def test_it_refuses_an_organization_without_a_name(db: None) -> None:
    with pytest.raises(ValidationError):
        organization_create(name="   ")

    assert not Organization.objects.exists()


def test_it_adds_a_person(acme: Organization, maya: Person) -> None:
    team = Team.objects.create(organization=acme, name="Platform")

    nia = person_add(
        organization=acme,
        email=" Nia@ACME.test ",
        name="Nia New",
        password=PASSWORD,
        manager=maya,
        title="Engineer",
        team=team,
        timezone="Asia/Tokyo",
    )

    nia.refresh_from_db()
    assert nia.email == "nia@acme.test"
    assert (nia.organization, nia.manager, nia.team) == (acme, maya, team)
    assert (nia.title, nia.timezone) == ("Engineer", "Asia/Tokyo")
    assert nia.check_password(PASSWORD)
    assert (nia.is_staff, nia.is_org_admin, nia.is_superuser) == (False, False, False)


def test_it_makes_an_org_admin_staff_but_not_superuser(acme: Organization) -> None:
    admin = person_add(
        organization=acme, email="a@acme.test", name="A", password=PASSWORD, is_org_admin=True
    )

    assert admin.is_org_admin
    assert admin.is_staff
    assert not admin.is_superuser


def test_it_adds_a_person_who_cannot_sign_in_yet(acme: Organization) -> None:
    nia = person_add(organization=acme, email="nia@acme.test", name="Nia", password=None)

    assert not nia.has_usable_password()


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": "MAYA@acme.test"}, "email"),
        ({"name": "  "}, "name"),
        ({"timezone": "Europe/Atlantis"}, None),
        ({"password": "password"}, None),
        ({"password": "nia@acme.test"}, None),
    ],
)
def test_it_refuses_bad_input(
    acme: Organization, maya: Person, fields: dict[str, str], error: str | None
) -> None:
    arguments = {"email": "nia@acme.test", "name": "Nia", "password": PASSWORD, **fields}

    with pytest.raises(ValidationError) as raised:
        person_add(organization=acme, **arguments)  # type: ignore[arg-type]

    if error is not None:
        assert error in raised.value.message_dict
    assert not Person.objects.filter(name="Nia").exists()


def test_it_refuses_a_manager_or_team_from_another_organization(
    acme: Organization, otto: Person, globex: Organization
) -> None:
    theirs = Team.objects.create(organization=globex, name="Globex platform")

    with pytest.raises(ValidationError):
        person_add(
            organization=acme, email="n@acme.test", name="N", password=PASSWORD, manager=otto
        )
    with pytest.raises(ValidationError):
        person_add(organization=acme, email="n@acme.test", name="N", password=PASSWORD, team=theirs)

    assert not Person.objects.filter(email="n@acme.test").exists()

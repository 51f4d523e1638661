"""Changing a person's place in the organization: validation and its effects."""

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError

from activity.models import Activity
from meetings.models import Relationship
from people.models import Organization, Person, Team
from people.services import manager_cycle, person_deactivate, person_reactivate, person_update
from tests.conftest import make_person


def _reload(person: Person) -> Person:
    return Person.objects.get(pk=person.pk)


def test_it_changes_the_profile_and_records_who_did_it(ada: Person, ravi: Person) -> None:
    changed = person_update(
        actor=ada, person=ravi, name=" Ravi Renamed ", title=" Staff engineer ", timezone="UTC"
    )

    ravi = _reload(ravi)
    assert sorted(changed) == ["name", "timezone", "title"]
    assert (ravi.name, ravi.title, ravi.timezone) == ("Ravi Renamed", "Staff engineer", "UTC")
    entry = Activity.objects.get(verb="person.update")
    assert (entry.actor, entry.object_uuid) == (ada, ravi.uuid)


def test_an_unchanged_form_writes_nothing(ada: Person, ravi: Person) -> None:
    assert person_update(actor=ada, person=ravi, name=ravi.name, manager=ravi.manager) == []
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"email": "not an address"}, "email"),
        ({"name": ""}, "name"),
        ({"title": "x" * 201}, "title"),
    ],
)
def test_bad_values_are_refused_and_change_nothing(
    ada: Person, ravi: Person, changes: dict[str, str], field: str
) -> None:
    before = _reload(ravi)

    with pytest.raises(ValidationError) as caught:
        person_update(actor=ada, person=ravi, **changes)

    assert field in caught.value.message_dict
    after = _reload(ravi)
    assert (after.email, after.name, after.title, after.timezone) == (
        before.email,
        before.name,
        before.title,
        before.timezone,
    )


def test_an_email_taken_by_someone_else_is_refused(ada: Person, ravi: Person, otto: Person) -> None:
    with pytest.raises(ValidationError) as caught:
        person_update(actor=ada, person=ravi, email="OTTO@globex.test")

    assert "email" in caught.value.message_dict


def test_a_new_email_becomes_the_verified_sign_in_address(ada: Person, ravi: Person) -> None:
    person_update(actor=ada, person=ravi, email="Ravi.New@Acme.test")

    assert _reload(ravi).email == "ravi.new@acme.test"
    addresses = list(EmailAddress.objects.filter(user=ravi).values_list("email", "verified"))
    assert addresses == [("ravi.new@acme.test", True)]


def test_a_manager_from_another_organization_is_refused(
    ada: Person, ravi: Person, otto: Person, maya: Person
) -> None:
    with pytest.raises(ValidationError) as caught:
        person_update(actor=ada, person=ravi, manager=otto)

    assert "manager" in caught.value.message_dict
    assert _reload(ravi).manager == maya


def test_a_manager_who_left_is_refused(ada: Person, ravi: Person, olga: Person) -> None:
    person_deactivate(actor=ada, person=olga)

    with pytest.raises(ValidationError, match="left"):
        person_update(actor=ada, person=ravi, manager=_reload(olga))


def test_a_team_from_another_organization_is_refused(
    ada: Person, ravi: Person, globex: Organization
) -> None:
    elsewhere = Team.objects.create(organization=globex, name="Elsewhere")

    with pytest.raises(ValidationError) as caught:
        person_update(actor=ada, person=ravi, team=elsewhere)

    assert "team" in caught.value.message_dict


def test_a_loop_in_the_reporting_line_is_refused(ada: Person, maya: Person, ravi: Person) -> None:
    """Maya manages Ravi; Ravi manages Nia. Neither Ravi nor Nia can become Maya's manager."""
    acme = maya.organization
    assert acme is not None
    nia = make_person(acme, "nia@acme.test", "Nia", manager=ravi)

    assert manager_cycle(maya, nia)
    assert manager_cycle(maya, maya)
    assert not manager_cycle(nia, maya)
    for boss in (ravi, nia):
        with pytest.raises(ValidationError, match="already reports to Maya"):
            person_update(actor=ada, person=maya, manager=boss)
    assert _reload(maya).manager is None


def test_an_admin_cannot_remove_their_own_admin_rights(ada: Person) -> None:
    with pytest.raises(ValidationError):
        person_update(actor=ada, person=ada, is_org_admin=False)

    assert _reload(ada).is_org_admin


def test_admin_rights_come_with_staff_access_and_go_with_it(ada: Person, ravi: Person) -> None:
    person_update(actor=ada, person=ravi, is_org_admin=True)
    assert _reload(ravi).is_staff

    person_update(actor=ada, person=ravi, is_org_admin=False)
    assert not _reload(ravi).is_staff


def test_unknown_fields_are_a_programming_error(ada: Person, ravi: Person) -> None:
    with pytest.raises(TypeError):
        person_update(actor=ada, person=ravi, is_superuser=True)


def test_leaving_and_coming_back(
    ada: Person, maya: Person, ravi: Person, one_on_one: Relationship
) -> None:
    person_deactivate(actor=ada, person=maya)

    maya = _reload(maya)
    assert not maya.is_active
    assert maya.deactivated_at is not None
    assert _reload(ravi).manager is None
    one_on_one.refresh_from_db()
    assert (one_on_one.status, one_on_one.end_reason) == ("ended", "left")

    person_reactivate(actor=ada, person=maya)

    maya = _reload(maya)
    assert maya.is_active
    assert maya.deactivated_at is None
    one_on_one.refresh_from_db()
    assert one_on_one.status == "ended", "ended 1:1s stay ended; a new one can start"
    verbs = list(Activity.objects.filter(object_uuid=maya.uuid).values_list("verb", flat=True))
    assert sorted(verbs) == ["person.deactivate", "person.reactivate"]


def test_an_admin_cannot_deactivate_themselves(ada: Person) -> None:
    with pytest.raises(ValidationError):
        person_deactivate(actor=ada, person=ada)

    assert _reload(ada).is_active

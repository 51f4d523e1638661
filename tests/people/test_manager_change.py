"""A manager change archives the 1:1 with the former manager, for both; a new one starts at once.

Whichever way the change comes (person_update from the app, a CSV import or SCIM, or the
Django admin), the old manager 1:1 ends with end_reason "manager_change" and stays
readable, read-only, for both participants; nothing of it passes to the new manager.
"""

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.urls import reverse

from meetings.models import Relationship
from meetings.schedule import Cadence, CadenceKind
from meetings.services.relationships import relationship_start
from people.models import Organization, Person
from people.services import person_update
from tests.conftest import client_for
from tests.people.test_admin import change_person_data

FIRST_DAY = date(2027, 1, 5)


@pytest.fixture
def clock(now: datetime) -> Iterator[time_machine.Traveller]:
    with time_machine.travel(now, tick=False) as traveller:
        yield traveller


def start(lead: Person, member: Person, kind: str = Relationship.Kind.MANAGER) -> Relationship:
    return relationship_start(
        actor=lead,
        other=member,
        kind=kind,
        cadence=Cadence(CadenceKind.WEEKLY, weekday=1),
        first_date=FIRST_DAY,
        local_time=time(10, 0),
        timezone="UTC",
        duration_minutes=30,
    )


def test_a_new_manager_archives_the_old_1on1_for_both(
    clock: time_machine.Traveller,
    one_on_one: Relationship,
    ada: Person,
    ravi: Person,
    olga: Person,
) -> None:
    clock.shift(timedelta(days=3))
    person_update(actor=ada, person=ravi, manager=olga)

    one_on_one.refresh_from_db()
    assert one_on_one.status == Relationship.Status.ENDED
    assert one_on_one.end_reason == Relationship.EndReason.MANAGER_CHANGE
    assert one_on_one.ended_at is not None
    assert one_on_one.schedules.filter(until__isnull=True).count() == 0


def test_the_new_manager_starts_a_manager_1on1_at_once(
    clock: time_machine.Traveller, one_on_one: Relationship, ada: Person, ravi: Person,
    olga: Person,
) -> None:  # fmt: skip
    person_update(actor=ada, person=ravi, manager=olga)
    ravi.refresh_from_db()

    new = start(olga, ravi)

    assert new.status == Relationship.Status.ACTIVE
    assert new.kind == Relationship.Kind.MANAGER


def test_the_former_manager_cannot_start_a_manager_1on1_any_more(
    clock: time_machine.Traveller, one_on_one: Relationship, ada: Person, ravi: Person,
    maya: Person, olga: Person,
) -> None:  # fmt: skip
    from django.core.exceptions import ValidationError

    person_update(actor=ada, person=ravi, manager=olga)
    ravi.refresh_from_db()

    with pytest.raises(ValidationError, match="does not report to you"):
        start(maya, ravi)


def test_other_kinds_of_1on1_are_kept(
    clock: time_machine.Traveller, acme: Organization, maya: Person, ravi: Person, ada: Person,
    olga: Person,
) -> None:  # fmt: skip
    mentoring = start(maya, ravi, Relationship.Kind.MENTOR)

    person_update(actor=ada, person=ravi, manager=olga)

    mentoring.refresh_from_db()
    assert mentoring.status == Relationship.Status.ACTIVE


def test_a_change_that_is_no_change_archives_nothing(
    clock: time_machine.Traveller, one_on_one: Relationship, ada: Person, ravi: Person,
    maya: Person,
) -> None:  # fmt: skip
    person_update(actor=ada, person=ravi, manager=maya, title="Engineer")

    one_on_one.refresh_from_db()
    assert one_on_one.status == Relationship.Status.ACTIVE


def test_both_read_the_archived_1on1_with_a_banner_and_cannot_write(
    clock: time_machine.Traveller, one_on_one: Relationship, ada: Person, ravi: Person,
    maya: Person, olga: Person,
) -> None:  # fmt: skip
    person_update(actor=ada, person=ravi, manager=olga)
    url = reverse("meetings:relationship", args=[one_on_one.uuid])
    add_point = reverse("meetings:point_add", args=[one_on_one.uuid])

    for person in (maya, ravi):
        client = client_for(person)
        page = client.get(url)
        assert page.status_code == 200
        assert (
            "Archived on 4 January 2027 because the reporting line changed" in page.content.decode()
        )
        assert client.post(add_point, {"text": "Still here?", "theme": "other"}).status_code == 403


def test_the_new_manager_sees_nothing_of_the_old_1on1(
    clock: time_machine.Traveller, one_on_one: Relationship, ada: Person, ravi: Person,
    olga: Person,
) -> None:  # fmt: skip
    person_update(actor=ada, person=ravi, manager=olga)
    client = client_for(olga)

    for name in ("relationship", "plan", "live"):
        assert client.get(reverse(f"meetings:{name}", args=[one_on_one.uuid])).status_code == 404
    assert str(one_on_one.uuid) not in client.get(reverse("meetings:home")).content.decode()


def test_the_django_admin_archives_too(
    clock: time_machine.Traveller, one_on_one: Relationship, ada: Person, ravi: Person,
    olga: Person,
) -> None:  # fmt: skip
    url = reverse("admin:people_person_change", args=[ravi.pk])

    response = client_for(ada).post(url, change_person_data(ravi, manager=str(olga.pk)))

    assert response.status_code == 302, response.content.decode()[:3000]
    ravi.refresh_from_db()
    assert ravi.manager == olga
    one_on_one.refresh_from_db()
    assert one_on_one.status == Relationship.Status.ENDED
    assert one_on_one.end_reason == Relationship.EndReason.MANAGER_CHANGE


def test_the_django_admin_deactivates_through_the_service(
    clock: time_machine.Traveller, one_on_one: Relationship, ada: Person, ravi: Person
) -> None:
    url = reverse("admin:people_person_change", args=[ravi.pk])

    response = client_for(ada).post(url, change_person_data(ravi, is_active="off"))

    assert response.status_code == 302, response.content.decode()[:3000]
    ravi.refresh_from_db()
    assert not ravi.is_active
    assert ravi.deactivated_at is not None
    one_on_one.refresh_from_db()
    assert one_on_one.end_reason == Relationship.EndReason.LEFT

"""Sharing chosen meetings of an archived manager 1:1 with the new manager, and withdrawing.

World (tests/meetings/test_shares_world.py): Maya and Ravi held two meetings, then Ravi's
manager changed from Maya to Olga, which archived their 1:1.
"""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from activity.models import Activity
from meetings.models import Meeting, MeetingShare, Relationship
from meetings.schedule import Cadence, CadenceKind
from meetings.services.relationships import relationship_start
from meetings.services.shares import meetings_share, share_withdraw, shares_withdraw_all
from people.models import Organization, Person
from people.services import person_update
from tests.conftest import client_for, make_person
from tests.meetings.test_shares_world import (
    SHARED_NOTES_ONE,
    SHARED_NOTES_TWO,
    World,
    build,
)

pytestmark = pytest.mark.usefixtures("fast_passwords")


@pytest.fixture
def world(
    clock: time_machine.Traveller, one_on_one: Relationship, ada: Person, olga: Person
) -> World:
    return build(clock, one_on_one, ada, olga)


def share(world: World, *meetings: Meeting) -> list[MeetingShare]:
    ravi = Person.objects.get(pk=world.old.member_id)
    return meetings_share(
        actor=ravi, relationship=world.old, meeting_uuids=[m.uuid for m in meetings]
    )


def start_with_olga(olga: Person, ravi: Person) -> Relationship:
    return relationship_start(
        actor=olga,
        other=ravi,
        kind=Relationship.Kind.MANAGER,
        cadence=Cadence(CadenceKind.WEEKLY, weekday=3),
        first_date=date(2027, 1, 21),
        local_time=time(9, 0),
        timezone="UTC",
        duration_minutes=30,
    )


# --- services --------------------------------------------------------------------------


def test_the_world_is_archived_by_the_manager_change(world: World, ravi: Person) -> None:
    assert world.old.status == Relationship.Status.ENDED
    assert world.old.end_reason == Relationship.EndReason.MANAGER_CHANGE
    assert world.first.status == world.second.status == Meeting.Status.HELD


def test_sharing_creates_one_share_per_meeting_to_the_current_manager(
    world: World, ravi: Person, olga: Person
) -> None:
    created = share(world, world.first, world.second)

    shares = MeetingShare.objects.order_by("meeting__start")
    assert [s.meeting_id for s in shares] == [world.first.pk, world.second.pk]
    assert {(s.shared_by_id, s.shared_with_id) for s in shares} == {(ravi.pk, olga.pk)}
    assert len(created) == 2
    assert {s.organization_id for s in shares} == {world.old.organization_id}


def test_sharing_is_recorded_without_content(world: World, ravi: Person) -> None:
    [created] = share(world, world.first)

    activity = Activity.objects.get(verb="meeting.share")
    assert activity.actor_id == ravi.pk
    assert activity.object_uuid == created.uuid
    assert activity.object_type == "MeetingShare"
    values = " ".join(str(v) for v in Activity.objects.values_list().get(pk=activity.pk))
    assert SHARED_NOTES_ONE not in values


def test_sharing_twice_changes_nothing(world: World) -> None:
    share(world, world.first)

    again = share(world, world.first, world.second)

    assert [s.meeting_id for s in again] == [world.second.pk]
    assert MeetingShare.objects.count() == 2


def test_only_the_team_member_shares(world: World, maya: Person) -> None:
    with pytest.raises(PermissionDenied):
        meetings_share(actor=maya, relationship=world.old, meeting_uuids=[world.first.uuid])
    assert not MeetingShare.objects.exists()


def test_an_ongoing_1on1_cannot_be_shared(
    world: World, ravi: Person, olga: Person, clock: time_machine.Traveller
) -> None:
    new = start_with_olga(olga, ravi)
    with pytest.raises(PermissionDenied):
        meetings_share(actor=ravi, relationship=new, meeting_uuids=[world.first.uuid])


def test_a_1on1_ended_by_its_participants_is_not_archived(
    clock: time_machine.Traveller, one_on_one: Relationship, maya: Person, ravi: Person
) -> None:
    from meetings.services.relationships import relationship_end

    relationship_end(actor=maya, relationship=one_on_one)
    with pytest.raises(PermissionDenied):
        meetings_share(actor=ravi, relationship=one_on_one, meeting_uuids=[])


@pytest.mark.parametrize("what", ["nothing", "unknown", "other 1:1", "not held"])
def test_it_refuses_meetings_that_are_not_held_meetings_of_this_1on1(
    world: World, ravi: Person, olga: Person, oren: Person, what: str
) -> None:
    if what == "nothing":
        uuids = []
    elif what == "unknown":
        uuids = [world.first.uuid, Meeting().uuid]
    elif what == "other 1:1":
        other = start_with_olga(olga, oren)
        meeting = Meeting.objects.create(
            organization_id=other.organization_id,
            relationship=other,
            occurrence_start=datetime(2027, 1, 21, 9, tzinfo=UTC),
            start=datetime(2027, 1, 21, 9, tzinfo=UTC),
            duration_minutes=30,
            status=Meeting.Status.HELD,
        )
        uuids = [world.first.uuid, meeting.uuid]
    else:
        Meeting.objects.filter(pk=world.second.pk).update(status=Meeting.Status.CANCELLED)
        uuids = [world.first.uuid, world.second.uuid]

    with pytest.raises(ValidationError):
        meetings_share(actor=ravi, relationship=world.old, meeting_uuids=uuids)
    assert not MeetingShare.objects.exists()


def test_without_a_manager_there_is_nobody_to_share_with(
    world: World, ravi: Person, ada: Person
) -> None:
    person_update(actor=ada, person=ravi, manager=None)

    with pytest.raises(ValidationError, match="no manager"):
        share(world, world.first)
    assert not MeetingShare.objects.exists()


def test_the_former_manager_is_never_a_share_target(
    world: World, ravi: Person, maya: Person, ada: Person
) -> None:
    """Back with Maya, Ravi's current manager is a participant of the archived 1:1."""
    person_update(actor=ada, person=ravi, manager=maya)

    with pytest.raises(ValidationError):
        share(world, world.first)
    assert not MeetingShare.objects.exists()


def test_withdrawing_one_share(world: World, ravi: Person) -> None:
    first, second = share(world, world.first, world.second)

    share_withdraw(actor=ravi, relationship=world.old, share_uuid=first.uuid)

    assert list(MeetingShare.objects.all()) == [second]
    assert Activity.objects.filter(verb="meeting.share_withdraw").count() == 1


def test_withdrawing_all_shares(world: World, ravi: Person) -> None:
    share(world, world.first, world.second)

    assert shares_withdraw_all(actor=ravi, relationship=world.old) == 2
    assert not MeetingShare.objects.exists()
    assert shares_withdraw_all(actor=ravi, relationship=world.old) == 0


def test_withdrawing_a_share_that_is_gone_is_refused(world: World, ravi: Person) -> None:
    [first] = share(world, world.first)
    share_withdraw(actor=ravi, relationship=world.old, share_uuid=first.uuid)

    with pytest.raises(ValidationError):
        share_withdraw(actor=ravi, relationship=world.old, share_uuid=first.uuid)


def test_only_the_sharer_withdraws(world: World, maya: Person) -> None:
    [first] = share(world, world.first)

    with pytest.raises(PermissionDenied):
        share_withdraw(actor=maya, relationship=world.old, share_uuid=first.uuid)
    with pytest.raises(PermissionDenied):
        shares_withdraw_all(actor=maya, relationship=world.old)
    assert MeetingShare.objects.count() == 1


# --- the archived page ----------------------------------------------------------------------


def archived_page(world: World, person: Person) -> str:
    response = client_for(person).get(reverse("meetings:relationship", args=[world.old.uuid]))
    assert response.status_code == 200
    return response.content.decode()


def test_both_see_why_the_1on1_was_archived(world: World, maya: Person, ravi: Person) -> None:
    for person in (maya, ravi):
        page = archived_page(world, person)
        assert "Archived on 13 January 2027 because the reporting line changed" in page


def test_the_team_member_gets_the_share_form(world: World, ravi: Person) -> None:
    page = archived_page(world, ravi)

    assert "Share with your new manager" in page
    assert f'name="meeting" value="{world.first.uuid}"' in page
    assert f'name="meeting" value="{world.second.uuid}"' in page
    assert "Share the chosen meetings with Olga" in page


def test_the_former_manager_gets_no_share_form(world: World, maya: Person) -> None:
    page = archived_page(world, maya)

    assert "Share with your new manager" not in page
    assert 'name="meeting"' not in page


def test_shared_meetings_show_as_shared_with_a_withdraw_button(world: World, ravi: Person) -> None:
    archived_page(world, ravi)  # cached before the share: the share must refresh it
    [first] = share(world, world.first)

    page = archived_page(world, ravi)

    assert "Shared with Olga Othermanager" in page
    assert f'name="withdraw" value="{first.uuid}"' in page
    assert f'name="meeting" value="{world.first.uuid}"' not in page
    assert "Withdraw the share" in page


def test_sharing_through_the_page(world: World, ravi: Person, olga: Person) -> None:
    url = reverse("meetings:share", args=[world.old.uuid])

    response = client_for(ravi).post(url, {"meeting": [str(world.first.uuid)]})

    assert response.status_code == 302
    assert response["Location"].endswith("#share")
    assert MeetingShare.objects.get().shared_with == olga


def test_sharing_nothing_through_the_page_says_why(world: World, ravi: Person) -> None:
    client = client_for(ravi)
    url = reverse("meetings:share", args=[world.old.uuid])

    for data in ({}, {"meeting": ["not-a-uuid"]}):
        response = client.post(url, data, follow=True)
        assert response.status_code == 200
        text = response.content.decode()
        assert "Choose at least one meeting to share." in text or "Choose meetings" in text
    assert not MeetingShare.objects.exists()


def test_withdrawing_through_the_page(world: World, ravi: Person) -> None:
    first, second = share(world, world.first, world.second)
    client = client_for(ravi)
    url = reverse("meetings:share_withdraw", args=[world.old.uuid])

    assert client.post(url, {"withdraw": str(first.uuid)}).status_code == 302
    assert list(MeetingShare.objects.all()) == [second]
    assert client.post(url, {"all": "1"}).status_code == 302
    assert not MeetingShare.objects.exists()


# --- the new manager ----------------------------------------------------------------------


def shared_url(ravi: Person) -> str:
    return reverse("meetings:shared_history", args=[ravi.uuid])


def test_the_new_manager_reads_the_shared_meetings(
    world: World, ravi: Person, olga: Person
) -> None:
    share(world, world.first)

    response = client_for(olga).get(shared_url(ravi))

    assert response.status_code == 200
    page = response.content.decode()
    assert f"<strong>{SHARED_NOTES_ONE}</strong>" in page  # Markdown, as on the meeting page
    assert "Tuesday 5 January 2027" in page
    assert SHARED_NOTES_TWO not in page  # not shared


def test_nothing_shared_is_404(world: World, ravi: Person, olga: Person) -> None:
    assert client_for(olga).get(shared_url(ravi)).status_code == 404


def test_a_withdrawn_share_is_gone_at_once(world: World, ravi: Person, olga: Person) -> None:
    [first] = share(world, world.first)
    client = client_for(olga)
    assert client.get(shared_url(ravi)).status_code == 200

    share_withdraw(actor=ravi, relationship=world.old, share_uuid=first.uuid)

    assert client.get(shared_url(ravi)).status_code == 404


def test_a_new_manager_who_left_reads_nothing(world: World, ravi: Person, olga: Person) -> None:
    share(world, world.first)
    Person.objects.filter(pk=olga.pk).update(is_active=False)
    olga.refresh_from_db()

    from meetings.access import shares_visible_to

    assert not shares_visible_to(olga).exists()


def test_the_new_manager_gets_a_prompt_to_start_a_1on1(
    world: World, ravi: Person, olga: Person, oren: Person
) -> None:
    client = client_for(olga)
    page = client.get(reverse("meetings:home")).content.decode()

    start = reverse("meetings:relationship_new") + f"?with={ravi.uuid}"
    assert "Ravi Report now reports to you" in page
    assert f'href="{start}"' in page
    assert "Oren Otherreport now reports to you" in page  # no 1:1 with Oren either
    form = client.get(start)
    assert form.context["form"]["other"].value() == ravi.pk
    assert form.context["form"]["kind"].value() == Relationship.Kind.MANAGER


def test_the_new_manager_starts_the_1on1_at_once(world: World, ravi: Person, olga: Person) -> None:
    new = start_with_olga(olga, ravi)

    assert new.status == Relationship.Status.ACTIVE
    page = client_for(olga).get(reverse("meetings:home")).content.decode()
    assert "Ravi Report now reports to you" not in page


def test_the_former_manager_gets_no_prompt(world: World, maya: Person) -> None:
    page = client_for(maya).get(reverse("meetings:home")).content.decode()

    assert "now reports to you" not in page


def test_the_new_managers_pages_link_to_the_shared_meetings(
    world: World, ravi: Person, olga: Person
) -> None:
    new = start_with_olga(olga, ravi)
    client = client_for(olga)
    rel_url = reverse("meetings:relationship", args=[new.uuid])
    home_url = reverse("meetings:home")
    assert shared_url(ravi) not in client.get(rel_url).content.decode()
    assert shared_url(ravi) not in client.get(home_url).content.decode()

    [first] = share(world, world.first)

    # At once: sharing refreshes Olga's cached pages of her 1:1 with Ravi.
    assert shared_url(ravi) in client.get(rel_url).content.decode()
    assert shared_url(ravi) in client.get(home_url).content.decode()
    share_withdraw(actor=ravi, relationship=world.old, share_uuid=first.uuid)
    assert shared_url(ravi) not in client.get(rel_url).content.decode()
    assert shared_url(ravi) not in client.get(home_url).content.decode()
    share(world, world.first)
    # Ravi's own page of the new 1:1 has no such link.
    ravi_page = client_for(ravi).get(rel_url).content.decode()
    assert shared_url(ravi) not in ravi_page


def test_the_shared_page_costs_the_same_for_one_meeting_or_many(
    world: World, ravi: Person, olga: Person, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client = client_for(olga)
    share(world, world.first)
    client.get(shared_url(ravi))
    with CaptureQueriesContext(connection) as one:
        client.get(shared_url(ravi))

    share(world, world.second)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(shared_url(ravi))

    assert response.content.decode().count('<section class="record"') == 2
    assert len(one.captured_queries) == SHARED_HISTORY_QUERIES


# session, person, the sharer, the shares with their meetings, discussed, carried, planned.
SHARED_HISTORY_QUERIES = 7


def test_every_url_of_the_old_1on1_is_404_for_the_new_manager(
    world: World, olga: Person, ravi: Person
) -> None:
    """Olga takes no part in the archived 1:1: it does not exist for her, even when shared."""
    from meetings import urls
    from tests.meetings.test_permissions_shares import old_1on1_urls

    share(world, world.first, world.second)
    client = client_for(olga)
    checked = 0
    for name, url in old_1on1_urls(world, urls.urlpatterns):
        statuses = {client.get(url).status_code, client.post(url, {}).status_code}
        # The method the URL takes answers 404; the other one 405, as for anyone.
        assert 404 in statuses, (name, statuses)
        assert statuses <= {404, 405}, (name, statuses)
        checked += 1
    assert checked >= 20
    assert MeetingShare.objects.count() == 2


def test_the_changed_world_keeps_the_clock(world: World) -> None:
    assert world.old.ended_at is not None
    assert world.old.ended_at.date() == (world.second.start + timedelta(days=1)).date()


def test_my_1on1s_costs_the_same_with_any_number_of_prompts(
    world: World, ravi: Person, olga: Person, acme: Organization
) -> None:
    """The prompts and the shared link come from the query that listed direct reports."""
    from django.core.cache import caches

    from meetings.pagecache import ALIAS

    client = client_for(olga)
    url = reverse("meetings:home")

    def count() -> tuple[int, str]:
        client.get(url)
        caches[ALIAS].clear()
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        return len(queries.captured_queries), page

    few, _ = count()
    for n in range(5):
        make_person(acme, f"new{n}@acme.test", f"New Report {n}", manager=olga)
    share(world, world.first)
    many, page = count()

    assert few == many
    assert page.count("now reports to you") == 6  # Ravi and the five new ones
    assert reverse("meetings:shared_history", args=[ravi.uuid]) in page

"""Pushing 1:1s to a CalDAV calendar, against a real Radicale server on loopback.

What lands in the calendar is read back over HTTP, parsed with icalendar and expanded
with recurring-ical-events; the expansion must be exactly the meetings Rapport has.
"""

from datetime import UTC, date, datetime, time, timedelta

import icalendar
import pytest
import recurring_ical_events  # type: ignore[import-untyped]
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.fixtures import Settings

from lib.secrets import decrypt, encrypt
from meetings.models import Meeting, Relationship
from meetings.occurrences import upcoming
from meetings.schedule import Cadence, CadenceKind
from meetings.services.meetings import meeting_cancel, meeting_reopen, meeting_reschedule
from meetings.services.relationships import (
    relationship_change_cadence,
    relationship_end,
    relationship_pause,
    relationship_resume,
    relationship_start,
)
from notifications.caldav import caldav_connect, caldav_disconnect, caldav_push_all
from notifications.models import CalDavAccount, Delivery
from people.models import Person
from tests.conftest import client_for
from tests.support.radicale import USERS, RadicaleServer
from tests.support.smtp import free_port
from tests.support.worker import run_worker

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_urls_allowed")]

# Maya and Ravi meet on Tuesdays at 10:00 New York time (15:00 UTC in winter).
FIRST = datetime(2027, 1, 5, 15, 0, tzinfo=UTC)
SECOND = FIRST + timedelta(days=7)
THIRD = FIRST + timedelta(days=14)
# A window that reaches over the start of daylight saving time in New York (14 March).
LO = datetime(2027, 1, 1, tzinfo=UTC)
HI = datetime(2027, 6, 1, tzinfo=UTC)


def connect(person: Person, url: str, user: str = "alice") -> CalDavAccount:
    return caldav_connect(person=person, url=url, username=user, password=USERS[user])


def start(maya: Person, ravi: Person) -> Relationship:
    return relationship_start(
        actor=maya,
        other=ravi,
        kind=Relationship.Kind.MANAGER,
        cadence=Cadence(CadenceKind.WEEKLY, weekday=1),
        first_date=date(2027, 1, 5),
        local_time=time(10, 0),
        timezone="America/New_York",
        duration_minutes=30,
    )


def rapport_starts(relationship: Relationship) -> set[datetime]:
    """When Rapport says the meetings of a series take place, in [LO, HI) (its own selector)."""
    schedules = list(relationship.schedules.order_by("starts_at", "pk"))
    rows = list(Meeting.objects.filter(relationship=relationship))
    return {
        o.start
        for o in upcoming(schedules, rows, now=LO, count=100)
        if o.status in (Meeting.Status.SCHEDULED, Meeting.Status.HELD) and o.start < HI
    }


def utc(value: object) -> datetime:
    assert isinstance(value, datetime)
    return value.astimezone(UTC)


def stored(radicale: RadicaleServer, url: str, user: str = "alice") -> list[icalendar.Calendar]:
    return [icalendar.Calendar.from_ical(text) for text in radicale.resources(url, user).values()]


def calendar_starts(radicale: RadicaleServer, url: str, user: str = "alice") -> set[datetime]:
    """The meetings the CalDAV calendar holds in [LO, HI), expanded like a calendar app."""
    found = set()
    for calendar in stored(radicale, url, user):
        for event in recurring_ical_events.of(calendar).between(LO, HI):
            found.add(utc(event.decoded("DTSTART")))
    return found


# -- Connecting -------------------------------------------------------------------


def test_connecting_checks_the_calendar_and_keeps_the_password_encrypted(
    maya: Person, calendar_url: str
) -> None:
    account = connect(maya, calendar_url)

    assert account.url == calendar_url
    assert account.username == "alice"
    assert USERS["alice"] not in account.password_encrypted
    assert decrypt(account.password_encrypted) == USERS["alice"]
    assert account.is_active


def test_the_address_gets_its_trailing_slash(maya: Person, calendar_url: str) -> None:
    assert connect(maya, calendar_url.rstrip("/")).url == calendar_url


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("wrong password", "did not accept this user name and password"),
        ("not a calendar", "is a folder, not a calendar"),
        ("not found", "There is nothing at this address"),
        ("someone else's", "does not let this account use that calendar"),
        ("unreachable", "could not reach the calendar server"),
        ("not a web address", "not a complete web address"),
        ("a query", "may not contain a ? or a #"),
    ],
)
def test_a_bad_connection_is_refused_with_a_clear_message_and_saves_nothing(
    maya: Person, radicale_up: RadicaleServer, calendar_url: str, case: str, message: str
) -> None:
    url, password = calendar_url, USERS["alice"]
    if case == "wrong password":
        password = "not-the-password"
    elif case == "not a calendar":
        url = radicale_up.principal("alice")
    elif case == "not found":
        url = f"{radicale_up.base_url}/alice/nothing-here/"
    elif case == "someone else's":
        url = radicale_up.calendar("bob", "bobs")
    elif case == "unreachable":
        url = f"http://127.0.0.1:{free_port()}/alice/work/"
    elif case == "a query":
        url = calendar_url + "?export"
    else:
        url = "calendar please"

    with pytest.raises(ValidationError) as refused:
        caldav_connect(person=maya, url=url, username="alice", password=password)

    assert message in " ".join(refused.value.messages)
    assert password not in " ".join(refused.value.messages)
    assert not CalDavAccount.objects.exists()
    assert not Delivery.objects.filter(channel=Delivery.Channel.CALDAV).exists()


def test_private_addresses_are_refused_unless_the_operator_allows_them(
    maya: Person, calendar_url: str, settings: Settings
) -> None:
    settings.RAPPORT_ALLOW_PRIVATE_URLS = False

    with pytest.raises(ValidationError, match="must start with https://"):
        connect(maya, calendar_url)
    https = calendar_url.replace("http://", "https://")
    with pytest.raises(ValidationError, match="private or local network"):
        connect(maya, https)
    assert not CalDavAccount.objects.exists()


def test_a_push_to_a_now_private_address_gives_up_without_calling_it(
    maya: Person, ravi: Person, radicale_up: RadicaleServer, calendar_url: str, settings: Settings
) -> None:
    connect(maya, calendar_url)
    start(maya, ravi)
    settings.RAPPORT_ALLOW_PRIVATE_URLS = False  # checked again at send time

    run_worker()

    delivery = Delivery.objects.get(channel=Delivery.Channel.CALDAV)
    assert delivery.status == Delivery.Status.GAVE_UP
    assert "https" in delivery.last_error
    assert radicale_up.resources(calendar_url, "alice") == {}


# -- Pushing ------------------------------------------------------------------------


def test_a_new_series_lands_in_the_calendar_with_its_zone(
    maya: Person, ravi: Person, radicale_up: RadicaleServer, calendar_url: str
) -> None:
    connect(maya, calendar_url)
    relationship = start(maya, ravi)

    run_worker()

    delivery = Delivery.objects.get(channel=Delivery.Channel.CALDAV, relationship=relationship)
    assert delivery.status == Delivery.Status.SENT
    assert delivery.kind == Delivery.Kind.CALENDAR_PUSH
    assert delivery.person == maya
    (calendar,) = stored(radicale_up, calendar_url)
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("RRULE")["FREQ"] == ["WEEKLY"]
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    starts = calendar_starts(radicale_up, calendar_url)
    assert starts == rapport_starts(relationship)
    # 10:00 in New York before and after daylight saving time starts on 14 March.
    assert FIRST in starts
    assert datetime(2027, 3, 16, 14, 0, tzinfo=UTC) in starts
    account = CalDavAccount.objects.get(person=maya)
    assert account.last_push_at is not None
    assert account.last_error == ""


def test_only_participants_with_a_connected_calendar_get_pushes(
    maya: Person, ravi: Person, olga: Person, radicale_up: RadicaleServer, calendar_url: str
) -> None:
    bobs = radicale_up.calendar("bob", "ravi-1on1s")
    connect(maya, calendar_url)
    connect(ravi, bobs, user="bob")
    connect(olga, radicale_up.calendar("alice", "olgas"))
    relationship = start(maya, ravi)

    run_worker()

    pushed = Delivery.objects.filter(channel=Delivery.Channel.CALDAV, relationship=relationship)
    assert sorted(d.person.email for d in pushed if d.person) == [maya.email, ravi.email]
    assert calendar_starts(radicale_up, calendar_url) == rapport_starts(relationship)
    assert calendar_starts(radicale_up, bobs, "bob") == rapport_starts(relationship)


def test_connecting_pushes_the_series_that_already_exist(
    maya: Person, ravi: Person, radicale_up: RadicaleServer, calendar_url: str
) -> None:
    relationship = start(maya, ravi)
    run_worker()

    connect(maya, calendar_url)
    run_worker()

    assert calendar_starts(radicale_up, calendar_url) == rapport_starts(relationship)


def test_moves_cancellations_and_a_new_cadence_update_the_calendar(
    maya: Person,
    ravi: Person,
    radicale_up: RadicaleServer,
    calendar_url: str,
    clock: time_machine.Traveller,
) -> None:
    connect(maya, calendar_url)
    relationship = start(maya, ravi)
    run_worker()

    moved_to = SECOND + timedelta(days=1, hours=2)
    meeting_reschedule(
        actor=ravi, relationship=relationship, key=SECOND, new_start=moved_to, reason=""
    )
    meeting_cancel(actor=maya, relationship=relationship, key=THIRD, reason="Offsite")
    run_worker()

    starts = calendar_starts(radicale_up, calendar_url)
    assert moved_to in starts
    assert SECOND not in starts
    assert THIRD not in starts
    assert starts == rapport_starts(relationship)
    (calendar,) = stored(radicale_up, calendar_url)
    override = [e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" in e]
    assert [utc(e.decoded("RECURRENCE-ID")) for e in override] == [SECOND]

    # Every 2 weeks on Thursdays at 9:00 Berlin time from February.
    relationship_change_cadence(
        actor=maya,
        relationship=relationship,
        cadence=Cadence(CadenceKind.BIWEEKLY, weekday=3),
        from_date=date(2027, 2, 1),
        local_time=time(9, 0),
        timezone="Europe/Berlin",
        duration_minutes=45,
    )
    run_worker()

    assert len(radicale_up.resources(calendar_url, "alice")) == 2
    starts = calendar_starts(radicale_up, calendar_url)
    assert starts == rapport_starts(relationship)
    assert datetime(2027, 2, 4, 8, 0, tzinfo=UTC) in starts
    assert datetime(2027, 2, 2, 15, 0, tzinfo=UTC) not in starts


def test_a_reopened_meeting_comes_back(
    maya: Person,
    ravi: Person,
    radicale_up: RadicaleServer,
    calendar_url: str,
    clock: time_machine.Traveller,
) -> None:
    connect(maya, calendar_url)
    relationship = start(maya, ravi)
    cancelled = meeting_cancel(actor=maya, relationship=relationship, key=SECOND, reason="")
    run_worker()
    assert SECOND not in calendar_starts(radicale_up, calendar_url)

    meeting_reopen(actor=maya, relationship=relationship, meeting=cancelled)
    run_worker()

    assert SECOND in calendar_starts(radicale_up, calendar_url)
    assert calendar_starts(radicale_up, calendar_url) == rapport_starts(relationship)


def test_pausing_and_resuming_follow_the_series(
    maya: Person,
    ravi: Person,
    radicale_up: RadicaleServer,
    calendar_url: str,
    clock: time_machine.Traveller,
) -> None:
    connect(maya, calendar_url)
    relationship = start(maya, ravi)
    clock.move_to(SECOND + timedelta(hours=2))
    relationship_pause(actor=maya, relationship=relationship)
    run_worker()
    assert calendar_starts(radicale_up, calendar_url) == {FIRST, SECOND}

    relationship_resume(actor=maya, relationship=relationship, from_date=date(2027, 3, 1))
    run_worker()

    starts = calendar_starts(radicale_up, calendar_url)
    assert starts == rapport_starts(relationship)
    assert THIRD not in starts
    assert datetime(2027, 3, 2, 15, 0, tzinfo=UTC) in starts


def test_an_ended_series_keeps_its_history_and_loses_its_future(
    maya: Person,
    ravi: Person,
    radicale_up: RadicaleServer,
    calendar_url: str,
    clock: time_machine.Traveller,
) -> None:
    connect(maya, calendar_url)
    relationship = start(maya, ravi)
    run_worker()
    clock.move_to(SECOND + timedelta(hours=2))

    relationship_end(actor=maya, relationship=relationship)
    run_worker()

    assert calendar_starts(radicale_up, calendar_url) == {FIRST, SECOND}
    assert rapport_starts(relationship) == {FIRST, SECOND}


def test_a_plan_replaced_before_its_first_meeting_is_deleted_from_the_calendar(
    maya: Person,
    ravi: Person,
    radicale_up: RadicaleServer,
    calendar_url: str,
    clock: time_machine.Traveller,
) -> None:
    connect(maya, calendar_url)
    relationship = start(maya, ravi)
    run_worker()
    assert len(radicale_up.resources(calendar_url, "alice")) == 1

    # Still 4 January: the weekly plan never had a meeting; only the new one remains.
    relationship_change_cadence(
        actor=maya,
        relationship=relationship,
        cadence=Cadence(CadenceKind.WEEKLY, weekday=2),
        from_date=date(2027, 1, 4),
        local_time=time(11, 0),
        timezone="America/New_York",
        duration_minutes=30,
    )
    run_worker()

    assert len(radicale_up.resources(calendar_url, "alice")) == 1
    assert calendar_starts(radicale_up, calendar_url) == rapport_starts(relationship)


def test_each_push_runs_once_and_a_newer_one_makes_an_older_one_unneeded(
    maya: Person, ravi: Person, radicale_up: RadicaleServer, calendar_url: str
) -> None:
    connect(maya, calendar_url)
    relationship = start(maya, ravi)
    caldav_push_all(person=maya)

    run_worker()
    run_worker()

    pushes = Delivery.objects.filter(channel=Delivery.Channel.CALDAV).order_by("pk")
    assert [d.status for d in pushes] == [Delivery.Status.SKIPPED, Delivery.Status.SENT]
    assert all(d.attempts == 1 for d in pushes)
    assert calendar_starts(radicale_up, calendar_url) == rapport_starts(relationship)


def test_nothing_is_pushed_to_a_person_who_has_left(
    maya: Person, ravi: Person, radicale_up: RadicaleServer, calendar_url: str
) -> None:
    connect(ravi, calendar_url)
    start(maya, ravi)
    Person.objects.filter(pk=ravi.pk).update(is_active=False)

    run_worker()

    assert Delivery.objects.get(channel=Delivery.Channel.CALDAV).status == "skipped"
    assert radicale_up.resources(calendar_url, "alice") == {}


# -- Failures ---------------------------------------------------------------------


def test_a_stopped_server_is_retried_with_backoff_and_the_failure_is_visible(
    maya: Person,
    ravi: Person,
    radicale_up: RadicaleServer,
    calendar_url: str,
    clock: time_machine.Traveller,
) -> None:
    connect(maya, calendar_url)
    radicale_up.stop()
    try:
        relationship = start(maya, ravi)
        run_worker()

        delivery = Delivery.objects.get(channel=Delivery.Channel.CALDAV)
        assert delivery.status == Delivery.Status.FAILED
        assert delivery.last_error == "Rapport could not reach the calendar server."
        assert delivery.due_at == datetime(2027, 1, 4, 8, 1, tzinfo=UTC)
        account = CalDavAccount.objects.get(person=maya)
        assert account.last_error == delivery.last_error
        page = client_for(maya).get(reverse("notifications:caldav")).content.decode()
        assert "Rapport could not reach the calendar server." in page

        clock.shift(timedelta(seconds=61))
        run_worker()  # still down: the second attempt fails, the next waits 4 minutes
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, 2)
        assert delivery.due_at == datetime(2027, 1, 4, 8, 5, 1, tzinfo=UTC)
    finally:
        radicale_up.start()

    clock.shift(timedelta(minutes=3))
    run_worker()  # not due yet
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    clock.shift(timedelta(minutes=1, seconds=1))
    run_worker()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 3)
    assert calendar_starts(radicale_up, calendar_url) == rapport_starts(relationship)
    account.refresh_from_db()
    assert account.last_error == ""


def test_a_password_the_server_no_longer_accepts_gives_up_at_once_without_leaking_it(
    maya: Person, ravi: Person, radicale_up: RadicaleServer, calendar_url: str
) -> None:
    account = connect(maya, calendar_url)
    CalDavAccount.objects.filter(pk=account.pk).update(
        password_encrypted=encrypt("a-changed-secret")
    )
    start(maya, ravi)

    run_worker()

    delivery = Delivery.objects.get(channel=Delivery.Channel.CALDAV)
    assert delivery.status == Delivery.Status.GAVE_UP
    assert delivery.attempts == 1
    assert delivery.response_status == 401
    assert "no longer accepts" in delivery.last_error
    assert "a-changed-secret" not in delivery.last_error
    account.refresh_from_db()
    assert "no longer accepts" in account.last_error


def test_a_deleted_calendar_gives_up_at_once(
    maya: Person, ravi: Person, radicale_up: RadicaleServer, calendar_url: str
) -> None:
    connect(maya, calendar_url)
    CalDavAccount.objects.filter(person=maya).update(url=calendar_url + "gone/")
    start(maya, ravi)

    run_worker()

    delivery = Delivery.objects.get(channel=Delivery.Channel.CALDAV)
    assert delivery.status == Delivery.Status.GAVE_UP
    assert delivery.response_status in (403, 404, 409)


# -- Disconnecting ------------------------------------------------------------------


def test_disconnecting_keeps_the_events_unless_asked_to_remove_them(
    maya: Person, ravi: Person, radicale_up: RadicaleServer, calendar_url: str
) -> None:
    connect(maya, calendar_url)
    relationship = start(maya, ravi)
    run_worker()

    caldav_disconnect(person=maya)
    meeting_cancel(actor=maya, relationship=relationship, key=SECOND, reason="")
    run_worker()

    assert not CalDavAccount.objects.exists()
    # Nothing pushed after the disconnect: the calendar still shows the old plan.
    assert SECOND in calendar_starts(radicale_up, calendar_url)


def test_disconnecting_with_removal_deletes_the_pushed_events_then_forgets_the_account(
    maya: Person, ravi: Person, olga: Person, radicale_up: RadicaleServer, calendar_url: str
) -> None:
    connect(maya, calendar_url)
    start(maya, ravi)
    run_worker()
    assert len(radicale_up.resources(calendar_url, "alice")) == 1

    caldav_disconnect(person=maya, remove_events=True)
    assert not CalDavAccount.objects.get(person=maya).is_active
    run_worker()

    assert radicale_up.resources(calendar_url, "alice") == {}
    assert not CalDavAccount.objects.exists()


def test_a_removal_that_cannot_finish_can_be_abandoned(
    maya: Person,
    ravi: Person,
    radicale_up: RadicaleServer,
    calendar_url: str,
    clock: time_machine.Traveller,
) -> None:
    connect(maya, calendar_url)
    start(maya, ravi)
    run_worker()
    caldav_disconnect(person=maya, remove_events=True)
    radicale_up.stop()
    try:
        run_worker()
        removal = Delivery.objects.get(payload__remove=True)
        assert removal.status == Delivery.Status.FAILED
        client = client_for(maya)
        page = client.get(reverse("notifications:caldav")).content.decode()
        assert "Disconnecting" in page
        assert "Rapport could not reach the calendar server." in page

        response = client.post(reverse("notifications:caldav"), {"action": "disconnect"})
        assert response.status_code == 302
        assert not CalDavAccount.objects.exists()
    finally:
        radicale_up.start()
    clock.shift(timedelta(minutes=2))
    run_worker()

    assert Delivery.objects.get(pk=removal.pk).status == Delivery.Status.SKIPPED
    assert len(radicale_up.resources(calendar_url, "alice")) == 1


# -- The page -----------------------------------------------------------------------


def test_the_page_connects_shows_the_status_and_never_the_password(
    maya: Person, ravi: Person, radicale_up: RadicaleServer, calendar_url: str
) -> None:
    client = client_for(maya)
    url = reverse("notifications:caldav")
    page = client.get(url).content.decode()
    assert "Connect a calendar" in page

    response = client.post(
        url,
        {
            "action": "connect",
            "url": calendar_url,
            "username": "alice",
            "password": USERS["alice"],
        },
    )
    assert response.status_code == 302
    start(maya, ravi)
    run_worker()

    page = client.get(url).content.decode()
    assert calendar_url in page
    assert "alice" in page
    assert "Last push" in page
    assert "Not yet" not in page
    assert USERS["alice"] not in page


def test_the_page_shows_why_a_connection_was_refused(
    maya: Person, radicale_up: RadicaleServer, calendar_url: str
) -> None:
    response = client_for(maya).post(
        reverse("notifications:caldav"),
        {"action": "connect", "url": calendar_url, "username": "alice", "password": "nope"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "did not accept this user name and password" in page
    assert 'value="nope"' not in page
    assert not CalDavAccount.objects.exists()


def test_the_page_pushes_everything_and_disconnects(
    maya: Person, ravi: Person, radicale_up: RadicaleServer, calendar_url: str
) -> None:
    client = client_for(maya)
    url = reverse("notifications:caldav")
    connect(maya, calendar_url)
    start(maya, ravi)
    run_worker()

    assert client.post(url, {"action": "push"}).status_code == 302
    assert Delivery.objects.filter(channel="caldav", status="pending").count() == 1
    run_worker()

    response = client.post(url, {"action": "disconnect", "remove_events": "on"})
    assert response.status_code == 302
    run_worker()
    assert radicale_up.resources(calendar_url, "alice") == {}
    assert not CalDavAccount.objects.exists()


def test_an_unknown_action_is_a_bad_request(maya: Person) -> None:
    response = client_for(maya).post(reverse("notifications:caldav"), {"action": "explode"})
    assert response.status_code == 400

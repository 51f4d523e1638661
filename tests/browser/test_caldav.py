"""The CalDAV page in a real browser, connected to a real Radicale: accessible at both widths."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from pytest_django.fixtures import Settings

from meetings.models import Relationship
from notifications.models import CalDavAccount
from people.models import Person
from tests.browser.conftest import BROWSER_TEST, OpenAs, check_page
from tests.support.radicale import USERS, RadicaleServer, remove, start_radicale
from tests.support.worker import run_worker

pytestmark = BROWSER_TEST


@pytest.fixture
def calendar_url(settings: Settings) -> Iterator[str]:
    settings.RAPPORT_ALLOW_PRIVATE_URLS = True  # Radicale listens on loopback
    server: RadicaleServer = start_radicale()
    yield server.calendar("alice", "work")
    remove(server)


def test_a_person_connects_a_calendar_and_sees_its_status(
    open_as: OpenAs, maya: Person, upcoming_1on1: Relationship, calendar_url: str
) -> None:
    page = open_as(maya)
    page.goto("/account/calendar/caldav/")
    expect(
        page.get_by_role("heading", name="Push my 1:1s to a CalDAV calendar", level=1)
    ).to_be_visible()
    check_page(page)

    # A wrong password: the page says why, keeps the address, never the password.
    page.get_by_label("Calendar address (CalDAV URL)").fill(calendar_url)
    page.get_by_label("User name").fill("alice")
    page.get_by_label("Password").fill("not-it")
    page.get_by_role("button", name="Connect").click()
    expect(page.get_by_text("did not accept this user name and password")).to_be_visible()
    expect(page.get_by_label("Password")).to_have_value("")
    check_page(page)

    page.get_by_label("Password").fill(USERS["alice"])
    page.get_by_role("button", name="Connect").click()
    expect(page.get_by_text("Calendar connected.")).to_be_visible()
    run_worker()
    page.reload()
    expect(page.get_by_role("heading", name="Connected calendar")).to_be_visible()
    expect(page.get_by_text(calendar_url)).to_be_visible()
    assert CalDavAccount.objects.get(person=maya).last_push_at is not None
    check_page(page)

    page.get_by_role("button", name="Push everything now").click()
    expect(page.get_by_text("Queued a push of 1 1:1 series.")).to_be_visible()

    page.get_by_label("Also remove the 1:1s Rapport put in this calendar").check()
    page.get_by_role("button", name="Disconnect").click()
    expect(page.get_by_role("heading", name="Disconnecting")).to_be_visible()
    check_page(page)
    run_worker()
    page.reload()
    expect(page.get_by_role("heading", name="Connect a calendar")).to_be_visible()

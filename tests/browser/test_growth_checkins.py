"""A check-in before the meeting: the report fills it, the manager sees it live on her page."""

from playwright.sync_api import Locator, Page, expect

from meetings.models import Relationship
from people.models import Person
from tests.browser.conftest import (
    BROWSER_TEST,
    LIVE_TIMEOUT_MS,
    OpenAs,
    check_page,
    relationship_url,
)

pytestmark = BROWSER_TEST


def checkins(page: Page) -> Locator:
    return page.locator("#focus-checkins")


def agenda(page: Page) -> Locator:
    return page.get_by_role("list", name="Agenda")


def test_a_check_in_by_the_report_reaches_the_managers_agenda_live(
    open_as: OpenAs, maya: Person, ravi: Person, upcoming_1on1: Relationship
) -> None:
    maya_page = open_as(maya)
    maya_page.goto(relationship_url(upcoming_1on1))
    expect(checkins(maya_page).get_by_text("No check-ins for this meeting yet")).to_be_visible()
    expect(maya_page.get_by_text("No check-ins from Ravi yet.")).to_be_visible()

    ravi_page = open_as(ravi)
    ravi_page.goto(relationship_url(upcoming_1on1))
    ravi_page.get_by_role("button", name="Check in before the meeting").click()
    expect(ravi_page.get_by_role("heading", name="Your check-in", level=2)).to_be_visible()
    check_page(ravi_page)

    ravi_page.get_by_role("radio", name="2 · Low").check()
    ravi_page.get_by_role("radio", name="Too much").check()
    ravi_page.get_by_label("Wins since last time").fill("Shipped the importer")
    ravi_page.get_by_label("Blockers").fill("Waiting on the API keys from IT")
    ravi_page.get_by_label("Top priorities").fill("Finish the migration")
    ravi_page.get_by_role("button", name="Check in", exact=True).click()
    expect(ravi_page.get_by_text("Check-in saved. Maya sees it")).to_be_visible()
    expect(checkins(ravi_page).get_by_role("button", name="Edit your check-in")).to_be_visible()

    # Maya's page was open all along: the live poll brings the check-in and the blocker.
    expect(checkins(maya_page).get_by_text("Mood 2/5 · Low")).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    expect(checkins(maya_page).get_by_text("Workload: too much")).to_be_visible()
    expect(checkins(maya_page).get_by_text("Shipped the importer")).to_be_visible()
    blocker = (
        agenda(maya_page).get_by_role("listitem").filter(has_text="Waiting on the API keys from IT")
    )
    expect(blocker).to_be_visible()
    expect(blocker).to_contain_text("Blockers")
    check_page(maya_page)

    # The trend card shows Ravi's check-in with a table for those who cannot see the chart.
    maya_page.reload()
    trend = maya_page.locator(".checkins-trend")
    expect(trend.get_by_role("img", name="Mood and workload chart")).to_be_visible()
    trend.get_by_text("Show as a table").click()
    expect(trend.get_by_role("cell", name="2 · Low")).to_be_visible()
    check_page(maya_page)

    # Editing the check-in keeps one point per blocker.
    ravi_page.get_by_role("button", name="Edit your check-in").click()
    expect(ravi_page.get_by_label("Blockers")).to_have_value("Waiting on the API keys from IT")
    ravi_page.get_by_label("Blockers").fill("Waiting on the API keys from IT\nNo staging database")
    ravi_page.get_by_role("button", name="Save changes").click()
    expect(agenda(ravi_page).get_by_text("No staging database", exact=True)).to_be_visible()
    expect(
        agenda(ravi_page).get_by_text("Waiting on the API keys from IT", exact=True)
    ).to_have_count(1)


def test_the_check_in_page_reads_well_in_the_dark_with_errors_shown(
    open_as: OpenAs, ravi: Person, upcoming_1on1: Relationship
) -> None:
    page = open_as(ravi, color_scheme="dark")
    page.goto(relationship_url(upcoming_1on1))
    page.get_by_role("button", name="Check in before the meeting").click()
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(page.get_by_text("Choose a mood from 1 to 5.")).to_be_visible()
    check_page(page)

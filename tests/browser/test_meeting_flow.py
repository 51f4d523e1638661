"""Running a meeting in the browser: closing it with carry-over, and editing shared notes."""

from datetime import datetime, timedelta

from playwright.sync_api import Locator, Page, expect

from meetings.models import CarryOver, Meeting, Rating, Relationship
from meetings.services.agenda import point_add
from people.models import Person
from tests.browser.conftest import (
    BROWSER_TEST,
    LIVE_TIMEOUT_MS,
    OpenAs,
    check_page,
    relationship_url,
)

pytestmark = BROWSER_TEST


def agenda_row(page: Page, text: str) -> Locator:
    return page.get_by_role("list", name="Agenda").get_by_role("listitem").filter(has_text=text)


def focus_start(page: Page) -> datetime:
    stamp = page.locator(".focus-when time").get_attribute("datetime")
    assert stamp is not None
    return datetime.fromisoformat(stamp)


def test_closing_a_meeting_carries_open_points_to_the_next_one(
    open_as: OpenAs, maya: Person, ravi: Person, running_1on1: Relationship
) -> None:
    rel = running_1on1
    point_add(actor=maya, relationship=rel, text="Roadmap for Q3")
    point_add(actor=ravi, relationship=rel, text="Training budget")
    point_add(actor=maya, relationship=rel, text="Offsite dates")
    maya_page, ravi_page = open_as(maya), open_as(ravi)
    for page in (maya_page, ravi_page):
        page.goto(relationship_url(rel))
        expect(page.get_by_role("heading", name="This meeting")).to_be_visible()
    first_start = focus_start(maya_page)

    maya_page.get_by_role("button", name="Discussed: Offsite dates").click()
    expect(agenda_row(maya_page, "Offsite dates")).to_have_class("point is-discussed")
    expect(agenda_row(ravi_page, "Offsite dates")).to_have_class(
        "point is-discussed", timeout=LIVE_TIMEOUT_MS
    )

    maya_page.get_by_role("radio", name="4").check()
    maya_page.get_by_role("button", name="Mark as held").click()
    expect(maya_page.get_by_role("status")).to_contain_text("Marked as held")

    for page, timeout in ((maya_page, None), (ravi_page, LIVE_TIMEOUT_MS)):
        expect(page.get_by_role("heading", name="Next meeting")).to_be_visible(timeout=timeout)
        assert focus_start(page) == first_start + timedelta(days=7)
        for text in ("Roadmap for Q3", "Training budget"):
            expect(agenda_row(page, text).get_by_text("Carried over")).to_be_visible()
        expect(agenda_row(page, "Offsite dates")).to_have_count(0)
        # The closed meeting is the newest entry of the history, with its record.
        record = page.locator(".history-list > li").first
        expect(record).to_contain_text("Held")
        expect(record.get_by_role("listitem").filter(has_text="Offsite dates")).to_contain_text("✓")
    expect(maya_page.locator(".history-list")).to_contain_text("Your rating: 4/5")
    expect(ravi_page.locator(".history-list")).to_contain_text("You have not rated this meeting.")
    check_page(maya_page)

    meeting = Meeting.objects.get(relationship=rel)
    assert meeting.status == Meeting.Status.HELD
    assert Rating.objects.get(meeting=meeting, rater=maya).score == 4
    carried = CarryOver.objects.filter(meeting=meeting).values_list("point__text", flat=True)
    assert sorted(carried) == ["Roadmap for Q3", "Training budget"]


def open_notes_editor(page: Page) -> Locator:
    page.get_by_role("button", name="Edit notes").click()
    box = page.get_by_role("textbox", name="Shared notes")
    expect(box).to_be_visible()
    return box


def test_concurrent_notes_edits_never_overwrite_silently(
    open_as: OpenAs, maya: Person, ravi: Person, upcoming_1on1: Relationship
) -> None:
    maya_page, ravi_page = open_as(maya), open_as(ravi)
    for page in (maya_page, ravi_page):
        page.goto(relationship_url(upcoming_1on1))
    maya_box, ravi_box = open_notes_editor(maya_page), open_notes_editor(ravi_page)

    maya_box.fill("Agreed: ship on Friday.")
    maya_page.get_by_role("button", name="Save notes").click()
    expect(maya_page.locator(".markdown")).to_have_text("Agreed: ship on Friday.")

    ravi_box.fill("I need help with the flaky tests.")
    ravi_page.get_by_role("button", name="Save notes").click()
    conflict = ravi_page.get_by_role("alert")
    expect(conflict).to_contain_text("Maya Manager saved these notes while you were editing")
    expect(conflict).to_contain_text("Agreed: ship on Friday.")
    expect(ravi_box).to_have_value("I need help with the flaky tests.")
    meeting = Meeting.objects.get(relationship=upcoming_1on1)
    assert meeting.notes == "Agreed: ship on Friday."
    # A live update must not replace the editor that holds Ravi's unsaved text.
    ravi_page.wait_for_timeout(LIVE_TIMEOUT_MS)
    expect(ravi_box).to_have_value("I need help with the flaky tests.")
    check_page(ravi_page)

    merged = "Agreed: ship on Friday.\n\nI need help with the flaky tests."
    ravi_box.fill(merged)
    ravi_page.get_by_role("button", name="Save notes").click()
    for page, timeout in ((ravi_page, None), (maya_page, LIVE_TIMEOUT_MS)):
        notes = page.locator(".markdown")
        expect(notes).to_contain_text("I need help with the flaky tests.", timeout=timeout)
        expect(notes).to_contain_text("Agreed: ship on Friday.")
    meeting.refresh_from_db()
    assert meeting.notes == merged
    assert meeting.notes_version == 2
    assert meeting.notes_updated_by == ravi

"""Every page, visited like a person would, passes axe-core at desktop and phone width."""

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from meetings.models import Relationship
from meetings.occurrences import key_slug
from meetings.services.actions import action_add, action_set_done
from meetings.services.agenda import point_add, point_set_discussed
from meetings.services.common import meeting_materialize
from meetings.services.meetings import meeting_close
from meetings.services.notes import private_note_save, shared_notes_save
from people.models import Person
from tests.browser.conftest import (
    BROWSER_TEST,
    OpenAs,
    Scheme,
    check_page,
    relationship_url,
    start_weekly,
)

pytestmark = BROWSER_TEST


@pytest.fixture
def with_history(maya: Person, ravi: Person) -> tuple[Relationship, datetime, datetime]:
    """Two held weekly meetings with a record each; the next one is in two hours."""
    first = (datetime.now(UTC) + timedelta(hours=2)).replace(second=0, microsecond=0)
    first -= timedelta(days=14)
    rel = start_weekly(maya, ravi, first)
    last = first + timedelta(days=7)
    shipped = point_add(actor=maya, relationship=rel, text="Did the release go out?")
    point_set_discussed(actor=ravi, point=shipped, meeting_key=first, discussed=True)
    meeting_close(actor=maya, relationship=rel, key=first, rating=5)
    meeting = meeting_materialize(relationship=rel, key=last)
    shared_notes_save(
        actor=ravi,
        meeting=meeting,
        text="## Decisions\n\n- Ravi leads the **migration**\n- Review in `two` weeks",
        base_version=0,
    )
    private_note_save(actor=maya, meeting=meeting, text="Ask about the move.", base_version=0)
    item = action_add(
        actor=maya,
        relationship=rel,
        text="Write the migration plan",
        owner=ravi,
        due_date=None,
        meeting_key=last,
    )
    action_set_done(actor=ravi, item=item, done=True, meeting_key=last)
    action_add(
        actor=maya,
        relationship=rel,
        text="Book the training",
        owner=maya,
        due_date=date.today() - timedelta(days=1),
        meeting_key=last,
    )
    point_add(actor=ravi, relationship=rel, text="Career plans", theme="career")
    point_add(actor=ravi, relationship=rel, text="Worried about workload", is_private=True)
    meeting_close(actor=maya, relationship=rel, key=last)
    return rel, last, last + timedelta(days=7)


def day_heading(start: datetime, viewer: Person) -> str:
    """The start of a meeting page's heading, in the viewer's time zone."""
    local = start.astimezone(ZoneInfo(viewer.timezone))
    return f"{local:%A} {local.day} {local:%B %Y}"


def visit(page: Page, url: str, heading: str, *, status: int = 200) -> None:
    response = page.goto(url)
    assert response is not None
    assert response.status == status, f"{url} answered {response.status}"
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
    check_page(page)


def test_every_page_passes_axe(
    open_as: OpenAs, maya: Person, with_history: tuple[Relationship, datetime, datetime]
) -> None:
    rel, past, upcoming = with_history
    base = relationship_url(rel)

    page = open_as(None)
    visit(page, "/login/", "Sign in to Rapport")

    page = open_as(maya)
    visit(page, "/", "My 1:1s")
    visit(page, "/1on1s/new/", "Start a 1:1")
    page.get_by_label("With").select_option(index=0)
    page.get_by_label("Starting from").fill("")
    page.get_by_role("button", name="Start the 1:1").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the highlighted fields.")
    check_page(page)

    visit(page, base, "You & Ravi Report")
    visit(page, base + "plan/", "Change the plan")
    visit(page, f"{base}meetings/{key_slug(past)}/", day_heading(past, maya))
    expect(page.get_by_text("Write the migration plan")).to_be_visible()
    expect(page.get_by_role("textbox", name="Private note")).to_have_value("Ask about the move.")
    expect(page.get_by_label("Your rating (only you see it)")).to_have_value("")  # not rated yet
    visit(page, f"{base}meetings/{key_slug(upcoming)}/reschedule/", "Reschedule the meeting")
    visit(page, f"{base}meetings/{key_slug(upcoming)}/notes/", "Shared notes")
    visit(page, f"/1on1s/{uuid4()}/", "Not found", status=404)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_main_pages_pass_axe_in_both_colour_schemes(
    open_as: OpenAs,
    ravi: Person,
    with_history: tuple[Relationship, datetime, datetime],
    scheme: Scheme,
) -> None:
    rel, past, _ = with_history
    page = open_as(None, color_scheme=scheme)
    visit(page, "/login/", "Sign in to Rapport")
    page = open_as(ravi, color_scheme=scheme)
    visit(page, "/", "My 1:1s")
    visit(page, relationship_url(rel), "Maya & you")
    expect(page.get_by_text("Worried about workload", exact=True)).to_be_visible()
    expect(page.get_by_text("Overdue · due")).to_be_visible()
    visit(page, f"{relationship_url(rel)}meetings/{key_slug(past)}/", day_heading(past, ravi))

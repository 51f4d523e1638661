"""Career profiles and themes in the browser: the report writes, the manager reads."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from meetings.models import Relationship, Theme
from meetings.services.agenda import point_add, point_set_discussed
from meetings.services.meetings import meeting_close
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
def five_held(maya: Person, ravi: Person) -> Relationship:
    """Five held weekly meetings, career discussed only in the last; the next is in two hours."""
    first = (datetime.now(UTC) + timedelta(hours=2)).replace(second=0, microsecond=0)
    first -= timedelta(weeks=5)
    rel = start_weekly(maya, ravi, first)
    for week in range(5):
        key = first + timedelta(weeks=week)
        if week == 4:
            point = point_add(
                actor=ravi, relationship=rel, text="Where I want to be", theme=Theme.CAREER
            )
            point_set_discussed(actor=ravi, point=point, meeting_key=key, discussed=True)
        meeting_close(actor=maya, relationship=rel, key=key)
    return rel


def fill_profile(page: Page) -> None:
    page.get_by_label("Strengths I want to use more").fill("Untangling <b>legacy</b> code")
    page.get_by_label("Skills to grow").fill("Public speaking")
    page.get_by_label("Next role or direction").fill("Staff engineer")
    page.get_by_label("Support I need").fill("A conference talk slot")
    page.get_by_role("button", name="Save my career profile").click()


def test_the_manager_reads_what_the_report_wrote(
    open_as: OpenAs, maya: Person, ravi: Person, olga: Person, five_held: Relationship
) -> None:
    page = open_as(ravi)
    page.goto("/career/")
    expect(page.get_by_role("heading", name="My career profile", level=1)).to_be_visible()
    check_page(page)
    fill_profile(page)
    expect(page.get_by_text("Your career profile is saved.")).to_be_visible()
    expect(page.get_by_role("heading", name="How it evolved")).to_be_visible()
    expect(page.get_by_text("first version")).to_be_visible()
    page.get_by_label("Next role or direction").fill("Engineering manager")
    page.get_by_role("button", name="Save my career profile").click()
    expect(page.locator(".career-revision")).to_have_count(2)
    check_page(page)

    page = open_as(maya)
    page.goto(relationship_url(five_held))
    card = page.locator("#career-card")
    expect(card.get_by_role("heading", name="Ravi's career profile")).to_be_visible()
    expect(card.get_by_text("Engineering manager")).to_be_visible()
    expect(card.get_by_text("Untangling <b>legacy</b> code")).to_be_visible()
    check_page(page)
    card.get_by_role("link", name="History of Ravi's career profile").click()
    expect(
        page.get_by_role("heading", name="Ravi Report's career profile", level=1)
    ).to_be_visible()
    history = page.locator(".career-revision")
    expect(history).to_have_count(2)
    expect(history.first).to_contain_text("Engineering manager")
    expect(history.last).to_contain_text("Staff engineer")
    check_page(page)

    page = open_as(olga)
    response = page.goto(f"/career/{ravi.uuid}/")
    assert response is not None
    assert response.status == 404


def test_the_themes_card_shows_a_quiet_theme(
    open_as: OpenAs, maya: Person, five_held: Relationship
) -> None:
    page = open_as(maya)
    page.goto(relationship_url(five_held))
    card = page.locator("#themes-card")
    career = card.locator(".theme-status", has_text="Career & growth")
    expect(career).to_contain_text("in the latest meeting")
    expect(career.get_by_text("Quiet")).to_have_count(0)
    wellbeing = card.locator(".theme-status", has_text="Wellbeing")
    expect(wellbeing).to_contain_text("Quiet")
    expect(wellbeing).to_contain_text("Not discussed yet · 5 meetings held")
    wellbeing.get_by_role("button", name="Suggest a question about Wellbeing").click()
    expect(page.get_by_role("region", name="Suggested question")).to_be_visible()
    check_page(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_career_pages_pass_axe_in_both_colour_schemes(
    open_as: OpenAs, ravi: Person, five_held: Relationship, scheme: Scheme
) -> None:
    page = open_as(ravi, color_scheme=scheme)
    page.goto("/career/")
    fill_profile(page)
    check_page(page)
    page.goto(relationship_url(five_held))
    expect(page.locator("#career-card")).to_contain_text("Staff engineer")
    check_page(page)
    page.goto(f"/career/{ravi.uuid}/")
    expect(page.get_by_role("heading", name="My career profile", level=1)).to_be_visible()
    check_page(page)

"""Goals in the browser: a goal the manager proposes becomes active only when the report accepts."""

from playwright.sync_api import Locator, Page, expect

from meetings.models import Relationship
from people.models import Person
from tests.browser.conftest import BROWSER_TEST, OpenAs, check_page, relationship_url

pytestmark = BROWSER_TEST

TITLE = "Run the Q3 architecture review"


def card(page: Page) -> Locator:
    return page.locator("#goals-card")


def proposed(page: Page) -> Locator:
    return card(page).get_by_role("list", name="Proposed goals")


def active(page: Page) -> Locator:
    return card(page).get_by_role("list", name="Active goals")


def test_a_proposed_goal_becomes_active_only_after_acceptance(
    open_as: OpenAs, maya: Person, ravi: Person, upcoming_1on1: Relationship
) -> None:
    rel = upcoming_1on1
    maya_page = open_as(maya)
    maya_page.goto(relationship_url(rel))
    goals = card(maya_page)
    expect(goals.get_by_role("heading", name="Ravi's goals")).to_be_visible()
    goals.get_by_text("Propose a goal").click()
    goals.get_by_label("Goal", exact=True).fill(TITLE)
    goals.get_by_label("Kind").select_option("career")
    goals.get_by_label("Target date").fill("2030-06-30")
    goals.get_by_label("Why it matters").fill("You asked for more **design** ownership.")
    goals.get_by_role("button", name="Propose to Ravi").click()
    expect(maya_page.get_by_text("It becomes active when Ravi accepts.")).to_be_visible()
    expect(proposed(maya_page)).to_contain_text(TITLE)
    expect(proposed(maya_page)).to_contain_text("waiting for Ravi")
    expect(proposed(maya_page).get_by_role("button", name="Accept")).to_have_count(0)
    expect(active(maya_page)).to_have_count(0)
    check_page(maya_page)

    ravi_page = open_as(ravi)
    ravi_page.goto(relationship_url(rel))
    expect(proposed(ravi_page)).to_contain_text(TITLE)
    expect(proposed(ravi_page)).to_contain_text("awaiting your answer")
    expect(active(ravi_page)).to_have_count(0)
    check_page(ravi_page)

    ravi_page.goto("/goals/")
    waiting = ravi_page.get_by_role("region", name="Waiting for your answer")
    expect(waiting).to_contain_text(TITLE)
    expect(ravi_page.get_by_role("region", name="Active")).not_to_contain_text(TITLE)
    check_page(ravi_page)

    ravi_page.goto(relationship_url(rel))
    proposed(ravi_page).get_by_role("button", name=f"Accept “{TITLE}”").click()
    expect(ravi_page.get_by_text("Goal accepted: it is now active.")).to_be_visible()
    expect(active(ravi_page)).to_contain_text(TITLE)
    expect(active(ravi_page)).to_contain_text("On track")
    expect(proposed(ravi_page)).to_have_count(0)

    maya_page.reload()
    expect(active(maya_page)).to_contain_text(TITLE)
    expect(proposed(maya_page)).to_have_count(0)
    check_page(maya_page)

    # The goal page: Maya writes a progress update, Ravi sees it.
    active(maya_page).get_by_role("link", name=TITLE).click()
    expect(maya_page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    maya_page.get_by_label("What changed").fill("Draft agenda shared with the team.")
    maya_page.get_by_label("Status").select_option("at_risk")
    maya_page.get_by_role("button", name="Add update").click()
    expect(maya_page.get_by_text("Progress recorded.")).to_be_visible()
    expect(maya_page.locator(".goal-updates")).to_contain_text("Draft agenda shared")
    check_page(maya_page)

    ravi_page.goto("/goals/")
    expect(ravi_page.get_by_role("region", name="Active")).to_contain_text("At risk")
    check_page(ravi_page)
    ravi_page.goto("/goals/new/")
    expect(ravi_page.get_by_role("heading", name="New goal")).to_be_visible()
    check_page(ravi_page)

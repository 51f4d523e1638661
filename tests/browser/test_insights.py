"""The personal insights pages in a real browser: accessible at both widths, keyboard only."""

from datetime import UTC, datetime

from playwright.sync_api import expect

from growth.models import CheckIn
from insights.blocks import blocks_rebuild
from meetings.models import Meeting, Relationship
from people.models import Organization, Person
from tests.browser.conftest import BROWSER_TEST, OpenAs, check_page, tab_until
from tests.meetings.test_query_counts import add_history, past_keys, start_series

pytestmark = BROWSER_TEST


def _history(acme: Organization, maya: Person, ravi: Person) -> Relationship:
    series = start_series(acme, maya, ravi)
    add_history(series, past_keys(series, datetime.now(UTC))[-15:])
    blocks_rebuild([series.pk])  # the history's ratings are written in bulk
    held = list(Meeting.objects.filter(relationship=series).order_by("start"))
    for meeting, mood in zip(held[-5:], (4, 4, 5, 2, 2), strict=True):
        CheckIn.objects.create(
            organization=acme,
            relationship=series,
            meeting=meeting,
            author=ravi,
            mood=mood,
            workload="too_much" if mood == 2 else "right",
        )
    return series


def test_a_manager_follows_an_early_warning_by_keyboard(
    open_as: OpenAs, acme: Organization, maya: Person, ravi: Person
) -> None:
    series = _history(acme, maya, ravi)
    page = open_as(maya)
    page.goto("/insights/")
    expect(page.get_by_role("heading", name="Your team")).to_be_visible()
    expect(page.get_by_text("Mood fell from 4.3 to 2.0")).to_be_visible()
    check_page(page)

    tab_until(page, "el.textContent.trim().startsWith('Open the 1:1')", "The warning's link")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{page.url.split('/insights')[0]}/1on1s/{series.uuid}/")
    expect(page.get_by_role("heading", name="How your 1:1s are going")).to_be_visible()

    tab_until(page, "el.textContent.trim().startsWith('All insights')", "All insights")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Are your 1:1s with Ravi helping?")).to_be_visible()
    expect(page.get_by_role("heading", name="Worth talking about")).to_be_visible()
    expect(page.get_by_role("img", name="How useful you both found your 1:1s")).to_be_visible()
    check_page(page)

    # The numbers behind the chart open from the keyboard.
    tab_until(page, "el.tagName === 'SUMMARY'", "Show the numbers")
    page.keyboard.press("Enter")
    expect(page.get_by_role("table", name="How useful you both found your 1:1s")).to_be_visible()


def test_the_team_member_sees_the_same_insights_in_dark_mode(
    open_as: OpenAs, acme: Organization, maya: Person, ravi: Person
) -> None:
    series = _history(acme, maya, ravi)
    page = open_as(ravi, color_scheme="dark")
    page.goto(f"/1on1s/{series.uuid}/insights/")
    expect(page.get_by_role("heading", name="Are your 1:1s with Maya helping?")).to_be_visible()
    expect(page.get_by_role("heading", name="Maya", level=3)).to_be_visible()
    expect(page.get_by_role("heading", name="You", level=3)).to_be_visible()
    check_page(page)
    page.goto("/insights/")
    expect(page.get_by_role("heading", name="Your 1:1s")).to_be_visible()
    check_page(page)

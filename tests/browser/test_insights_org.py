"""The organization's insights in the browser: axe-core at both widths, the CSV by keyboard."""

import re
from datetime import UTC, date, datetime

from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from insights.models import TeamRollup
from insights.rollups import add_months
from people.models import Organization, Person, Team
from tests.browser.conftest import BROWSER_TEST, OpenAs, check_page, signed_in

pytestmark = BROWSER_TEST

Kind = TeamRollup.Kind
Scope = TeamRollup.Scope


def figures(org: Organization) -> None:
    """Rollups as the worker writes them: two teams of 6 and 9, a small one, 24 months
    (the headline is their sum; the stored organization row is not read)."""
    now = datetime.now(UTC)
    counters = {
        "people_met": 5,
        "planned": 40,
        "held": 33,
        "cancelled": 4,
        "rescheduled": 3,
        "actions_due": 12,
        "actions_on_time": 8,
        "actions_late": 2,
        "actions_overdue": 2,
        "rating_sum": 80,
        "rating_count": 20,
    }
    teams = [
        (Team.objects.create(organization=org, name="Engineering"), 9),
        (Team.objects.create(organization=org, name="Design"), 6),
        (Team.objects.create(organization=org, name="Legal"), 2),
    ]
    for team, people in teams:
        TeamRollup.objects.create(
            organization=org,
            kind=Kind.RECENT,
            period_start=now.date(),
            scope=Scope.TEAM,
            team=team,
            people=people,
            members=people,
            raters=people,
            owners=people,
            computed_at=now,
            **counters,
        )
    current = date(now.year, now.month, 1)
    for number in range(24):
        TeamRollup.objects.create(
            organization=org,
            kind=Kind.MONTH,
            period_start=add_months(current, -number),
            scope=Scope.ORGANIZATION,
            people=17,
            members=15,
            raters=15 if number else 3,  # the current month: usefulness held back
            owners=15,
            computed_at=now,
            **{**counters, "held": 20 + number % 7, "rating_sum": 60 + number},
        )


def test_the_insights_page_passes_axe_and_the_csv_is_a_keyboard_away(
    open_as: OpenAs, live_server: LiveServer, ada: Person
) -> None:
    assert ada.organization is not None
    figures(ada.organization)
    page = signed_in(open_as, live_server, ada)
    page.goto("/org/insights/")
    expect(page.get_by_role("heading", name="Insights", level=1)).to_be_visible()
    nav = page.get_by_role("navigation", name="Organization")
    expect(nav.get_by_role("link", name="Insights")).to_have_attribute("aria-current", "page")
    table = page.get_by_role("table", name="Figures by team, last 90 days")
    expect(table.get_by_role("rowheader", name="Engineering")).to_be_visible()
    # Legal (2) alone would be given away by subtraction: Design (6) joins it.
    expect(table.get_by_role("rowheader", name="Other teams (2 teams)")).to_be_visible()
    expect(page.get_by_text("Legal")).to_have_count(0)
    expect(page.get_by_role("img", name=re.compile("Cadence adherence"))).to_have_count(1)
    expect(page.get_by_text(re.compile(r"^Figures as of .* 00:00 UTC"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Usefulness not shown \(fewer than 5 people rated\)"))).to_be_visible()  # fmt: skip
    check_page(page)

    # Tab from the top of the page to the download link, then Enter downloads the CSV.
    download_link = page.get_by_role("button", name="Download CSV")
    page.locator("body").focus()
    for _ in range(60):
        page.keyboard.press("Tab")
        if download_link.evaluate("el => el === document.activeElement"):
            break
    expect(download_link).to_be_focused()
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.startswith("rapport-insights-")


def test_the_empty_state_and_dark_mode_pass_axe(
    open_as: OpenAs, live_server: LiveServer, ada: Person
) -> None:
    page = signed_in(open_as, live_server, ada, color_scheme="dark")
    page.goto("/org/insights/")
    expect(page.get_by_role("heading", name="No figures yet", level=2)).to_be_visible()
    check_page(page)
    assert ada.organization is not None
    figures(ada.organization)
    page.reload()
    expect(page.get_by_role("heading", name="Trends", level=2)).to_be_visible()
    check_page(page)

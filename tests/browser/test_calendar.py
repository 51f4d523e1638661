"""The calendar link page in a real browser: accessible at both widths, keyboard only."""

import urllib.error
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from meetings.models import Relationship
from people.models import Person
from tests.browser.conftest import BROWSER_TEST, OpenAs, check_page

pytestmark = BROWSER_TEST


def tab_to(page: Page, name: str, limit: int = 60) -> None:
    """Press Tab until the button called `name` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "document.activeElement && document.activeElement.textContent.trim()"
        )
        if focused == name:
            return
    raise AssertionError(f"{name!r} cannot be reached with the keyboard")


def test_a_person_creates_resets_and_turns_off_their_link_by_keyboard(
    open_as: OpenAs, ravi: Person, upcoming_1on1: Relationship
) -> None:
    page = open_as(ravi)
    page.goto("/account/calendar/")
    expect(page.get_by_role("heading", name="My calendar link", level=1)).to_be_visible()
    check_page(page)

    tab_to(page, "Create my calendar link")
    page.keyboard.press("Enter")
    url_box = page.get_by_label("Subscription URL")
    expect(url_box).to_be_visible()
    first_url = url_box.input_value()
    assert first_url.endswith(".ics")
    check_page(page)
    with urllib.request.urlopen(first_url) as response:  # noqa: S310 (the live test server)
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
        assert str(upcoming_1on1.uuid).encode() in response.read()

    tab_to(page, "Reset link")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").or_(page.locator(".messages"))).to_be_visible()
    second_url = page.get_by_label("Subscription URL").input_value()
    assert second_url != first_url
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(first_url)  # noqa: S310
    assert refused.value.code == 404

    tab_to(page, "Turn off")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Create my calendar link")).to_be_visible()
    check_page(page)

"""Both participants on the relationship page at once: the agenda and action items stay live."""

import time
from datetime import date, timedelta

from playwright.sync_api import APIResponse, Locator, Page, Response, Route, expect

from meetings.models import ActionItem, Relationship
from people.models import Person
from tests.browser.conftest import (
    BROWSER_TEST,
    LIVE_TIMEOUT_MS,
    OpenAs,
    check_page,
    relationship_url,
)

pytestmark = BROWSER_TEST


def agenda(page: Page) -> Locator:
    return page.get_by_role("list", name="Agenda")


def add_point(page: Page, text: str, *, private: bool = False) -> None:
    form = page.locator("#add-point")
    form.get_by_role("textbox", name="Add a talking point").fill(text)
    if private:
        form.get_by_role("checkbox", name="Private").check()
    form.get_by_role("button", name="Add", exact=True).click()
    # The author sees their own point at once, from the response (no poll needed).
    expect(agenda(page).get_by_text(text, exact=True)).to_be_visible()


def actions(page: Page) -> Locator:
    return page.locator("#actions-list")


def test_each_side_sees_the_others_points_live_but_never_a_private_one(
    open_as: OpenAs, maya: Person, ravi: Person, upcoming_1on1: Relationship
) -> None:
    maya_page, ravi_page = open_as(maya), open_as(ravi)
    for page in (maya_page, ravi_page):
        page.goto(relationship_url(upcoming_1on1))
        expect(page.get_by_role("heading", name="Next meeting")).to_be_visible()

    expect(agenda(maya_page).get_by_text("Nothing on the agenda yet")).to_be_visible()
    add_point(maya_page, "How is onboarding going?")
    # The new row arrives alone, after the "nothing yet" line, which now hides.
    expect(agenda(maya_page).get_by_text("Nothing on the agenda yet")).to_be_hidden()
    expect(agenda(maya_page).get_by_role("listitem")).to_have_count(1)
    expect(agenda(ravi_page).get_by_text("How is onboarding going?", exact=True)).to_be_visible(
        timeout=LIVE_TIMEOUT_MS
    )
    add_point(ravi_page, "Conference budget for next year")
    expect(
        agenda(maya_page).get_by_text("Conference budget for next year", exact=True)
    ).to_be_visible(timeout=LIVE_TIMEOUT_MS)

    add_point(ravi_page, "Thinking about changing teams", private=True)
    private_row = agenda(ravi_page).get_by_role("listitem").filter(has_text="changing teams")
    expect(private_row.get_by_text("Private · only you")).to_be_visible()
    check_page(ravi_page)  # both kinds of point, the private tint included
    # Longer than a poll: a private write must not even make Maya's page refresh.
    maya_page.wait_for_timeout(LIVE_TIMEOUT_MS)
    assert "changing teams" not in maya_page.content()

    # A shared change makes Maya's page re-render the agenda for her: still nothing private.
    add_point(ravi_page, "Offsite dates")
    expect(agenda(maya_page).get_by_text("Offsite dates", exact=True)).to_be_visible(
        timeout=LIVE_TIMEOUT_MS
    )
    assert "changing teams" not in maya_page.content()
    maya_page.reload()
    expect(agenda(maya_page).get_by_role("listitem")).to_have_count(3)
    assert "changing teams" not in maya_page.content()
    expect(agenda(ravi_page).get_by_role("listitem")).to_have_count(4)


def test_an_action_item_added_and_completed_updates_on_both_sides(
    open_as: OpenAs, maya: Person, ravi: Person, upcoming_1on1: Relationship
) -> None:
    maya_page, ravi_page = open_as(maya), open_as(ravi)
    for page in (maya_page, ravi_page):
        page.goto(relationship_url(upcoming_1on1))
    due = date.today() + timedelta(days=3)

    form = maya_page.locator("form.add-action")
    form.get_by_role("textbox", name="New action item").fill("Send the offsite agenda")
    form.get_by_label("Owner").select_option(label="Ravi Report")
    form.get_by_label("Due date").fill(due.isoformat())
    form.get_by_role("button", name="Add", exact=True).click()
    maya_row = actions(maya_page).get_by_role("listitem").filter(has_text="Send the offsite agenda")
    expect(maya_row).to_contain_text("Ravi")
    expect(maya_row).to_contain_text(f"due {due:%a} {due.day} {due:%b}")
    check_page(maya_page)

    ravi_row = actions(ravi_page).get_by_role("listitem").filter(has_text="Send the offsite agenda")
    expect(ravi_row).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    expect(ravi_row).to_contain_text("You")
    ravi_row.get_by_role("button", name="Done: Send the offsite agenda").click()

    # Done items leave the open list, on both sides.
    expect(actions(ravi_page).get_by_text("No open action items.")).to_be_visible()
    expect(ravi_row).to_have_count(0)
    expect(maya_row).to_have_count(0, timeout=LIVE_TIMEOUT_MS)
    expect(actions(maya_page).get_by_text("No open action items.")).to_be_visible()

    item = ActionItem.objects.get(text="Send the offsite agenda")
    assert item.is_done
    assert item.owner == ravi
    # Completed in the run-up to the next meeting: its record will list it.
    assert item.completed_in is not None
    assert item.completed_in.occurrence_start == upcoming_1on1.schedules.get().starts_at


def test_the_keyboard_alone_adds_talking_points(
    open_as: OpenAs, ravi: Person, upcoming_1on1: Relationship
) -> None:
    page = open_as(ravi)
    page.goto(relationship_url(upcoming_1on1))
    box = page.get_by_role("textbox", name="Add a talking point")

    page.keyboard.press("a")
    expect(box).to_be_focused()
    page.keyboard.press("Control+Enter")  # nothing typed yet
    expect(page.locator("#add-point").get_by_role("alert")).to_be_visible()
    expect(box).to_have_attribute("aria-invalid", "true")
    check_page(page, phone=False)
    expect(box).to_be_focused()  # the form came back with the error; the caret stayed

    page.keyboard.type("Feedback on my demo")
    page.keyboard.press("Control+Enter")
    expect(agenda(page).get_by_text("Feedback on my demo", exact=True)).to_be_visible()
    # Ready for the next one.
    expect(box).to_be_focused()
    expect(box).to_have_value("")
    # The earlier error went away with the successful add.
    expect(page.locator("#add-point").get_by_role("alert")).to_have_count(0)
    expect(box).not_to_have_attribute("aria-invalid", "true")

    page.keyboard.type("Pairing with the platform team")
    add = page.locator("#add-point").get_by_role("button", name="Add", exact=True)
    for _ in range(6):
        page.keyboard.press("Tab")
        if add.evaluate("el => el === document.activeElement"):
            break
    expect(add).to_be_focused()
    assert add.evaluate("el => el.matches(':focus-visible')")
    page.keyboard.press("Enter")
    expect(agenda(page).get_by_text("Pairing with the platform team", exact=True)).to_be_visible()

    # "/" goes to the history search, and typing there is typing, not a shortcut.
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("/")
    search = page.get_by_role("searchbox", name="Search this 1:1's history")
    expect(search).to_be_focused()
    page.keyboard.type("a")
    expect(search).to_be_focused()
    expect(search).to_have_value("a")


def test_escape_closes_a_point_menu_and_returns_focus(
    open_as: OpenAs, ravi: Person, upcoming_1on1: Relationship
) -> None:
    page = open_as(ravi)
    page.goto(relationship_url(upcoming_1on1))
    add_point(page, "Holiday plans")
    more = page.get_by_label("More for: Holiday plans")
    more.focus()
    page.keyboard.press("Enter")
    edit = page.get_by_role("button", name="Edit", exact=True)
    expect(edit).to_be_visible()
    check_page(page)  # with the menu open
    edit.focus()
    page.keyboard.press("Escape")
    expect(edit).to_be_hidden()
    expect(more).to_be_focused()

    page.get_by_role("button", name="Cancel or skip").click()
    expect(page.get_by_role("button", name="Skip this one")).to_be_visible()
    check_page(page)


def test_a_suggested_question_and_a_template_join_the_agenda(
    open_as: OpenAs, ravi: Person, upcoming_1on1: Relationship
) -> None:
    from playbook.models import Template
    from playbook.services import playbook_seed_organization

    assert ravi.organization is not None
    playbook_seed_organization(organization=ravi.organization)
    page = open_as(ravi)
    page.goto(relationship_url(upcoming_1on1))
    page.get_by_role("button", name="Suggest a question").click()
    question = page.locator(".suggested-question")
    expect(question).to_be_visible()
    text = question.inner_text()
    page.locator("#suggestion").get_by_role("button", name="Add to agenda").click()
    expect(agenda(page).get_by_text(text, exact=True)).to_be_visible()
    check_page(page)

    template = Template.objects.get(organization=ravi.organization, name="Weekly check-in")
    first_prompt = template.prompts.first()
    assert first_prompt is not None
    page.get_by_label("Template").select_option(label=template.name)
    page.get_by_role("button", name="Use template").click()
    expected = (
        f"{first_prompt.section}: {first_prompt.text}"
        if first_prompt.section
        else first_prompt.text
    )
    expect(agenda(page).get_by_text(expected, exact=True)).to_be_visible()


def test_a_poll_answered_before_an_add_never_hides_the_new_point(
    open_as: OpenAs, maya: Person, ravi: Person, upcoming_1on1: Relationship
) -> None:
    """A live poll read before my write must not land after it and wipe my new point.

    A private point does not change the shared version, so a stale bundle landing
    last would hide it for good. We hold a poll's answer in the network to make the
    race certain: the add has to wait for it rather than overtake it.
    """
    ravi_page = open_as(ravi)
    ravi_page.goto(relationship_url(upcoming_1on1))
    held: list[tuple[Route, APIResponse]] = []

    def hold_one_bundle(route: Route) -> None:
        response = route.fetch()
        if response.status == 200 and not held:
            held.append((route, response))  # answered later, by the test
        else:
            route.fulfill(response=response)

    ravi_page.route("**/live/**", hold_one_bundle)
    # Maya's shared change makes Ravi's next poll come back with a bundle.
    maya_page = open_as(maya)
    maya_page.goto(relationship_url(upcoming_1on1))
    add_point(maya_page, "Roadmap questions")
    deadline = time.monotonic() + LIVE_TIMEOUT_MS / 1000
    while not held and time.monotonic() < deadline:
        ravi_page.wait_for_timeout(50)
    assert held, "no live bundle was polled"

    form = ravi_page.locator("#add-point")
    form.get_by_role("textbox", name="Add a talking point").fill("Asking for a raise")
    form.get_by_role("checkbox", name="Private").check()
    form.get_by_role("button", name="Add", exact=True).click()
    ravi_page.wait_for_timeout(300)  # time enough for an add that overtakes the poll
    route, stale = held[0]
    route.fulfill(response=stale)

    point = agenda(ravi_page).get_by_text("Asking for a raise", exact=True)
    expect(point).to_be_visible()
    ravi_page.wait_for_timeout(2500)  # another poll cycle: still there
    expect(point).to_be_visible()
    expect(agenda(ravi_page).get_by_text("Roadmap questions", exact=True)).to_be_visible()


def test_my_own_change_is_not_polled_back_and_leaves_an_open_menu_open(
    open_as: OpenAs, ravi: Person, upcoming_1on1: Relationship
) -> None:
    page = open_as(ravi)
    live_statuses: list[int] = []

    def note_poll(response: Response) -> None:
        if "/live/" in response.url:
            live_statuses.append(response.status)

    page.on("response", note_poll)
    page.goto(relationship_url(upcoming_1on1))
    add_point(page, "Team lunch")
    page.get_by_label("More for: Team lunch").click()
    edit = page.get_by_role("button", name="Edit", exact=True)
    expect(edit).to_be_visible()
    page.wait_for_timeout(LIVE_TIMEOUT_MS)
    assert live_statuses
    assert set(live_statuses) == {204}, live_statuses
    expect(edit).to_be_visible()

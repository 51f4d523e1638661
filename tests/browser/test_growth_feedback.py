"""Upward feedback in the browser: it reaches the manager, and nobody else anywhere."""

from playwright.sync_api import Page, expect

from growth.models import Feedback
from meetings.models import Relationship, Theme
from people.models import Person
from playbook.models import Question
from tests.browser.conftest import (
    BROWSER_TEST,
    LIVE_TIMEOUT_MS,
    OpenAs,
    check_page,
    relationship_url,
)

pytestmark = BROWSER_TEST

FEEDBACK = "Please explain decisions before they are announced to the whole team."


def give_upward_feedback(page: Page, question: Question) -> None:
    section = page.locator("#focus-feedback")
    section.get_by_text("Feedback for Maya", exact=True).click()
    section.get_by_label("Constructive").check()
    section.get_by_label("A question to answer").select_option(label=question.text)
    section.get_by_label("Your feedback for Maya").fill(FEEDBACK)
    section.get_by_text("Add structure").click()
    section.get_by_label("Situation").fill("The reorganisation announcement")
    section.get_by_role("button", name="Record feedback").click()
    expect(section.get_by_role("status")).to_contain_text("Feedback recorded")


def test_upward_feedback_reaches_only_the_manager(
    open_as: OpenAs,
    maya: Person,
    ravi: Person,
    olga: Person,
    ada: Person,
    running_1on1: Relationship,
) -> None:
    question = Question.objects.create(
        organization_id=maya.org_id,
        theme=Theme.FEEDBACK,
        audience=Question.Audience.TO_MANAGER,
        text="What could I do to support you better?",
    )
    url = relationship_url(running_1on1)
    maya_page, ravi_page = open_as(maya), open_as(ravi)
    # The give-feedback page on its own (the section's form without htmx) is accessible too.
    ravi_page.goto(url)
    give_page = ravi_page.locator("#fb-focus-form").get_attribute("action")
    assert give_page is not None
    ravi_page.goto(give_page)
    expect(ravi_page.get_by_role("heading", name="Feedback for Maya", level=1)).to_be_visible()
    check_page(ravi_page)
    maya_page.goto(url)
    ravi_page.goto(url)
    check_page(ravi_page)

    give_upward_feedback(ravi_page, question)
    item = ravi_page.locator("#focus-feedback .fb-item")
    expect(item).to_contain_text("From you to Maya")
    expect(item).to_contain_text("Answering: What could I do to support you better?")
    check_page(ravi_page)

    feedback = Feedback.objects.get()
    assert (feedback.giver, feedback.receiver, feedback.is_upward) == (ravi, maya, True)
    assert feedback.kind == Feedback.Kind.CONSTRUCTIVE

    # The manager's open page shows it at the next poll; her feedback log lists it.
    maya_item = maya_page.locator("#focus-feedback .fb-item")
    expect(maya_item).to_contain_text(FEEDBACK, timeout=LIVE_TIMEOUT_MS)
    expect(maya_item).to_contain_text("From Ravi to you")
    expect(maya_item).to_contain_text("Situation")
    check_page(maya_page)
    maya_page.goto("/feedback/")
    expect(maya_page.get_by_role("heading", name="My feedback", level=1)).to_be_visible()
    expect(maya_page.locator(".fb-log")).to_contain_text(FEEDBACK)
    expect(maya_page.locator(".fb-log")).to_contain_text("To the manager")
    check_page(maya_page)

    # Another manager and the org admin find it nowhere they can go.
    for person in (olga, ada):
        page = open_as(person, color_scheme="dark")
        for path in ("/", "/recognition/", "/feedback/", "/feedback/?view=given"):
            page.goto(path)
            expect(page.locator("main")).not_to_contain_text(FEEDBACK)
            check_page(page)
        response = page.goto(url)
        assert response is not None
        assert response.status == 404
        expect(page.locator("body")).not_to_contain_text(FEEDBACK)

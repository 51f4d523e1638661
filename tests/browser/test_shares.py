"""After a manager change: the report shares chosen past meetings, the new manager reads them.

axe-core runs on the archived 1:1 with its share form, and on the shared history page,
at desktop width and at 375 px.
"""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from meetings.models import Relationship
from meetings.services.agenda import point_add, point_set_discussed
from meetings.services.common import meeting_materialize
from meetings.services.meetings import meeting_close
from meetings.services.notes import shared_notes_save
from people.models import Person
from people.services import person_update
from tests.browser.conftest import BROWSER_TEST, OpenAs, check_page, relationship_url, start_weekly

pytestmark = BROWSER_TEST


@pytest.fixture
def archived(maya: Person, ravi: Person, olga: Person, ada: Person) -> Relationship:
    """Maya and Ravi held two weekly meetings with notes; then Ravi moved to Olga."""
    first = (datetime.now(UTC) + timedelta(hours=2)).replace(second=0, microsecond=0)
    first -= timedelta(weeks=3)
    rel = start_weekly(maya, ravi, first)
    for week, notes in enumerate(("Agreed on the **Q3 roadmap**", "Talked about the offsite")):
        key = first + timedelta(weeks=week)
        point = point_add(actor=ravi, relationship=rel, text=f"Topic of week {week + 1}")
        point_set_discussed(actor=ravi, point=point, meeting_key=key, discussed=True)
        meeting = meeting_materialize(relationship=rel, key=key)
        shared_notes_save(actor=maya, meeting=meeting, text=notes, base_version=0)
        meeting_close(actor=maya, relationship=rel, key=key)
    person_update(actor=ada, person=ravi, manager=olga)
    rel.refresh_from_db()
    return rel


def test_the_report_shares_a_meeting_and_the_new_manager_reads_it(
    open_as: OpenAs, ravi: Person, olga: Person, archived: Relationship
) -> None:
    page = open_as(ravi)
    page.goto(relationship_url(archived))
    expect(page.get_by_text("because the reporting line changed")).to_be_visible()
    expect(page.get_by_role("heading", name="Share with your new manager")).to_be_visible()
    check_page(page)

    page.get_by_role("checkbox").last.check()  # the oldest meeting comes last
    page.get_by_role("button", name="Share the chosen meetings with Olga").click()
    expect(page.get_by_text("Shared. Your manager can read")).to_be_visible()
    expect(page.get_by_text("Shared with Olga Othermanager")).to_be_visible()
    check_page(page)

    reader = open_as(olga)
    expect(reader.get_by_text("Ravi Report now reports to you")).to_be_visible()
    reader.get_by_role("link", name="read them").click()
    expect(
        reader.get_by_role("heading", name="Meetings Ravi Report shared", level=1)
    ).to_be_visible()
    expect(reader.locator(".markdown strong")).to_have_text("Q3 roadmap")
    expect(reader.get_by_text("Topic of week 1")).to_be_visible()
    expect(reader.get_by_text("Talked about the offsite")).to_have_count(0)
    check_page(reader)

    page.get_by_role("button", name="Withdraw the share").click()
    expect(page.get_by_text("Withdrawn.")).to_be_visible()
    response = reader.reload()
    assert response is not None
    assert response.status == 404

"""The organization admin pages in the browser: axe-core, phone width, keyboard, htmx parts."""

from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from accounts.services import invitation_create
from people.models import Person, Team
from people.services import person_deactivate
from tests.browser.conftest import BROWSER_TEST, OpenAs, check_page, signed_in
from tests.conftest import make_person

pytestmark = BROWSER_TEST


def test_every_admin_page_passes_axe_at_desktop_and_phone_width(
    open_as: OpenAs,
    live_server: LiveServer,
    ada: Person,
    maya: Person,
    ravi: Person,
    olga: Person,
    oren: Person,
) -> None:
    team = Team.objects.create(organization_id=ada.org_id, name="Platform")
    Person.objects.filter(pk__in=[ravi.pk, oren.pk]).update(team=team, title="Engineer")
    invitation_create(actor=ada, person=ravi, base_url=live_server.url)
    person_deactivate(actor=ada, person=oren)
    page = signed_in(open_as, live_server, ada)
    pages = [
        ("/org/", "Overview"),
        ("/org/people/", "People"),
        ("/org/people/?q=ravi&status=invited", "People"),
        ("/org/people/new/", "Add a person"),
        (f"/org/people/{ravi.uuid}/", "Ravi Report"),
        (f"/org/people/{ravi.uuid}/deactivate/", "Deactivate Ravi Report?"),
        (f"/org/people/{oren.uuid}/", "Oren Otherreport"),
        (f"/org/people/{oren.uuid}/reactivate/", "Reactivate Oren Otherreport?"),
        ("/org/chart/", "Org chart"),
        ("/org/teams/", "Teams"),
        ("/org/teams/new/", "New team"),
        (f"/org/teams/{team.uuid}/", "Platform"),
        (f"/org/teams/{team.uuid}/delete/", "Delete the team “Platform”?"),
        ("/org/invitations/", "Invitations"),
        ("/org/invitations/new/", "Invite someone"),
        ("/org/invitations/bulk/", "Invite many people"),
        ("/org/settings/", "Settings"),
    ]
    for url, heading in pages:
        page.goto(url)
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        expect(page.get_by_role("navigation", name="Organization")).to_be_visible()
        check_page(page)

    # Refused input: the errors are announced and still pass axe.
    page.goto("/org/invitations/bulk/")
    page.get_by_label("People to invite").fill("not-an-email\nlee@acme.test")
    page.get_by_role("button", name="Send invitations").click()
    expect(page.get_by_role("alert").filter(has_text="Line 1")).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text="Line 2")).to_be_visible()
    check_page(page)


def test_an_admin_adds_a_person_with_the_keyboard(
    open_as: OpenAs, live_server: LiveServer, ada: Person, maya: Person
) -> None:
    Team.objects.create(organization_id=ada.org_id, name="Platform")
    page = signed_in(open_as, live_server, ada)
    page.goto("/org/people/new/")
    page.get_by_label("Name").focus()
    page.keyboard.type("Pat Person")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Email")).to_be_focused()
    page.keyboard.type("pat@acme.test")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Title")).to_be_focused()
    page.keyboard.type("Engineer")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Team")).to_be_focused()
    page.get_by_label("Team").select_option(label="Platform")
    page.keyboard.press("Tab")
    manager = page.get_by_label("Manager")
    expect(manager).to_be_focused()
    page.keyboard.type("Maya")
    # The suggestions arrive as the admin types (htmx fills the datalist).
    expect(page.locator("#manager-options option[value='maya@acme.test']")).to_have_count(1)
    manager.fill("maya@acme.test")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Time zone")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Org admin")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Send an invitation now")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Add person")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Pat Person", level=1)).to_be_visible()
    expect(page.get_by_text("An invitation is on its way to pat@acme.test.")).to_be_visible()
    pat = Person.objects.get(email="pat@acme.test")
    assert (pat.manager_id, pat.title) == (maya.pk, "Engineer")
    check_page(page)


def test_a_manager_far_down_loads_their_reports_on_demand(
    open_as: OpenAs, live_server: LiveServer, ada: Person
) -> None:
    assert ada.organization is not None
    boss = None
    for level in range(5):
        boss = make_person(ada.organization, f"l{level}@acme.test", f"Level {level}", manager=boss)
    page = signed_in(open_as, live_server, ada)
    page.goto("/org/chart/")
    # The top level starts open, the next ones closed; three levels are in the page.
    expect(page.get_by_role("link", name="Level 1")).to_be_visible()
    page.locator("summary", has_text="of Level 1").click()
    expect(page.get_by_role("link", name="Level 2")).to_be_visible()
    expect(page.get_by_role("link", name="Level 3")).to_have_count(0)
    page.locator("summary", has_text="of Level 2").click()
    expect(page.get_by_role("link", name="Level 3")).to_be_visible()
    check_page(page)


def test_the_admin_pages_pass_axe_in_dark_mode(
    open_as: OpenAs, live_server: LiveServer, ada: Person, maya: Person, ravi: Person
) -> None:
    invitation_create(actor=ada, person=ravi, base_url=live_server.url)
    person_deactivate(actor=ada, person=maya)
    page = signed_in(open_as, live_server, ada, color_scheme="dark")
    for url in ("/org/", "/org/people/", f"/org/people/{ravi.uuid}/", "/org/invitations/"):
        page.goto(url)
        check_page(page, phone=False)

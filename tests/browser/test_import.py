"""The CSV import in the browser: upload, the error report, the summary; axe-clean at 375 px."""

from django.conf import settings
from django.test import Client
from playwright.sync_api import FilePayload, Page, expect
from pytest_django.live_server_helper import LiveServer

from people.models import Person
from tests.browser.conftest import BROWSER_TEST, OpenAs, Scheme, check_page

pytestmark = BROWSER_TEST

HEADER = b"email,name,manager_email,title,team,timezone\n"


def open_signed_in(
    open_as: OpenAs, live_server: LiveServer, person: Person, color_scheme: Scheme = "light"
) -> Page:
    """A page with the person's session: the sign-in form is tested elsewhere."""
    client = Client()
    client.force_login(person)
    page = open_as(None, color_scheme=color_scheme)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    return page


def upload(page: Page, rows: bytes, *, check_only: bool = False) -> None:
    payload = FilePayload(name="people.csv", mimeType="text/csv", buffer=HEADER + rows)
    page.get_by_label("CSV file").set_input_files(payload)
    if check_only:
        page.get_by_label("Check the file only").check()
    page.get_by_role("button", name="Check and import").click()


def test_an_admin_fixes_a_file_and_imports_it(
    open_as: OpenAs, live_server: LiveServer, ada: Person, maya: Person, ravi: Person
) -> None:
    page = open_signed_in(open_as, live_server, ada)
    page.goto("/org/people/import/")
    expect(page.get_by_role("heading", name="Import people", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Download a template CSV")).to_be_visible()
    check_page(page)

    upload(
        page,
        b"nia@acme.test,Nia New,maya@acme.test,Engineer,Platform,Europe/Paris\n"
        b"not-an-email,Bea,,,,Mars/Base\n"
        b"ravi@acme.test,Ravi Report,nia@acme.test,,,\n",
    )
    expect(page.get_by_role("heading", name="Nothing was imported")).to_be_visible()
    errors = page.get_by_role("table", name="Problems in people.csv")
    expect(errors.get_by_role("row")).to_have_count(3)  # the header and two problems
    expect(errors).to_contain_text("“not-an-email” is not a valid email address.")
    expect(errors).to_contain_text("“Mars/Base” is not a known time zone")
    check_page(page)
    assert not Person.objects.filter(email="nia@acme.test").exists()

    upload(
        page,
        b"nia@acme.test,Nia New,maya@acme.test,Engineer,Platform,Europe/Paris\n"
        b"ravi@acme.test,Ravi Report,nia@acme.test,,,\n",
        check_only=True,
    )
    expect(
        page.get_by_role("heading", name="people.csv is valid: nothing imported yet")
    ).to_be_visible()
    assert not Person.objects.filter(email="nia@acme.test").exists()

    upload(
        page,
        b"nia@acme.test,Nia New,maya@acme.test,Engineer,Platform,Europe/Paris\n"
        b"ravi@acme.test,Ravi Report,nia@acme.test,,,\n",
    )
    expect(page.get_by_role("heading", name="Imported people.csv")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("1 new person")
    expect(page.get_by_role("status")).to_contain_text("Teams created: Platform")
    check_page(page)
    ravi.refresh_from_db()
    assert ravi.manager == Person.objects.get(email="nia@acme.test")


def test_the_import_page_reads_well_in_the_dark(
    open_as: OpenAs, live_server: LiveServer, ada: Person
) -> None:
    page = open_signed_in(open_as, live_server, ada, color_scheme="dark")
    page.goto("/org/people/import/")
    upload(page, b"bad,,,,,\n")
    expect(page.get_by_role("heading", name="Nothing was imported")).to_be_visible()
    check_page(page)

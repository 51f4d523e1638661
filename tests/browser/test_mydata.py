"""My data in a real browser: the page is accessible at both widths and the button downloads."""

import json
import zipfile
from datetime import date

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from meetings.models import Relationship
from meetings.services.agenda import point_add
from people.models import Person
from tests.browser.conftest import BROWSER_TEST, OpenAs, check_page

pytestmark = BROWSER_TEST


def test_a_person_downloads_their_data_in_one_click(
    open_as: OpenAs, ravi: Person, upcoming_1on1: Relationship, tmp_path: pytest.TempPathFactory
) -> None:
    point_add(actor=ravi, relationship=upcoming_1on1, text="Only mine", is_private=True)
    # Sign-in asks for a verified address (whether or not the shared login helper adds one).
    EmailAddress.objects.get_or_create(
        user=ravi, email=ravi.email, defaults={"verified": True, "primary": True}
    )
    page = open_as(ravi)
    page.goto("/me/data/")
    expect(page.get_by_role("heading", name="My data", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="What it does not contain")).to_be_visible()
    check_page(page)

    with page.expect_download() as info:
        page.get_by_role("button", name="Download my data (.zip)").click()
    download = info.value
    assert download.suggested_filename.startswith("rapport-my-data-ravi-report-")
    assert download.suggested_filename.endswith(".zip")
    date.fromisoformat(download.suggested_filename.removesuffix(".zip")[-10:])
    path = download.path()
    with zipfile.ZipFile(path) as archive:
        data = json.loads(archive.read("data.json"))
        assert "relationships/maya-manager-manager.md" in archive.namelist()
    (relationship,) = data["relationships"]
    assert [p["text"] for p in relationship["talking_points"]] == ["Only mine"]

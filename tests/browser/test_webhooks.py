"""Webhooks in a real browser: add one, copy its secret, send a test, read the log.

The receiver is tests/support/receiver.py on loopback; the worker runs in the test.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from notifications.models import Webhook
from people.models import Person
from tests.browser.conftest import BROWSER_TEST, OpenAs, check_page
from tests.support.receiver import Receiver
from tests.support.worker import run_worker

pytestmark = BROWSER_TEST


@pytest.fixture(autouse=True)
def _allow_loopback_receiver(settings: Any) -> None:
    settings.RAPPORT_ALLOW_PRIVATE_URLS = True


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as server:
        yield server


def test_a_person_adds_a_signed_webhook_and_tests_it(
    open_as: OpenAs, maya: Person, receiver: Receiver
) -> None:
    page = open_as(maya)
    page.goto("/account/webhooks/")
    expect(page.get_by_role("heading", name="My webhooks", level=1)).to_be_visible()
    check_page(page)

    # A bad address is refused with a message next to the field; nothing is saved.
    page.get_by_label("Name").fill("My system")
    page.get_by_label("Webhook URL").fill("ftp://files.example.com/hook")
    page.get_by_role("button", name="Add the webhook").click()
    expect(page.get_by_text("The webhook URL must start with https://")).to_be_visible()
    assert not Webhook.objects.exists()
    check_page(page)

    page.get_by_label("Webhook URL").fill(receiver.url)
    page.get_by_label("JSON, signed with HMAC-SHA256").check()
    page.get_by_role("button", name="Add the webhook").click()
    expect(page.get_by_role("heading", name="My system", level=1)).to_be_visible()
    secret = page.get_by_role("textbox", name="Secret to copy").input_value()
    assert secret.startswith("whsec_")
    check_page(page)

    page.get_by_role("button", name="Send a test message").click()
    expect(page.get_by_text("A test message is on its way")).to_be_visible()
    run_worker()
    page.reload()
    expect(page.get_by_text("Sent (HTTP 200)")).to_be_visible()
    assert len(receiver.calls) == 1
    # The secret is not shown again, only its first characters.
    expect(page.get_by_role("textbox", name="Secret to copy")).to_have_count(0)
    expect(page.get_by_text(secret[:10])).to_be_visible()
    check_page(page)

    page.get_by_role("button", name="Send again").first.click()
    run_worker()
    assert len(receiver.calls) == 2

    page.get_by_role("button", name="Delete this webhook").click()
    expect(page.get_by_role("heading", name="Delete the webhook “My system”?")).to_be_visible()
    check_page(page)
    page.get_by_role("button", name="Delete the webhook").click()
    expect(page.get_by_text("No webhook yet.")).to_be_visible()
    assert not Webhook.objects.exists()


def test_an_org_admin_adds_an_organization_webhook(
    open_as: OpenAs, ada: Person, receiver: Receiver
) -> None:
    page = open_as(ada)
    page.goto("/org/webhooks/")
    expect(page.get_by_role("heading", name="Organization webhooks", level=1)).to_be_visible()
    check_page(page)
    page.get_by_label("Name").fill("Managers channel")
    page.get_by_label("Webhook URL").fill(receiver.url)
    page.get_by_role("button", name="Add the webhook").click()
    expect(page.get_by_role("heading", name="Managers channel", level=1)).to_be_visible()
    check_page(page)
    hook = Webhook.objects.get()
    assert hook.person is None
    assert hook.format == Webhook.Format.SLACK

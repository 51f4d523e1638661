"""The notification preferences page in a real browser: accessible at both widths, keyboard only."""

from playwright.sync_api import expect

from notifications.models import Delivery, Preferences
from notifications.outbox import delivery_create
from people.models import Person
from tests.browser.conftest import BROWSER_TEST, OpenAs, check_page, tab_until

pytestmark = BROWSER_TEST


def test_a_person_sets_their_notifications_by_keyboard(open_as: OpenAs, maya: Person) -> None:
    failed = delivery_create(
        key="browser:failed",
        organization_id=maya.organization_id,
        channel=Delivery.Channel.EMAIL,
        kind=Delivery.Kind.DIGEST,
        person=maya,
        summary="Weekly digest: 2 overdue action items",
    )
    assert failed is not None
    Delivery.objects.filter(pk=failed.pk).update(
        status=Delivery.Status.GAVE_UP, last_error="SMTPRecipientsRefused: mailbox full"
    )
    page = open_as(maya)
    page.goto("/account/notifications/")
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Recent messages")).to_be_visible()
    expect(page.get_by_text("mailbox full")).to_be_visible()
    check_page(page)

    # A bad number: the page says what is wrong, and nothing is saved.
    tab_until(page, "el.name === 'reminder_hours'", "The reminder hours")
    page.keyboard.press("Control+A")
    page.keyboard.type("500")
    page.keyboard.press("Enter")
    expect(page.get_by_text("at most 168 hours")).to_be_visible()
    assert not Preferences.objects.filter(person=maya).exists()
    check_page(page)

    # Recaps off (Space on the checkbox), 6 hours, saved with Enter.
    tab_until(page, "el.name === 'email_recaps'", "The recap checkbox")
    page.keyboard.press("Space")
    page.get_by_label("Hours before the 1:1").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("6")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your notification settings are saved.")).to_be_visible()
    prefs = Preferences.objects.get(person=maya)
    assert prefs.reminder_hours == 6
    assert prefs.email_recaps is False

    tab_until(page, "el.textContent.trim() === 'Send again'", "Send again")
    page.keyboard.press("Enter")
    expect(page.get_by_text("The message is on its way again.")).to_be_visible()
    assert Delivery.objects.filter(key="browser:failed:again:1").exists()
    check_page(page)

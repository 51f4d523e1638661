"""Browser tests: Debian's Chromium, driven by Playwright against the live server.

One browser for the whole session; every participant gets a fresh context and
signs in through the real sign-in form (allauth's, with a confirmed address).
`check_page` runs axe-core on a page at desktop width and at 375 px (where nothing
may scroll sideways).
"""

import os
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Literal, Protocol

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from django.test import Client
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    ViewportSize,
    expect,
    sync_playwright,
)
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from meetings.models import Relationship
from meetings.schedule import Cadence, CadenceKind
from meetings.services.relationships import relationship_start
from people.models import Person
from tests.conftest import PASSWORD

# Playwright's sync API runs an event loop in this thread; the ORM must still work here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = ViewportSize(width=1280, height=900)
PHONE = ViewportSize(width=375, height=812)
# The page polls every 2 s; a change must show up within one poll plus a margin.
LIVE_TIMEOUT_MS = 3500

Scheme = Literal["light", "dark"]


class OpenAs(Protocol):
    def __call__(self, person: Person | None, *, color_scheme: Scheme = "light") -> Page: ...


# Every browser test: the live server needs committed data. WhiteNoise warns that
# STATIC_ROOT does not exist; the files come from the finders, as in development.
BROWSER_TEST = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

_axe = Axe()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (make browser)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """allauth counts sign-in attempts in the default cache, which the live server shares."""
    cache.clear()


@pytest.fixture(autouse=True)
def fast_passwords(settings: Settings) -> None:
    """Real password hashing would dominate the run time (create_user and every sign-in)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def open_as(browser: Browser, live_server: LiveServer) -> Iterator[OpenAs]:
    """Sign a person in (None: nobody), in a browser context of their own; return the page.

    Uncaught script errors and CSP refusals fail the test.
    """
    contexts = []
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        # A 400/404/409 answer is logged as "Failed to load resource": expected in some tests.
        if message.type == "error" and "Failed to load resource" not in message.text:
            problems.append(message.text)

    def sign_in(person: Person | None, *, color_scheme: Scheme = "light") -> Page:
        context = browser.new_context(
            base_url=live_server.url, viewport=DESKTOP, color_scheme=color_scheme
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("console", on_console)
        page.on("pageerror", lambda error: problems.append(str(error)))
        if person is not None:
            login(page, person)
        return page

    yield sign_in
    for context in contexts:
        context.close()
    assert not problems, "Browser errors:\n" + "\n".join(problems)


def verified(person: Person) -> Person:
    """allauth requires a confirmed address to sign in; an accepted invitation gives one."""
    EmailAddress.objects.update_or_create(
        user=person, email=person.email, defaults={"verified": True, "primary": True}
    )
    return person


def login(page: Page, person: Person) -> None:
    verified(person)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My 1:1s", level=1)).to_be_visible()


def check_page(page: Page, *, phone: bool = True) -> None:
    """axe-core finds no violation at desktop width and, if `phone`, at 375 px without overflow."""
    _check_axe(page, "desktop")
    if not phone:
        return
    size = page.viewport_size or DESKTOP
    page.set_viewport_size(PHONE)
    try:
        _check_no_horizontal_overflow(page)
        _check_axe(page, "375 px")
    finally:
        page.set_viewport_size(size)


def _check_axe(page: Page, where: str) -> None:
    results = _axe.run(page)
    if results.violations_count:
        print(results.generate_report())
    assert results.violations_count == 0, (
        f"axe ({where}) on {page.url}:\n{results.generate_snapshot()}"
    )


_OVERFLOWING = """() => {
  const width = window.innerWidth;
  return [...document.querySelectorAll("body *")]
    .filter(el => el.getBoundingClientRect().right > width + 0.5)
    .slice(0, 8)
    .map(el => `${el.tagName.toLowerCase()}#${el.id}.${el.className} right=${Math.round(el.getBoundingClientRect().right)}`);
}"""


def _check_no_horizontal_overflow(page: Page) -> None:
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    if not fits:
        culprits = page.evaluate(_OVERFLOWING)
        pytest.fail(f"{page.url} scrolls sideways at 375 px; widest elements: {culprits}")


def start_weekly(lead: Person, member: Person, first: datetime) -> Relationship:
    """A weekly 1:1 in UTC whose first meeting starts at `first` (which may be just past)."""
    first = first.astimezone(UTC).replace(second=0, microsecond=0)
    return relationship_start(
        actor=lead,
        other=member,
        kind=Relationship.Kind.MANAGER,
        cadence=Cadence(CadenceKind.WEEKLY, weekday=first.weekday()),
        first_date=first.date(),
        local_time=first.time(),
        timezone="UTC",
        duration_minutes=30,
        # Set up "earlier", so a first meeting that has already started is allowed.
        now=first - timedelta(hours=1),
    )


@pytest.fixture
def upcoming_1on1(maya: Person, ravi: Person) -> Relationship:
    """Maya and Ravi meet weekly; the first meeting is tomorrow at 10:00 UTC."""
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    return start_weekly(maya, ravi, datetime.combine(tomorrow, time(10, 0), tzinfo=UTC))


@pytest.fixture
def running_1on1(maya: Person, ravi: Person) -> Relationship:
    """Maya and Ravi's first weekly meeting started ten minutes ago (it lasts 30)."""
    return start_weekly(maya, ravi, datetime.now(UTC) - timedelta(minutes=10))


def relationship_url(relationship: Relationship) -> str:
    return f"/1on1s/{relationship.uuid}/"


def signed_in(
    open_as: OpenAs, live_server: LiveServer, person: Person, color_scheme: Scheme = "light"
) -> Page:
    """A page with `person`'s session, for tests about a page rather than signing in."""
    page = open_as(None, color_scheme=color_scheme)
    client = Client()
    client.force_login(person)
    cookie = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
    return page


def tab_until(page: Page, predicate: str, what: str, limit: int = 120) -> None:
    """Press Tab until `predicate` (a JS expression on `el`, the focused element) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            f"(() => {{ const el = document.activeElement; return !!el && ({predicate}); }})()"
        ):
            return
    raise AssertionError(f"{what} cannot be reached with the keyboard")

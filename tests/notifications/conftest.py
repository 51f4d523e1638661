"""Fixtures of the notification tests: a real CalDAV server (Radicale) on loopback."""

import itertools
from collections.abc import Iterator
from datetime import datetime

import pytest
import time_machine
from pytest_django.fixtures import Settings

from tests.support.radicale import RadicaleServer, remove, start_radicale

_names = itertools.count(1)


@pytest.fixture(scope="session")
def radicale() -> Iterator[RadicaleServer]:
    """One Radicale process for the whole run (it starts in about half a second)."""
    server = start_radicale()
    yield server
    remove(server)


@pytest.fixture
def radicale_up(radicale: RadicaleServer) -> RadicaleServer:
    """The shared Radicale, running (a test that stopped it must not break the next one)."""
    radicale.start()
    return radicale


@pytest.fixture
def calendar_url(radicale_up: RadicaleServer) -> str:
    """A fresh, empty calendar of Radicale's user alice, for one test."""
    return radicale_up.calendar("alice", f"rapport-{next(_names)}")


@pytest.fixture
def private_urls_allowed(settings: Settings) -> None:
    """Radicale listens on loopback: let Rapport call private addresses in this test."""
    settings.RAPPORT_ALLOW_PRIVATE_URLS = True


@pytest.fixture
def clock(now: datetime) -> Iterator[time_machine.Traveller]:
    """Time stands still at `now` (a Monday, 8:00 UTC) until the test moves it."""
    with time_machine.travel(now, tick=False) as traveller:
        yield traveller

"""Personas shared by the whole suite.

Acme has a manager (Maya) with a report (Ravi), another manager (Olga) with her
own report (Oren), and an org admin (Ada). Otto works for another organization.
"""

import os
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client
from hypothesis import settings as hypothesis_settings

from meetings.models import Relationship
from meetings.pagecache import ALIAS as PAGE_CACHE
from meetings.schedule import Cadence, CadenceKind
from people.models import Organization, Person

PASSWORD = "correct horse battery staple"

# Property tests (hypothesis) run the same examples on every run, so CI never fails on
# luck; HYPOTHESIS_PROFILE=explore draws new ones on each run, to hunt for bugs.
hypothesis_settings.register_profile("default", derandomize=True, database=None)
hypothesis_settings.register_profile("explore", database=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Hashing with the production hasher costs 0.4 s a person; tests need no such strength."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture(autouse=True)
def _local_default_cache(settings: Any) -> None:
    """The app's default cache lives in the database so that every web process shares it;
    tests keep it in memory, so that tests without database access can use it and no
    count survives a test. tests/accounts/test_shared_cache.py checks the real one."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }


@pytest.fixture(autouse=True)
def _empty_page_cache() -> None:
    """Each test starts with no cached pages (entries are per process, like the app's)."""
    caches[PAGE_CACHE].clear()


def make_person(org: Organization, email: str, name: str, **fields: object) -> Person:
    return Person.objects.create_user(
        email=email, password=PASSWORD, name=name, organization=org, **fields
    )


@pytest.fixture
def acme(db: None) -> Organization:
    return Organization.objects.create(name="Acme")


@pytest.fixture
def globex(db: None) -> Organization:
    return Organization.objects.create(name="Globex")


@pytest.fixture
def maya(acme: Organization) -> Person:
    return make_person(acme, "maya@acme.test", "Maya Manager", timezone="America/New_York")


@pytest.fixture
def ravi(acme: Organization, maya: Person) -> Person:
    return make_person(
        acme, "ravi@acme.test", "Ravi Report", manager=maya, timezone="Europe/Berlin"
    )


@pytest.fixture
def olga(acme: Organization) -> Person:
    return make_person(acme, "olga@acme.test", "Olga Othermanager", timezone="UTC")


@pytest.fixture
def oren(acme: Organization, olga: Person) -> Person:
    return make_person(acme, "oren@acme.test", "Oren Otherreport", manager=olga)


@pytest.fixture
def ada(acme: Organization) -> Person:
    return make_person(acme, "ada@acme.test", "Ada Admin", is_org_admin=True, is_staff=True)


@pytest.fixture
def otto(globex: Organization) -> Person:
    return make_person(globex, "otto@globex.test", "Otto Outsider")


@pytest.fixture
def now() -> datetime:
    """The frozen 'now' most tests use: a Monday morning in UTC."""
    return datetime(2027, 1, 4, 8, 0, tzinfo=UTC)


@pytest.fixture
def one_on_one(maya: Person, ravi: Person, now: datetime) -> Relationship:
    """Maya and Ravi meet weekly on Tuesdays at 10:00 New York time, from 5 Jan 2027."""
    from meetings.services.relationships import relationship_start

    return relationship_start(
        actor=maya,
        other=ravi,
        kind=Relationship.Kind.MANAGER,
        cadence=Cadence(CadenceKind.WEEKLY, weekday=1),
        first_date=date(2027, 1, 5),
        local_time=time(10, 0),
        timezone="America/New_York",
        duration_minutes=30,
        now=now,
    )


def client_for(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


class _DeliveredOutbox:
    """pytest-django's `mailoutbox`, after the real worker has sent what was queued.

    Emails go through the outbox and the task worker (notifications/outbox.py), so a
    test that reads the outbox first runs the worker, as a person would wait for it.
    """

    def _sent(self) -> list[Any]:
        from django.core import mail

        from tests.support.worker import run_worker

        run_worker()
        return list(mail.outbox)

    def __len__(self) -> int:
        return len(self._sent())

    def __getitem__(self, index: int) -> Any:
        return self._sent()[index]

    def __iter__(self) -> Any:
        return iter(self._sent())

    def __bool__(self) -> bool:
        return bool(self._sent())

    def clear(self) -> None:
        from django.core import mail

        self._sent()
        mail.outbox.clear()


@pytest.fixture
def mailoutbox(mailoutbox: list[Any]) -> _DeliveredOutbox:
    return _DeliveredOutbox()


@pytest.fixture
def smtp_server(settings: Any) -> Any:
    """A real SMTP server on loopback; Rapport's mail goes to it for this test."""
    from tests.support.smtp import start_smtp_server

    server, controller = start_smtp_server()
    settings.MAILERS = server.mailers_setting()
    yield server
    controller.stop()

"""Failed sign-ins are counted in the database cache, which every web process shares.

The suite runs with an in-memory default cache (tests/conftest.py); here the app's real
setting comes back, and the count is shown to live in the database table the migration
created, not in this process's memory.
"""

from typing import Any

from django.conf import settings as app_settings
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from people.models import Person
from tests.accounts.conftest import sign_in, verify
from tests.accounts.test_sign_in import HOME, REFUSED
from tests.conftest import PASSWORD

# The CACHES the app is configured with (the suite's fixture overrides it per test).
APP_CACHES: dict[str, Any] = app_settings.CACHES


def _cached_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM rapport_cache")
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def test_the_app_keeps_its_default_cache_in_the_database() -> None:
    assert APP_CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


def test_failed_sign_ins_count_across_processes(maya: Person) -> None:
    verify(maya)
    with override_settings(CACHES=APP_CACHES):
        caches["default"].clear()
        for _ in range(5):
            assert REFUSED in sign_in(Client(), maya.email, "wrong password").content.decode()
        assert _cached_rows() > 0, "the attempts are stored in the shared table"

        # A process that starts now has empty memory; only the table remembers.
        caches["default"].close()
        del caches["default"]
        client = Client()
        response = sign_in(client, maya.email, PASSWORD)

        assert "Too many failed sign-in attempts" in response.content.decode()
        assert not client.get(HOME).wsgi_request.user.is_authenticated
        caches["default"].clear()

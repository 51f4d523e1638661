"""Every URL of the identity, notification and insights apps has rows in a permission table (meetings and growth
check their own in tests/meetings/test_permissions.py and tests/growth/test_urls_covered.py).

A new URL must get its rows, for GET and POST at least, before it can ship.
"""

import pytest
from django.urls import get_resolver

from tests.accounts import test_permissions as accounts_table
from tests.insights import test_org_permissions, test_permissions_personal
from tests.notifications import (
    test_permissions_caldav,
    test_permissions_calendar,
    test_permissions_preferences,
    test_permissions_webhooks,
)
from tests.people import (
    test_permissions_imports,
    test_permissions_mydata,
    test_permissions_orgadmin,
)
from tests.permissions import Row
from tests.scim import test_permissions as scim_table
from tests.sso import test_permissions as sso_table

TABLES: dict[str, list[list[Row]]] = {
    "accounts": [accounts_table.TABLE],
    "people": [
        test_permissions_orgadmin.TABLE,
        test_permissions_imports.TABLE,
        test_permissions_mydata.TABLE,
    ],
    "notifications": [
        test_permissions_preferences.TABLE,
        test_permissions_calendar.TABLE,
        test_permissions_caldav.TABLE,
        test_permissions_webhooks.TABLE,
    ],
    "insights": [test_permissions_personal.TABLE, test_org_permissions.TABLE],
    "sso": [sso_table.TABLE],
    "scim": [scim_table.TABLE],
}


def _names(namespace: str) -> set[str]:
    _prefix, resolver = get_resolver().namespace_dict[namespace]
    return {name for name in resolver.reverse_dict if isinstance(name, str)}


@pytest.mark.parametrize("namespace", sorted(TABLES))
def test_every_url_is_in_a_permission_table(namespace: str) -> None:
    covered = {
        (row[0].removeprefix(f"{namespace}:"), row[1])
        for table in TABLES[namespace]
        for row in table
    }
    wanted = {(name, method) for name in _names(namespace) for method in ("GET", "POST")}
    assert wanted - covered == set()

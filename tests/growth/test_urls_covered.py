"""Every growth URL has rows in a permission table (one table per area)."""

from django.urls import URLPattern, get_resolver

from growth import urls as growth_urls
from tests.growth import (
    test_permissions_career,
    test_permissions_checkins,
    test_permissions_feedback,
    test_permissions_goals,
)

TABLES = [
    test_permissions_checkins.TABLE,
    test_permissions_goals.TABLE,
    test_permissions_feedback.TABLE,
    test_permissions_career.TABLE,
]


def test_every_url_of_growth_is_in_a_permission_table() -> None:
    """A new URL must get its rows (both methods, the shared target) before it can ship."""
    in_urls = {p.name for p in growth_urls.urlpatterns if isinstance(p, URLPattern)}
    _prefix, namespace_resolver = get_resolver().namespace_dict["growth"]
    resolved = {name for name in namespace_resolver.reverse_dict if isinstance(name, str)}
    assert resolved == in_urls
    covered = {(row[0], row[1]) for table in TABLES for row in table if row[2] == ""}
    assert covered == {(name, method) for name in in_urls for method in ("GET", "POST")}

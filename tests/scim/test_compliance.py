"""scim2-tester, the SCIM compliance checker, run against Rapport in process (WSGI).

The checker reads what Rapport declares (ServiceProviderConfig, ResourceTypes, Schemas),
builds its models from that alone, and exercises them: create, read, list, attributes
and excludedAttributes, replace, delete, and PATCH add/replace/remove on every attribute
of Users (enterprise manager included) and Groups. Every check must pass; a check may be
skipped only for a feature Rapport declares unsupported (POST /.search across resource
types, which answers 501). The checker fills attributes with random values, so it runs
with a few seeds.
"""

import random
from collections.abc import Iterator

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from scim2_client.engines.wsgi import WSGISCIMClient
from scim2_tester import CheckResult, Status, check_server

from people.models import Organization
from rapport.wsgi import application

PASSED = {Status.SUCCESS, Status.COMPLIANT, Status.ACCEPTABLE}
# The only checks allowed to be skipped, and why: Rapport answers 501 to POST /.search
# across all resource types (it serves /Users/.search and /Groups/.search).
MAY_SKIP = {"search_with_attributes"}
MUST_PASS = {
    "object_creation",
    "object_query",
    "object_query_without_id",
    "object_query_with_attributes",
    "object_list_with_attributes",
    "object_replacement",
    "object_deletion",
    "check_add_attribute",
    "check_remove_attribute",
    "check_replace_attribute",
}


def _describe(result: CheckResult) -> str:
    return f"{result.title} [{result.resource_type or '-'}] {result.status.name}: {result.reason}"


@pytest.fixture
def keep_the_test_connection() -> Iterator[None]:
    """Rapport's WSGI handler closes the database connection after each request, which
    would close the test's own transaction (on PostgreSQL); Django's test client avoids
    it the same way, by disconnecting these handlers during requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("seed", [1, 2])
def test_scim2_tester_passes_every_check(
    db: None, acme: Organization, acme_token: str, seed: int, keep_the_test_connection: None
) -> None:
    random.seed(seed)
    client = WSGISCIMClient(
        application,
        base_url="http://testserver/scim/v2",
        headers={"Authorization": f"Bearer {acme_token}"},
    )

    results = check_server(client)

    failed = [
        _describe(r)
        for r in results
        if r.status not in PASSED and not (r.status == Status.SKIPPED and r.title in MAY_SKIP)
    ]
    assert not failed, "\n".join(failed)
    passed = {(r.title, r.resource_type) for r in results if r.status in PASSED}
    missing = {(title, kind) for title in MUST_PASS for kind in ("User", "Group")} - passed
    assert not missing, f"checks that did not run: {sorted(missing)}"
    discovery = {"service_provider_config_endpoint", "query_all_schemas", "random_url"}
    assert discovery <= {title for title, _ in passed}

"""Org admins set when a theme counts as quiet, for their own organization only."""

import pytest
from django.urls import reverse

from people.models import Organization, Person
from tests.conftest import client_for


def test_an_org_admin_changes_the_quiet_threshold(ada: Person, acme: Organization) -> None:
    url = reverse("admin:people_organization_change", args=[acme.pk])
    client = client_for(ada)

    page = client.get(url)
    response = client.post(url, {"quiet_theme_after": "6", "name": "Renamed"})

    assert page.status_code == 200
    assert response.status_code == 302
    acme.refresh_from_db()
    assert (acme.quiet_theme_after, acme.name) == (6, "Acme")


def test_a_bad_threshold_is_a_field_error_and_changes_nothing(
    ada: Person, acme: Organization
) -> None:
    url = reverse("admin:people_organization_change", args=[acme.pk])

    response = client_for(ada).post(url, {"quiet_theme_after": "0"})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["quiet_theme_after"]
    acme.refresh_from_db()
    assert acme.quiet_theme_after == 4


@pytest.mark.parametrize("value", ["53", "-1", "four", ""])
def test_a_threshold_out_of_range_or_not_a_number_is_refused(
    ada: Person, acme: Organization, value: str
) -> None:
    """Between 1 and 52 meetings: a quiet theme must be reachable and the badge meaningful."""
    url = reverse("admin:people_organization_change", args=[acme.pk])

    response = client_for(ada).post(url, {"quiet_theme_after": value})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["quiet_theme_after"]
    acme.refresh_from_db()
    assert acme.quiet_theme_after == 4


def test_the_highest_threshold_is_accepted(ada: Person, acme: Organization) -> None:
    url = reverse("admin:people_organization_change", args=[acme.pk])

    response = client_for(ada).post(url, {"quiet_theme_after": "52"})

    assert response.status_code == 302
    acme.refresh_from_db()
    assert acme.quiet_theme_after == 52


def test_the_org_admin_sees_only_their_organization(
    ada: Person, acme: Organization, globex: Organization
) -> None:
    client = client_for(ada)

    listing = client.get(reverse("admin:people_organization_changelist"))
    other = client.get(reverse("admin:people_organization_change", args=[globex.pk]))
    post = client.post(
        reverse("admin:people_organization_change", args=[globex.pk]), {"quiet_theme_after": "9"}
    )

    assert list(listing.context["cl"].result_list) == [acme]
    assert (other.status_code, post.status_code) == (404, 404)
    globex.refresh_from_db()
    assert globex.quiet_theme_after == 4


def test_the_org_admin_neither_adds_nor_deletes_organizations(
    ada: Person, acme: Organization
) -> None:
    client = client_for(ada)

    assert client.get(reverse("admin:people_organization_add")).status_code == 403
    delete = client.post(
        reverse("admin:people_organization_delete", args=[acme.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert Organization.objects.filter(pk=acme.pk).exists()


def test_the_settings_page_shows_no_1on1_content(
    ada: Person, acme: Organization, maya: Person
) -> None:
    body = client_for(ada).get(reverse("admin:people_organization_change", args=[acme.pk]))

    fields = set(body.context["adminform"].form.fields)
    assert fields == {"quiet_theme_after"}


def test_other_staff_get_nothing(acme: Organization, maya: Person) -> None:
    maya.is_staff = True
    maya.save()

    response = client_for(maya).get(reverse("admin:people_organization_change", args=[acme.pk]))

    assert response.status_code in (403, 404)

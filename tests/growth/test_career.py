"""Career profiles: saving with history, the profile pages and the career card."""

from datetime import date, time

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from activity.models import Activity
from growth.models import CareerProfile, CareerProfileRevision
from growth.models.career import CAREER_TEXT
from growth.selectors.career import career_history
from growth.services.career import career_profile_save
from meetings.models import Relationship
from meetings.schedule import Cadence, CadenceKind
from meetings.services.common import EditConflict
from meetings.services.relationships import relationship_start
from people.models import Person
from tests.conftest import client_for
from tests.people.test_admin import change_person_data

TEXTS = {
    "strengths": "Untangling legacy code",
    "skills_to_grow": "Public speaking",
    "next_role": "Staff engineer",
    "support_needed": "A conference talk slot",
}


def save(person: Person, base_version: int = 0, **changes: str) -> CareerProfile:
    return career_profile_save(
        actor=person, person=person, base_version=base_version, **(TEXTS | changes)
    )


def form(version: int = 0, **changes: str) -> dict[str, str]:
    return TEXTS | changes | {"version": str(version)}


# --- the service --------------------------------------------------------------------------


def test_it_saves_a_profile_and_keeps_a_revision(
    one_on_one: Relationship, ravi: Person, clock: time_machine.Traveller
) -> None:
    before = one_on_one.shared_version

    profile = save(ravi)

    assert (profile.strengths, profile.next_role, profile.version) == (
        "Untangling legacy code",
        "Staff engineer",
        1,
    )
    revision = CareerProfileRevision.objects.get(profile=profile)
    assert (revision.skills_to_grow, revision.edited_by) == ("Public speaking", ravi)
    one_on_one.refresh_from_db()
    assert one_on_one.shared_version == before + 1
    activity = Activity.objects.get(verb="career.save")
    assert (activity.actor, activity.object_uuid, activity.relationship_id) == (
        ravi,
        profile.uuid,
        one_on_one.pk,
    )


def test_each_save_adds_to_the_history_with_what_changed(
    one_on_one: Relationship, ravi: Person, clock: time_machine.Traveller
) -> None:
    save(ravi)
    clock.shift(3600)
    profile = save(ravi, base_version=1, next_role="Engineering manager", support_needed="")

    history = career_history(profile)

    assert [h.changed for h in history] == [
        (("Next role or direction", "Engineering manager"), ("Support needed", "")),
        tuple(
            (label, TEXTS[name])
            for name, label in (
                ("strengths", "Strengths to use more"),
                ("skills_to_grow", "Skills to grow"),
                ("next_role", "Next role or direction"),
                ("support_needed", "Support needed"),
            )
        ),
    ]


def test_a_save_that_changes_nothing_writes_nothing(
    one_on_one: Relationship, ravi: Person, clock: time_machine.Traveller
) -> None:
    save(ravi)
    one_on_one.refresh_from_db()
    version = one_on_one.shared_version

    profile = save(ravi, base_version=1)

    assert profile.version == 1
    assert CareerProfileRevision.objects.count() == 1
    one_on_one.refresh_from_db()
    assert one_on_one.shared_version == version


def test_it_refuses_a_stale_version_and_changes_nothing(
    one_on_one: Relationship, ravi: Person, clock: time_machine.Traveller
) -> None:
    save(ravi)

    with pytest.raises(EditConflict) as conflict:
        save(ravi, base_version=0, strengths="Overwritten")

    assert conflict.value.current_version == 1
    assert "Untangling legacy code" in conflict.value.current_text
    assert CareerProfile.objects.get(person=ravi).strengths == "Untangling legacy code"
    assert CareerProfileRevision.objects.count() == 1


def test_only_the_person_edits_their_profile(ravi: Person, maya: Person) -> None:
    with pytest.raises(PermissionDenied):
        career_profile_save(actor=maya, person=ravi, base_version=0, **TEXTS)

    assert not CareerProfile.objects.exists()


def test_it_refuses_a_text_over_the_limit(ravi: Person) -> None:
    with pytest.raises(ValidationError, match="too long"):
        save(ravi, strengths="x" * (CAREER_TEXT + 1))

    assert not CareerProfileRevision.objects.exists()


def test_it_bumps_no_1on1_other_than_the_manager_ones(
    one_on_one: Relationship,
    ravi: Person,
    maya: Person,
    oren: Person,
    clock: time_machine.Traveller,
) -> None:
    """Maya's own profile shows on no 1:1 where she is the lead."""
    before = one_on_one.shared_version

    save(maya)

    one_on_one.refresh_from_db()
    assert one_on_one.shared_version == before


def test_it_leaves_a_former_managers_1on1_alone(
    one_on_one: Relationship,
    ravi: Person,
    olga: Person,
    clock: time_machine.Traveller,
) -> None:
    """Maya's page must not even refresh when the report she no longer manages edits."""
    ravi.manager = olga
    ravi.save()
    before = one_on_one.shared_version

    save(ravi)

    one_on_one.refresh_from_db()
    assert one_on_one.shared_version == before
    assert Activity.objects.get(verb="career.save").relationship_id is None


# --- my career page -----------------------------------------------------------------------


def test_the_page_shows_a_prefilled_form_and_the_history(
    one_on_one: Relationship, ravi: Person, clock: time_machine.Traveller
) -> None:
    save(ravi)

    response = client_for(ravi).get(reverse("growth:career"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Untangling legacy code</textarea>" in body
    assert 'name="version" value="1"' in body
    assert "How it evolved" in body
    assert "first version" in body


def test_posting_saves_and_redirects(
    one_on_one: Relationship, ravi: Person, clock: time_machine.Traveller
) -> None:
    response = client_for(ravi).post(reverse("growth:career"), form(next_role="Tech lead"))

    assert response.status_code == 302
    assert response["Location"] == reverse("growth:career")
    assert CareerProfile.objects.get(person=ravi).next_role == "Tech lead"


def test_a_text_over_the_limit_is_a_field_error_and_changes_nothing(
    ravi: Person, clock: time_machine.Traveller
) -> None:
    response = client_for(ravi).post(
        reverse("growth:career"), form(skills_to_grow="y" * (CAREER_TEXT + 1))
    )

    assert response.status_code == 400
    assert f"Keep this under {CAREER_TEXT} characters" in response.content.decode()
    assert not CareerProfile.objects.exists()


def test_a_missing_version_is_a_bad_request(ravi: Person) -> None:
    data = form()
    del data["version"]

    response = client_for(ravi).post(reverse("growth:career"), data)

    assert response.status_code == 400
    assert not CareerProfile.objects.exists()


def test_a_conflict_shows_the_saved_text_and_keeps_the_typed_one(
    one_on_one: Relationship, ravi: Person, clock: time_machine.Traveller
) -> None:
    save(ravi)

    response = client_for(ravi).post(reverse("growth:career"), form(0, strengths="Mine, typed"))

    assert response.status_code == 409
    body = response.content.decode()
    assert "saved from another window" in body
    assert "Untangling legacy code" in body
    assert "Mine, typed</textarea>" in body
    assert 'name="version" value="1"' in body
    assert CareerProfile.objects.get(person=ravi).strengths == "Untangling legacy code"


def test_html_in_a_profile_is_inert(
    one_on_one: Relationship, ravi: Person, maya: Person, clock: time_machine.Traveller
) -> None:
    save(ravi, strengths="<script>alert(1)</script>")

    for person, url in (
        (ravi, reverse("growth:career")),
        (maya, reverse("growth:career_person", args=[ravi.uuid])),
        (maya, reverse("meetings:relationship", args=[one_on_one.uuid])),
    ):
        body = client_for(person).get(url).content.decode()
        assert "<script>alert(1)</script>" not in body
        assert "&lt;script&gt;" in body


def test_the_career_page_refuses_other_methods(ravi: Person) -> None:
    assert client_for(ravi).put(reverse("growth:career")).status_code == 405


@pytest.mark.parametrize("revisions", [1, 12])
def test_the_career_page_costs_the_same_with_many_revisions(
    ravi: Person,
    clock: time_machine.Traveller,
    django_assert_num_queries: DjangoAssertNumQueries,
    revisions: int,
) -> None:
    for n in range(revisions):
        save(ravi, base_version=n, strengths=f"Strength {n}")
    client = client_for(ravi)
    client.get(reverse("growth:career"))

    # session, person, profile, revisions (with their editors)
    with django_assert_num_queries(4):
        assert client.get(reverse("growth:career")).status_code == 200


# --- a person's profile, read-only --------------------------------------------------------


def test_the_manager_reads_the_reports_profile_and_history(
    one_on_one: Relationship, ravi: Person, maya: Person, clock: time_machine.Traveller
) -> None:
    save(ravi)
    save(ravi, base_version=1, next_role="Principal engineer")

    response = client_for(maya).get(reverse("growth:career_person", args=[ravi.uuid]))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Ravi Report's career profile" in body
    assert "Principal engineer" in body
    assert "Staff engineer" in body  # the first version, in the history
    assert "<textarea" not in body


def test_the_person_reads_their_own_profile(ravi: Person) -> None:
    response = client_for(ravi).get(reverse("growth:career_person", args=[ravi.uuid]))

    assert response.status_code == 200
    assert "not written a career profile yet" in response.content.decode()


@pytest.mark.parametrize("viewer", ["olga", "ada", "otto", "oren"])
def test_anyone_else_gets_404(
    one_on_one: Relationship, ravi: Person, request: pytest.FixtureRequest, viewer: str
) -> None:
    save(ravi)
    person: Person = request.getfixturevalue(viewer)

    response = client_for(person).get(reverse("growth:career_person", args=[ravi.uuid]))

    assert response.status_code == 404


def test_a_manager_without_a_manager_1on1_gets_404(maya: Person, ravi: Person) -> None:
    """The reporting line alone does not open the profile: the 1:1 does."""
    response = client_for(maya).get(reverse("growth:career_person", args=[ravi.uuid]))

    assert response.status_code == 404


def test_a_former_manager_gets_404(
    one_on_one: Relationship, ravi: Person, maya: Person, olga: Person
) -> None:
    ravi.manager = olga
    ravi.save()

    response = client_for(maya).get(reverse("growth:career_person", args=[ravi.uuid]))

    assert response.status_code == 404


def test_an_unknown_person_gets_404(maya: Person) -> None:
    missing = "00000000-0000-4000-8000-000000000000"
    assert client_for(maya).get(reverse("growth:career_person", args=[missing])).status_code == 404


def test_the_profile_page_refuses_post(
    one_on_one: Relationship, ravi: Person, maya: Person
) -> None:
    url = reverse("growth:career_person", args=[ravi.uuid])
    assert client_for(maya).post(url).status_code == 405


@pytest.mark.parametrize("revisions", [1, 12])
def test_the_profile_page_costs_the_same_with_many_revisions(
    one_on_one: Relationship,
    ravi: Person,
    maya: Person,
    clock: time_machine.Traveller,
    django_assert_num_queries: DjangoAssertNumQueries,
    revisions: int,
) -> None:
    for n in range(revisions):
        save(ravi, base_version=n, strengths=f"Strength {n}")
    client = client_for(maya)
    url = reverse("growth:career_person", args=[ravi.uuid])
    client.get(url)

    # session, viewer, person, manager 1:1, profile, revisions
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200


# --- the career card on the relationship page ---------------------------------------------


def test_the_card_shows_the_members_profile_to_both(
    one_on_one: Relationship, ravi: Person, maya: Person, clock: time_machine.Traveller
) -> None:
    save(ravi)
    url = reverse("meetings:relationship", args=[one_on_one.uuid])

    manager_view = client_for(maya).get(url).content.decode()
    member_view = client_for(ravi).get(url).content.decode()

    assert "Ravi's career profile" in manager_view
    assert "Staff engineer" in manager_view
    assert reverse("growth:career_person", args=[ravi.uuid]) in manager_view
    assert "Your career profile" in member_view
    assert "Staff engineer" in member_view
    assert "Edit your career profile" in member_view


def test_a_save_refreshes_the_cached_page(
    one_on_one: Relationship, ravi: Person, maya: Person, clock: time_machine.Traveller
) -> None:
    client = client_for(maya)
    url = reverse("meetings:relationship", args=[one_on_one.uuid])
    assert "has not written a career profile yet" in client.get(url).content.decode()

    save(ravi)

    assert "Staff engineer" in client.get(url).content.decode()


def start(lead: Person, member: Person, kind: str) -> Relationship:
    return relationship_start(
        actor=lead,
        other=member,
        kind=kind,
        cadence=Cadence(CadenceKind.WEEKLY, weekday=2),
        first_date=date(2027, 1, 6),
        local_time=time(10, 0),
        timezone="UTC",
        duration_minutes=30,
        now=timezone.now(),  # the frozen clock
    )


def test_no_card_in_a_peer_1on1(
    acme: object, maya: Person, olga: Person, clock: time_machine.Traveller
) -> None:
    peers = start(maya, olga, Relationship.Kind.PEER)
    save(olga)

    body = client_for(maya).get(reverse("meetings:relationship", args=[peers.uuid]))

    assert "career-card" not in body.content.decode()
    assert "Staff engineer" not in body.content.decode()


@pytest.mark.parametrize(
    "kind", [Relationship.Kind.MENTOR, Relationship.Kind.PEER, Relationship.Kind.SKIP_LEVEL]
)
def test_no_card_in_another_kind_of_1on1_even_with_the_manager(
    maya: Person, ravi: Person, clock: time_machine.Traveller, kind: str
) -> None:
    """Maya is Ravi's manager, but only their manager 1:1 carries his profile."""
    other = start(maya, ravi, kind)
    save(ravi)
    url = reverse("meetings:relationship", args=[other.uuid])

    for person in (maya, ravi):
        body = client_for(person).get(url).content.decode()
        assert "career-card" not in body
        assert "Staff engineer" not in body
        assert reverse("growth:career_person", args=[ravi.uuid]) not in body


def test_a_former_manager_no_longer_sees_the_card(
    one_on_one: Relationship,
    ravi: Person,
    maya: Person,
    olga: Person,
    clock: time_machine.Traveller,
) -> None:
    """The 1:1 with the former manager goes on, but the profile is no longer shared in it."""
    save(ravi)
    ravi.manager = olga
    ravi.save()

    for person in (maya, ravi):
        body = (
            client_for(person)
            .get(reverse("meetings:relationship", args=[one_on_one.uuid]))
            .content.decode()
        )
        assert "career-card" not in body
        assert "Staff engineer" not in body


def test_a_reporting_line_changed_in_the_admin_hides_the_card_at_once(
    one_on_one: Relationship,
    ravi: Person,
    maya: Person,
    olga: Person,
    ada: Person,
    clock: time_machine.Traveller,
) -> None:
    """The former manager's cached page is not served with the profile on it."""
    save(ravi)
    manager = client_for(maya)
    url = reverse("meetings:relationship", args=[one_on_one.uuid])
    assert "Staff engineer" in manager.get(url).content.decode()

    change = client_for(ada).post(
        reverse("admin:people_person_change", args=[ravi.pk]),
        change_person_data(ravi, manager=str(olga.pk)),
    )

    assert change.status_code == 302
    ravi.refresh_from_db()
    assert ravi.manager == olga
    body = manager.get(url).content.decode()
    assert "career-card" not in body
    assert "Staff engineer" not in body

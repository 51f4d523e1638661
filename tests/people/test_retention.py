"""`manage.py people_retention`: after the retention period, a leaver's private content and
identity are erased; the shared history stays with their partners, under "Former colleague".
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from activity.models import Activity
from growth.models import CareerProfile, CareerProfileRevision, CheckIn, Feedback, Goal
from growth.services.career import career_profile_save
from growth.services.feedback import feedback_delete, feedback_give
from growth.services.goals import GoalFields, goal_create
from meetings.models import (
    ActionItem,
    Meeting,
    MeetingShare,
    PrivateNote,
    Rating,
    Relationship,
    TalkingPoint,
)
from meetings.occurrences import key_slug
from meetings.services.shares import meetings_share
from people.models import Organization, Person
from people.services import person_deactivate
from tests.conftest import PASSWORD, client_for
from tests.meetings.conftest import FIRST, SECOND
from tests.meetings.test_shares_world import (
    PRIVATE_NOTE_MAYA,
    SHARED_NOTES_ONE,
    SHARED_POINT_RAVI,
    World,
    build,
)

OWN_GOAL = "OwnGoalTitle"
SHARED_GOAL = "SharedGoalTitle"


@pytest.fixture
def clock(now: datetime) -> Iterator[time_machine.Traveller]:
    with time_machine.travel(now, tick=False) as traveller:
        yield traveller


@dataclass(frozen=True)
class Left:
    world: World
    left_at: datetime


def run(*args: str) -> str:
    out = StringIO()
    call_command("people_retention", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def left(
    clock: time_machine.Traveller,
    one_on_one: Relationship,
    maya: Person,
    ravi: Person,
    ada: Person,
    olga: Person,
) -> Left:
    """Ravi had everything growth and 1:1s can hold, shared a meeting with Olga, then left."""
    world = build(clock, one_on_one, ada, olga, change_manager=False)
    career = {"strengths": "Mentoring", "skills_to_grow": "Go", "next_role": "Lead"}
    profile = career_profile_save(actor=ravi, person=ravi, base_version=0, support_needed="Time",
                                  **career)  # fmt: skip
    career_profile_save(actor=ravi, person=ravi, base_version=profile.version,
                        support_needed="More time", **career)  # fmt: skip
    goal_create(actor=ravi, fields=GoalFields(kind="personal", title=OWN_GOAL))
    goal_create(actor=ravi, fields=GoalFields(kind="career", title=SHARED_GOAL),
                relationship=one_on_one)  # fmt: skip
    clock.move_to(SECOND + timedelta(days=7, minutes=-5))  # just before the third meeting
    given = feedback_give(actor=ravi, relationship=one_on_one, meeting_key=SECOND + timedelta(days=7),
                          kind="praise", text="Withdrawn praise")  # fmt: skip
    feedback_delete(actor=ravi, feedback=given)
    # Ravi moves to Olga and shares the first meeting with her; later he leaves.
    from people.services import person_update

    person_update(actor=ada, person=ravi, manager=olga)
    world.old.refresh_from_db()
    meetings_share(actor=ravi, relationship=world.old, meeting_uuids=[world.first.uuid])
    person_deactivate(actor=ada, person=ravi)
    ravi.refresh_from_db()
    assert ravi.deactivated_at is not None
    return Left(world=world, left_at=ravi.deactivated_at)


def test_nothing_happens_within_the_retention_period(left: Left, ravi: Person) -> None:
    with time_machine.travel(left.left_at + timedelta(days=729), tick=False):
        out = run()

    assert "Anonymised 0 people" in out
    ravi.refresh_from_db()
    assert ravi.name == "Ravi Report"
    assert PrivateNote.objects.filter(author=ravi).exists()


def test_after_the_retention_period_private_content_is_erased(left: Left, ravi: Person) -> None:
    with time_machine.travel(left.left_at + timedelta(days=731), tick=False):
        out = run()

    assert "Anonymised 1 people" in out
    assert "2 private talking points" not in out  # Ravi had one private point
    assert "1 private talking points, 1 private notes, 1 ratings, 1 career profiles" in out
    assert "1 own goals, 1 deleted feedback" in out
    assert not TalkingPoint.objects.filter(author=ravi, is_private=True).exists()
    assert not PrivateNote.objects.filter(author=ravi).exists()
    assert not Rating.objects.filter(rater=ravi).exists()
    assert not CareerProfile.objects.filter(person=ravi).exists()
    assert not CareerProfileRevision.objects.exists()
    assert list(Goal.objects.filter(owner=ravi).values_list("title", flat=True)) == [SHARED_GOAL]
    assert not Feedback.objects.filter(giver=ravi).exists()


def test_shared_history_stays(left: Left, ravi: Person, maya: Person) -> None:
    with time_machine.travel(left.left_at + timedelta(days=731), tick=False):
        run()

    assert TalkingPoint.objects.filter(author=ravi, is_private=False).count() == 1
    assert Meeting.objects.get(pk=left.world.first.pk).notes == f"**{SHARED_NOTES_ONE}**"
    assert ActionItem.objects.filter(owner=ravi).exists()
    assert CheckIn.objects.filter(author=ravi).exists()
    assert Feedback.objects.filter(giver=maya).exists()
    assert PrivateNote.objects.filter(author=maya).exists()
    assert Rating.objects.filter(rater=maya).exists()
    assert MeetingShare.objects.filter(shared_by=ravi).count() == 1


def test_the_person_is_anonymised(left: Left, ravi: Person) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=ravi, email=ravi.email, verified=True, primary=True)
    with time_machine.travel(left.left_at + timedelta(days=731), tick=False):
        run()

    ravi.refresh_from_db()
    assert ravi.name == "Former colleague"
    assert ravi.email == f"left-{ravi.uuid}@invalid.example"
    assert ravi.title == ""
    assert ravi.external_id == ""
    assert not ravi.has_usable_password()
    assert not ravi.is_active
    assert not EmailAddress.objects.filter(user=ravi).exists()
    assert Activity.objects.filter(verb="person.anonymise", object_uuid=ravi.uuid).count() == 1


def test_partners_still_read_the_shared_history_under_the_new_name(
    left: Left, maya: Person, olga: Person, ravi: Person
) -> None:
    with time_machine.travel(left.left_at + timedelta(days=731), tick=False):
        run()
        maya_page = client_for(maya).get(
            reverse("meetings:meeting", args=[left.world.old.uuid, key_slug(FIRST)])
        )
        olga_page = client_for(olga).get(reverse("meetings:shared_history", args=[ravi.uuid]))

    for response in (maya_page, olga_page):
        assert response.status_code == 200
        text = response.content.decode()
        assert SHARED_NOTES_ONE in text
        assert SHARED_POINT_RAVI in text
        assert "Ravi" not in text.replace(SHARED_POINT_RAVI, "")
        assert "Former" in text
    assert PRIVATE_NOTE_MAYA in maya_page.content.decode()


def test_a_dry_run_changes_nothing(left: Left, ravi: Person) -> None:
    with time_machine.travel(left.left_at + timedelta(days=731), tick=False):
        out = run("--dry-run")

    assert "Would anonymise 1 people" in out
    assert "Dry run: nothing was changed." in out
    ravi.refresh_from_db()
    assert ravi.name == "Ravi Report"
    assert ravi.check_password(PASSWORD)
    assert PrivateNote.objects.filter(author=ravi).exists()
    assert CareerProfile.objects.filter(person=ravi).exists()


def test_it_is_idempotent(left: Left, ravi: Person) -> None:
    with time_machine.travel(left.left_at + timedelta(days=731), tick=False):
        run()
        again = run()

    assert "Anonymised 0 people" in again
    assert Activity.objects.filter(verb="person.anonymise").count() == 1


def test_each_organization_keeps_data_as_long_as_it_chose(
    left: Left, ravi: Person, acme: Organization
) -> None:
    Organization.objects.filter(pk=acme.pk).update(retention_days=30)

    with time_machine.travel(left.left_at + timedelta(days=29), tick=False):
        assert "Anonymised 0 people" in run()
    with time_machine.travel(left.left_at + timedelta(days=31), tick=False):
        assert "Anonymised 1 people" in run()


def test_people_who_work_here_are_never_touched(left: Left, maya: Person, olga: Person) -> None:
    with time_machine.travel(left.left_at + timedelta(days=3650), tick=False):
        run()

    maya.refresh_from_db()
    assert maya.name == "Maya Manager"
    assert PrivateNote.objects.filter(author=maya).exists()


def test_meetings_shared_with_someone_who_left_go_with_them(
    left: Left, olga: Person, ada: Person
) -> None:
    """Olga, who received Ravi's share, leaves too: nobody can read that share again."""
    person_deactivate(actor=ada, person=olga)

    with time_machine.travel(left.left_at + timedelta(days=731), tick=False):
        out = run()

    assert "Anonymised 2 people" in out
    assert "1 shares to them" in out
    assert not MeetingShare.objects.exists()

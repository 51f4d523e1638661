"""Growth content of the demo: realistic, consistent with the services, and added exactly once."""

from collections import Counter
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from pytest_django import DjangoDbBlocker

from demo.generator import DEMO_ORG_NAME
from demo.growth import has_growth
from growth.models import (
    CareerProfile,
    CheckIn,
    Feedback,
    Goal,
    GoalUpdate,
)
from meetings.models import Discussion, Meeting, Relationship, TalkingPoint, Theme
from people.models import Organization, Person


def run(*args: str) -> str:
    out = StringIO()
    call_command("demo_load", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def loaded(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Organization]:
    """The demo, loaded once for this module inside a transaction that is rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        run()
        yield Organization.objects.get(name=DEMO_ORG_NAME)
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded: Organization, db: None) -> Organization:
    return loaded


def test_members_check_in_before_most_recent_meetings(demo: Organization) -> None:
    checkins = list(
        CheckIn.objects.filter(organization=demo).select_related("relationship", "meeting")
    )
    assert len(checkins) > 50
    assert all(c.author_id == c.relationship.member_id for c in checkins)
    assert all(c.meeting.relationship_id == c.relationship_id for c in checkins)
    assert all(c.meeting.status == Meeting.Status.HELD for c in checkins)
    assert all(c.created_at < c.meeting.start for c in checkins)
    assert len({c.mood for c in checkins}) >= 3
    assert set(Counter(c.workload for c in checkins)) == set(CheckIn.Workload.values)
    assert all(c.wins and c.priorities for c in checkins)
    with_blockers = [c for c in checkins if c.blockers]
    assert 0.1 < len(with_blockers) / len(checkins) < 0.5


def test_each_blocker_became_a_talking_point_discussed_in_its_meeting(
    demo: Organization,
) -> None:
    """What checkin_submit would have written: a shared blockers point by the author."""
    for checkin in CheckIn.objects.filter(organization=demo).exclude(blockers=""):
        point = TalkingPoint.objects.get(
            relationship=checkin.relationship_id,
            author=checkin.author_id,
            source=TalkingPoint.Source.CHECKIN,
            planned_for=checkin.meeting.occurrence_start,
        )
        assert (point.text, point.theme, point.is_private) == (
            checkin.blockers,
            Theme.BLOCKERS,
            False,
        )
        assert point.status == TalkingPoint.Status.DISCUSSED
        assert list(Discussion.objects.filter(point=point).values_list("meeting", flat=True)) == [
            checkin.meeting_id
        ]
    blocker_points = TalkingPoint.objects.filter(source=TalkingPoint.Source.CHECKIN)
    assert blocker_points.count() == CheckIn.objects.exclude(blockers="").count() > 0


def test_goals_are_kept_proposed_and_updated(demo: Organization) -> None:
    goals = list(Goal.objects.filter(organization=demo).select_related("relationship"))
    assert len(goals) > 10
    series = {g.pk: g.relationship for g in goals if g.relationship}
    assert len(series) == len(goals)  # every goal is discussed in a 1:1
    assert all(r.kind == Relationship.Kind.MANAGER for r in series.values())
    assert all(g.owner_id == series[g.pk].member_id for g in goals)
    proposed = [g for g in goals if g.state == Goal.State.PROPOSED]
    assert proposed
    assert all(g.proposed_by_id == series[g.pk].lead_id for g in proposed)
    assert all(g.accepted_at is None for g in proposed)
    active = [g for g in goals if g.state == Goal.State.ACTIVE]
    assert any(g.proposed_by_id == series[g.pk].lead_id for g in active)
    assert all(g.accepted_at is not None for g in active)
    assert {g.kind for g in goals} == set(Goal.Kind.values)
    assert all(g.review_period for g in goals if g.kind == Goal.Kind.PERFORMANCE)
    assert len({g.status for g in goals}) >= 3
    updates = GoalUpdate.objects.filter(goal__organization=demo).select_related("goal", "meeting")
    assert updates.count() > 10
    assert all(u.meeting and u.meeting.relationship_id == u.goal.relationship_id for u in updates)
    assert not GoalUpdate.objects.filter(goal__state=Goal.State.PROPOSED).exists()


def test_feedback_goes_both_ways_between_the_participants(demo: Organization) -> None:
    feedback = list(Feedback.objects.filter(organization=demo).select_related("relationship"))
    assert len(feedback) > 20
    pairs = {(f.giver_id, f.receiver_id) for f in feedback}
    assert all(
        {f.giver_id, f.receiver_id} == {f.relationship.lead_id, f.relationship.member_id}
        for f in feedback
    )
    upward = [f for f in feedback if f.is_upward]
    assert upward
    assert all(
        f.relationship.kind == Relationship.Kind.MANAGER and f.giver_id == f.relationship.member_id
        for f in upward
    )
    assert {f.kind for f in feedback} == set(Feedback.Kind.values)
    assert any(f.situation and f.behaviour and f.impact for f in feedback)
    public = Feedback.objects.filter(organization=demo).public()
    assert public.exists()
    assert all(f.public_requested_at and f.kind == Feedback.Kind.PRAISE for f in public)
    assert len(pairs) > 5


def test_people_keep_career_profiles_that_evolved(demo: Organization) -> None:
    profiles = list(CareerProfile.objects.filter(organization=demo).select_related("person"))
    assert len(profiles) >= 5
    assert all(p.person.manager_id for p in profiles)
    for profile in profiles:
        revisions = list(profile.revisions.order_by("-created_at"))
        assert len(revisions) == profile.version >= 1
        latest = revisions[0]
        assert (latest.strengths, latest.next_role, latest.support_needed) == (
            profile.strengths,
            profile.next_role,
            profile.support_needed,
        )
        assert all(r.edited_by_id == profile.person_id for r in revisions)
    assert any(p.version > 1 for p in profiles)
    # The demo manager has a report whose profile shows in their manager 1:1.
    jonas = Person.objects.get(email="jonas@northwind.example")
    reports = Relationship.objects.filter(
        lead=jonas, kind=Relationship.Kind.MANAGER, member__manager=jonas
    ).values_list("member", flat=True)
    assert CareerProfile.objects.filter(person__in=reports).exists()


def test_any_growth_row_counts_as_seeded(ravi: Person, acme: Organization) -> None:
    """Seeding twice would duplicate profiles (one per person): a profile alone is enough."""
    assert not has_growth(acme)

    CareerProfile.objects.create(organization=acme, person=ravi, strengths="Listening")

    assert has_growth(acme)

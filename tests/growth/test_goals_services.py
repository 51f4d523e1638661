"""Goal services: every write, and every refusal."""

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from activity.models import Activity
from growth.access import goal_for, goals_visible_to
from growth.models import Goal, GoalUpdate
from growth.services.goals import (
    goal_accept,
    goal_create,
    goal_decline,
    goal_delete,
    goal_edit,
    goal_propose,
    goal_restore,
    goal_update_add,
    goals_purge_deleted,
)
from meetings.models import Relationship
from meetings.services.common import EditConflict
from meetings.services.meetings import meeting_close
from meetings.services.relationships import relationship_end
from people.models import Person
from tests.growth.goals_world import CURRENT, HELD, NOW, UPCOMING, World, build_world, fields


@pytest.fixture
def world(
    one_on_one: Relationship,
    maya: Person,
    ravi: Person,
    olga: Person,
    oren: Person,
    ada: Person,
    otto: Person,
) -> Iterator[World]:
    with time_machine.travel(NOW, tick=False):
        yield build_world(one_on_one, maya, ravi, olga, ada, otto)


def shared_version(relationship: Relationship) -> int:
    return Relationship.objects.get(pk=relationship.pk).shared_version


def verbs() -> list[str]:
    return list(Activity.objects.order_by("pk").values_list("verb", flat=True))


# Creating and proposing


def test_a_goal_of_ones_own_is_active_at_once(world: World) -> None:
    before = shared_version(world.relationship)
    goal = goal_create(actor=world.ravi, fields=fields("Talk at a meetup"), relationship=None)
    assert (goal.state, goal.owner, goal.proposed_by) == (Goal.State.ACTIVE, world.ravi, world.ravi)
    assert goal.accepted_at is not None
    assert shared_version(world.relationship) == before  # no 1:1: nobody else to tell
    assert verbs()[-1] == "goal.create"
    assert list(goals_visible_to(world.maya).filter(pk=goal.pk)) == []


def test_a_goal_tied_to_a_1on1_is_seen_by_the_other_participant_only(world: World) -> None:
    assert goal_for(world.maya, world.active.uuid) == world.active
    for outsider in (world.olga, world.ada, world.otto):
        assert not goals_visible_to(outsider).filter(pk=world.active.pk).exists()


def test_creating_in_a_1on1_bumps_it(world: World) -> None:
    before = shared_version(world.relationship)
    goal_create(actor=world.ravi, fields=fields(), relationship=world.relationship)
    assert shared_version(world.relationship) == before + 1


def test_a_goal_cannot_be_tied_to_someone_elses_1on1(world: World, oren: Person) -> None:
    olga_oren = Relationship.objects.create(
        organization_id=world.olga.org_id, lead=world.olga, member=oren
    )
    with pytest.raises(PermissionDenied):
        goal_create(actor=world.ravi, fields=fields(), relationship=olga_oren)


def test_a_performance_goal_needs_a_review_period(world: World) -> None:
    with pytest.raises(ValidationError, match="review period"):
        goal_create(actor=world.ravi, fields=fields(kind=Goal.Kind.PERFORMANCE))
    goal = goal_create(
        actor=world.ravi, fields=fields(kind=Goal.Kind.PERFORMANCE, review_period=" 2027 H1 ")
    )
    assert goal.review_period == "2027 H1"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"title": "  "}, "title cannot be empty"),
        ({"title": "x" * 201}, "too long"),
        ({"why": "x" * 2001}, "too long"),
        ({"target_date": date(2027, 1, 1)}, "past"),
        ({"kind": "dream"}, "Choose personal"),
        ({"review_period": "x" * 65, "kind": Goal.Kind.PERFORMANCE}, "too long"),
    ],
)
def test_bad_input_creates_nothing(world: World, extra: dict[str, Any], message: str) -> None:
    count = Goal.objects.count()
    with pytest.raises(ValidationError, match=message):
        goal_create(actor=world.ravi, fields=fields(**extra))
    assert Goal.objects.count() == count


def test_the_lead_proposes_and_the_goal_waits_for_the_member(world: World) -> None:
    goal = world.proposal
    assert (goal.owner, goal.proposed_by, goal.state) == (world.ravi, world.maya, "proposed")
    assert goal.accepted_at is None
    assert "goal.propose" in verbs()


def test_the_member_proposing_for_themselves_is_active_at_once(world: World) -> None:
    before = shared_version(world.relationship)
    goal = goal_propose(actor=world.ravi, relationship=world.relationship, fields=fields())
    assert (goal.owner, goal.state) == (world.ravi, Goal.State.ACTIVE)
    assert shared_version(world.relationship) == before + 1


def test_outsiders_cannot_propose(world: World) -> None:
    with pytest.raises(PermissionDenied):
        goal_propose(actor=world.olga, relationship=world.relationship, fields=fields())


def test_nothing_is_proposed_in_an_ended_1on1(world: World) -> None:
    relationship_end(actor=world.maya, relationship=world.relationship)
    with pytest.raises(PermissionDenied):
        goal_propose(actor=world.maya, relationship=world.relationship, fields=fields())
    with pytest.raises(PermissionDenied):
        goal_create(actor=world.ravi, fields=fields(), relationship=world.relationship)


# Answering a proposal


def test_the_owner_accepts_a_proposal(world: World) -> None:
    before = shared_version(world.relationship)
    goal = goal_accept(actor=world.ravi, goal=world.proposal)
    assert goal.state == Goal.State.ACTIVE
    assert goal.accepted_at == NOW
    assert shared_version(world.relationship) == before + 1
    assert verbs()[-1] == "goal.accept"


def test_the_owner_declines_a_proposal(world: World) -> None:
    goal = goal_decline(actor=world.ravi, goal=world.proposal)
    assert goal.state == Goal.State.DECLINED
    assert goal.accepted_at is None
    assert verbs()[-1] == "goal.decline"


def test_only_the_owner_answers(world: World) -> None:
    for answer in (goal_accept, goal_decline):
        with pytest.raises(PermissionDenied):
            answer(actor=world.maya, goal=world.proposal)
    assert Goal.objects.get(pk=world.proposal.pk).state == Goal.State.PROPOSED


def test_an_active_goal_is_not_answered_again(world: World) -> None:
    with pytest.raises(ValidationError, match="not waiting"):
        goal_accept(actor=world.ravi, goal=world.active)


def test_a_withdrawn_proposal_cannot_be_accepted(world: World) -> None:
    goal_delete(actor=world.maya, goal=world.proposal)
    with pytest.raises(ValidationError, match="deleted"):
        goal_accept(actor=world.ravi, goal=world.proposal)


# Editing


def test_the_owner_edits_and_moves_the_goal_out_of_the_1on1(world: World) -> None:
    before = shared_version(world.relationship)
    goal = goal_edit(
        actor=world.ravi,
        goal=world.active,
        fields=fields("Learn Rust well"),
        base_version=world.active.version,
        relationship=None,
        move=True,
    )
    assert (goal.title, goal.relationship, goal.version) == ("Learn Rust well", None, 1)
    assert shared_version(world.relationship) == before + 1
    assert not goals_visible_to(world.maya).filter(pk=goal.pk).exists()


def test_moving_a_goal_to_another_1on1_tells_both_and_changes_who_sees_it(world: World) -> None:
    olga_ravi = Relationship.objects.create(
        organization_id=world.olga.org_id, lead=world.olga, member=world.ravi
    )
    before = shared_version(world.relationship), shared_version(olga_ravi)
    goal_edit(
        actor=world.ravi,
        goal=world.active,
        fields=fields("Learn Rust"),
        base_version=0,
        relationship=olga_ravi,
        move=True,
    )
    assert (shared_version(world.relationship), shared_version(olga_ravi)) == (
        before[0] + 1,
        before[1] + 1,
    )
    assert goal_for(world.olga, world.active.uuid).relationship == olga_ravi
    assert not goals_visible_to(world.maya).filter(pk=world.active.pk).exists()


def test_only_the_owner_moves_an_active_goal(world: World) -> None:
    olga_ravi = Relationship.objects.create(
        organization_id=world.olga.org_id, lead=world.olga, member=world.ravi
    )
    with pytest.raises(ValidationError, match="Only an active goal"):
        goal_edit(
            actor=world.ravi,
            goal=world.proposal,
            fields=fields(),
            base_version=0,
            relationship=olga_ravi,
            move=True,
        )
    assert Goal.objects.get(pk=world.proposal.pk).relationship == world.relationship


def test_the_activity_row_names_the_1on1_or_none(world: World) -> None:
    own = goal_create(actor=world.ravi, fields=fields("Run a half marathon"))
    rows = Activity.objects.filter(object_uuid__in=[own.uuid, world.active.uuid])
    assert dict(rows.values_list("object_uuid", "relationship_id")) == {
        own.uuid: None,
        world.active.uuid: world.relationship.pk,
    }
    assert set(rows.values_list("object_type", flat=True)) == {"Goal"}


def test_the_proposer_edits_while_proposed(world: World) -> None:
    goal = goal_edit(
        actor=world.maya, goal=world.proposal, fields=fields("Lead planning"), base_version=0
    )
    assert (goal.title, goal.relationship) == ("Lead planning", world.relationship)


def test_the_proposer_cannot_edit_once_accepted(world: World) -> None:
    goal_accept(actor=world.ravi, goal=world.proposal)
    with pytest.raises(PermissionDenied):
        goal_edit(actor=world.maya, goal=world.proposal, fields=fields(), base_version=1)


def test_the_other_participant_cannot_edit(world: World) -> None:
    with pytest.raises(PermissionDenied):
        goal_edit(actor=world.maya, goal=world.active, fields=fields(), base_version=0)


def test_an_edit_on_an_old_version_is_a_conflict(world: World) -> None:
    goal_edit(actor=world.ravi, goal=world.active, fields=fields("A"), base_version=0)
    stale = Goal.objects.get(pk=world.active.pk)
    with pytest.raises(EditConflict):
        goal_edit(actor=world.ravi, goal=stale, fields=fields("B"), base_version=0)
    assert Goal.objects.get(pk=world.active.pk).title == "A"


def test_a_passed_target_date_can_be_kept(world: World) -> None:
    Goal.objects.filter(pk=world.active.pk).update(target_date=date(2026, 12, 1))
    goal = Goal.objects.get(pk=world.active.pk)
    edited = goal_edit(
        actor=world.ravi,
        goal=goal,
        fields=fields("Rust", target_date=date(2026, 12, 1)),
        base_version=0,
    )
    assert edited.target_date == date(2026, 12, 1)
    with pytest.raises(ValidationError, match="past"):
        goal_edit(
            actor=world.ravi,
            goal=edited,
            fields=fields(target_date=date(2026, 11, 1)),
            base_version=1,
        )


# Progress updates


def test_either_participant_writes_progress_that_sets_the_status(world: World) -> None:
    before = shared_version(world.relationship)
    update = goal_update_add(
        actor=world.maya, goal=world.active, text="Halfway through the book.", status="at_risk"
    )
    assert (update.author, update.meeting, update.status) == (world.maya, None, "at_risk")
    assert Goal.objects.get(pk=world.active.pk).status == "at_risk"
    assert shared_version(world.relationship) == before + 1
    assert verbs()[-1] == "goal.update"


def test_progress_written_in_the_meeting_links_to_it(world: World) -> None:
    update = goal_update_add(
        actor=world.ravi, goal=world.active, text="Done!", status="done", meeting_key=CURRENT
    )
    assert update.meeting is not None
    assert update.meeting.occurrence_start == CURRENT


@pytest.mark.parametrize("key", [UPCOMING, CURRENT + timedelta(minutes=1)])
def test_progress_links_only_to_a_meeting_in_progress(world: World, key: datetime) -> None:
    with pytest.raises(ValidationError):
        goal_update_add(
            actor=world.ravi, goal=world.active, text="x", status="done", meeting_key=key
        )
    assert not GoalUpdate.objects.exists()


def test_progress_does_not_link_to_a_closed_meeting(world: World) -> None:
    meeting_close(actor=world.maya, relationship=world.relationship, key=HELD)
    with pytest.raises(ValidationError, match="in progress"):
        goal_update_add(
            actor=world.ravi, goal=world.active, text="x", status="done", meeting_key=HELD
        )


def test_progress_needs_text_and_a_status(world: World) -> None:
    with pytest.raises(ValidationError, match="empty"):
        goal_update_add(actor=world.ravi, goal=world.active, text=" ", status="done")
    with pytest.raises(ValidationError, match="status"):
        goal_update_add(actor=world.ravi, goal=world.active, text="x", status="great")
    assert Goal.objects.get(pk=world.active.pk).status == Goal.Status.ON_TRACK


def test_a_proposal_takes_no_progress(world: World) -> None:
    with pytest.raises(ValidationError, match="active"):
        goal_update_add(actor=world.ravi, goal=world.proposal, text="x", status="done")


def test_outsiders_write_no_progress(world: World) -> None:
    with pytest.raises(PermissionDenied):
        goal_update_add(actor=world.olga, goal=world.active, text="x", status="done")
    own = goal_create(actor=world.ravi, fields=fields())
    with pytest.raises(PermissionDenied):
        goal_update_add(actor=world.maya, goal=own, text="x", status="done")


# Deleting, restoring, purging


def test_the_owner_deletes_and_restores(world: World) -> None:
    before = shared_version(world.relationship)
    goal_delete(actor=world.ravi, goal=world.active)
    assert shared_version(world.relationship) == before + 1
    assert not goals_visible_to(world.maya).filter(pk=world.active.pk).exists()
    assert goal_for(world.ravi, world.active.uuid).deleted_at == NOW
    goal_restore(actor=world.ravi, goal=world.active)
    assert goal_for(world.maya, world.active.uuid).deleted_at is None
    assert verbs()[-2:] == ["goal.delete", "goal.restore"]


def test_the_other_participant_cannot_delete(world: World) -> None:
    with pytest.raises(PermissionDenied):
        goal_delete(actor=world.maya, goal=world.active)


def test_the_proposer_withdraws_and_can_undo(world: World) -> None:
    goal_delete(actor=world.maya, goal=world.proposal)
    assert not goals_visible_to(world.ravi).filter(pk=world.proposal.pk).exists()
    assert goal_for(world.maya, world.proposal.uuid).deleted_at == NOW
    goal_restore(actor=world.maya, goal=world.proposal)
    assert goal_for(world.ravi, world.proposal.uuid).state == Goal.State.PROPOSED


def test_the_owner_cannot_delete_a_proposal_only_decline_it(world: World) -> None:
    with pytest.raises(PermissionDenied):
        goal_delete(actor=world.ravi, goal=world.proposal)


def test_restore_is_refused_after_30_days(world: World) -> None:
    goal_delete(actor=world.ravi, goal=world.active)
    with (
        time_machine.travel(NOW + timedelta(days=30, seconds=1), tick=False),
        pytest.raises(ValidationError, match="30 days"),
    ):
        goal_restore(actor=world.ravi, goal=world.active)
    assert Goal.objects.get(pk=world.active.pk).deleted_at == NOW


def test_nothing_changes_in_an_ended_1on1(world: World) -> None:
    relationship_end(actor=world.maya, relationship=world.relationship)
    active = Goal.objects.select_related("relationship").get(pk=world.active.pk)
    with pytest.raises(PermissionDenied):
        goal_update_add(actor=world.ravi, goal=active, text="x", status="done")
    with pytest.raises(PermissionDenied):
        goal_delete(actor=world.ravi, goal=active)
    with pytest.raises(PermissionDenied):
        goal_edit(actor=world.ravi, goal=active, fields=fields(), base_version=0)


def test_purge_removes_goals_deleted_more_than_30_days_ago(world: World) -> None:
    goal_update_add(actor=world.ravi, goal=world.active, text="x", status="at_risk")
    goal_delete(actor=world.ravi, goal=world.active)
    recent = goal_create(actor=world.ravi, fields=fields())
    with time_machine.travel(NOW + timedelta(days=20), tick=False):
        goal_delete(actor=world.ravi, goal=recent)
    assert goals_purge_deleted(now=NOW + timedelta(days=30)) == 0
    assert goals_purge_deleted(now=NOW + timedelta(days=31)) == 1
    assert not Goal.objects.filter(pk=world.active.pk).exists()
    assert not GoalUpdate.objects.exists()
    assert Goal.objects.filter(pk=recent.pk).exists()
    assert Goal.objects.filter(pk=world.proposal.pk).exists()

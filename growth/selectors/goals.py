"""Reads for goals (see growth/selectors/__init__.py for how the 1:1 page uses them)."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q

from growth.access import goals_visible_to
from growth.goals_forms import GoalForm
from growth.models import Goal, GoalUpdate
from growth.models.goals import GOAL_UNDO_DAYS
from growth.services.goals import today_for
from meetings.access import relationships_of
from meetings.models import Meeting, Relationship
from meetings.occurrences import Occurrence
from people.models import Person

OPEN_STATUSES = (Goal.Status.ON_TRACK, Goal.Status.AT_RISK, Goal.Status.OFF_TRACK)


def meeting_in_progress(
    focus: Occurrence | None, focus_meeting: Meeting | None, *, now: datetime
) -> Occurrence | None:
    """The focus meeting if it has started and is not closed: updates written now link to it."""
    if focus is None or focus.start > now:
        return None
    if focus_meeting is not None and focus_meeting.closed_at is not None:
        return None
    return focus


def page_context(
    relationship: Relationship,
    viewer: Person,
    *,
    focus: Occurrence | None,
    focus_meeting: Meeting | None,
    now: datetime,
) -> dict[str, Any]:
    """What the relationship page shows of goals, for this viewer (keys prefixed "goals_")."""
    # One query: the team member's live goals of this 1:1 that are proposed or open.
    goals = list(
        Goal.objects.alive()
        .filter(
            Q(state=Goal.State.PROPOSED) | Q(state=Goal.State.ACTIVE, status__in=OPEN_STATUSES),
            relationship=relationship,
            owner_id=relationship.member_id,
            organization_id=relationship.organization_id,
        )
        .order_by("target_date", "created_at")
    )
    in_progress = meeting_in_progress(focus, focus_meeting, now=now)
    return {
        "goals_proposed": [g for g in goals if g.state == Goal.State.PROPOSED],
        "goals_active": [g for g in goals if g.state == Goal.State.ACTIVE],
        "goals_for_me": viewer.pk == relationship.member_id,
        "goals_meeting": in_progress,
        "goals_form": GoalForm(today=today_for(viewer, now), auto_id="goal-card-%s"),
    }


@dataclass
class MyGoals:
    """The "My goals" page, grouped."""

    waiting: list[Goal] = field(default_factory=list)  # proposed to me
    active: list[Goal] = field(default_factory=list)
    closed: list[Goal] = field(default_factory=list)  # done, dropped or declined
    deleted: list[Goal] = field(default_factory=list)  # mine or my withdrawn proposals
    proposed: list[Goal] = field(default_factory=list)  # proposed by me to someone else


def my_goals(person: Person, *, now: datetime) -> MyGoals:
    """The person's goals and open proposals, in one query."""
    rows = (
        goals_visible_to(person)
        .filter(Q(owner_id=person.pk) | Q(proposed_by_id=person.pk, state=Goal.State.PROPOSED))
        .select_related("owner", "proposed_by", "relationship__lead", "relationship__member")
        .order_by("target_date", "created_at")
    )
    undo_since = now - timedelta(days=GOAL_UNDO_DAYS)
    result = MyGoals()
    for goal in rows:
        if goal.deleted_at is not None:
            if goal.deleted_at >= undo_since:
                result.deleted.append(goal)
        elif goal.owner_id != person.pk:
            result.proposed.append(goal)
        elif goal.state == Goal.State.PROPOSED:
            result.waiting.append(goal)
        elif goal.state == Goal.State.DECLINED or goal.status not in OPEN_STATUSES:
            result.closed.append(goal)
        else:
            result.active.append(goal)
    return result


def goal_updates(goal: Goal) -> list[GoalUpdate]:
    """A goal's progress updates, newest first, with author and meeting."""
    return list(goal.updates.select_related("author", "meeting").order_by("-created_at", "-id"))


def relationships_for_goals(person: Person) -> list[Relationship]:
    """The 1:1s a person may tie their own goals to: open ones they take part in."""
    return list(
        relationships_of(person)
        .exclude(status=Relationship.Status.ENDED)
        .select_related("lead", "member")
        .order_by("pk")
    )

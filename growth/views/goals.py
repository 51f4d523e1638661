"""Views for goals. Its URLs are listed here and collected by growth/urls.py."""

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from growth.access import goal_for
from growth.goals_forms import GoalEditForm, GoalForm, GoalUpdateForm, OwnGoalForm, ProposalEditForm
from growth.models import Goal
from growth.selectors import goals as selectors
from growth.services.goals import (
    GoalFields,
    goal_accept,
    goal_create,
    goal_decline,
    goal_delete,
    goal_edit,
    goal_propose,
    goal_restore,
    goal_update_add,
    may_delete_goal,
    may_edit_goal,
    today_for,
)
from lib.http import PersonRequest, attempt, safe_next
from meetings.access import occurrence_for, relationship_for, require_open
from meetings.models import Relationship
from meetings.services.common import EditConflict

FORM_PAGE = "growth/goals_form.html"


def _fields(form: GoalForm) -> GoalFields:
    data = form.cleaned_data
    return GoalFields(
        kind=data["kind"],
        title=data["title"],
        why=data["why"],
        target_date=data["target_date"],
        review_period=data["review_period"] if data["kind"] == Goal.Kind.PERFORMANCE else "",
    )


def _back(request: PersonRequest, goal: Goal) -> HttpResponse:
    """Where a plain post returns: the page it came from (if ours), else the goal."""
    target = safe_next(request)
    if target is not None:
        return redirect(target)
    return redirect("growth:goal", goal.uuid)


def _form_page(request: PersonRequest, context: dict[str, Any], status: int) -> HttpResponse:
    return render(request, FORM_PAGE, {"viewer": request.user, **context}, status=status)


@login_required
@require_GET
def goals_view(request: PersonRequest) -> HttpResponse:
    """My goals: waiting for my answer, active, closed, recently deleted, and my proposals."""
    now = timezone.now()
    mine = selectors.my_goals(request.user, now=now)
    return render(request, "growth/goals_list.html", {"mine": mine, "viewer": request.user})


@login_required
@require_http_methods(["GET", "POST"])
def goal_new_view(request: PersonRequest) -> HttpResponse:
    """Create a goal of one's own, active at once."""
    viewer = request.user
    today = today_for(viewer, timezone.now())
    relationships = selectors.relationships_for_goals(viewer)
    form = OwnGoalForm(
        request.POST or None, today=today, relationships=relationships, viewer=viewer
    )
    if request.method == "POST" and form.is_valid():
        try:
            goal = goal_create(
                actor=viewer, fields=_fields(form), relationship=form.chosen_relationship()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Goal added.")
            return redirect("growth:goal", goal.uuid)
    status = 400 if form.errors else 200
    return _form_page(request, {"form": form, "mode": "new"}, status)


@login_required
@require_http_methods(["GET", "POST"])
def goal_propose_view(request: PersonRequest, relationship_uuid: UUID) -> HttpResponse:
    """Either participant proposes a goal for the team member of the 1:1."""
    relationship = relationship_for(request.user, relationship_uuid)
    require_open(relationship)
    viewer = request.user
    form = GoalForm(request.POST or None, today=today_for(viewer, timezone.now()))
    if request.method == "POST" and form.is_valid():
        try:
            goal = goal_propose(actor=viewer, relationship=relationship, fields=_fields(form))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if goal.state == Goal.State.PROPOSED:
                name = relationship.member.first_name
                messages.success(request, f"Goal proposed. It becomes active when {name} accepts.")
            else:
                messages.success(request, "Goal added.")
            return redirect("meetings:relationship", relationship.uuid)
    status = 400 if form.errors else 200
    context = {
        "form": form,
        "mode": "propose",
        "relationship": relationship,
        "other": relationship.other_participant(viewer),
        "for_me": viewer.pk == relationship.member_id,
    }
    return _form_page(request, context, status)


@login_required
@require_GET
def goal_view(request: PersonRequest, goal_uuid: UUID) -> HttpResponse:
    """A goal with its progress updates, and the form to add one."""
    goal = goal_for(request.user, goal_uuid)
    return _detail(request, goal, GoalUpdateForm(initial={"status": goal.status}))


def _detail(
    request: PersonRequest, goal: Goal, form: GoalUpdateForm, status: int = 200
) -> HttpResponse:
    viewer = request.user
    relationship = goal.relationship
    # A goal of an ended 1:1 is read-only history: no change, not even an undo.
    still_open = relationship is None or relationship.status != Relationship.Status.ENDED
    writable = still_open and goal.deleted_at is None
    context = {
        "goal": goal,
        "viewer": viewer,
        "updates": selectors.goal_updates(goal),
        "update_form": form,
        "writable": writable,
        "may_update": writable and goal.state == Goal.State.ACTIVE,
        "may_edit": writable and may_edit_goal(viewer, goal),
        "may_delete": writable and may_delete_goal(viewer, goal),
        "may_restore": still_open and goal.deleted_at is not None,
        "is_owner": viewer.pk == goal.owner_id,
        "meeting_slug": request.GET.get("meeting", "") or form["meeting"].value() or "",
    }
    return render(request, "growth/goals_detail.html", context, status=status)


def _edit_form(request: PersonRequest, goal: Goal) -> GoalEditForm | ProposalEditForm:
    """The owner may also move an active goal to another 1:1; a proposal stays where it is."""
    initial = {
        "kind": goal.kind,
        "title": goal.title,
        "why": goal.why,
        "target_date": goal.target_date,
        "review_period": goal.review_period,
        "version": goal.version,
        "relationship": str(goal.relationship.uuid) if goal.relationship else "",
    }
    today = today_for(goal.owner, timezone.now())
    data = request.POST or None
    if goal.state == Goal.State.PROPOSED:
        return ProposalEditForm(data, initial=initial, today=today, keep_date=goal.target_date)
    return GoalEditForm(
        data,
        initial=initial,
        today=today,
        keep_date=goal.target_date,
        relationships=selectors.relationships_for_goals(request.user),
        viewer=request.user,
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit_view(request: PersonRequest, goal_uuid: UUID) -> HttpResponse:
    """Change a goal: its owner, or the proposer while it waits for an answer."""
    viewer = request.user
    goal = goal_for(viewer, goal_uuid)
    if goal.relationship is not None:
        require_open(goal.relationship)
    if goal.deleted_at is not None:
        return redirect("growth:goal", goal.uuid)
    if not may_edit_goal(viewer, goal):
        raise PermissionDenied("Only the owner of a goal can change it.")
    form = _edit_form(request, goal)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            goal_edit(
                actor=viewer,
                goal=goal,
                fields=_fields(form),
                base_version=form.cleaned_data["version"],
                relationship=form.chosen_relationship() if isinstance(form, GoalEditForm) else None,
                move=isinstance(form, GoalEditForm),
            )
        except EditConflict as exc:
            conflict = exc
            data = request.POST.copy()
            data["version"] = str(exc.current_version)
            form.data = data  # shown again with the current version, so saving again wins
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Goal saved.")
            return redirect("growth:goal", goal.uuid)
    status = 409 if conflict else 400 if form.errors else 200
    context = {"form": form, "mode": "edit", "goal": goal, "conflict": conflict}
    return _form_page(request, context, status)


def _meeting_key(goal: Goal, slug: str) -> datetime | None:
    """The meeting an update is written in, by its key; 404 if the 1:1 has no such meeting."""
    if not slug:
        return None
    if goal.relationship is None:
        raise Http404("No such meeting.")
    return occurrence_for(goal.relationship, slug).key


def _act(
    request: PersonRequest, goal_uuid: UUID, action: Callable[..., Goal], success: str
) -> HttpResponse:
    """Load the goal through its access helper, run one service, go back with a message."""
    goal = goal_for(request.user, goal_uuid)
    if goal.relationship is not None:
        require_open(goal.relationship)
    attempt(request, lambda: action(actor=request.user, goal=goal), success)
    return _back(request, goal)


@login_required
@require_POST
def goal_accept_view(request: PersonRequest, goal_uuid: UUID) -> HttpResponse:
    return _act(request, goal_uuid, goal_accept, "Goal accepted: it is now active.")


@login_required
@require_POST
def goal_decline_view(request: PersonRequest, goal_uuid: UUID) -> HttpResponse:
    return _act(request, goal_uuid, goal_decline, "Proposal declined.")


@login_required
@require_POST
def goal_delete_view(request: PersonRequest, goal_uuid: UUID) -> HttpResponse:
    return _act(request, goal_uuid, goal_delete, "Goal deleted. You can undo this for 30 days.")


@login_required
@require_POST
def goal_restore_view(request: PersonRequest, goal_uuid: UUID) -> HttpResponse:
    return _act(request, goal_uuid, goal_restore, "Goal restored.")


@login_required
@require_POST
def goal_update_view(request: PersonRequest, goal_uuid: UUID) -> HttpResponse:
    """Add a progress update; from a meeting in progress it links to that meeting."""
    goal = goal_for(request.user, goal_uuid)
    if goal.relationship is not None:
        require_open(goal.relationship)
    form = GoalUpdateForm(request.POST)
    if form.is_valid():
        try:
            goal_update_add(
                actor=request.user,
                goal=goal,
                text=form.cleaned_data["text"],
                status=form.cleaned_data["status"],
                meeting_key=_meeting_key(goal, form.cleaned_data["meeting"]),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Progress recorded.")
            return _back(request, goal)
    return _detail(request, goal, form, status=400)


G = "goals/<uuid:goal_uuid>/"

urlpatterns: list[URLPattern] = [
    path("goals/", goals_view, name="goals"),
    path("goals/new/", goal_new_view, name="goal_new"),
    path("1on1s/<uuid:relationship_uuid>/goals/new/", goal_propose_view, name="goal_propose"),
    path(G, goal_view, name="goal"),
    path(G + "edit/", goal_edit_view, name="goal_edit"),
    path(G + "accept/", goal_accept_view, name="goal_accept"),
    path(G + "decline/", goal_decline_view, name="goal_decline"),
    path(G + "update/", goal_update_view, name="goal_update"),
    path(G + "delete/", goal_delete_view, name="goal_delete"),
    path(G + "restore/", goal_restore_view, name="goal_restore"),
]

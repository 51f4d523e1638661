"""Views for checkins. Its URLs are listed here and collected by growth/urls.py."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_http_methods

from growth.checkins_forms import CheckInForm
from growth.models import CheckIn
from growth.selectors.checkins import meeting_checkins
from growth.services.checkins import checkin_submit
from lib.http import PersonRequest
from meetings.access import occurrence_for, relationship_for, require_open
from meetings.models import Meeting, Relationship
from meetings.occurrences import Occurrence
from meetings.services.common import EditConflict
from meetings.templatetags.rapport import first_name

PAGE = "growth/checkins_page.html"
FORM_PARTIAL = "growth/checkins.html#checkin-form"


def _initial(own: CheckIn | None) -> dict[str, Any]:
    if own is None:
        return {"version": 0}
    fields = ("mood", "workload", "wins", "blockers", "priorities", "version")
    return {name: getattr(own, name) for name in fields}


def _context(
    request: PersonRequest,
    relationship: Relationship,
    occurrence: Occurrence,
    form: CheckInForm,
    checkins: list[CheckIn],
    **extra: Any,
) -> dict[str, Any]:
    viewer = request.user
    return {
        "relationship": relationship,
        "viewer": viewer,
        "other": relationship.other_participant(viewer),
        "occurrence": occurrence,
        "is_open": occurrence.status == Meeting.Status.SCHEDULED,
        "form": form,
        "own": next((c for c in checkins if c.author_id == viewer.pk), None),
        "theirs": next((c for c in checkins if c.author_id != viewer.pk), None),
        **extra,
    }


def _show(request: PersonRequest, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    template = FORM_PARTIAL if request.htmx else PAGE
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request: PersonRequest, relationship_uuid: UUID, key: str) -> HttpResponse:
    """The viewer's check-in for one meeting, beside the other participant's."""
    relationship = relationship_for(request.user, relationship_uuid)
    require_open(relationship)
    occurrence = occurrence_for(relationship, key)
    checkins = meeting_checkins(occurrence.meeting)
    own = next((c for c in checkins if c.author_id == request.user.pk), None)
    if request.method == "GET":
        form = CheckInForm(initial=_initial(own))
        return _show(request, _context(request, relationship, occurrence, form, checkins))
    form = CheckInForm(request.POST)
    if not form.is_valid():
        context = _context(request, relationship, occurrence, form, checkins)
        return _show(request, context, status=400)
    return _submit(request, relationship, occurrence, form, checkins)


def _submit(
    request: PersonRequest,
    relationship: Relationship,
    occurrence: Occurrence,
    form: CheckInForm,
    checkins: list[CheckIn],
) -> HttpResponse:
    data = form.cleaned_data
    try:
        checkin_submit(
            actor=request.user,
            relationship=relationship,
            key=occurrence.key,
            mood=data["mood"],
            workload=data["workload"],
            wins=data["wins"],
            blockers=data["blockers"],
            priorities=data["priorities"],
            base_version=data["version"],
        )
    except EditConflict as conflict:
        # Keep what they typed, against the version now saved: saving again overwrites it.
        form = CheckInForm(initial=data | {"version": conflict.current_version})
        occurrence = occurrence_for(relationship, occurrence.slug)
        checkins = meeting_checkins(occurrence.meeting)
        context = _context(request, relationship, occurrence, form, checkins, conflict=True)
        return _show(request, context, status=409)
    except ValidationError as exc:
        form.add_error(None, exc)
        return _show(
            request, _context(request, relationship, occurrence, form, checkins), status=400
        )
    other = first_name(relationship.other_participant(request.user).name)
    messages.success(request, f"Check-in saved. {other} sees it at the top of the agenda.")
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("meetings:relationship", args=[relationship.uuid])
        return response
    return redirect("meetings:relationship", relationship.uuid)


R = "1on1s/<uuid:relationship_uuid>/"
urlpatterns: list[URLPattern] = [
    path(R + "meetings/<str:key>/checkin/", checkin, name="checkin"),
]

"""Views for checkins. Its URLs are listed here and collected by growth/urls.py."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods

from growth.checkins_forms import CheckInForm
from growth.selectors.checkins import meeting_checkins
from growth.services.checkins import checkin_refusal, checkin_submit
from lib.http import PersonRequest, no_content
from meetings.access import occurrence_for, relationship_for, require_open
from meetings.models import Relationship
from meetings.occurrences import Occurrence, focus
from meetings.selectors import series_upcoming
from meetings.services.common import EditConflict
from meetings.templatetags.rapport import first_name

PAGE = "growth/checkins_page.html"
FORM_PARTIAL = "growth/checkins.html#checkin-form"
FIELDS = ("mood", "workload", "wins", "blockers", "priorities", "version")


def _show(
    request: PersonRequest,
    relationship: Relationship,
    occurrence: Occurrence,
    form: CheckInForm | None = None,
    *,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    """The check-in page (or its form alone for htmx), with the viewer's form or a fresh one."""
    viewer = request.user
    checkins = meeting_checkins(occurrence.meeting)
    own = next((c for c in checkins if c.author_id == viewer.pk), None)
    if form is None:
        form = CheckInForm(initial={name: getattr(own, name) for name in FIELDS} if own else None)
    context = {
        "relationship": relationship,
        "viewer": viewer,
        "other": relationship.other_participant(viewer),
        "occurrence": occurrence,
        "refusal": checkin_refusal(
            meeting=occurrence.meeting, end=occurrence.end, now=timezone.now()
        ),
        "form": form,
        "own": own,
        "theirs": next((c for c in checkins if c.author_id != viewer.pk), None),
        **extra,
    }
    template = FORM_PARTIAL if request.htmx else PAGE
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request: PersonRequest, relationship_uuid: UUID, key: str) -> HttpResponse:
    """The viewer's check-in for one meeting, beside the other participant's."""
    relationship = relationship_for(request.user, relationship_uuid)
    require_open(relationship)
    occurrence = occurrence_for(relationship, key)
    if request.method == "GET":
        return _show(request, relationship, occurrence)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        return _show(request, relationship, occurrence, form, status=400)
    return _submit(request, relationship, occurrence, form)


def _submit(
    request: PersonRequest, relationship: Relationship, occurrence: Occurrence, form: CheckInForm
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
        return _show(request, relationship, occurrence, form, status=409, conflict=True)
    except ValidationError as exc:
        form.add_error(None, exc)
        return _show(request, relationship, occurrence, form, status=400)
    messages.success(request, _saved_message(request, relationship, occurrence))
    if request.htmx:
        response = no_content()
        response["HX-Redirect"] = reverse("meetings:relationship", args=[relationship.uuid])
        return response
    return redirect("meetings:relationship", relationship.uuid)


def _saved_message(
    request: PersonRequest, relationship: Relationship, occurrence: Occurrence
) -> str:
    """Where the other participant will see the check-in: now, or once its meeting is next."""
    other = first_name(relationship.other_participant(request.user).name)
    current = focus(series_upcoming(relationship, now=timezone.now()))
    if current is not None and current.key == occurrence.key:
        return f"Check-in saved. {other} sees it at the top of the agenda."
    when = date_format(timezone.localtime(occurrence.start), "l j F")
    return f"Check-in saved for {when}. {other} sees it at the top of that meeting’s agenda."


R = "1on1s/<uuid:relationship_uuid>/"
urlpatterns: list[URLPattern] = [
    path(R + "meetings/<str:key>/checkin/", checkin, name="checkin"),
]

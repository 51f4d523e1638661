"""One meeting: its page, rescheduling, cancelling, closing, rating and notes."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lib.http import PersonRequest, attempt
from meetings.access import occurrence_for, relationship_for, require_open
from meetings.forms import CancelForm, CloseForm, NotesForm, RatingForm, RescheduleForm
from meetings.models import Relationship
from meetings.occurrences import Occurrence
from meetings.selectors import meeting_record
from meetings.services.common import EditConflict, meeting_materialize
from meetings.services.meetings import (
    meeting_cancel,
    meeting_close,
    meeting_rate,
    meeting_reopen,
    meeting_reschedule,
)
from meetings.services.notes import private_note_save, shared_notes_save
from meetings.views.pages import occurrence_context

MEETING_TEMPLATE = "meetings/meeting.html"


def _load(
    request: PersonRequest, relationship_uuid: UUID, key: str
) -> tuple[Relationship, Occurrence]:
    relationship = relationship_for(request.user, relationship_uuid)
    return relationship, occurrence_for(relationship, key)


def _back(
    request: PersonRequest, relationship: Relationship, occurrence: Occurrence
) -> HttpResponse:
    if request.POST.get("next") == "meeting":
        return redirect("meetings:meeting", relationship.uuid, occurrence.slug)
    return redirect("meetings:relationship", relationship.uuid)


@login_required
@require_GET
def meeting_detail(request: PersonRequest, relationship_uuid: UUID, key: str) -> HttpResponse:
    relationship, occurrence = _load(request, relationship_uuid, key)
    if request.htmx and request.GET.get("fragment") == "record":
        # A history entry being opened on the relationship page.
        record = (
            meeting_record(relationship, request.user, occurrence.meeting.pk)
            if occurrence.meeting
            else None
        )
        context = {"meeting": record, "viewer": request.user, "relationship": relationship}
        return render(request, "meetings/history_record.html", context)
    context = occurrence_context(request, relationship, occurrence)
    return render(request, MEETING_TEMPLATE, context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_reschedule_view(
    request: PersonRequest, relationship_uuid: UUID, key: str
) -> HttpResponse:
    relationship, occurrence = _load(request, relationship_uuid, key)
    require_open(relationship)
    tz_name = request.user.timezone
    initial = {"new_date": occurrence.start.date(), "new_time": occurrence.start.time()}
    form = RescheduleForm(request.POST or None, tz_name=tz_name, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_reschedule(
                actor=request.user,
                relationship=relationship,
                key=occurrence.key,
                new_start=form.cleaned_data["new_start"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Meeting moved. Its talking points moved with it.")
            return redirect("meetings:relationship", relationship.uuid)
    context = occurrence_context(request, relationship, occurrence)
    context.update({"form": form, "tz_name": tz_name})
    return render(request, "meetings/reschedule.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def meeting_cancel_view(request: PersonRequest, relationship_uuid: UUID, key: str) -> HttpResponse:
    relationship, occurrence = _load(request, relationship_uuid, key)
    require_open(relationship)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Keep the reason under 500 characters.")
        return _back(request, relationship, occurrence)
    skip = form.cleaned_data["skip"]
    attempt(
        request,
        lambda: meeting_cancel(
            actor=request.user,
            relationship=relationship,
            key=occurrence.key,
            reason=form.cleaned_data["reason"],
            skip=skip,
        ),
        f"Meeting {'skipped' if skip else 'cancelled'}. Its open talking points move to the next one.",
    )
    return _back(request, relationship, occurrence)


@login_required
@require_POST
def meeting_close_view(request: PersonRequest, relationship_uuid: UUID, key: str) -> HttpResponse:
    relationship, occurrence = _load(request, relationship_uuid, key)
    require_open(relationship)
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Rate the meeting from 1 to 5, or leave the rating empty.")
        return _back(request, relationship, occurrence)
    attempt(
        request,
        lambda: meeting_close(
            actor=request.user,
            relationship=relationship,
            key=occurrence.key,
            rating=form.cleaned_data["rating"],
        ),
        "Marked as held. Open talking points moved to the next meeting.",
    )
    return _back(request, relationship, occurrence)


@login_required
@require_POST
def meeting_reopen_view(request: PersonRequest, relationship_uuid: UUID, key: str) -> HttpResponse:
    relationship, occurrence = _load(request, relationship_uuid, key)
    require_open(relationship)
    meeting = occurrence.meeting
    if meeting is None:
        messages.error(request, "This meeting is not closed.")
        return _back(request, relationship, occurrence)
    attempt(
        request,
        lambda: meeting_reopen(actor=request.user, relationship=relationship, meeting=meeting),
        "Reopened.",
    )
    return _back(request, relationship, occurrence)


@login_required
@require_POST
def meeting_rate_view(request: PersonRequest, relationship_uuid: UUID, key: str) -> HttpResponse:
    relationship, occurrence = _load(request, relationship_uuid, key)
    require_open(relationship)
    form = RatingForm(request.POST)
    meeting = occurrence.meeting
    if meeting is None or not form.is_valid():
        messages.error(request, "Rate a held meeting from 1 to 5.")
        return _back(request, relationship, occurrence)
    attempt(
        request,
        lambda: meeting_rate(actor=request.user, meeting=meeting, score=form.cleaned_data["score"]),
        "Thanks. Only you can see your rating.",
    )
    return _back(request, relationship, occurrence)


@login_required
@require_http_methods(["GET", "POST"])
def notes_edit(request: PersonRequest, relationship_uuid: UUID, key: str) -> HttpResponse:
    """The shared notes editor; saving never overwrites a newer version silently."""
    relationship, occurrence = _load(request, relationship_uuid, key)
    require_open(relationship)
    meeting = occurrence.meeting
    if request.method == "GET":
        version = meeting.notes_version if meeting else 0
        form = NotesForm(initial={"text": meeting.notes if meeting else "", "version": version})
        return _notes_editor(request, relationship, occurrence, form)
    form = NotesForm(request.POST)
    if not form.is_valid():
        return _notes_editor(request, relationship, occurrence, form, status=400)
    try:
        meeting = meeting or meeting_materialize(relationship=relationship, key=occurrence.key)
        shared_notes_save(
            actor=request.user,
            meeting=meeting,
            text=form.cleaned_data["text"],
            base_version=form.cleaned_data["version"],
        )
    except EditConflict as conflict:
        form = NotesForm(
            initial={"text": form.cleaned_data["text"], "version": conflict.current_version}
        )
        return _notes_editor(request, relationship, occurrence, form, conflict=conflict, status=409)
    except ValidationError as exc:
        form.add_error("text", exc)
        return _notes_editor(request, relationship, occurrence, form, status=400)
    if request.htmx:
        occurrence = occurrence_for(relationship, occurrence.slug)
        context = occurrence_context(request, relationship, occurrence)
        return render(request, "meetings/parts.html#notes-view", context)
    messages.success(request, "Notes saved.")
    return _back(request, relationship, occurrence)


def _notes_editor(
    request: PersonRequest,
    relationship: Relationship,
    occurrence: Occurrence,
    form: NotesForm,
    *,
    conflict: EditConflict | None = None,
    status: int = 200,
) -> HttpResponse:
    context = occurrence_context(request, relationship, occurrence)
    context.update({"form": form, "conflict": conflict, "next": request.GET.get("next", "")})
    template = "meetings/notes_editor.html"
    if request.htmx:
        template += "#editor"
    return render(request, template, context, status=status)


@login_required
@require_POST
def private_note_edit(request: PersonRequest, relationship_uuid: UUID, key: str) -> HttpResponse:
    relationship, occurrence = _load(request, relationship_uuid, key)
    require_open(relationship)
    form = NotesForm(request.POST)
    conflict: EditConflict | None = None
    status = 200
    if form.is_valid():
        try:
            meeting = occurrence.meeting or meeting_materialize(
                relationship=relationship, key=occurrence.key
            )
            private_note_save(
                actor=request.user,
                meeting=meeting,
                text=form.cleaned_data["text"],
                base_version=form.cleaned_data["version"],
            )
        except EditConflict as exc:
            conflict, status = exc, 409
        except ValidationError as exc:
            form.add_error("text", exc)
            status = 400
    else:
        status = 400
    if not request.htmx:
        if status == 200:
            messages.success(request, "Private note saved. Only you can see it.")
        else:
            messages.error(request, "Your private note was not saved; reload and try again.")
        return _back(request, relationship, occurrence)
    occurrence = occurrence_for(relationship, occurrence.slug)
    context = occurrence_context(request, relationship, occurrence)
    context.update({"conflict": conflict, "note_form": form if status == 400 else None,
                    "saved": status == 200})  # fmt: skip
    return render(request, "meetings/meeting.html#private-note", context, status=status)

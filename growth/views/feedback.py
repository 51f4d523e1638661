"""Views for feedback. Its URLs are listed here and collected by growth/urls.py."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from growth.access import feedback_for
from growth.feedback_forms import FeedbackForm
from growth.models import Feedback
from growth.models.feedback import FEEDBACK_UNDO_DAYS
from growth.selectors import feedback as selectors
from growth.services.feedback import (
    feedback_consent,
    feedback_delete,
    feedback_give,
    feedback_hide,
    feedback_restore,
    feedback_share,
)
from lib.http import PersonRequest, attempt, safe_next
from meetings.access import occurrence_for, relationship_for, require_open
from meetings.models import Relationship
from meetings.occurrences import focus
from meetings.selectors import series_upcoming
from meetings.views.pages import page_number

SECTION = "growth/feedback.html#focus-feedback"
GIVE_PAGE = "growth/feedback_give.html"


def _from_section(request: PersonRequest) -> bool:
    """Whether the post came from the focus meeting's section (htmx), which answers with it."""
    return bool(request.htmx) and request.POST.get("section") == "focus"


def _section(
    request: PersonRequest, relationship: Relationship, status: int = 200, **extra: Any
) -> HttpResponse:
    """The focus meeting's feedback section of the relationship page, after an htmx write."""
    viewer = request.user
    now = timezone.now()
    current = focus(series_upcoming(relationship, now=now))
    context = {
        "relationship": relationship,
        "viewer": viewer,
        "other": relationship.other_participant(viewer),
        "writable": relationship.status != Relationship.Status.ENDED,
        "focus": current,
    }
    context |= selectors.page_context(
        relationship,
        viewer,
        focus=current,
        focus_meeting=current.meeting if current else None,
        now=now,
    )
    return render(request, SECTION, context | extra, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def feedback_give_view(request: PersonRequest, relationship_uuid: UUID, key: str) -> HttpResponse:
    """Record feedback for the other participant, from one meeting of the 1:1."""
    relationship = relationship_for(request.user, relationship_uuid)
    occurrence = occurrence_for(relationship, key)
    require_open(relationship)
    give = selectors.give_context(relationship, request.user)
    form = FeedbackForm(request.POST or None, questions=give["feedback_questions"])
    from_section = _from_section(request)
    if request.method == "POST" and form.is_valid():
        try:
            feedback_give(
                actor=request.user,
                relationship=relationship,
                meeting_key=occurrence.key,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                situation=form.cleaned_data["situation"],
                behaviour=form.cleaned_data["behaviour"],
                impact=form.cleaned_data["impact"],
                question=form.chosen_question(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if from_section:
                return _section(request, relationship, feedback_saved=True)
            messages.success(request, "Feedback recorded. Only the two of you can see it.")
            return redirect("meetings:relationship", relationship.uuid)
    status = 400 if form.errors else 200
    if from_section:
        return _section(request, relationship, status=status, feedback_form=form)
    context = {
        "relationship": relationship,
        "other": relationship.other_participant(request.user),
        "occurrence": occurrence,
        "feedback_form": form,
        **give,
    }
    template = GIVE_PAGE + ("#form" if request.htmx else "")
    return render(request, template, context, status=status)


def _back(request: PersonRequest, feedback: Feedback) -> HttpResponse:
    """Where a plain post returns: the page it came from (if ours), else the 1:1."""
    target = safe_next(request)
    if target is not None:
        return redirect(target)
    return redirect("meetings:relationship", feedback.relationship.uuid)


def _act(
    request: PersonRequest,
    feedback_uuid: UUID,
    action: Callable[..., Feedback],
    success: str,
) -> HttpResponse:
    """Load the feedback through its access helper, run one service, answer like the form asked."""
    feedback = feedback_for(request.user, feedback_uuid)
    if not _from_section(request):
        attempt(request, lambda: action(actor=request.user, feedback=feedback), success)
        return _back(request, feedback)
    error = ""
    try:
        action(actor=request.user, feedback=feedback)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    # Loaded after the write, so the section shows the 1:1 as it is now.
    relationship = relationship_for(request.user, feedback.relationship.uuid)
    if error:
        return _section(request, relationship, status=400, feedback_error=error)
    return _section(request, relationship)


@login_required
@require_POST
def feedback_delete_view(request: PersonRequest, feedback_uuid: UUID) -> HttpResponse:
    return _act(request, feedback_uuid, feedback_delete, "Feedback deleted. You can undo this.")


@login_required
@require_POST
def feedback_restore_view(request: PersonRequest, feedback_uuid: UUID) -> HttpResponse:
    return _act(request, feedback_uuid, feedback_restore, "Feedback restored.")


@login_required
@require_POST
def feedback_share_view(request: PersonRequest, feedback_uuid: UUID) -> HttpResponse:
    return _act(
        request,
        feedback_uuid,
        feedback_share,
        "Asked. The praise shows on the recognition page once they allow it.",
    )


@login_required
@require_POST
def feedback_consent_view(request: PersonRequest, feedback_uuid: UUID) -> HttpResponse:
    return _act(
        request,
        feedback_uuid,
        feedback_consent,
        "The praise is on the recognition page. You can hide it at any time.",
    )


@login_required
@require_POST
def feedback_hide_view(request: PersonRequest, feedback_uuid: UUID) -> HttpResponse:
    return _act(request, feedback_uuid, feedback_hide, "It is not on the recognition page.")


@login_required
@require_GET
def feedback_log_view(request: PersonRequest) -> HttpResponse:
    """All feedback I received (or gave), newest first, filterable by kind."""
    view = request.GET.get("view", "received")
    view = view if view in selectors.LOG_VIEWS else "received"
    kind = request.GET.get("kind", "all")
    kind = kind if kind in selectors.LOG_KINDS else "all"
    page = selectors.feedback_log(request.user, view=view, kind=kind, page=page_number(request))
    context = {
        "page": page,
        "view": view,
        "kind": kind,
        "kinds": [("all", "All"), *Feedback.Kind.choices],
        "viewer": request.user,
        "feedback_undo_days": FEEDBACK_UNDO_DAYS,
    }
    return render(request, "growth/feedback_log.html", context)


@login_required
@require_GET
def recognition_view(request: PersonRequest) -> HttpResponse:
    """The organization's public praise, newest first."""
    page = selectors.recognition(request.user, page=page_number(request))
    return render(request, "growth/feedback_recognition.html", {"page": page})


M = "1on1s/<uuid:relationship_uuid>/meetings/<str:key>/"
F = "feedback/<uuid:feedback_uuid>/"

urlpatterns: list[URLPattern] = [
    path(M + "feedback/", feedback_give_view, name="feedback_give"),
    path("feedback/", feedback_log_view, name="feedback_log"),
    path(F + "delete/", feedback_delete_view, name="feedback_delete"),
    path(F + "restore/", feedback_restore_view, name="feedback_restore"),
    path(F + "share/", feedback_share_view, name="feedback_share"),
    path(F + "consent/", feedback_consent_view, name="feedback_consent"),
    path(F + "hide/", feedback_hide_view, name="feedback_hide"),
    path("recognition/", recognition_view, name="recognition"),
]

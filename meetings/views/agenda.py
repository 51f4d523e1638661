"""The shared agenda: adding, editing, ordering and discussing talking points."""

from dataclasses import dataclass
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lib.http import PersonRequest, no_swap
from meetings.access import (
    occurrence_for,
    point_for,
    relationship_for,
    require_author,
    require_open,
)
from meetings.forms import PointEditForm, PointForm
from meetings.live import mark_incomplete
from meetings.models import Relationship, TalkingPoint
from meetings.occurrences import focus, key_slug, parse_key_slug
from meetings.selectors import quietest_themes, series_upcoming
from meetings.services.agenda import (
    point_add,
    point_delete,
    point_edit,
    point_move,
    point_set_discussed,
    point_set_standing,
    question_accept,
    template_apply,
)
from meetings.services.common import EditConflict
from meetings.views.pages import render_fragment
from playbook.models import Question, Template
from playbook.selectors import suggest_question

PARTS = "meetings/parts.html"


def _done(
    request: PersonRequest, relationship: Relationship, fragment: str = "agenda"
) -> HttpResponse:
    """After a write: the refreshed fragment for htmx, else back to the page."""
    if request.htmx:
        return render_fragment(request, relationship, fragment)
    return redirect("meetings:relationship", relationship.uuid)


def _planned_for(relationship: Relationship, raw: str) -> tuple[bool, object]:
    """Validate the optional occurrence a point is raised for."""
    if not raw:
        return True, None
    if parse_key_slug(raw) is None:
        return False, None
    try:
        return True, occurrence_for(relationship, raw).key
    except Exception:
        return False, None


@login_required
@require_POST
def point_add_view(request: PersonRequest, relationship_uuid: UUID) -> HttpResponse:
    relationship = relationship_for(request.user, relationship_uuid, with_people=False)
    require_open(relationship)
    form = PointForm(request.POST)
    ok, planned_for = _planned_for(relationship, request.POST.get("planned_for", ""))
    if not ok:
        form.add_error("planned_for", "Choose one of the upcoming meetings.")
    point = None
    if form.is_valid():
        try:
            point = point_add(
                actor=request.user,
                relationship=relationship,
                text=form.cleaned_data["text"],
                theme=form.cleaned_data["theme"],
                is_private=form.cleaned_data["is_private"],
                planned_for=planned_for,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            form.add_error("text", exc)
    if form.errors or point is None:
        if request.htmx:
            response = render_fragment(request, relationship, "add-point", point_form=form)
            response.status_code = 400
            response["HX-Retarget"] = "#add-point"
            response["HX-Reswap"] = "outerHTML"
            return response
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("meetings:relationship", relationship.uuid)
    if request.htmx:
        if planned_for is None:
            return _appended_point(request, relationship, point)
        # Raised for a later meeting: nothing on this agenda changes; the live poll
        # brings the "Coming up" list (the response does not hold it).
        response = no_swap()
        mark_incomplete(response)
        return response
    if planned_for is not None:
        return redirect("meetings:meeting", relationship.uuid, request.POST["planned_for"])
    return redirect("meetings:relationship", relationship.uuid)


def _appended_point(
    request: PersonRequest, relationship: Relationship, point: TalkingPoint
) -> HttpResponse:
    """Just the new row, for the end of the agenda (a new point comes after every other)."""
    point.discussed_here = False  # type: ignore[attr-defined]
    point.times_carried = 0  # type: ignore[attr-defined]
    return _point_row(request, point, partial="point", focus=_page_focus(request, relationship))


@dataclass(frozen=True)
class _PageFocus:
    slug: str


def _page_focus(request: PersonRequest, relationship: Relationship) -> object:
    """The meeting the page's agenda is for, as the page itself reports it.

    The row must match the page it joins, and the page (kept current by the live
    poll) already knows, so no schedule is expanded for a write. The slug only
    names where the row's "discussed" button posts, which checks it again. A page
    that sends none (or garbage) gets the server's own answer.
    """
    raw = request.POST.get("focus")
    if raw == "":
        return None
    key = parse_key_slug(raw) if raw is not None else None
    if key is not None:
        return _PageFocus(key_slug(key))
    return focus(series_upcoming(relationship, now=timezone.now()))


def _point_row(
    request: PersonRequest,
    point: TalkingPoint,
    *,
    partial: str = "point-editor",
    status: int = 200,
    **extra: object,
) -> HttpResponse:
    """One point's row: as shown on the agenda ("point") or being edited ("point-editor")."""
    context = {"point": point, "viewer": request.user, "relationship": point.relationship,
               "writable": point.relationship.status != Relationship.Status.ENDED, **extra}  # fmt: skip
    return render(request, f"{PARTS}#{partial}", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def point_edit_view(request: PersonRequest, point_uuid: UUID) -> HttpResponse:
    point = point_for(request.user, point_uuid)
    require_open(point.relationship)
    require_author(request.user, point)
    if request.method == "GET":
        form = PointEditForm(
            initial={
                "text": point.text,
                "theme": point.theme,
                "is_private": point.is_private,
                "version": point.version,
            }
        )
        return _point_row(request, point, form=form)
    form = PointEditForm(request.POST)
    if form.is_valid():
        try:
            point_edit(
                actor=request.user,
                point=point,
                text=form.cleaned_data["text"],
                theme=form.cleaned_data["theme"],
                is_private=form.cleaned_data["is_private"],
                base_version=form.cleaned_data["version"],
            )
        except EditConflict as conflict:
            data = form.cleaned_data | {"version": conflict.current_version}
            return _point_row(
                request, point, form=PointEditForm(initial=data), conflict=conflict, status=409
            )
        except ValidationError as exc:
            form.add_error("text", exc)
    if form.errors:
        if request.htmx:
            return _point_row(request, point, form=form, status=400)
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return _done(request, point.relationship)


@login_required
@require_POST
def point_delete_view(request: PersonRequest, point_uuid: UUID) -> HttpResponse:
    point = point_for(request.user, point_uuid)
    require_open(point.relationship)
    require_author(request.user, point)
    try:
        point_delete(actor=request.user, point=point)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _done(request, point.relationship)


@login_required
@require_POST
def point_move_view(request: PersonRequest, point_uuid: UUID) -> HttpResponse:
    point = point_for(request.user, point_uuid)
    require_open(point.relationship)
    direction = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if direction is None:
        return HttpResponse("Move a point up or down.", status=400)
    point_move(actor=request.user, point=point, direction=direction)
    return _done(request, point.relationship)


@login_required
@require_POST
def point_discussed_view(request: PersonRequest, point_uuid: UUID) -> HttpResponse:
    point = point_for(request.user, point_uuid)
    relationship = point.relationship
    require_open(relationship)
    occurrence = occurrence_for(relationship, request.POST.get("meeting", ""))
    discussed = request.POST.get("discussed") == "1"
    point_set_discussed(
        actor=request.user, point=point, meeting_key=occurrence.key, discussed=discussed
    )
    return _done(request, relationship)


@login_required
@require_POST
def point_standing_view(request: PersonRequest, point_uuid: UUID) -> HttpResponse:
    point = point_for(request.user, point_uuid)
    require_open(point.relationship)
    try:
        point_set_standing(
            actor=request.user, point=point, standing=request.POST.get("standing") == "1"
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _done(request, point.relationship)


@login_required
@require_GET
def question_suggest(request: PersonRequest, relationship_uuid: UUID) -> HttpResponse:
    """Offer a question from the theme asked for, else the one quiet longest in this 1:1."""
    relationship = relationship_for(request.user, relationship_uuid)
    is_lead = request.user.pk == relationship.lead_id
    skip = request.GET.getlist("skip")
    themes = quietest_themes(relationship)
    theme = request.GET.get("theme", "")
    if theme in themes:  # a known theme other than "other": ask about it first
        themes = [theme, *(t for t in themes if t != theme)]
    else:
        theme = ""
    question = suggest_question(
        relationship=relationship,
        themes=themes,
        asked_by_lead=is_lead,
        is_manager_kind=relationship.kind == Relationship.Kind.MANAGER,
        exclude_uuids=[s for s in skip if _valid_uuid(s)],
    )
    return render(
        request,
        f"{PARTS}#suggestion",
        {"question": question, "relationship": relationship, "skip": skip, "theme": theme},
    )


def _valid_uuid(raw: str) -> bool:
    try:
        UUID(raw)
    except ValueError:
        return False
    return True


def _active_in_org[M: (Question, Template)](
    model: type[M], relationship: Relationship, raw_uuid: str
) -> M | None:
    """An active question or template of the relationship's organization, by public id."""
    if not _valid_uuid(raw_uuid):
        return None
    return model.objects.filter(
        organization_id=relationship.organization_id, uuid=raw_uuid, is_active=True
    ).first()


@login_required
@require_POST
def question_accept_view(request: PersonRequest, relationship_uuid: UUID) -> HttpResponse:
    relationship = relationship_for(request.user, relationship_uuid)
    require_open(relationship)
    question = _active_in_org(Question, relationship, request.POST.get("question", ""))
    if question is None:
        return HttpResponse("Choose one of the suggested questions.", status=400)
    question_accept(
        actor=request.user,
        relationship=relationship,
        question=question,
        is_private=request.POST.get("is_private") == "1",
    )
    return _done(request, relationship)


@login_required
@require_POST
def template_apply_view(request: PersonRequest, relationship_uuid: UUID) -> HttpResponse:
    relationship = relationship_for(request.user, relationship_uuid)
    require_open(relationship)
    template = _active_in_org(Template, relationship, request.POST.get("template", ""))
    if template is None:
        if request.htmx:
            return HttpResponse("Choose a template.", status=400)
        messages.error(request, "Choose a template.")
        return redirect("meetings:relationship", relationship.uuid)
    template_apply(
        actor=request.user, relationship=relationship, template=template, planned_for=None
    )
    if not request.htmx:
        messages.success(request, f"Added the prompts of “{template.name}” to the agenda.")
    return _done(request, relationship)

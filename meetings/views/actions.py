"""Action items: add, edit, complete and reopen."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from lib.http import PersonRequest
from meetings.access import action_item_for, occurrence_for, relationship_for, require_open
from meetings.forms import ActionItemEditForm, ActionItemForm
from meetings.models import ActionItem, Relationship
from meetings.services.actions import action_add, action_delete, action_edit, action_set_done
from meetings.services.common import EditConflict
from meetings.views.pages import render_fragment


def _done(request: PersonRequest, relationship: Relationship) -> HttpResponse:
    if request.htmx:
        return render_fragment(request, relationship, "actions")
    return redirect("meetings:relationship", relationship.uuid)


def _errors(form: ActionItemForm) -> str:
    return " ".join(str(e) for errs in form.errors.values() for e in errs)


@login_required
@require_POST
def action_add_view(request: PersonRequest, relationship_uuid: UUID) -> HttpResponse:
    relationship = relationship_for(request.user, relationship_uuid)
    require_open(relationship)
    form = ActionItemForm(request.POST, relationship=relationship, viewer=request.user)
    meeting_slug = request.POST.get("meeting", "")
    key = occurrence_for(relationship, meeting_slug).key if meeting_slug else None
    if form.is_valid():
        try:
            action_add(
                actor=request.user,
                relationship=relationship,
                text=form.cleaned_data["text"],
                owner=form.owner_person(),
                due_date=form.cleaned_data["due_date"],
                meeting_key=key,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
    if form.errors:
        if request.htmx:
            response = render_fragment(request, relationship, "actions", action_form=form)
            response.status_code = 400
            return response
        messages.error(request, _errors(form))
        return redirect("meetings:relationship", relationship.uuid)
    return _done(request, relationship)


def _editor(
    request: PersonRequest,
    item: ActionItem,
    form: ActionItemForm,
    status: int = 200,
    **extra: object,
) -> HttpResponse:
    context = {"item": item, "form": form, "relationship": item.relationship,
               "viewer": request.user, "writable": True, **extra}  # fmt: skip
    response = render(request, "meetings/parts.html#action-editor", context, status=status)
    if status != 200:
        response["HX-Retarget"] = f"#action-{item.uuid}"
        response["HX-Reswap"] = "outerHTML"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def action_edit_view(request: PersonRequest, item_uuid: UUID) -> HttpResponse:
    item = action_item_for(request.user, item_uuid)
    relationship = item.relationship
    require_open(relationship)
    if request.method == "GET":
        initial = {"text": item.text, "owner": str(item.owner.uuid), "due_date": item.due_date,
                   "version": item.version}  # fmt: skip
        form = ActionItemEditForm(initial=initial, relationship=relationship, viewer=request.user)
        return _editor(request, item, form)
    form = ActionItemEditForm(request.POST, relationship=relationship, viewer=request.user)
    if form.is_valid():
        try:
            action_edit(
                actor=request.user,
                item=item,
                text=form.cleaned_data["text"],
                owner=form.owner_person(),
                due_date=form.cleaned_data["due_date"],
                base_version=form.cleaned_data["version"],
            )
        except EditConflict as conflict:
            item.refresh_from_db()
            data = {"text": form.cleaned_data["text"], "owner": form.cleaned_data["owner"],
                    "due_date": form.cleaned_data["due_date"], "version": conflict.current_version}  # fmt: skip
            fresh = ActionItemEditForm(initial=data, relationship=relationship, viewer=request.user)
            return _editor(request, item, fresh, status=409, conflict=conflict)
        except ValidationError as exc:
            form.add_error(None, exc)
    if form.errors:
        if request.htmx:
            return _editor(request, item, form, status=400)
        messages.error(request, _errors(form))
    return _done(request, relationship)


@login_required
@require_POST
def action_done_view(request: PersonRequest, item_uuid: UUID) -> HttpResponse:
    item = action_item_for(request.user, item_uuid)
    relationship = item.relationship
    require_open(relationship)
    meeting_slug = request.POST.get("meeting", "")
    key = occurrence_for(relationship, meeting_slug).key if meeting_slug else None
    action_set_done(
        actor=request.user, item=item, done=request.POST.get("done") == "1", meeting_key=key
    )
    return _done(request, relationship)


@login_required
@require_POST
def action_delete_view(request: PersonRequest, item_uuid: UUID) -> HttpResponse:
    item = action_item_for(request.user, item_uuid)
    require_open(item.relationship)
    action_delete(actor=request.user, item=item)
    return _done(request, item.relationship)

"""Starting a 1:1, its running page, its plan and the live view."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lib.http import PersonRequest, attempt, no_content
from meetings.access import relationship_for, require_open
from meetings.forms import CadenceChangeForm, RelationshipStartForm, ResumeForm
from meetings.models import Relationship
from meetings.schedule import WEEKDAY_NAMES
from meetings.services.relationships import (
    relationship_change_cadence,
    relationship_end,
    relationship_pause,
    relationship_resume,
    relationship_start,
)
from meetings.views.pages import (
    PAGE_TEMPLATE,
    page_number,
    relationship_context,
    render_page,
    search_query,
)
from people.models import Person


@login_required
@require_http_methods(["GET", "POST"])
def relationship_new(request: PersonRequest) -> HttpResponse:
    person = request.user
    initial: dict[str, object] = {
        "timezone": person.timezone,
        "first_date": timezone.localdate(),
        "kind": Relationship.Kind.MANAGER,
        "cadence": "weekly",
    }
    with_uuid = request.GET.get("with", "")
    with_id = _uuid_or_none(with_uuid)
    other = (
        Person.objects.filter(organization_id=person.org_id, uuid=with_id).first()
        if with_id
        else None
    )
    if other is not None:
        initial["other"] = other.pk
        if other.manager_id != person.pk:
            initial["kind"] = Relationship.Kind.PEER
    form = RelationshipStartForm(request.POST or None, person=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            relationship = relationship_start(
                actor=person,
                other=data["other"],
                kind=data["kind"],
                cadence=form.cadence_value(),
                first_date=data["first_date"],
                local_time=data["local_time"],
                timezone=data["timezone"],
                duration_minutes=data["duration_minutes"],
                template=data["template"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Your 1:1 with {data['other'].name} is set up.")
            return redirect("meetings:relationship", relationship.uuid)
    return render(
        request,
        "meetings/relationship_new.html",
        {"form": form, "reports": person.reports.filter(is_active=True)},
        status=400 if form.errors else 200,
    )


def _uuid_or_none(raw: str) -> UUID | None:
    try:
        return UUID(raw)
    except ValueError:
        return None


@login_required
@require_GET
def relationship_detail(request: PersonRequest, relationship_uuid: UUID) -> HttpResponse:
    relationship = relationship_for(request.user, relationship_uuid)
    fragment = request.GET.get("fragment", "history" if request.htmx else "")
    if request.htmx and fragment in FRAGMENTS:
        context = relationship_context(
            request, relationship, page=page_number(request), query=search_query(request)
        )
        return render(request, f"{PAGE_TEMPLATE}#{fragment}", context)
    return render_page(request, relationship)


# Parts of the page that an htmx request may ask for on their own (e.g. to cancel an edit).
FRAGMENTS = frozenset({"agenda", "actions", "history"})


@login_required
@require_GET
def relationship_live(request: PersonRequest, relationship_uuid: UUID) -> HttpResponse:
    """Polled by an open page: 204 when nothing the viewer can see changed, else fresh parts."""
    relationship = relationship_for(request.user, relationship_uuid)
    if request.GET.get("v") == str(relationship.shared_version):
        return no_content()
    context = relationship_context(
        request, relationship, page=page_number(request), query=search_query(request)
    )
    context["oob"] = True
    return render(request, f"{PAGE_TEMPLATE}#live-bundle", context)


@login_required
@require_GET
def relationship_plan(request: PersonRequest, relationship_uuid: UUID) -> HttpResponse:
    relationship = relationship_for(request.user, relationship_uuid)
    return _render_plan(request, relationship)


def _render_plan(
    request: PersonRequest,
    relationship: Relationship,
    *,
    cadence_form: CadenceChangeForm | None = None,
    resume_form: ResumeForm | None = None,
) -> HttpResponse:
    schedules = list(relationship.schedules.all())
    current = schedules[-1] if schedules else None
    initial = {}
    if current is not None:
        initial = {
            "timezone": current.timezone,
            "local_time": current.local_time,
            "duration_minutes": current.duration_minutes,
            "weekday": current.first_date.weekday(),
            "from_date": timezone.localdate(),
        }
    context = relationship_context(request, relationship)
    context.update(
        {
            "cadence_form": cadence_form or CadenceChangeForm(initial=initial),
            "resume_form": resume_form or ResumeForm(initial={"from_date": timezone.localdate()}),
            "schedules": schedules,
            "weekday_names": WEEKDAY_NAMES,
        }
    )
    bad = (cadence_form and cadence_form.errors) or (resume_form and resume_form.errors)
    return render(request, "meetings/plan.html", context, status=400 if bad else 200)


@login_required
@require_POST
def relationship_cadence(request: PersonRequest, relationship_uuid: UUID) -> HttpResponse:
    relationship = relationship_for(request.user, relationship_uuid)
    require_open(relationship)
    form = CadenceChangeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            relationship_change_cadence(
                actor=request.user,
                relationship=relationship,
                cadence=form.cadence_value(),
                from_date=data["from_date"],
                local_time=data["local_time"],
                timezone=data["timezone"],
                duration_minutes=data["duration_minutes"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "The new cadence applies from the date you chose.")
            return redirect("meetings:relationship", relationship.uuid)
    return _render_plan(request, relationship, cadence_form=form)


@login_required
@require_POST
def relationship_pause_view(request: PersonRequest, relationship_uuid: UUID) -> HttpResponse:
    relationship = relationship_for(request.user, relationship_uuid)
    require_open(relationship)
    attempt(
        request,
        lambda: relationship_pause(actor=request.user, relationship=relationship),
        "Paused. Open talking points and action items stay here.",
    )
    return redirect("meetings:relationship", relationship.uuid)


@login_required
@require_POST
def relationship_resume_view(request: PersonRequest, relationship_uuid: UUID) -> HttpResponse:
    relationship = relationship_for(request.user, relationship_uuid)
    require_open(relationship)
    form = ResumeForm(request.POST)
    if form.is_valid():
        try:
            relationship_resume(
                actor=request.user,
                relationship=relationship,
                from_date=form.cleaned_data["from_date"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Resumed with the same cadence.")
            return redirect("meetings:relationship", relationship.uuid)
    return _render_plan(request, relationship, resume_form=form)


@login_required
@require_POST
def relationship_end_view(request: PersonRequest, relationship_uuid: UUID) -> HttpResponse:
    relationship = relationship_for(request.user, relationship_uuid)
    require_open(relationship)
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Tick the box to confirm that you want to end this 1:1.")
        return redirect("meetings:plan", relationship.uuid)
    relationship_end(actor=request.user, relationship=relationship)
    messages.success(request, "This 1:1 has ended. Its history stays here for both of you.")
    return redirect("meetings:relationship", relationship.uuid)

"""Views for career. Its URLs are listed here and collected by growth/urls.py."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET, require_http_methods

from growth.access import career_person_for, career_profile_of
from growth.career_forms import CareerProfileForm
from growth.models import CareerProfile
from growth.models.career import CAREER_FIELDS
from growth.selectors.career import career_entries, career_history
from growth.services.career import career_profile_save
from lib.http import PersonRequest
from meetings.services.common import EditConflict
from people.models import Person


def _initial(profile: CareerProfile | None) -> dict[str, Any]:
    if profile is None:
        return {"version": 0}
    return {name: getattr(profile, name) for name, _ in CAREER_FIELDS} | {
        "version": profile.version
    }


def _edit_page(
    request: PersonRequest,
    form: CareerProfileForm,
    profile: CareerProfile | None,
    *,
    status: int = 200,
    conflict: CareerProfile | None = None,
) -> HttpResponse:
    context = {
        "form": form,
        "conflict": conflict,
        "history": career_history(profile),
        "conflict_entries": career_entries(conflict),
    }
    return render(request, "growth/career_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def career_view(request: PersonRequest) -> HttpResponse:
    """My career profile: edit it, and see how it evolved."""
    person = request.user
    profile = career_profile_of(person)
    if request.method == "GET":
        return _edit_page(request, CareerProfileForm(initial=_initial(profile)), profile)
    form = CareerProfileForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, form, profile, status=400)
    data = form.cleaned_data
    try:
        career_profile_save(
            actor=person,
            person=person,
            strengths=data["strengths"],
            skills_to_grow=data["skills_to_grow"],
            next_role=data["next_role"],
            support_needed=data["support_needed"],
            base_version=data["version"],
        )
    except EditConflict:
        current = career_profile_of(person)
        # The editor keeps what was typed and now builds on the saved version.
        fresh = CareerProfileForm(initial=data | {"version": current.version if current else 0})
        return _edit_page(request, fresh, current, status=409, conflict=current)
    except ValidationError as exc:
        form.add_error(None, exc)
        return _edit_page(request, form, profile, status=400)
    messages.success(request, "Your career profile is saved.")
    return redirect("growth:career")


@login_required
@require_GET
def career_person_view(request: PersonRequest, person_uuid: UUID) -> HttpResponse:
    """A person's career profile and its history, read-only: for them and their manager."""
    person: Person = career_person_for(request.user, person_uuid)
    profile = career_profile_of(person)
    context = {
        "person": person,
        "profile": profile,
        "is_self": person.pk == request.user.pk,
        "entries": career_entries(profile),
        "history": career_history(profile),
    }
    return render(request, "growth/career_person.html", context)


urlpatterns: list[URLPattern] = [
    path("career/", career_view, name="career"),
    path("career/<uuid:person_uuid>/", career_person_view, name="career_person"),
]

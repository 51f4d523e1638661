"""The organization admin pages: people, org chart, teams, invitations and settings.

Only an org admin reaches them, for their own organization (people.access); they show
people, reporting lines and content-free counts, never a word of any 1:1.
"""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.services import invitation_create, invitation_revoke
from lib.http import PersonRequest, safe_next
from people import selectors
from people.access import invitation_in_org, org_admin_of, person_in_org, team_in_org
from people.forms import (
    BulkInviteForm,
    InvitationFilterForm,
    InviteForm,
    OrgSettingsForm,
    PeopleFilterForm,
    PersonForm,
    PersonNewForm,
    TeamForm,
)
from people.models import Organization, Person
from people.services import person_deactivate, person_reactivate, person_update
from people.services_org import (
    NewPerson,
    invitations_bulk_create,
    organization_settings_update,
    person_add_by_admin,
)
from people.services_teams import team_create, team_delete, team_rename

PER_PAGE = 50


def _page(request: PersonRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:  # fmt: skip
    return render(request, f"people/{template}", context, status=status)


def _paginate(request: PersonRequest, items: Any) -> Page[Any]:
    return Paginator(items, PER_PAGE).get_page(request.GET.get("page"))


def _query_without_page(request: PersonRequest) -> str:
    """The list's query string without its page number, for the pagination links."""
    query: QueryDict = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _base_url(request: PersonRequest) -> str:
    return request.build_absolute_uri("/")


def _form_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's refusal on the form, by field where the service named one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# Overview ------------------------------------------------------------------------------


@login_required
@require_GET
def org_home_view(request: PersonRequest) -> HttpResponse:
    """Counts of people, teams and 1:1s, and the latest admin activity: no 1:1 content."""
    organization = org_admin_of(request.user)
    summary = selectors.overview(organization, now=timezone.now())
    return _page(
        request,
        "org_home.html",
        {"organization": organization, "summary": summary, "recent_days": selectors.RECENT_DAYS},
    )


# People --------------------------------------------------------------------------------


@login_required
@require_GET
def people_view(request: PersonRequest) -> HttpResponse:
    """Everyone in the organization: search, filters, 50 a page."""
    organization = org_admin_of(request.user)
    filters = PeopleFilterForm(request.GET, organization=organization)
    people = selectors.people_search(organization, **filters.filters())
    page = _paginate(request, people)
    rows = [(person, selectors.person_status(person)) for person in page.object_list]
    return _page(
        request,
        "org_people.html",
        {
            "organization": organization,
            "filters": filters,
            "page": page,
            "rows": rows,
            "query": _query_without_page(request),
            "filtered": any(filters.filters().values()),
        },
    )


@login_required
@require_GET
def people_lookup_view(request: PersonRequest) -> HttpResponse:
    """Suggestions for the manager field: <option>s of a datalist, loaded as one types."""
    organization = org_admin_of(request.user)
    query = request.GET.get("q") or request.GET.get("manager") or ""
    people = selectors.manager_candidates(organization, query[:200])
    return _page(request, "org_person_form.html#manager-options", {"candidates": people})


def _new_person(form: PersonForm) -> NewPerson:
    data = form.cleaned_data
    return NewPerson(
        email=data["email"],
        name=data["name"],
        title=data["title"],
        team=data["team"],
        manager=data["manager"],
        timezone=data["timezone"],
        is_org_admin=data["is_org_admin"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_new_view(request: PersonRequest) -> HttpResponse:
    """Add a person; they can sign in once they accept an invitation."""
    organization = org_admin_of(request.user)
    form = PersonNewForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            person, invitation = person_add_by_admin(
                actor=request.user,
                organization=organization,
                new=_new_person(form),
                invite=form.cleaned_data["invite"],
                base_url=_base_url(request),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            sent = f" An invitation is on its way to {person.email}." if invitation else ""
            messages.success(request, f"{person.name} was added.{sent}")
            return redirect("people:person", person.uuid)
    return _page(
        request,
        "org_person_new.html",
        {"organization": organization, "form": form},
        status=400 if form.errors else 200,
    )


def _person_context(person: Person, viewer: Person) -> dict[str, Any]:
    invitation = selectors.latest_invitation(person)
    return {
        "person": person,
        "status": selectors.person_status(person),
        "line": selectors.reporting_line(person),
        "reports": selectors.direct_reports(person),
        "invitation": invitation,
        "invitation_state": invitation.state() if invitation else "",
        "is_self": person.pk == viewer.pk,
    }


@login_required
@require_http_methods(["GET", "POST"])
def person_view(request: PersonRequest, person_uuid: UUID) -> HttpResponse:
    """A person's profile and place: edit it, invite them, deactivate or reactivate them."""
    person = person_in_org(request.user, person_uuid)
    organization = org_admin_of(request.user)
    form = PersonForm(request.POST or None, organization=organization, person=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {field: data[field] for field in PersonForm.base_fields if field in data}
        changes["manager"] = data["manager"]
        try:
            changed = person_update(actor=request.user, person=person, **changes)
        except ValidationError as exc:
            _form_errors(form, exc)
            # The service set the refused values on this object; show what is stored.
            person = person_in_org(request.user, person_uuid)
        else:
            messages.success(request, "Saved." if changed else "Nothing changed.")
            return redirect("people:person", person.uuid)
    return _page(
        request,
        "org_person.html",
        {"organization": organization, "form": form, **_person_context(person, request.user)},
        status=400 if form.errors else 200,
    )


def _confirm(
    request: PersonRequest,
    person_uuid: UUID,
    action: str,
    service: Callable[..., None],
    done: str,
) -> HttpResponse:
    person = person_in_org(request.user, person_uuid)
    organization = org_admin_of(request.user)
    if request.method == "POST":
        try:
            service(actor=request.user, person=person)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, done.format(name=person.name))
        return redirect("people:person", person.uuid)
    return _page(
        request,
        "org_person_confirm.html",
        {
            "organization": organization,
            "person": person,
            "action": action,
            "is_self": person.pk == request.user.pk,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_deactivate_view(request: PersonRequest, person_uuid: UUID) -> HttpResponse:
    """The person left: GET says what happens, POST does it."""
    return _confirm(
        request,
        person_uuid,
        "deactivate",
        person_deactivate,
        "{name} was deactivated: they can no longer sign in and their 1:1s have ended.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_reactivate_view(request: PersonRequest, person_uuid: UUID) -> HttpResponse:
    """The person is back: GET says what happens, POST does it."""
    return _confirm(
        request,
        person_uuid,
        "reactivate",
        person_reactivate,
        "{name} was reactivated and can sign in again.",
    )


# Org chart -----------------------------------------------------------------------------


@login_required
@require_GET
def chart_view(request: PersonRequest) -> HttpResponse:
    """The reporting lines as a tree; ?root=<uuid> shows (or, for htmx, loads) one part."""
    organization = org_admin_of(request.user)
    root: UUID | None = None
    if request.GET.get("root"):
        try:
            root = UUID(request.GET["root"])
        except ValueError:
            root = None
        if root is None:
            return _page(request, "org_chart.html", _missing_root(organization), status=404)
    tree = selectors.chart(organization, root=root)
    if root is not None and tree.root is None:
        return _page(request, "org_chart.html", _missing_root(organization), status=404)
    context = {"organization": organization, "chart": tree}
    if request.htmx and root is not None:
        return _page(request, "org_chart.html#tree", context)
    return _page(request, "org_chart.html", context)


def _missing_root(organization: Organization) -> dict[str, Any]:
    return {"organization": organization, "chart": None, "missing": True}


# Teams ---------------------------------------------------------------------------------


@login_required
@require_GET
def teams_view(request: PersonRequest) -> HttpResponse:
    """The organization's teams with how many people each has."""
    organization = org_admin_of(request.user)
    teams = selectors.teams_with_counts(organization)
    return _page(request, "org_teams.html", {"organization": organization, "teams": teams})


@login_required
@require_http_methods(["GET", "POST"])
def team_new_view(request: PersonRequest) -> HttpResponse:
    organization = org_admin_of(request.user)
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = team_create(
                actor=request.user, organization=organization, name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"Team “{team.name}” created.")
            return redirect("people:team", team.uuid)
    return _page(
        request,
        "org_team_new.html",
        {"organization": organization, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_view(request: PersonRequest, team_uuid: UUID) -> HttpResponse:
    """A team's members, and renaming it."""
    team = team_in_org(request.user, team_uuid)
    organization = org_admin_of(request.user)
    form = TeamForm(request.POST or None, initial={"name": team.name})
    if request.method == "POST" and form.is_valid():
        try:
            renamed = team_rename(actor=request.user, team=team, name=form.cleaned_data["name"])
        except ValidationError as exc:
            _form_errors(form, exc)
            team = team_in_org(request.user, team_uuid)
        else:
            messages.success(request, "Team renamed." if renamed else "Nothing changed.")
            return redirect("people:team", team.uuid)
    members = selectors.team_members(team)
    return _page(
        request,
        "org_team.html",
        {"organization": organization, "team": team, "form": form, "members": members},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_delete_view(request: PersonRequest, team_uuid: UUID) -> HttpResponse:
    """GET asks for confirmation; POST deletes the team (its members stay, without a team)."""
    team = team_in_org(request.user, team_uuid)
    organization = org_admin_of(request.user)
    if request.method == "POST":
        members = team_delete(actor=request.user, team=team)
        messages.success(
            request, f"Team “{team.name}” deleted; its {members} member(s) now have no team."
        )
        return redirect("people:teams")
    count = selectors.team_members(team).count()
    return _page(
        request,
        "org_team_delete.html",
        {"organization": organization, "team": team, "member_count": count},
    )


# Invitations ---------------------------------------------------------------------------


@login_required
@require_GET
def invitations_view(request: PersonRequest) -> HttpResponse:
    """Invitations, newest first, filtered by state."""
    organization = org_admin_of(request.user)
    filters = InvitationFilterForm(request.GET)
    state = filters.cleaned_data["state"] if filters.is_valid() else ""
    now = timezone.now()
    page = _paginate(request, selectors.invitations_list(organization, state=state, now=now))
    rows = [(invitation, invitation.state(now)) for invitation in page.object_list]
    return _page(
        request,
        "org_invitations.html",
        {
            "organization": organization,
            "filters": filters,
            "state": state,
            "page": page,
            "rows": rows,
            "query": _query_without_page(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_new_view(request: PersonRequest) -> HttpResponse:
    """Invite one person: someone of the organization, or a new address with a name."""
    organization = org_admin_of(request.user)
    form = InviteForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            if form.person is None:
                person, _ = person_add_by_admin(
                    actor=request.user,
                    organization=organization,
                    new=NewPerson(email=form.cleaned_data["email"], name=form.cleaned_data["name"]),
                    invite=True,
                    base_url=_base_url(request),
                )
            else:
                person = form.person
                invitation_create(actor=request.user, person=person, base_url=_base_url(request))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"An invitation is on its way to {person.email}.")
            return redirect(safe_next(request) or "people:invitations")
    return _page(
        request,
        "org_invitation_new.html",
        {
            "organization": organization,
            "form": form,
            "invitation_days": settings.RAPPORT_INVITATION_DAYS,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_bulk_view(request: PersonRequest) -> HttpResponse:
    """Invite many: every line is checked first, and nothing is created unless all are valid."""
    organization = org_admin_of(request.user)
    form = BulkInviteForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            sent = invitations_bulk_create(
                actor=request.user,
                organization=organization,
                lines=form.cleaned_data["lines"],
                base_url=_base_url(request),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"{len(sent)} invitation(s) sent.")
            return redirect("people:invitations")
    return _page(
        request,
        "org_invitation_bulk.html",
        {"organization": organization, "form": form},
        status=400 if form.errors else 200,
    )


def _invitation_back(request: PersonRequest) -> HttpResponse:
    return redirect(safe_next(request) or "people:invitations")


@login_required
@require_POST
def invitation_revoke_view(request: PersonRequest, invitation_uuid: UUID) -> HttpResponse:
    invitation = invitation_in_org(request.user, invitation_uuid)
    try:
        invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"The invitation for {invitation.email} was revoked.")
    return _invitation_back(request)


@login_required
@require_POST
def invitation_resend_view(request: PersonRequest, invitation_uuid: UUID) -> HttpResponse:
    """Send a new link; the old one stops working."""
    invitation = invitation_in_org(request.user, invitation_uuid)
    if invitation.accepted_at is not None:
        messages.error(
            request, f"{invitation.person.name} has already accepted; nothing to resend."
        )
        return _invitation_back(request)
    try:
        invitation_create(actor=request.user, person=invitation.person, base_url=_base_url(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"A new invitation is on its way to {invitation.person.email}.")
    return _invitation_back(request)


# Settings ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def org_settings_view(request: PersonRequest) -> HttpResponse:
    """Email domains, two-factor requirement, retention and the quiet-theme threshold."""
    organization = org_admin_of(request.user)
    initial = {
        "email_domains": "\n".join(organization.domains()),
        "require_mfa": organization.require_mfa,
        "retention_days": organization.retention_days,
        "quiet_theme_after": organization.quiet_theme_after,
    }
    form = OrgSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = organization_settings_update(
                actor=request.user, organization=organization, **form.cleaned_data
            )
        except ValidationError as exc:
            _form_errors(form, exc)
            organization.refresh_from_db()
        else:
            messages.success(request, "Settings saved." if changed else "Nothing changed.")
            return redirect("people:org_settings")
    return _page(
        request,
        "org_settings.html",
        {"organization": organization, "form": form},
        status=400 if form.errors else 200,
    )


urlpatterns: list[URLPattern] = [
    path("org/", org_home_view, name="org_home"),
    path("org/people/", people_view, name="people"),
    path("org/people/lookup/", people_lookup_view, name="people_lookup"),
    path("org/people/new/", person_new_view, name="person_new"),
    path("org/people/<uuid:person_uuid>/", person_view, name="person"),
    path(
        "org/people/<uuid:person_uuid>/deactivate/",
        person_deactivate_view,
        name="person_deactivate",
    ),
    path(
        "org/people/<uuid:person_uuid>/reactivate/",
        person_reactivate_view,
        name="person_reactivate",
    ),
    path("org/chart/", chart_view, name="chart"),
    path("org/teams/", teams_view, name="teams"),
    path("org/teams/new/", team_new_view, name="team_new"),
    path("org/teams/<uuid:team_uuid>/", team_view, name="team"),
    path("org/teams/<uuid:team_uuid>/delete/", team_delete_view, name="team_delete"),
    path("org/invitations/", invitations_view, name="invitations"),
    path("org/invitations/new/", invitation_new_view, name="invitation_new"),
    path("org/invitations/bulk/", invitation_bulk_view, name="invitation_bulk"),
    path(
        "org/invitations/<uuid:invitation_uuid>/revoke/",
        invitation_revoke_view,
        name="invitation_revoke",
    ),
    path(
        "org/invitations/<uuid:invitation_uuid>/resend/",
        invitation_resend_view,
        name="invitation_resend",
    ),
    path("org/settings/", org_settings_view, name="org_settings"),
]

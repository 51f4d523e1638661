"""The CalDAV page: connect one calendar, push everything again, disconnect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from lib.http import PersonRequest
from notifications.caldav import (
    caldav_connect,
    caldav_disconnect,
    caldav_push_all,
    pending_pushes,
)
from notifications.forms_caldav import CalDavConnectForm, CalDavDisconnectForm
from notifications.models import CalDavAccount


def _page(
    request: PersonRequest, form: CalDavConnectForm | None = None, status: int = 200
) -> HttpResponse:
    account = CalDavAccount.objects.filter(person=request.user).first()
    context = {
        "account": account,
        "form": form or CalDavConnectForm(initial=_initial(account)),
        "disconnect_form": CalDavDisconnectForm(),
        "pending": pending_pushes(request.user) if account else 0,
    }
    return render(request, "notifications/caldav.html", context, status=status)


def _initial(account: CalDavAccount | None) -> dict[str, str]:
    if account is None or not account.is_active:
        return {}
    return {"url": account.url, "username": account.username}


def _connect(request: PersonRequest) -> HttpResponse:
    form = CalDavConnectForm(request.POST)
    if not form.is_valid():
        return _page(request, form)
    try:
        caldav_connect(
            person=request.user,
            url=form.cleaned_data["url"],
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return _page(request, form)
    messages.success(request, "Calendar connected. Your 1:1s are on their way to it.")
    return redirect("notifications:caldav")


def _push(request: PersonRequest) -> HttpResponse:
    if not CalDavAccount.objects.filter(person=request.user, is_active=True).exists():
        messages.error(request, "Connect a calendar first.")
    else:
        count = caldav_push_all(person=request.user)
        messages.success(request, f"Queued a push of {count} 1:1 series. It takes a few moments.")
    return redirect("notifications:caldav")


def _disconnect(request: PersonRequest) -> HttpResponse:
    form = CalDavDisconnectForm(request.POST)
    remove = form.is_valid() and form.cleaned_data["remove_events"]
    if not CalDavAccount.objects.filter(person=request.user).exists():
        messages.error(request, "No calendar is connected.")
        return redirect("notifications:caldav")
    caldav_disconnect(person=request.user, remove_events=remove)
    if remove:
        messages.success(request, "Disconnected. The 1:1s are being removed from the calendar.")
    else:
        messages.success(request, "Disconnected. Rapport no longer changes that calendar.")
    return redirect("notifications:caldav")


ACTIONS = {"connect": _connect, "push": _push, "disconnect": _disconnect}


@login_required
@require_http_methods(["GET", "POST"])
def caldav(request: PersonRequest) -> HttpResponse:
    """The signed-in person's own CalDAV connection; nobody else's is reachable."""
    if request.method == "GET":
        return _page(request)
    action = ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        return HttpResponseBadRequest("Unknown action.")
    return action(request)


urlpatterns: list[URLPattern] = [
    path("account/calendar/caldav/", caldav, name="caldav"),
]

"""A person's notification preferences and the log of what Rapport sent them."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods, require_POST

from lib.http import PersonRequest
from lib.timezones import zone
from notifications.forms import PreferencesForm, reject
from notifications.models import Delivery
from notifications.outbox import delivery_resend
from notifications.reminders import preferences_for, preferences_update
from people.models import Person

PAGE = "notifications/preferences.html"
LOG_SIZE = 50
RESENDABLE = (Delivery.Status.FAILED, Delivery.Status.GAVE_UP)


@dataclass(frozen=True)
class LogRow:
    delivery: Delivery
    status: str
    detail: str
    can_resend: bool


def _when(person: Person, instant: datetime) -> str:
    moment = instant.astimezone(zone(person.timezone))
    return f"{moment.day} {moment:%b %Y, %H:%M} ({person.timezone})"


def _log_row(person: Person, delivery: Delivery) -> LogRow:
    status = delivery.get_status_display()
    detail = ""
    if delivery.status == Delivery.Status.SENT and delivery.sent_at:
        detail = _when(person, delivery.sent_at)
    elif delivery.status == Delivery.Status.PLANNED:
        detail = "for " + _when(person, delivery.due_at)
    elif delivery.status in (*RESENDABLE, Delivery.Status.SKIPPED):
        detail = delivery.last_error
    return LogRow(delivery, status, detail, delivery.status in RESENDABLE)


def recent_messages(person: Person) -> list[LogRow]:
    """The person's own emails, newest first."""
    deliveries = Delivery.objects.filter(person=person, channel=Delivery.Channel.EMAIL).order_by(
        "-created_at", "-pk"
    )[:LOG_SIZE]
    return [_log_row(person, d) for d in deliveries]


def _show(request: PersonRequest, form: PreferencesForm, *, status: int = 200) -> HttpResponse:
    context = {"form": form, "log": recent_messages(request.user)}
    return render(request, PAGE, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: PersonRequest) -> HttpResponse:
    """What the person wants Rapport to send them; below, what it sent lately."""
    person = request.user
    current = preferences_for(person)
    if request.method == "GET":
        return _show(request, PreferencesForm(preferences=current, timezone=person.timezone))
    form = PreferencesForm(request.POST, preferences=current, timezone=person.timezone)
    if not form.is_valid():
        return _show(request, form, status=400)
    try:
        preferences_update(
            person=person, timezone=form.cleaned_data["timezone"], **form.preference_values()
        )
    except ValidationError as error:
        reject(form, error)
        return _show(request, form, status=400)
    messages.success(request, "Your notification settings are saved.")
    return redirect("notifications:preferences")


@login_required
@require_POST
def resend(request: PersonRequest, delivery_uuid: UUID) -> HttpResponse:
    """Send one of the person's own failed emails again (someone else's: 404)."""
    delivery = Delivery.objects.filter(
        uuid=delivery_uuid, person=request.user, channel=Delivery.Channel.EMAIL
    ).first()
    if delivery is None:
        raise Http404
    if delivery.status not in RESENDABLE:
        messages.error(request, "Only a message that failed can be sent again.")
    else:
        delivery_resend(delivery)
        messages.success(request, "The message is on its way again.")
    return redirect("notifications:preferences")


urlpatterns: list[URLPattern] = [
    path("account/notifications/", preferences, name="preferences"),
    path(
        "account/notifications/messages/<uuid:delivery_uuid>/again/",
        resend,
        name="message_resend",
    ),
]

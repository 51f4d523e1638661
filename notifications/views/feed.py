"""The private calendar feed: the page that manages its link, and the feed itself.

The feed URL carries a random token; only its digest is looked up, and it is also
kept encrypted so the page can show the URL again. Resetting makes a new token (the
old URL answers 404 at once); turning it off deletes the row.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.timezone import now
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST, require_safe

from activity.services import activity_record
from lib.http import PersonRequest
from lib.secrets import UndecryptableSecret, decrypt, encrypt, new_token, token_digest
from notifications.ical import person_feed
from notifications.models import CalendarFeed
from people.models import Person

# Tokens are 43 characters (32 random bytes); anything much longer is not one of ours.
MAX_TOKEN = 100
# `last_used_at` is written at most this often, so polling calendars cost no write each.
USE_RESOLUTION = timedelta(minutes=1)
# Calendar apps poll; a short private cache spares the database without hiding changes long.
FEED_CACHE = "private, max-age=300"


def _record(person: Person, verb: str) -> None:
    if person.organization_id is not None:
        activity_record(
            actor=person, verb=verb, object_type="calendar_feed", object_uuid=person.uuid
        )


@transaction.atomic
def feed_issue(person: Person) -> str:
    """Give a person a new feed token (replacing any old one); return the token."""
    token, digest = new_token()
    CalendarFeed.objects.update_or_create(
        person=person,
        defaults={
            "token_digest": digest,
            "token_encrypted": encrypt(token),
            "created_at": now(),
            "last_used_at": None,
        },
    )
    return token


@transaction.atomic
def feed_revoke(person: Person) -> bool:
    """Turn a person's feed off; True when there was one."""
    deleted, _ = CalendarFeed.objects.filter(person=person).delete()
    return bool(deleted)


def _feed_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("feed:ics", args=[token]))


def _caldav_url() -> str:
    try:
        return reverse("notifications:caldav")
    except NoReverseMatch:
        return ""


@login_required
@require_GET
@never_cache
def calendar(request: PersonRequest) -> HttpResponse:
    """The person's subscription link, with how to add it to common calendar apps."""
    row = CalendarFeed.objects.filter(person=request.user).first()
    url = ""
    broken = False
    if row is not None:
        try:
            url = _feed_url(request, decrypt(row.token_encrypted))
        except UndecryptableSecret:
            broken = True  # the encryption key changed: only a reset can show a link again
    context = {
        "feed": row,
        "feed_url": url,
        "webcal_url": "webcal://" + url.split("://", 1)[1] if url else "",
        "broken": broken,
        "caldav_url": _caldav_url(),
    }
    response = render(request, "notifications/calendar.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def calendar_create(request: PersonRequest) -> HttpResponse:
    if CalendarFeed.objects.filter(person=request.user).exists():
        messages.info(request, "You already have a calendar link; it is shown below.")
    else:
        with transaction.atomic():
            feed_issue(request.user)
            _record(request.user, "calendar_feed.create")
        messages.success(request, "Your calendar link is ready. Add it to your calendar app.")
    return HttpResponseRedirect(reverse("notifications:calendar"))


@login_required
@require_POST
def calendar_reset(request: PersonRequest) -> HttpResponse:
    with transaction.atomic():
        feed_issue(request.user)
        _record(request.user, "calendar_feed.reset")
    messages.success(
        request,
        "Your calendar link was replaced; the old one no longer works. "
        "Give your calendar app the new one.",
    )
    return HttpResponseRedirect(reverse("notifications:calendar"))


@login_required
@require_POST
def calendar_off(request: PersonRequest) -> HttpResponse:
    with transaction.atomic():
        if feed_revoke(request.user):
            _record(request.user, "calendar_feed.delete")
    messages.success(request, "Your calendar link is turned off; it no longer works.")
    return HttpResponseRedirect(reverse("notifications:calendar"))


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself: no session, the token is the credential; unknown or revoked → 404."""
    if not token or len(token) > MAX_TOKEN:
        raise Http404
    row = (
        CalendarFeed.objects.select_related("person")
        .filter(token_digest=token_digest(token), person__is_active=True)
        .first()
    )
    if row is None:
        raise Http404
    moment = now()
    if row.last_used_at is None or row.last_used_at < moment - USE_RESOLUTION:
        CalendarFeed.objects.filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=moment - USE_RESOLUTION), pk=row.pk
        ).update(last_used_at=moment)
    body = person_feed(row.person).to_ical()
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = FEED_CACHE
    response["Content-Disposition"] = 'inline; filename="rapport-1on1s.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


urlpatterns: list[URLPattern] = [
    path("account/calendar/", calendar, name="calendar"),
    path("account/calendar/create/", calendar_create, name="calendar_create"),
    path("account/calendar/reset/", calendar_reset, name="calendar_reset"),
    path("account/calendar/off/", calendar_off, name="calendar_off"),
]

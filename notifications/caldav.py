"""Pushing a person's 1:1s to their own CalDAV calendar (optional, per person).

A person connects one calendar collection (its URL, a user name and a password,
stored encrypted). Rapport checks at once that the address really is a CalDAV
calendar, then keeps it up to date: every change to a series (started, re-planned,
an occurrence moved or cancelled, ended) queues a CALENDAR_PUSH delivery for each
participant with a connected calendar. A push is full-state: the worker builds each
Schedule segment's calendar object (notifications/ical.py) from the current rows and
PUTs it as `{collection}/{uid}.ics`, so a duplicate or a late push does no harm, and
an older push that finds a newer one waiting leaves the work to it.

An ended series is pushed truncated rather than deleted: the meetings that happened
stay in the person's calendar as the record they are, the future ones disappear
(the segments carry their `until`). A segment that has no occurrence at all (re-planned
before its first meeting, or resumed and ended at once) is deleted from the calendar.

Disconnecting may remove the events Rapport put there: the account is switched off and
a removal delivery DELETEs them with the stored credentials, then forgets the account.
"""

import re
import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedElementTree
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.utils.timezone import now

from activity.services import activity_record
from lib.outgoing import OutgoingRefused, check_outgoing_url, public_session, resolve_public
from lib.secrets import UndecryptableSecret, decrypt, encrypt
from meetings import signals
from meetings.access import relationships_of
from meetings.models import Meeting, Relationship
from notifications.models import CalDavAccount, Delivery
from notifications.outbox import DeliveryError, Skip, delivery_create, sender
from people.models import Person

TIMEOUT = 10
# A PROPFIND answer larger than this is not a calendar's resource type.
MAX_PROBE_BYTES = 256 * 1024
CALDAV_CALENDAR = "{urn:ietf:params:xml:ns:caldav}calendar"
PROPFIND_RESOURCETYPE = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/></D:prop></D:propfind>'
)
ICS_TYPE = "text/calendar; charset=utf-8"


# -- Connecting ---------------------------------------------------------------------


def _collection_url(url: str) -> str:
    """The address as a collection: its path ends with a slash (resources go below it)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    if parts.query or parts.fragment:
        raise ValidationError("The calendar address may not contain a ? or a #.")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit(parts._replace(path=path))


def _probe_error(response: requests.Response) -> str | None:
    """Why the PROPFIND answer shows no CalDAV calendar; None when it does."""
    code = response.status_code
    if code == 401:
        return "The calendar server did not accept this user name and password."
    if code == 403:
        return "The calendar server does not let this account use that calendar."
    if code == 404:
        return "There is nothing at this address. Copy the calendar's CalDAV address again."
    if 300 <= code < 400:
        return (
            "The server sends this address elsewhere. Enter the calendar's own CalDAV "
            "address (your calendar app or provider shows it)."
        )
    if code != 207:
        return f"The server answered {code}: this does not look like a CalDAV calendar."
    body = response.raw.read(MAX_PROBE_BYTES + 1, decode_content=True)
    if len(body) > MAX_PROBE_BYTES:
        return "The server's answer is too large for a CalDAV calendar."
    try:
        # Capped above; defusedxml refuses entity expansion and external references.
        tree = DefusedElementTree.fromstring(body)
    except (DefusedElementTree.ParseError, DefusedXmlException):
        return "The server's answer is not WebDAV: this is not a CalDAV calendar address."
    for resourcetype in tree.iter("{DAV:}resourcetype"):
        if resourcetype.find(CALDAV_CALENDAR) is not None:
            return None
    return (
        "This address is a folder, not a calendar. Enter the address of one calendar "
        "(it usually ends with the calendar's name)."
    )


def caldav_check(*, url: str, username: str, password: str) -> None:
    """Raise ValidationError unless `url` is a CalDAV calendar these credentials may use."""
    check_outgoing_url(url, what="The calendar address")
    # The session checks the address it really connects to (a name may resolve
    # elsewhere by now), and stays open while the streamed answer is read.
    with public_session() as session:
        try:
            response = session.request(
                "PROPFIND",
                url,
                data=PROPFIND_RESOURCETYPE.encode(),
                headers={"Depth": "0", "Content-Type": "application/xml; charset=utf-8"},
                auth=(username, password),
                timeout=TIMEOUT,
                allow_redirects=False,
                stream=True,
            )
        except OutgoingRefused as exc:
            raise ValidationError(str(exc)) from exc
        except requests.Timeout as exc:
            raise ValidationError("The calendar server did not answer in time.") from exc
        except requests.RequestException as exc:
            raise ValidationError(
                "Rapport could not reach the calendar server at this address."
            ) from exc
        try:
            problem = _probe_error(response)
        finally:
            response.close()
    if problem:
        raise ValidationError(problem)


def caldav_connect(*, person: Person, url: str, username: str, password: str) -> CalDavAccount:
    """Check the calendar, save the connection (password encrypted) and push every 1:1."""
    username = username.strip()
    if not username or not password:
        raise ValidationError("Enter the user name and the password of the calendar account.")
    url = _collection_url(url)
    caldav_check(url=url, username=username, password=password)
    with transaction.atomic():
        account, _ = CalDavAccount.objects.update_or_create(
            person=person,
            defaults={
                "url": url,
                "username": username,
                "password_encrypted": encrypt(password),
                "is_active": True,
                "last_error": "",
                "last_push_at": None,
            },
        )
        _record(person, "caldav.connect")
        caldav_push_all(person=person)
    return account


def caldav_disconnect(*, person: Person, remove_events: bool = False) -> None:
    """Stop pushing; with `remove_events`, the worker first deletes what it put there."""
    with transaction.atomic():
        account = CalDavAccount.objects.select_for_update().filter(person=person).first()
        if account is None:
            return
        _record(person, "caldav.disconnect")
        if not remove_events:
            account.delete()
            return
        account.is_active = False
        account.save(update_fields=["is_active"])
        delivery_create(
            key=f"caldav:{person.pk}:remove:{uuid.uuid4()}",
            organization_id=person.organization_id,
            channel=Delivery.Channel.CALDAV,
            kind=Delivery.Kind.CALENDAR_PUSH,
            person=person,
            payload={"remove": True},
            summary="Remove the 1:1s from your CalDAV calendar",
        )


def caldav_push_all(*, person: Person) -> int:
    """Queue a push of every series of `person` to their calendar; how many were queued."""
    if not CalDavAccount.objects.filter(person=person, is_active=True).exists():
        return 0
    count = 0
    for relationship in _relationships_of(person):
        if _queue_push(person, relationship):
            count += 1
    return count


def _record(person: Person, verb: str) -> None:
    if person.organization_id is not None:
        activity_record(actor=person, verb=verb, object_type="person", object_uuid=person.uuid)


def _relationships_of(person: Person) -> list[Relationship]:
    return list(relationships_of(person).select_related("lead", "member").order_by("pk"))


def _queue_push(person: Person, relationship: Relationship) -> Delivery | None:
    other = relationship.member if relationship.lead_id == person.pk else relationship.lead
    return delivery_create(
        # Every change is news: a fresh key per event; pushes are full-state.
        key=f"caldav:{person.pk}:{relationship.pk}:{uuid.uuid4()}",
        organization_id=relationship.organization_id,
        channel=Delivery.Channel.CALDAV,
        kind=Delivery.Kind.CALENDAR_PUSH,
        person=person,
        relationship_id=relationship.pk,
        summary=f"Calendar push: 1:1 with {other.name}",
    )


# -- Receivers: the meetings services call these inside their transaction ------------


def _on_change(relationship: Relationship) -> None:
    participants = (relationship.lead_id, relationship.member_id)
    accounts = CalDavAccount.objects.filter(
        person_id__in=participants, is_active=True, person__is_active=True
    ).select_related("person")
    for account in accounts:
        _queue_push(account.person, relationship)


@receiver(signals.relationship_started)
def _started(sender: object, relationship: Relationship, **kwargs: Any) -> None:
    _on_change(relationship)


@receiver(signals.schedule_changed)
def _schedule_changed(sender: object, relationship: Relationship, **kwargs: Any) -> None:
    _on_change(relationship)


@receiver(signals.relationship_ended)
def _ended(sender: object, relationship: Relationship, **kwargs: Any) -> None:
    _on_change(relationship)


@receiver(signals.occurrence_changed)
def _occurrence_changed(sender: object, relationship: Relationship, **kwargs: Any) -> None:
    _on_change(relationship)


# -- Sending --------------------------------------------------------------------------


def resource_name(uid: str) -> str:
    """The file name of a segment's object in the collection, safe in a URL path."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", uid) + ".ics"


class _Calendar:
    """One CalDAV collection with its credentials, for the length of one delivery."""

    def __init__(self, account: CalDavAccount):
        self.account = account
        try:
            password = decrypt(account.password_encrypted)
        except UndecryptableSecret as exc:
            raise DeliveryError(
                "The stored calendar password cannot be read; connect the calendar again.",
                permanent=True,
            ) from exc
        self.auth = (account.username, password)

    def call(self, method: str, name: str, body: bytes | None = None) -> int:
        headers = {"Content-Type": ICS_TYPE} if body is not None else {}
        try:
            # Checks the address really connected to, like webhooks (DNS rebinding).
            with public_session() as session:
                response = session.request(
                    method,
                    self.account.url + name,
                    data=body,
                    headers=headers,
                    auth=self.auth,
                    timeout=TIMEOUT,
                    allow_redirects=False,
                )
        except requests.Timeout as exc:
            raise DeliveryError("The calendar server did not answer in time.") from exc
        except requests.RequestException as exc:
            raise DeliveryError("Rapport could not reach the calendar server.") from exc
        code = response.status_code
        response.close()
        if 200 <= code < 300 or (method == "DELETE" and code in (404, 410)):
            return code
        raise _http_error(code)


def _http_error(code: int) -> DeliveryError:
    if code == 401:
        return DeliveryError(
            "The calendar server no longer accepts the saved user name and password.",
            status=code,
            permanent=True,
        )
    if code == 403:
        return DeliveryError(
            "The calendar server refused to store the 1:1s in this calendar.",
            status=code,
            permanent=True,
        )
    if code in (404, 410):
        return DeliveryError(
            "The calendar no longer exists at the saved address.", status=code, permanent=True
        )
    if 300 <= code < 400:
        return DeliveryError(
            "The calendar server sends the saved address elsewhere; connect the calendar again.",
            status=code,
            permanent=True,
        )
    if code in (408, 429) or code >= 500:
        return DeliveryError(
            f"The calendar server answered {code}; trying again later.", status=code
        )
    return DeliveryError(
        f"The calendar server refused the 1:1 with status {code}.", status=code, permanent=True
    )


def _newer_push_waiting(delivery: Delivery) -> bool:
    assert delivery.person_id is not None
    assert delivery.relationship_id is not None
    waiting = [
        Delivery.Status.PLANNED,
        Delivery.Status.PENDING,
        Delivery.Status.SENDING,
        Delivery.Status.FAILED,
    ]
    return Delivery.objects.filter(
        channel=Delivery.Channel.CALDAV,
        person_id=delivery.person_id,
        relationship_id=delivery.relationship_id,
        status__in=waiting,
        pk__gt=delivery.pk,
    ).exists()


def push_relationship(calendar: _Calendar, relationship: Relationship) -> int:
    """PUT each segment's calendar object (DELETE the empty ones); the last status code."""
    from notifications.ical import (
        has_occurrences,
        interesting_meetings,
        segment_calendar,
        segment_uid,
    )

    schedules = list(relationship.schedules.order_by("starts_at", "pk"))
    meetings = list(Meeting.objects.filter(interesting_meetings(), relationship=relationship))
    code = 204
    for schedule in schedules:
        name = resource_name(segment_uid(relationship, schedule))
        if not has_occurrences(schedule):
            code = calendar.call("DELETE", name)
            continue
        ics = segment_calendar(relationship, schedule, meetings=meetings).to_ical()
        code = calendar.call("PUT", name, ics)
    return code


def _remove_all(calendar: _Calendar, person: Person) -> int:
    from notifications.ical import segment_uid

    code = 204
    for relationship in _relationships_of(person):
        for schedule in relationship.schedules.all():
            code = calendar.call("DELETE", resource_name(segment_uid(relationship, schedule)))
    return code


def _send(delivery: Delivery, account: CalDavAccount, remove: bool) -> int:

    assert delivery.person is not None
    resolve_public(account.url)
    calendar = _Calendar(account)
    if remove:
        return _remove_all(calendar, delivery.person)
    if delivery.relationship_id is None:
        raise DeliveryError("This push names no 1:1.", permanent=True)
    relationship = Relationship.objects.select_related("lead", "member").get(
        pk=delivery.relationship_id
    )
    return push_relationship(calendar, relationship)


@sender(Delivery.Channel.CALDAV)
def send_caldav(delivery: Delivery) -> int | None:
    """Push one series to the person's calendar (or remove everything after a disconnect)."""
    person = delivery.person
    if person is None or not person.is_active:
        raise Skip("The person has left.")
    remove = bool(delivery.payload.get("remove"))
    account = CalDavAccount.objects.filter(person=person).first()
    if account is None:
        raise Skip("No CalDAV calendar is connected any more.")
    if remove and account.is_active:
        raise Skip("The calendar was connected again; nothing to remove.")
    if not remove and not account.is_active:
        raise Skip("The calendar is being disconnected.")
    if not remove and _newer_push_waiting(delivery):
        raise Skip("A newer push of this 1:1 follows.")
    try:
        code = _send(delivery, account, remove)
    except DeliveryError as exc:
        CalDavAccount.objects.filter(pk=account.pk).update(last_error=str(exc)[:500])
        raise
    if remove:
        account.delete()
    else:
        CalDavAccount.objects.filter(pk=account.pk).update(last_push_at=now(), last_error="")
    return code


def pending_pushes(person: Person) -> int:
    """How many pushes to this person's calendar are waiting or retrying."""
    return Delivery.objects.filter(
        channel=Delivery.Channel.CALDAV,
        person=person,
        status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING, Delivery.Status.FAILED],
        created_at__gte=now() - timedelta(days=7),
    ).count()

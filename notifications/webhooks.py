"""Outgoing webhooks: a person's or an organization's reminders and recaps, sent to a URL.

A webhook is saved with an address checked by lib.outgoing (https, public network
only); every call goes through the outbox (`fan_out` makes the deliveries in the
caller's transaction, the worker sends them) and checks the address again. What a
call says is built when it is sent and is content-free: who, when, counts and links,
never a talking point, a note or a check-in answer.

Two formats: a Slack-compatible message ({"text", "blocks"}), or JSON signed with
HMAC-SHA256 over "<timestamp>.<body>" with a secret Rapport generates and shows once.
"""

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import requests
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.timezone import now

from activity.services import activity_record
from lib.outgoing import check_outgoing_url, public_session, resolve_public
from lib.secrets import UndecryptableSecret, decrypt, encrypt
from meetings.models import ActionItem, Discussion, Meeting, Relationship, TalkingPoint
from meetings.occurrences import key_slug, occurrence_exists, segments
from meetings.schedule import segment_for
from notifications.emails import absolute
from notifications.models import Delivery, Webhook
from notifications.outbox import (
    DeliveryError,
    Skip,
    delivery_create,
    delivery_relationship,
    delivery_resend,
    sender,
)
from people.models import Organization, Person

MAX_PERSON_WEBHOOKS = 10
MAX_ORG_WEBHOOKS = 20
MAX_NAME = 100
TIMEOUT_SECONDS = 5
SECRET_PREFIX = "whsec_"  # noqa: S105 - a marker, not a secret
# How much of the secret the pages show after it was first shown in full.
SECRET_HINT = len(SECRET_PREFIX) + 4
USER_AGENT = "Rapport-Webhooks"
EVENT_TYPES: dict[str, str] = {
    Delivery.Kind.REMINDER: "meeting.reminder",
    Delivery.Kind.RECAP: "meeting.recap",
    Delivery.Kind.TEST: "webhook.test",
}


# Writes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class WebhookInput:
    """What the webhook form gives a service."""

    name: str
    url: str
    format: str
    send_reminders: bool
    send_recaps: bool
    is_active: bool = True


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def secret_hint(webhook: Webhook) -> str:
    """The first characters of the signing secret, so its owner can tell which one it is."""
    if not webhook.secret_encrypted:
        return ""
    try:
        return decrypt(webhook.secret_encrypted)[:SECRET_HINT] + "…"
    except UndecryptableSecret:
        return "(unreadable: regenerate it)"


def _clean(data: WebhookInput, *, url_changed: bool = True) -> WebhookInput:
    """The input, stripped and checked; ValidationError by field, and nothing saved."""
    errors: dict[str, list[str]] = {}
    name = " ".join(data.name.split())
    if not name:
        errors["name"] = ["Give the webhook a name, for example “Team channel”."]
    elif len(name) > MAX_NAME:
        errors["name"] = [f"The name is too long (at most {MAX_NAME} characters)."]
    url = data.url.strip()
    if not url:
        errors["url"] = ["Enter the address Rapport should send to."]
    elif url_changed:
        try:
            check_outgoing_url(url, what="The webhook URL")
        except ValidationError as exc:
            errors["url"] = list(exc.messages)
    if data.format not in Webhook.Format.values:
        errors["format"] = ["Choose a format: Slack-compatible or signed JSON."]
    if errors:
        raise ValidationError(errors)
    return WebhookInput(
        name=name,
        url=url,
        format=data.format,
        send_reminders=data.send_reminders,
        send_recaps=data.send_recaps,
        is_active=data.is_active,
    )


def _record(actor: Person, verb: str, webhook: Webhook) -> None:
    activity_record(
        actor=actor,
        verb=verb,
        object_type="webhook",
        object_uuid=webhook.uuid,
        organization_id=webhook.organization_id,
    )


@transaction.atomic
def webhook_create(
    *, actor: Person, organization: Organization, person: Person | None, data: WebhookInput
) -> tuple[Webhook, str]:
    """Add a webhook of `person` (None: the organization's); return it and its new secret.

    The secret is "" for the Slack format, which is not signed.
    """
    if person is not None and person.pk != actor.pk:
        raise ValidationError("A person adds webhooks only for themselves.")
    if person is None and not (actor.is_org_admin and actor.organization_id == organization.pk):
        raise ValidationError("Only an admin of the organization adds its webhooks.")
    clean = _clean(data)
    # Lock the owner's row so that two concurrent adds cannot pass the limit together.
    Person.objects.select_for_update().filter(pk=actor.pk).first()
    existing = Webhook.objects.filter(organization=organization, person=person).count()
    limit = MAX_PERSON_WEBHOOKS if person is not None else MAX_ORG_WEBHOOKS
    if existing >= limit:
        raise ValidationError(f"There can be at most {limit} webhooks; delete one first.")
    secret = new_secret() if clean.format == Webhook.Format.JSON else ""
    webhook = Webhook.objects.create(
        organization=organization,
        person=person,
        name=clean.name,
        url=clean.url,
        format=clean.format,
        secret_encrypted=encrypt(secret) if secret else "",
        send_reminders=clean.send_reminders,
        send_recaps=clean.send_recaps,
        is_active=clean.is_active,
        created_by=actor,
    )
    _record(actor, "webhook.create", webhook)
    return webhook, secret


@transaction.atomic
def webhook_update(*, actor: Person, webhook: Webhook, data: WebhookInput) -> tuple[Webhook, str]:
    """Change a webhook; return it and a new secret when it just became signed JSON, else ""."""
    clean = _clean(data, url_changed=data.url.strip() != webhook.url)
    secret = ""
    if clean.format == Webhook.Format.JSON and not webhook.secret_encrypted:
        secret = new_secret()
        webhook.secret_encrypted = encrypt(secret)
    elif clean.format == Webhook.Format.SLACK:
        webhook.secret_encrypted = ""
    webhook.name = clean.name
    webhook.url = clean.url
    webhook.format = clean.format
    webhook.send_reminders = clean.send_reminders
    webhook.send_recaps = clean.send_recaps
    webhook.is_active = clean.is_active
    webhook.save()
    _record(actor, "webhook.update", webhook)
    return webhook, secret


@transaction.atomic
def webhook_secret_regenerate(*, actor: Person, webhook: Webhook) -> str:
    """Replace the signing secret (the old one stops verifying at once); return the new one."""
    if webhook.format != Webhook.Format.JSON:
        raise ValidationError("Only a signed JSON webhook has a secret.")
    secret = new_secret()
    webhook.secret_encrypted = encrypt(secret)
    webhook.save(update_fields=["secret_encrypted"])
    _record(actor, "webhook.secret", webhook)
    return secret


@transaction.atomic
def webhook_delete(*, actor: Person, webhook: Webhook) -> None:
    """Delete a webhook and its delivery log; nothing more is sent to it."""
    _record(actor, "webhook.delete", webhook)
    webhook.delete()


@transaction.atomic
def webhook_test(*, actor: Person, webhook: Webhook) -> Delivery:
    """Queue a test message to the webhook (sent by the worker, like every call)."""
    stamp = now().strftime("%Y%m%dT%H%M%S.%f")
    delivery = delivery_create(
        key=f"hook:{webhook.pk}:test:{stamp}:{secrets.token_hex(4)}",
        organization_id=webhook.organization_id,
        channel=Delivery.Channel.WEBHOOK,
        kind=Delivery.Kind.TEST,
        person=webhook.person,
        webhook_id=webhook.pk,
        payload={"requested_by": actor.name},
        summary=f"Test message to “{webhook.name}”",
    )
    assert delivery is not None
    return delivery


@transaction.atomic
def webhook_delivery_resend(*, actor: Person, delivery: Delivery) -> Delivery:
    """Send a webhook delivery again: a new delivery (new id) with the same event."""
    if delivery.channel != Delivery.Channel.WEBHOOK or delivery.webhook_id is None:
        raise ValidationError("Only a webhook delivery can be sent again here.")
    return delivery_resend(delivery)


# Fan-out -----------------------------------------------------------------------------


def _event_slug(meeting: Meeting | None, occurrence_key: datetime | None) -> str:
    if occurrence_key is not None:
        return key_slug(occurrence_key)
    if meeting is not None:
        return key_slug(meeting.occurrence_start)
    raise ValueError("An event needs a meeting or an occurrence key.")


def _wanted(kind: str) -> Q:
    return Q(send_reminders=True) if kind == Delivery.Kind.REMINDER else Q(send_recaps=True)


def fan_out(
    *,
    kind: str,
    person: Person,
    relationship: Relationship,
    meeting: Meeting | None = None,
    occurrence_key: datetime | None = None,
    due_at: datetime | None = None,
) -> int:
    """Create webhook deliveries for an event that `person` is being told about by email.

    `kind` is Delivery.Kind.REMINDER or RECAP. The person's own active webhooks that
    want this kind, and their organization's, each get one delivery (organization
    webhooks once per event, whichever participant triggers it). Returns how many were
    created. Called again for a known event, it moves a planned delivery to the new
    `due_at` and plans again a recap skipped after a reopen (an organization's webhook
    follows the lead's times). Call it inside the transaction of the change; it never
    calls the network.
    """
    if kind not in (Delivery.Kind.REMINDER, Delivery.Kind.RECAP):
        return 0
    event = _event_slug(meeting, occurrence_key)
    if occurrence_key is None and meeting is not None:
        occurrence_key = meeting.occurrence_start
    hooks = Webhook.objects.filter(
        _wanted(kind),
        Q(person=person) | Q(person__isnull=True),
        organization_id=relationship.organization_id,
        is_active=True,
    )
    label = EVENT_LABELS.get(kind, kind)
    created = 0
    for webhook in hooks:
        if webhook.person_id is None:
            key = f"hook:{webhook.pk}:{kind}:{relationship.pk}:{event}"
        else:
            key = f"hook:{webhook.pk}:{kind}:{person.pk}:{relationship.pk}:{event}"
        delivery = delivery_create(
            key=key,
            organization_id=relationship.organization_id,
            channel=Delivery.Channel.WEBHOOK,
            kind=kind,
            person=person if webhook.person_id is not None else None,
            webhook_id=webhook.pk,
            relationship_id=relationship.pk,
            meeting_id=meeting.pk if meeting is not None else None,
            occurrence_key=occurrence_key,
            summary=f"{label} of the 1:1 of {_pair(relationship)}",
            due_at=due_at,
        )
        if delivery is not None:
            created += 1
        elif webhook.person_id is not None or person.pk == relationship.lead_id:
            # The event is known already: follow a new time (a moved meeting, a recap
            # after a reopen). An organization's webhook follows the lead's times.
            _replan(key, kind, due_at)
    return created


def hooked(
    kind: str, person_ids: Iterable[int], organization_ids: Iterable[int]
) -> tuple[set[int], set[int]]:
    """Who has an active webhook for `kind`: (person ids, organization ids). One query."""
    found_people: set[int] = set()
    found_orgs: set[int] = set()
    rows = Webhook.objects.filter(
        _wanted(kind),
        Q(person_id__in=set(person_ids)) | Q(person__isnull=True),
        organization_id__in=set(organization_ids),
        is_active=True,
    ).values_list("person_id", "organization_id")
    for row in rows:
        person_id: int | None = row[0]
        if person_id is None:
            found_orgs.add(row[1])
        else:
            found_people.add(person_id)
    return found_people, found_orgs


def _replan(key: str, kind: str, due_at: datetime | None) -> None:
    """Move a planned delivery to its new time; a recap skipped after a reopen comes back."""
    if due_at is None and kind == Delivery.Kind.REMINDER:
        return
    statuses = [Delivery.Status.PLANNED]
    if kind == Delivery.Kind.RECAP:
        statuses.append(Delivery.Status.SKIPPED)
    Delivery.objects.filter(key=key, status__in=statuses).update(
        status=Delivery.Status.PLANNED, due_at=due_at or now(), last_error=""
    )


EVENT_LABELS: dict[str, str] = {Delivery.Kind.REMINDER: "Reminder", Delivery.Kind.RECAP: "Recap"}


def _pair(relationship: Relationship) -> str:
    return f"{relationship.lead.name} and {relationship.member.name}"


# Sending -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    """What one call says, in both formats."""

    type: str
    text: str  # plain sentence (Slack mrkdwn is escaped separately)
    link: str
    link_text: str
    data: dict[str, Any]


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _readable(moment: datetime, zone: str) -> str:
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M} ({zone})"


def _series_zone(relationship: Relationship, key: datetime) -> str:
    schedules = list(relationship.schedules.all())
    segment = segment_for(segments(schedules), key)
    if segment is not None:
        return segment.timezone
    return schedules[-1].timezone if schedules else "UTC"


def _relationship_data(relationship: Relationship) -> dict[str, Any]:
    return {
        "id": str(relationship.uuid),
        "kind": relationship.kind,
        "participants": [
            {"name": relationship.lead.name, "role": "lead"},
            {"name": relationship.member.name, "role": "member"},
        ],
        "url": absolute(reverse("meetings:relationship", args=[relationship.uuid])),
    }


def _counts(relationship: Relationship) -> dict[str, int]:
    # Shared points only: a private point's existence is nobody else's business.
    return {
        "open_talking_points": TalkingPoint.objects.filter(
            relationship=relationship, is_private=False
        )
        .open()
        .count(),
        "open_action_items": ActionItem.objects.filter(relationship=relationship).open().count(),
    }


def _reader_zone(webhook: Webhook, series_zone: str) -> str:
    """A person's webhook speaks in their zone; an organization's in the series' zone."""
    return webhook.person.timezone if webhook.person is not None else series_zone


def _who(webhook: Webhook, relationship: Relationship) -> str:
    if webhook.person is not None and webhook.person.pk in (
        relationship.lead_id,
        relationship.member_id,
    ):
        return f"your 1:1 with {relationship.other_participant(webhook.person).name}"
    return f"the 1:1 of {_pair(relationship)}"


def _check_people(webhook: Webhook, relationship: Relationship) -> None:
    if not (relationship.lead.is_active and relationship.member.is_active):
        raise Skip("A participant has left.")
    if webhook.person is not None and not webhook.person.is_active:
        raise Skip("The webhook's owner has left.")


def _reminder(delivery: Delivery, webhook: Webhook) -> Message:
    relationship = delivery_relationship(delivery, ended_ok=False)
    _check_people(webhook, relationship)
    key = delivery.occurrence_key
    if key is None:
        raise Skip("The reminder names no meeting.")
    meeting = Meeting.objects.filter(relationship=relationship, occurrence_start=key).first()
    if meeting is not None:
        if meeting.status != Meeting.Status.SCHEDULED:
            raise Skip(f"The meeting is {meeting.get_status_display().lower()}.")
        start, minutes = meeting.start, meeting.duration_minutes
    else:
        segment = occurrence_exists(list(relationship.schedules.all()), key)
        if segment is None or relationship.status != Relationship.Status.ACTIVE:
            raise Skip("The meeting is no longer on the schedule.")
        start, minutes = key, segment.duration_minutes
    if start <= now() and not delivery.payload.get("again"):
        raise Skip("The meeting has already started.")
    zone = _series_zone(relationship, key)
    local = start.astimezone(ZoneInfo(zone))
    end = (start + timedelta(minutes=minutes)).astimezone(ZoneInfo(zone))
    counts = _counts(relationship)
    meeting_url = absolute(reverse("meetings:meeting", args=[relationship.uuid, key_slug(key)]))
    points = counts["open_talking_points"]
    actions = counts["open_action_items"]
    text = (
        f"Reminder: {_who(webhook, relationship)} is on "
        f"{_readable(start, _reader_zone(webhook, zone))}. "
        f"{points} open talking point{'s' if points != 1 else ''}, "
        f"{actions} open action item{'s' if actions != 1 else ''}."
    )
    data = {
        "relationship": _relationship_data(relationship),
        "meeting": {
            "occurrence": key_slug(key),
            "starts_at": local.isoformat(),
            "ends_at": end.isoformat(),
            "timezone": zone,
            "url": meeting_url,
        },
        **counts,
    }
    return Message(EVENT_TYPES[Delivery.Kind.REMINDER], text, meeting_url, "Open the agenda", data)


def _recap(delivery: Delivery, webhook: Webhook) -> Message:
    relationship = delivery_relationship(delivery, ended_ok=False)
    _check_people(webhook, relationship)
    meeting = (
        Meeting.objects.filter(pk=delivery.meeting_id, relationship=relationship).first()
        if delivery.meeting_id
        else None
    )
    if meeting is None or meeting.status != Meeting.Status.HELD:
        raise Skip("The meeting is not held (any more).")
    zone = _series_zone(relationship, meeting.occurrence_start)
    discussed = Discussion.objects.filter(meeting=meeting, point__is_private=False).count()
    new_actions = ActionItem.objects.filter(meeting=meeting).count()
    counts = _counts(relationship)
    meeting_url = absolute(
        reverse("meetings:meeting", args=[relationship.uuid, key_slug(meeting.occurrence_start)])
    )
    text = (
        f"Recap: {_who(webhook, relationship)} on "
        f"{_readable(meeting.start, _reader_zone(webhook, zone))} is closed. "
        f"{discussed} talking point{'s' if discussed != 1 else ''} discussed, "
        f"{new_actions} new action item{'s' if new_actions != 1 else ''}, "
        f"{counts['open_action_items']} open in all."
    )
    data = {
        "relationship": _relationship_data(relationship),
        "meeting": {
            "occurrence": key_slug(meeting.occurrence_start),
            "started_at": meeting.start.astimezone(ZoneInfo(zone)).isoformat(),
            "closed_at": meeting.closed_at.astimezone(ZoneInfo(zone)).isoformat()
            if meeting.closed_at
            else None,
            "timezone": zone,
            "url": meeting_url,
        },
        "talking_points_discussed": discussed,
        "new_action_items": new_actions,
        **counts,
    }
    return Message(EVENT_TYPES[Delivery.Kind.RECAP], text, meeting_url, "Open the recap", data)


def _test(delivery: Delivery, webhook: Webhook) -> Message:
    link = absolute(reverse("meetings:home"))
    text = f"Test message from Rapport: the webhook “{webhook.name}” works."
    data = {"webhook": {"id": str(webhook.uuid), "name": webhook.name}}
    return Message(EVENT_TYPES[Delivery.Kind.TEST], text, link, "Open Rapport", data)


BUILDERS: dict[str, Callable[[Delivery, Webhook], Message]] = {
    Delivery.Kind.REMINDER: _reminder,
    Delivery.Kind.RECAP: _recap,
    Delivery.Kind.TEST: _test,
}


def slack_body(message: Message) -> dict[str, Any]:
    text = _slack_escape(message.text)
    return {
        "text": text,
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": text}},
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": f"<{message.link}|{message.link_text}>"},
            },
        ],
    }


def json_body(delivery: Delivery, message: Message) -> dict[str, Any]:
    return {
        "id": str(delivery.uuid),
        "type": message.type,
        "created": delivery.created_at.isoformat(),
        "data": {**message.data, "text": message.text},
    }


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The X-Rapport-Signature value: HMAC-SHA256 of "<timestamp>.<body>" with the secret."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def request_for(delivery: Delivery, webhook: Webhook) -> tuple[bytes, dict[str, str]]:
    """The body and headers of the call for a delivery, built now (Skip if not needed)."""
    builder = BUILDERS.get(delivery.kind)
    if builder is None:
        raise DeliveryError(f"A webhook cannot send a {delivery.kind} message.", permanent=True)
    message = builder(delivery, webhook)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Rapport-Event": message.type,
        "X-Rapport-Delivery": str(delivery.uuid),
    }
    if webhook.format == Webhook.Format.JSON:
        body = json.dumps(json_body(delivery, message), separators=(",", ":")).encode()
        try:
            secret = decrypt(webhook.secret_encrypted)
        except UndecryptableSecret as exc:
            raise DeliveryError(
                "The signing secret cannot be read; regenerate it.", permanent=True
            ) from exc
        timestamp = str(int(time.time()))
        headers["X-Rapport-Timestamp"] = timestamp
        headers["X-Rapport-Signature"] = signature(secret, timestamp, body)
    else:
        body = json.dumps(slack_body(message), separators=(",", ":")).encode()
    return body, headers


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST once, to a public address only, without redirects; return the status code.

    Errors never quote the URL or the exception text, which may contain it: a Slack
    webhook URL is itself a secret.
    """
    with public_session() as session:
        try:
            # stream: the answer's body is never read, however large a receiver makes it.
            response = session.post(
                url,
                data=body,
                headers=headers,
                timeout=TIMEOUT_SECONDS,
                allow_redirects=False,
                stream=True,
            )
        except requests.Timeout as exc:
            raise DeliveryError(
                f"The receiver did not answer within {TIMEOUT_SECONDS} seconds."
            ) from exc
        except requests.exceptions.SSLError as exc:
            raise DeliveryError("The receiver's TLS certificate could not be verified.") from exc
        except requests.ConnectionError as exc:
            raise DeliveryError("Could not connect to the receiver.") from exc
        except requests.RequestException as exc:
            raise DeliveryError(f"The call failed ({type(exc).__name__}).") from exc
        response.close()
    return response.status_code


@sender(Delivery.Channel.WEBHOOK)
def send_webhook(delivery: Delivery) -> int | None:
    """Send one webhook delivery: 2xx is success; 408, 429, 5xx and network errors retry."""
    webhook = (
        Webhook.objects.select_related("person").filter(pk=delivery.webhook_id).first()
        if delivery.webhook_id
        else None
    )
    if webhook is None:
        raise Skip("The webhook was deleted.")
    if not webhook.is_active:
        raise Skip("The webhook is turned off.")
    body, headers = request_for(delivery, webhook)
    resolve_public(webhook.url)
    status = _post(webhook.url, body, headers)
    if 200 <= status < 300:
        return status
    if 300 <= status < 400:
        raise DeliveryError(
            f"The receiver answered {status}, a redirect; Rapport does not follow redirects.",
            status=status,
            permanent=True,
        )
    if status in (408, 429) or status >= 500:
        raise DeliveryError(f"The receiver answered {status}; Rapport will retry.", status=status)
    raise DeliveryError(f"The receiver answered {status}.", status=status, permanent=True)

"""The outbox: create deliveries in the caller's transaction, send each exactly once.

`delivery_create` is called inside the service transaction that causes the message,
and enqueues the `deliver` task in that same transaction (the task queue lives in
the same database), so a notification is never lost between a commit and a crash.

`attempt` claims a row with one conditional UPDATE before sending it: a retried task
or a second worker finds nothing to claim and returns. A failure is recorded on the
row and retried with exponential backoff until `max_attempts`; the delivery log shows
every state. The one window left is a worker that dies after the SMTP server or the
webhook receiver accepted a message and before the row is marked sent: the claim
expires and the message goes again, with the same Message-ID / delivery id header so
the receiver can recognise it.
"""

import logging
import smtplib
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils.timezone import now

from meetings.models import Relationship
from notifications.models import Delivery
from people.models import Person

logger = logging.getLogger(__name__)

# A claimed delivery is someone's for this long; after that another worker may retry it.
CLAIM = timedelta(minutes=5)
BACKOFF_BASE = timedelta(minutes=1)
# A queued delivery still not sent after this long has lost its task: queue it again.
STALE = timedelta(hours=1)
BACKOFF_MAX = timedelta(hours=6)


class Skip(Exception):
    """The message is no longer wanted (the meeting was cancelled, a preference is off)."""


def delivery_relationship(delivery: Delivery, *, ended_ok: bool = True) -> Relationship:
    """The 1:1 a delivery is about, with both participants loaded.

    Raises Skip when it no longer exists, or (unless `ended_ok`) when it has ended.
    """
    relationship = (
        Relationship.objects.select_related("lead", "member")
        .filter(pk=delivery.relationship_id)
        .first()
        if delivery.relationship_id is not None
        else None
    )
    if relationship is None:
        raise Skip("The 1:1 no longer exists.")
    if not ended_ok and relationship.status == Relationship.Status.ENDED:
        raise Skip("The 1:1 has ended.")
    return relationship


class DeliveryError(Exception):
    """A failure whose message is safe to show in the delivery log (no secrets, no content)."""

    def __init__(self, message: str, *, status: int | None = None, permanent: bool = False):
        super().__init__(message)
        self.status = status
        self.permanent = permanent


# kind → function that renders the email for a delivery (raise Skip when not needed).
EmailRenderer = Callable[[Delivery], EmailMessage]
EMAIL_RENDERERS: dict[str, EmailRenderer] = {}
# channel → function that sends a delivery; returns the receiver's status code, if any.
Sender = Callable[[Delivery], int | None]
SENDERS: dict[str, Sender] = {}


def email_renderer(kind: str) -> Callable[[EmailRenderer], EmailRenderer]:
    def register(function: EmailRenderer) -> EmailRenderer:
        EMAIL_RENDERERS[kind] = function
        return function

    return register


def sender(channel: str) -> Callable[[Sender], Sender]:
    def register(function: Sender) -> Sender:
        SENDERS[channel] = function
        return function

    return register


def backoff(attempts: int) -> timedelta:
    """Wait before attempt `attempts + 1`: 1, 4, 16, 64 minutes… at most 6 hours."""
    wait: timedelta = BACKOFF_BASE * 4 ** max(attempts - 1, 0)
    return min(wait, BACKOFF_MAX)


def delivery_create(
    *,
    key: str,
    organization_id: int | None,
    channel: str,
    kind: str,
    person: Person | None = None,
    webhook_id: int | None = None,
    relationship_id: int | None = None,
    meeting_id: int | None = None,
    occurrence_key: datetime | None = None,
    payload: dict[str, Any] | None = None,
    summary: str = "",
    due_at: datetime | None = None,
) -> Delivery | None:
    """Create a delivery unless its key exists; None when it did (nothing is sent twice).

    Due now: enqueued at once, in the caller's transaction. Due later: PLANNED, and the
    periodic tick hands it to the worker when it is due.
    """
    moment = now()
    due = due_at or moment
    with transaction.atomic():
        delivery, created = Delivery.objects.get_or_create(
            key=key,
            defaults={
                "organization_id": organization_id,
                "channel": channel,
                "kind": kind,
                "person": person,
                "webhook_id": webhook_id,
                "relationship_id": relationship_id,
                "meeting_id": meeting_id,
                "occurrence_key": occurrence_key,
                "payload": payload or {},
                "summary": summary[:200],
                "due_at": due,
                "status": Delivery.Status.PENDING if due <= moment else Delivery.Status.PLANNED,
            },
        )
        if not created:
            return None
        if delivery.status == Delivery.Status.PENDING:
            enqueue(delivery.pk)
    return delivery


def enqueue(delivery_id: int, run_after: datetime | None = None) -> None:
    from notifications.tasks import deliver

    task = deliver.using(run_after=run_after) if run_after else deliver
    task.enqueue(delivery_id)


def _claim(delivery_id: int, moment: datetime) -> bool:
    claimable = Q(status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED]) | Q(
        status=Delivery.Status.SENDING, claimed_until__lt=moment
    )
    return bool(
        Delivery.objects.filter(claimable, pk=delivery_id, due_at__lte=moment).update(
            status=Delivery.Status.SENDING,
            claimed_until=moment + CLAIM,
            attempts=F("attempts") + 1,
        )
    )


def _safe_error(exc: BaseException) -> str:
    if isinstance(exc, DeliveryError):
        return str(exc)
    if isinstance(exc, smtplib.SMTPException | OSError):
        return f"{type(exc).__name__}: {exc}"[:500]
    return f"Unexpected error ({type(exc).__name__})."


def attempt(delivery_id: int) -> str:
    """Send one delivery if it can be claimed; return what happened (the task's result)."""
    moment = now()
    if not _claim(delivery_id, moment):
        return "not claimable"
    delivery = Delivery.objects.select_related("person", "organization").get(pk=delivery_id)
    try:
        status = SENDERS[delivery.channel](delivery)
    except Skip as skip:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.SKIPPED, last_error=str(skip)[:500], claimed_until=None
        )
        return f"skipped: {skip}"
    except Exception as exc:
        logger.warning("Delivery %s failed: %s", delivery.uuid, _safe_error(exc))
        permanent = isinstance(exc, DeliveryError) and exc.permanent
        code = exc.status if isinstance(exc, DeliveryError) else None
        if permanent or delivery.attempts >= delivery.max_attempts:
            Delivery.objects.filter(pk=delivery.pk).update(
                status=Delivery.Status.GAVE_UP,
                last_error=_safe_error(exc),
                response_status=code,
                claimed_until=None,
            )
            return "gave up"
        retry_at = now() + backoff(delivery.attempts)
        with transaction.atomic():
            Delivery.objects.filter(pk=delivery.pk).update(
                status=Delivery.Status.FAILED,
                last_error=_safe_error(exc),
                response_status=code,
                due_at=retry_at,
                claimed_until=None,
            )
            enqueue(delivery.pk, run_after=retry_at)
        return f"failed, retry at {retry_at.isoformat()}"
    updates: dict[str, Any] = {
        "status": Delivery.Status.SENT,
        "sent_at": now(),
        "last_error": "",
        "response_status": status,
        "claimed_until": None,
    }
    if delivery.kind == Delivery.Kind.MESSAGE:
        updates["payload"] = {}  # an account email may hold a sign-in link: keep no copy
    Delivery.objects.filter(pk=delivery.pk).update(**updates)
    return "sent"


def message_id(delivery: Delivery) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "rapport.invalid"
    return f"<{delivery.uuid}@{domain}>"


@sender(Delivery.Channel.EMAIL)
def send_email(delivery: Delivery) -> int | None:
    person = delivery.person
    if delivery.kind != Delivery.Kind.MESSAGE and (person is None or not person.is_active):
        raise Skip("The recipient has left.")
    renderer = EMAIL_RENDERERS.get(delivery.kind)
    if renderer is None:
        raise DeliveryError(f"Nothing can render a {delivery.kind} email.", permanent=True)
    message = renderer(delivery)
    message.extra_headers.setdefault("Message-ID", message_id(delivery))
    message.send()
    return None


def dispatch_due(moment: datetime | None = None) -> int:
    """Hand planned deliveries that are due to the worker; also re-enqueue lost retries.

    Run by the periodic tick. The conditional update makes each row move once, even
    when two ticks overlap.
    """
    moment = moment or now()
    handed = 0
    due = list(
        Delivery.objects.filter(status=Delivery.Status.PLANNED, due_at__lte=moment)
        .order_by("due_at")
        .values_list("pk", flat=True)[:500]
    )
    for pk in due:
        with transaction.atomic():
            if Delivery.objects.filter(pk=pk, status=Delivery.Status.PLANNED).update(
                status=Delivery.Status.PENDING
            ):
                enqueue(pk)
                handed += 1
    # A delivery whose task was lost (a worker killed mid-task, a task table pruned by
    # hand): queue it again, once an hour at most. A second task for a row is harmless.
    stale = (
        Q(status=Delivery.Status.FAILED, due_at__lte=moment - CLAIM)
        | Q(status=Delivery.Status.PENDING, due_at__lte=moment - STALE)
        | Q(status=Delivery.Status.SENDING, claimed_until__lt=moment)
    )
    for pk, status in Delivery.objects.filter(stale).values_list("pk", "status")[:500]:
        with transaction.atomic():
            if status != Delivery.Status.SENDING:
                # Keeps the row out of this query for a while (claiming ignores due_at
                # of a row that is due anyway).
                Delivery.objects.filter(pk=pk).update(due_at=moment)
            enqueue(pk)
    return handed


def delivery_resend(delivery: Delivery) -> Delivery:
    """Send a delivery again on request (the log's "Send again"): a new row, same content.

    Its payload says `again`, so a renderer does not skip it for being late.
    """
    count = Delivery.objects.filter(key__startswith=f"{delivery.key}:again:").count()
    copy = delivery_create(
        key=f"{delivery.key}:again:{count + 1}",
        organization_id=delivery.organization_id,
        channel=delivery.channel,
        kind=delivery.kind,
        person=delivery.person,
        webhook_id=delivery.webhook_id,
        relationship_id=delivery.relationship_id,
        meeting_id=delivery.meeting_id,
        occurrence_key=delivery.occurrence_key,
        payload={**delivery.payload, "again": True},
        summary=delivery.summary,
    )
    assert copy is not None
    return copy

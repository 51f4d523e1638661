"""Building emails: multipart text and HTML from a pair of templates, absolute links.

Every email Rapport sends is `text/plain` with a `text/html` alternative (and, for
calendar messages, a `text/calendar` part). Templates live in
`notifications/templates/notifications/email/<name>.txt|.html`; the HTML ones extend
`notifications/email/base.html`.
"""

import uuid
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string

from notifications.models import Delivery
from notifications.outbox import delivery_create, email_renderer


def absolute(path: str) -> str:
    """An absolute URL for a path of this site (emails and webhooks have no request)."""
    return settings.RAPPORT_BASE_URL + path


def build_email(
    *,
    to: list[str],
    subject: str,
    template: str,
    context: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> EmailMultiAlternatives:
    """Render `<template>.txt` and `<template>.html` into one multipart email."""
    context = {"base_url": settings.RAPPORT_BASE_URL, "subject": subject, **context}
    text = render_to_string(f"notifications/email/{template}.txt", context)
    html = render_to_string(f"notifications/email/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, None, to, headers=headers or {})
    message.attach_alternative(html, "text/html")
    return message


def message_queue(
    *,
    to: list[str],
    subject: str,
    text: str,
    html: str = "",
    organization_id: int | None,
    person_id: int | None = None,
    key: str | None = None,
    summary: str = "",
) -> Delivery | None:
    """Send an already-rendered email (account and invitation emails) through the worker.

    Call inside the transaction that makes it true; the worker sends it once and then
    drops the stored copy (it may hold a sign-in link).
    """
    from people.models import Person

    person = Person.objects.filter(pk=person_id).first() if person_id else None
    return delivery_create(
        key=key or f"message:{uuid.uuid4()}",
        organization_id=organization_id,
        channel=Delivery.Channel.EMAIL,
        kind=Delivery.Kind.MESSAGE,
        person=person,
        payload={"to": to, "subject": subject, "text": text, "html": html},
        summary=summary or subject,
    )


@email_renderer(Delivery.Kind.MESSAGE)
def render_message(delivery: Delivery) -> EmailMessage:
    payload = delivery.payload
    if not payload.get("to"):
        raise_gone()
    message = EmailMultiAlternatives(payload["subject"], payload["text"], None, payload["to"])
    if payload.get("html"):
        message.attach_alternative(payload["html"], "text/html")
    return message


def raise_gone() -> None:
    from notifications.outbox import DeliveryError

    raise DeliveryError("This message was already sent; its copy is not kept.", permanent=True)

"""Notifications: what Rapport sends, to whom, and whether it arrived.

Every message (an email, a webhook call, a CalDAV push) is a `Delivery` row made in
the same transaction as the change that causes it (an outbox), with a unique
idempotency `key`. The worker claims a row before sending it and marks it sent after,
so a retried task or a second worker never sends it twice. What a message says is
rendered when it is sent, from the current state, through the access rules.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.timezone import now

WEEKDAYS = (
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
)


class Preferences(models.Model):
    """What a person wants to receive. A person without a row has the defaults."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    email_invitations = models.BooleanField(
        default=True, help_text="Calendar invitations and updates by email."
    )
    email_reminders = models.BooleanField(default=True)
    reminder_hours = models.PositiveSmallIntegerField(
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
        help_text="How long before a 1:1 the reminder comes (1 to 168 hours).",
    )
    email_recaps = models.BooleanField(default=True)
    weekly_digest = models.BooleanField(default=True)
    digest_weekday = models.PositiveSmallIntegerField(default=0, choices=WEEKDAYS)
    digest_hour = models.PositiveSmallIntegerField(
        default=8, validators=[MaxValueValidator(23)], help_text="Local hour, 0 to 23."
    )
    email_nudges = models.BooleanField(
        default=True, help_text="A note when one of your 1:1s has not happened for a while."
    )
    updated_at = models.DateTimeField(default=now)

    class Meta:
        verbose_name_plural = "preferences"

    def __str__(self) -> str:
        return f"Preferences of person {self.person_id}"


class Delivery(models.Model):
    """One message to send once: an email, a webhook call or a CalDAV push."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        WEBHOOK = "webhook", "Webhook"
        CALDAV = "caldav", "CalDAV"

    class Kind(models.TextChoices):
        INVITATION = "invitation", "Calendar invitation"
        OCCURRENCE_UPDATE = "occurrence_update", "Meeting moved"
        OCCURRENCE_CANCEL = "occurrence_cancel", "Meeting cancelled"
        SERIES_CANCEL = "series_cancel", "1:1 series ended"
        REMINDER = "reminder", "Reminder"
        RECAP = "recap", "Recap"
        DIGEST = "digest", "Weekly digest"
        NUDGE = "nudge", "Nudge"
        CALENDAR_PUSH = "calendar_push", "Calendar push"
        MESSAGE = "message", "Account email"
        TEST = "test", "Test message"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"  # waits for due_at; the tick hands it to the worker
        PENDING = "pending", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed, will retry"
        GAVE_UP = "gave_up", "Failed"
        SKIPPED = "skipped", "Not needed"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.CharField(max_length=200, unique=True, help_text="Idempotency key.")
    # None only for an account email to an address that belongs to nobody (a password
    # reset asked for an unknown address).
    organization = models.ForeignKey(
        "people.Organization", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The person the message is for (email, CalDAV, a person's webhook); None for an
    # organization webhook.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    webhook = models.ForeignKey(
        "notifications.Webhook",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    relationship = models.ForeignKey(
        "meetings.Relationship", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The occurrence a reminder, update or cancellation is about (its original start).
    occurrence_key = models.DateTimeField(null=True, blank=True)
    # What the renderer needs beyond the references above; never private content.
    # MESSAGE deliveries carry their rendered email here until it is sent.
    payload = models.JSONField(default=dict, blank=True)
    # A short description for the delivery log ("Reminder: 1:1 with Sam on 3 Dec").
    summary = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    due_at = models.DateTimeField(default=now)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=8)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "deliveries"
        indexes = [
            models.Index(fields=["status", "due_at"], name="delivery_status_due_idx"),
            models.Index(fields=["person", "-created_at"], name="delivery_person_idx"),
            models.Index(fields=["webhook", "-created_at"], name="delivery_webhook_idx"),
            models.Index(fields=["relationship", "kind", "status"], name="delivery_rel_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"


class Webhook(models.Model):
    """An outgoing webhook of a person (their own reminders and recaps) or of an organization."""

    class Format(models.TextChoices):
        SLACK = "slack", "Slack-compatible message"
        JSON = "json", "JSON, signed with HMAC-SHA256"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "people.Organization", on_delete=models.CASCADE, related_name="+"
    )
    # None: the organization's webhook, managed by its admins.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=100)
    url = models.URLField(max_length=500)
    format = models.CharField(max_length=8, choices=Format.choices, default=Format.SLACK)
    # The signing secret, encrypted (lib.secrets); only for the JSON format.
    secret_encrypted = models.TextField(blank=True)
    send_reminders = models.BooleanField(default=True)
    send_recaps = models.BooleanField(default=True)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["organization", "person"], name="webhook_owner_idx")]

    def __str__(self) -> str:
        return self.name


class CalendarFeed(models.Model):
    """A person's private calendar subscription URL; revoking deletes the row (404 at once)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_digest = models.CharField(max_length=64, unique=True)
    # Kept encrypted so the person can copy the URL again later.
    token_encrypted = models.TextField()
    created_at = models.DateTimeField(default=now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar feed of person {self.person_id}"


class CalDavAccount(models.Model):
    """Where a person's 1:1s are pushed: one CalDAV calendar collection."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="caldav_account"
    )
    url = models.URLField(max_length=500, help_text="The calendar collection's URL.")
    username = models.CharField(max_length=200)
    password_encrypted = models.TextField()
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=now)
    last_push_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"CalDAV calendar of person {self.person_id}"


class Beat(models.Model):
    """A periodic job's next run. Claimed by a conditional update, so one worker runs it."""

    name = models.CharField(max_length=50, primary_key=True)
    next_run_at = models.DateTimeField(default=now)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_outcome = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.name

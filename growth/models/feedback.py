"""Feedback between the two participants of a 1:1, both ways, and public praise."""

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.timezone import now

FEEDBACK_TEXT = 5000
# Long enough for any question of the question bank (playbook Question.text).
FEEDBACK_PROMPT = 1000
# Deleted feedback can be restored by its giver for this long, then it is purged.
FEEDBACK_UNDO_DAYS = 30


class FeedbackQuerySet(models.QuerySet["Feedback"]):
    def alive(self) -> "FeedbackQuerySet":
        """Not deleted (deleted feedback is seen by its giver only, to undo it)."""
        return self.filter(deleted_at__isnull=True)

    def public(self) -> "FeedbackQuerySet":
        """Praise the recipient agreed to show on the recognition page, and has not hidden."""
        return self.alive().filter(
            kind=Feedback.Kind.PRAISE,
            public_consented_at__isnull=False,
            public_hidden_at__isnull=True,
        )


class Feedback(models.Model):
    """Seen by its giver and its receiver, the two participants; public only with consent."""

    class Kind(models.TextChoices):
        PRAISE = "praise", "Praise"
        CONSTRUCTIVE = "constructive", "Constructive"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "people.Organization", on_delete=models.CASCADE, related_name="+"
    )
    relationship = models.ForeignKey(
        "meetings.Relationship", on_delete=models.CASCADE, related_name="feedback"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
    )
    giver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # From the report to their manager (the lead of a manager 1:1).
    is_upward = models.BooleanField(default=False)
    text = models.TextField(validators=[MaxLengthValidator(FEEDBACK_TEXT)])
    # Optional situation–behaviour–impact structure.
    situation = models.TextField(blank=True, validators=[MaxLengthValidator(FEEDBACK_TEXT)])
    behaviour = models.TextField(blank=True, validators=[MaxLengthValidator(FEEDBACK_TEXT)])
    impact = models.TextField(blank=True, validators=[MaxLengthValidator(FEEDBACK_TEXT)])
    # The question of the bank the giver answered (upward feedback), as it read then.
    prompt = models.CharField(max_length=FEEDBACK_PROMPT, blank=True)
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Public praise: the giver offers it, the receiver consents, and may hide it again.
    public_requested_at = models.DateTimeField(null=True, blank=True)
    public_consented_at = models.DateTimeField(null=True, blank=True)
    public_hidden_at = models.DateTimeField(null=True, blank=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(giver=models.F("receiver")), name="feedback_two_people"
            ),
            models.CheckConstraint(
                condition=Q(kind="praise") | Q(public_consented_at__isnull=True),
                name="feedback_only_praise_is_public",
            ),
        ]
        indexes = [
            models.Index(fields=["receiver", "-created_at"], name="feedback_receiver_idx"),
            models.Index(fields=["relationship", "-created_at"], name="feedback_rel_idx"),
            models.Index(
                fields=["organization", "-public_consented_at"], name="feedback_public_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"Feedback {self.uuid}"

"""A short update before a meeting: mood, workload, wins, blockers, priorities."""

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.timezone import now

CHECKIN_TEXT = 2000
# Mood is a number people pick; the word next to it keeps it readable (and not colour-coded).
MOOD_WORDS = {1: "Very low", 2: "Low", 3: "Okay", 4: "Good", 5: "Great"}


class CheckIn(models.Model):
    """One participant's check-in for one meeting; both participants see it."""

    class Workload(models.TextChoices):
        TOO_LITTLE = "too_little", "Too little"
        RIGHT = "right", "About right"
        TOO_MUCH = "too_much", "Too much"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "people.Organization", on_delete=models.CASCADE, related_name="+"
    )
    relationship = models.ForeignKey(
        "meetings.Relationship", on_delete=models.CASCADE, related_name="checkins"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="checkins"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    mood = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    workload = models.CharField(max_length=10, choices=Workload.choices)
    wins = models.TextField(blank=True, validators=[MaxLengthValidator(CHECKIN_TEXT)])
    # One blocker per line; each becomes a talking point (theme "blockers") once.
    blockers = models.TextField(blank=True, validators=[MaxLengthValidator(CHECKIN_TEXT)])
    priorities = models.TextField(blank=True, validators=[MaxLengthValidator(CHECKIN_TEXT)])
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "author"], name="checkin_one_per_author"),
            models.CheckConstraint(
                condition=Q(mood__gte=1) & Q(mood__lte=5), name="checkin_mood_1_to_5"
            ),
        ]
        indexes = [models.Index(fields=["relationship", "created_at"], name="checkin_rel_time_idx")]

    def __str__(self) -> str:
        return f"Check-in {self.uuid}"

    @property
    def mood_word(self) -> str:
        return MOOD_WORDS.get(self.mood, "")

"""Goals a person keeps, proposed and discussed in a 1:1, with progress updates."""

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.timezone import now

GOAL_TEXT = 2000
GOAL_TITLE = 200
REVIEW_PERIOD = 64
# A deleted goal can be restored this many days; after that it is purged.
GOAL_UNDO_DAYS = 30


class GoalQuerySet(models.QuerySet["Goal"]):
    def alive(self) -> "GoalQuerySet":
        """Not deleted (a deleted goal is seen by its owner only, to undo it)."""
        return self.filter(deleted_at__isnull=True)


class Goal(models.Model):
    """Seen by its owner and by the other participant of the 1:1 it belongs to; nobody else."""

    class Kind(models.TextChoices):
        PERSONAL = "personal", "Personal"
        CAREER = "career", "Career"
        PERFORMANCE = "performance", "Performance"

    class State(models.TextChoices):
        # A goal proposed by someone other than its owner waits for the owner to accept.
        PROPOSED = "proposed", "Proposed"
        ACTIVE = "active", "Active"
        DECLINED = "declined", "Declined"

    class Status(models.TextChoices):
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        OFF_TRACK = "off_track", "Off track"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "people.Organization", on_delete=models.CASCADE, related_name="+"
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The 1:1 where it is discussed; its other participant sees the goal. Null: owner only.
    relationship = models.ForeignKey(
        "meetings.Relationship",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="goals",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.PERSONAL)
    # Performance goals belong to a review period, for example "2027 H1".
    review_period = models.CharField(max_length=REVIEW_PERIOD, blank=True)
    title = models.CharField(max_length=GOAL_TITLE)
    why = models.TextField(blank=True, validators=[MaxLengthValidator(GOAL_TEXT)])
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ON_TRACK)
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["target_date", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="performance") | ~Q(review_period=""),
                name="goal_performance_has_period",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "state"], name="goal_owner_idx"),
            models.Index(fields=["relationship", "state"], name="goal_rel_idx"),
        ]

    def __str__(self) -> str:
        return f"Goal {self.uuid}"


class GoalUpdate(models.Model):
    """A progress note on a goal; written during a meeting it links to that meeting."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(validators=[MaxLengthValidator(GOAL_TEXT)])
    status = models.CharField(max_length=10, choices=Goal.Status.choices)
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Goal update {self.uuid}"

"""The 1:1 domain: relationships (series), their schedules, meetings and what belongs to them.

Open talking points and action items belong to the relationship until they are
resolved; a meeting records what was discussed, decided or carried over in it.
That makes "nothing open is ever lost" structural: no copy step can fail.
"""

import uuid
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.timezone import now

from lib.timezones import validate_timezone

if TYPE_CHECKING:
    from people.models import Person

MAX_TEXT = settings.RAPPORT_MAX_TEXT


class Theme(models.TextChoices):
    WELLBEING = "wellbeing", "Wellbeing"
    CAREER = "career", "Career & growth"
    FEEDBACK = "feedback", "Feedback, either way"
    BLOCKERS = "blockers", "Blockers & challenges"
    PRIORITIES = "priorities", "Priorities & clarity"
    RECOGNITION = "recognition", "Recognition"
    GOALS = "goals", "Goals"
    OTHER = "other", "Other"


class Relationship(models.Model):
    """A recurring 1:1 between two people."""

    class Kind(models.TextChoices):
        MANAGER = "manager", "Manager and report"
        SKIP_LEVEL = "skip_level", "Skip-level"
        MENTOR = "mentor", "Mentor and mentee"
        PEER = "peer", "Peers"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        ENDED = "ended", "Ended"

    class EndReason(models.TextChoices):
        ENDED = "ended", "Ended by a participant"
        MANAGER_CHANGE = "manager_change", "The reporting line changed"
        LEFT = "left", "A participant left the organization"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "people.Organization", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.MANAGER)
    # The lead is the manager, skip-level manager or mentor; for peers, who started it.
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    # Bumped by every write that both participants can see; the live view polls it.
    # Private writes never bump it, so its changes reveal nothing private.
    shared_version = models.PositiveBigIntegerField(default=0)
    # Bumped by a participant's private writes, seen by nobody else: together with
    # shared_version they key that participant's cached pages (meetings/pagecache.py).
    lead_private_version = models.PositiveBigIntegerField(default=0)
    member_private_version = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=now)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(
        max_length=16, choices=EndReason.choices, blank=True, help_text="Why it ended."
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(lead=models.F("member")), name="rel_two_people"),
        ]
        indexes = [
            models.Index(fields=["lead", "status"], name="rel_lead_idx"),
            models.Index(fields=["member", "status"], name="rel_member_idx"),
        ]

    def __str__(self) -> str:
        return f"1:1 {self.uuid}"

    def private_version_field(self, person: "Person") -> str:
        """The counter bumped by `person`'s private writes (they are lead or member)."""
        return "lead_private_version" if person.pk == self.lead_id else "member_private_version"

    def private_version_of(self, person: "Person") -> int:
        return int(getattr(self, self.private_version_field(person)))

    def other_participant(self, person: "Person") -> "Person":
        """The participant who is not `person` (lead and member loaded with select_related)."""
        return self.member if person.pk == self.lead_id else self.lead


class Schedule(models.Model):
    """One segment of a series' cadence: an RRULE from a first occurrence until a cut-off.

    Changing the cadence from a date on ends the current segment and starts a new
    one, so history is never rewritten. Pausing ends a segment; resuming starts one.
    """

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="schedules"
    )
    rrule = models.CharField(max_length=200)
    # The first occurrence as wall-clock date and time in `timezone` (DTSTART;TZID=…).
    first_date = models.DateField()
    local_time = models.TimeField()
    timezone = models.CharField(max_length=64, validators=[validate_timezone])
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    starts_at = models.DateTimeField(help_text="First occurrence, in UTC.")
    until = models.DateTimeField(
        null=True, blank=True, help_text="Occurrences at or after this instant belong elsewhere."
    )
    # iCalendar SEQUENCE of this segment's series (its UID): raised on every change.
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return self.rrule


class Meeting(models.Model):
    """One touched occurrence of a series, keyed by its original start (RECURRENCE-ID)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"
        SKIPPED = "skipped", "Skipped"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "people.Organization", on_delete=models.CASCADE, related_name="+"
    )
    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="meetings"
    )
    occurrence_start = models.DateTimeField(help_text="The occurrence's original start (UTC).")
    start = models.DateTimeField(help_text="When it takes place (UTC); differs when rescheduled.")
    duration_minutes = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    reason = models.CharField(max_length=500, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who last moved it: status_changed_by is overwritten when the meeting is later closed,
    # and insights attribute reschedules to a side.
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT * 5)])
    notes_version = models.PositiveIntegerField(default=0)
    notes_updated_at = models.DateTimeField(null=True, blank=True)
    notes_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # iCalendar SEQUENCE of this occurrence (RECURRENCE-ID): raised when moved or cancelled.
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "occurrence_start"], name="meeting_one_per_occurrence"
            ),
        ]
        indexes = [
            models.Index(fields=["relationship", "start"], name="meeting_rel_start_idx"),
            # Organization-wide counts (the admin overview: meetings held lately).
            models.Index(fields=["organization", "status", "start"], name="meeting_org_status_idx"),
            # The insights rollups count an organization's occurrences by key and month.
            models.Index(fields=["organization", "occurrence_start"], name="meeting_org_key_idx"),
        ]

    def __str__(self) -> str:
        return f"Meeting {self.uuid}"

    @property
    def is_rescheduled(self) -> bool:
        return self.start != self.occurrence_start

    @property
    def is_closed(self) -> bool:
        return self.status != self.Status.SCHEDULED


class TalkingPointQuerySet(models.QuerySet["TalkingPoint"]):
    def visible_to(self, person_id: int) -> "TalkingPointQuerySet":
        """Shared points and the person's own private ones; nothing else, ever."""
        return self.filter(Q(is_private=False) | Q(author_id=person_id))

    def open(self) -> "TalkingPointQuerySet":
        return self.filter(status=TalkingPoint.Status.OPEN)


class TalkingPoint(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DISCUSSED = "discussed", "Discussed"

    class Source(models.TextChoices):
        PERSON = "person", "Written"
        TEMPLATE = "template", "Template"
        QUESTION = "question", "Question bank"
        CHECKIN = "checkin", "Check-in"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "people.Organization", on_delete=models.CASCADE, related_name="+"
    )
    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="talking_points"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(validators=[MaxLengthValidator(MAX_TEXT)])
    theme = models.CharField(max_length=16, choices=Theme.choices, default=Theme.OTHER)
    is_private = models.BooleanField(default=False)
    is_standing = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # The occurrence (by original start) it was raised for; null means "the next meeting".
    planned_for = models.DateTimeField(null=True, blank=True)
    position = models.BigIntegerField(default=0)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.PERSON)
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    objects: ClassVar[TalkingPointQuerySet] = TalkingPointQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["position", "created_at"]
        indexes = [
            models.Index(fields=["relationship", "status", "position"], name="point_rel_open_idx")
        ]

    def __str__(self) -> str:
        return f"Talking point {self.uuid}"


class Discussion(models.Model):
    """A talking point was discussed in a meeting (standing topics, once per meeting)."""

    point = models.ForeignKey(TalkingPoint, on_delete=models.CASCADE, related_name="discussions")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="discussions")
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["point", "meeting"], name="discussion_once_per_meeting")
        ]


class CarryOver(models.Model):
    """A point was on a meeting's agenda, still open when the meeting closed, and moved on."""

    point = models.ForeignKey(TalkingPoint, on_delete=models.CASCADE, related_name="carry_overs")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="carry_overs")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["point", "meeting"], name="carry_over_once_per_meeting")
        ]


class PrivateNote(models.Model):
    """A note on a meeting that only its author ever sees."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="private_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT * 5)])
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "author"], name="private_note_one_per_author"
            )
        ]


class ActionItemQuerySet(models.QuerySet["ActionItem"]):
    def open(self) -> "ActionItemQuerySet":
        return self.filter(done_at__isnull=True)


class ActionItem(models.Model):
    """A commitment by one participant; it stays with the relationship until done."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "people.Organization", on_delete=models.CASCADE, related_name="+"
    )
    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="action_items"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items"
    )
    text = models.TextField(validators=[MaxLengthValidator(2000)])
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    completed_in = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="completed_items"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=now)

    objects: ClassVar[ActionItemQuerySet] = ActionItemQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["due_date", "created_at"]
        indexes = [
            models.Index(fields=["relationship", "done_at"], name="action_rel_open_idx"),
            models.Index(fields=["owner", "done_at"], name="action_owner_open_idx"),
        ]

    def __str__(self) -> str:
        return f"Action item {self.uuid}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class Rating(models.Model):
    """How useful one participant found a meeting (1–5). Only the rater sees it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "rater"], name="rating_one_per_rater"),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="rating_score_1_to_5"
            ),
        ]


class MeetingShare(models.Model):
    """A past meeting a team member chose to show to someone else, usually a new manager.

    Only the meeting's shared notes and shared agenda are shown through a share, never
    private points, private notes or ratings; the team member can withdraw it at any time
    (the row is deleted).
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "people.Organization", on_delete=models.CASCADE, related_name="+"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="shares")
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_with = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "shared_with"], name="meeting_share_once_per_person"
            ),
            models.CheckConstraint(
                condition=~Q(shared_by=models.F("shared_with")), name="meeting_share_two_people"
            ),
        ]
        indexes = [
            models.Index(fields=["shared_with", "created_at"], name="meeting_share_with_idx")
        ]

    def __str__(self) -> str:
        return f"Meeting share {self.uuid}"

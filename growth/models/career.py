"""A person's career profile, with every earlier version kept."""

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.timezone import now

CAREER_TEXT = 2000

# The four texts of a profile, in the order the pages show them, with their labels.
CAREER_FIELDS: tuple[tuple[str, str], ...] = (
    ("strengths", "Strengths to use more"),
    ("skills_to_grow", "Skills to grow"),
    ("next_role", "Next role or direction"),
    ("support_needed", "Support needed"),
)


class CareerProfile(models.Model):
    """Seen by the person and by their manager in their manager 1:1; nobody else."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "people.Organization", on_delete=models.CASCADE, related_name="+"
    )
    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="career_profile"
    )
    strengths = models.TextField(blank=True, validators=[MaxLengthValidator(CAREER_TEXT)])
    skills_to_grow = models.TextField(blank=True, validators=[MaxLengthValidator(CAREER_TEXT)])
    next_role = models.TextField(blank=True, validators=[MaxLengthValidator(CAREER_TEXT)])
    support_needed = models.TextField(blank=True, validators=[MaxLengthValidator(CAREER_TEXT)])
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"Career profile of person {self.person_id}"


class CareerProfileRevision(models.Model):
    """The profile as it was after one change: how aspirations evolved."""

    profile = models.ForeignKey(CareerProfile, on_delete=models.CASCADE, related_name="revisions")
    strengths = models.TextField(blank=True)
    skills_to_grow = models.TextField(blank=True)
    next_role = models.TextField(blank=True)
    support_needed = models.TextField(blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Career profile revision {self.pk}"

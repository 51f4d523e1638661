"""The audit trail: who changed what, when. Never holds 1:1 content."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.timezone import now


class Activity(models.Model):
    organization = models.ForeignKey(
        "people.Organization", on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    verb = models.CharField(max_length=64)
    # The object written, by kind and public id: enough to audit, never its text.
    object_type = models.CharField(max_length=64)
    object_uuid = models.UUIDField(default=uuid.uuid4)
    relationship = models.ForeignKey(
        "meetings.Relationship", on_delete=models.CASCADE, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "activities"
        indexes = [
            models.Index(fields=["organization", "-created_at"], name="activity_org_time_idx")
        ]

    def __str__(self) -> str:
        return f"{self.verb} {self.object_type}"

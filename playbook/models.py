"""Templates and the question bank: managed by org admins, never 1:1 content."""

import uuid

from django.db import models

from meetings.models import Theme


class Template(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "people.Organization", on_delete=models.CASCADE, related_name="templates"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=2000)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="template_unique_name_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.name


class TemplatePrompt(models.Model):
    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="prompts")
    section = models.CharField(max_length=200, blank=True)
    text = models.CharField(max_length=1000)
    theme = models.CharField(max_length=16, choices=Theme.choices, default=Theme.OTHER)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Question(models.Model):
    class Audience(models.TextChoices):
        ANYONE = "anyone", "Either participant"
        TO_MANAGER = "to_manager", "Asked by the report, about the manager"
        TO_REPORT = "to_report", "Asked by the manager"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "people.Organization", on_delete=models.CASCADE, related_name="questions"
    )
    theme = models.CharField(max_length=16, choices=Theme.choices)
    audience = models.CharField(max_length=12, choices=Audience.choices, default=Audience.ANYONE)
    text = models.CharField(max_length=1000)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["theme", "id"]
        indexes = [models.Index(fields=["organization", "theme"], name="question_org_theme_idx")]

    def __str__(self) -> str:
        return self.text

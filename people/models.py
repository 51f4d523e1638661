"""Organizations (tenants), teams and people (the user model)."""

import uuid
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.timezone import now

from lib.timezones import validate_timezone


class Organization(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    # The relationship page highlights a theme not discussed in this many meetings.
    quiet_theme_after = models.PositiveSmallIntegerField(
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text="Highlight a theme on the 1:1 page after this many meetings without it.",
    )
    # Email domains of the organization, lower case, one per line: single sign-on creates
    # accounts only for addresses in them.
    email_domains = models.TextField(
        blank=True, help_text="One domain per line, for example example.com."
    )
    require_mfa = models.BooleanField(
        default=False,
        help_text="Everyone must set up two-factor authentication before using Rapport.",
    )
    # How long the data of a person who left is kept before their private content is
    # erased and their name removed; their partners' shared history stays.
    retention_days = models.PositiveIntegerField(
        default=730,
        validators=[MinValueValidator(30), MaxValueValidator(3650)],
        help_text="Days to keep the data of people who left (30 to 3650).",
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def domains(self) -> list[str]:
        """The organization's email domains, lower case, without duplicates."""
        seen: dict[str, None] = {}
        for line in self.email_domains.replace(",", "\n").splitlines():
            domain = line.strip().lower().lstrip("@")
            if domain:
                seen[domain] = None
        return list(seen)

    def owns_email(self, email: str) -> bool:
        """Whether an address is in one of the organization's email domains."""
        _, _, domain = email.strip().lower().rpartition("@")
        return bool(domain) and domain in self.domains()


class Team(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=200)
    # The identity provider's id for the group this team mirrors (SCIM externalId).
    external_id = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="team_unique_name_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PersonManager(BaseUserManager["Person"]):
    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "Person":
        person = self.model(email=self.normalize_email(email).lower(), **fields)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "Person":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class Person(AbstractBaseUser, PermissionsMixin):
    """A person in an organization; signs in with their email address."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="people", null=True, blank=True
    )
    email = models.EmailField(unique=True)
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True)
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    manager = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    is_org_admin = models.BooleanField(
        default=False, help_text="Manages people, templates and questions; never sees 1:1 content."
    )
    is_active = models.BooleanField(default=True)
    # When the person left (was deactivated); None while they work here.
    deactivated_at = models.DateTimeField(null=True, blank=True)
    # The identity provider's id for this person (SCIM externalId).
    external_id = models.CharField(max_length=200, blank=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=now)

    objects: ClassVar[PersonManager] = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["organization", "name"], name="person_org_name_idx"),
            models.Index(fields=["organization", "external_id"], name="person_org_external_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(manager=models.F("id")), name="person_not_own_manager"
            )
        ]

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def org_id(self) -> int:
        """The organization's id; 0 (matching nothing) for operators who belong to none."""
        return self.organization_id or 0

    @property
    def first_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email

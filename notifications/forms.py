"""Forms of the notification pages: HTML input parsed and checked once."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from lib.timezones import timezone_names, validate_timezone
from lib.widgets import FastSelect
from notifications.models import WEEKDAYS, Preferences


def _timezone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in timezone_names()]


class PreferencesForm(forms.Form):
    """What a person wants Rapport to send them, and the time zone it is shown in."""

    email_invitations = forms.BooleanField(
        required=False,
        label="Calendar invitations and updates",
        help_text="An invitation when a 1:1 starts, and an update when a meeting moves.",
    )
    email_reminders = forms.BooleanField(
        required=False,
        label="Reminders before a 1:1",
        help_text="With the agenda so far, so you can add your talking points.",
    )
    reminder_hours = forms.IntegerField(
        label="Hours before the 1:1",
        min_value=1,
        max_value=168,
        error_messages={
            "required": "Say how many hours before a 1:1 the reminder comes (1 to 168).",
            "invalid": "Give a whole number of hours, from 1 to 168.",
            "min_value": "A reminder comes at least 1 hour before the 1:1.",
            "max_value": "A reminder comes at most 168 hours (7 days) before the 1:1.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    email_recaps = forms.BooleanField(
        required=False,
        label="Recaps after a 1:1",
        help_text="Shared notes and action items, a few minutes after the meeting is closed.",
    )
    weekly_digest = forms.BooleanField(
        required=False,
        label="Weekly digest of my overdue action items",
        help_text="Only when something you committed to is overdue.",
    )
    digest_weekday = forms.TypedChoiceField(
        label="Digest day",
        choices=WEEKDAYS,
        coerce=int,
        error_messages={"invalid_choice": "Choose a day of the week."},
    )
    digest_hour = forms.IntegerField(
        label="Digest hour (your time, 0 to 23)",
        min_value=0,
        max_value=23,
        error_messages={
            "required": "Give the hour of the digest, from 0 to 23.",
            "invalid": "Give the hour as a whole number, from 0 to 23.",
            "min_value": "Give the hour of the digest, from 0 to 23.",
            "max_value": "Give the hour of the digest, from 0 to 23.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    email_nudges = forms.BooleanField(
        required=False,
        label="Nudges when a 1:1 I lead has lapsed",
        help_text="When no meeting was held for twice its cadence.",
    )
    timezone = forms.ChoiceField(
        label="My time zone",
        choices=_timezone_choices,
        widget=FastSelect,
        help_text="Reminders, digests and every page show times in this zone.",
    )

    def __init__(self, *args: Any, preferences: Preferences, timezone: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial = {
                name: getattr(preferences, name) for name in self.fields if name != "timezone"
            }
            self.initial["timezone"] = timezone

    def clean_timezone(self) -> str:
        value = str(self.cleaned_data["timezone"])
        validate_timezone(value)
        return value

    def full_clean(self) -> None:
        # An unknown zone gets the same clear message as the model's validator.
        super().full_clean()
        if self.is_bound and "timezone" in self.errors:
            raw = str(self.data.get("timezone", ""))
            self.errors["timezone"] = self.error_class(
                [f"“{raw}” is not a known time zone." if raw else "Choose your time zone."]
            )

    def preference_values(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "timezone"}


def reject(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError back on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)

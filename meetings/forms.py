"""HTML input for the 1:1 pages: every field validated, with messages people understand."""

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from lib.timezones import timezone_names, validate_timezone, zone
from lib.widgets import FastSelect
from meetings.models import Relationship, Theme
from meetings.schedule import (
    CADENCE_LABELS,
    NTH_CHOICES,
    WEEKDAY_NAMES,
    Cadence,
    CadenceError,
    CadenceKind,
    is_nonexistent,
)
from meetings.services.actions import ACTION_LIMIT
from people.models import Person
from playbook.models import Template

DURATION_CHOICES = [(15, "15 minutes"), (25, "25 minutes"), (30, "30 minutes"),
                    (45, "45 minutes"), (50, "50 minutes"), (60, "1 hour"), (90, "1½ hours")]  # fmt: skip


class TimezoneField(forms.ChoiceField):
    widget = FastSelect

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=[(n, n.replace("_", " ")) for n in timezone_names()], **kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        validate_timezone(value)


class CadenceFields(forms.Form):
    """The cadence part of starting a 1:1 and of changing its plan."""

    cadence = forms.ChoiceField(choices=[(k.value, label) for k, label in CADENCE_LABELS.items()])
    weekday = forms.TypedChoiceField(
        choices=list(enumerate(WEEKDAY_NAMES)), coerce=int, label="Day"
    )
    nth = forms.TypedChoiceField(
        choices=[(n, label.capitalize()) for n, label in NTH_CHOICES],
        coerce=int,
        required=False,
        label="Which week of the month",
        help_text="Only for monthly 1:1s.",
    )
    local_time = forms.TimeField(label="Time", widget=forms.TimeInput(attrs={"type": "time"}))
    timezone = TimezoneField(label="Time zone")
    duration_minutes = forms.TypedChoiceField(
        choices=DURATION_CHOICES, coerce=int, initial=30, label="Duration"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("cadence")
        if kind == CadenceKind.MONTHLY and not data.get("nth"):
            self.add_error("nth", "Choose which week of the month.")
        return data

    def cadence_value(self) -> Cadence:
        data = self.cleaned_data
        try:
            cadence = Cadence(CadenceKind(data["cadence"]), data["weekday"], data.get("nth") or 1)
            cadence.rrule()
        except (CadenceError, ValueError) as exc:
            raise ValidationError(str(exc)) from exc
        return cadence


class RelationshipStartForm(CadenceFields):
    other = forms.ModelChoiceField(queryset=Person.objects.none(), label="With")
    kind = forms.ChoiceField(choices=Relationship.Kind.choices, label="Kind of 1:1")
    first_date = forms.DateField(
        label="Starting from", widget=forms.DateInput(attrs={"type": "date"})
    )
    template = forms.ModelChoiceField(
        queryset=Template.objects.none(),
        required=False,
        label="Template for the first meeting",
        empty_label="No template",
    )
    field_order = ["other", "kind", "cadence", "weekday", "nth", "first_date", "local_time",
                   "timezone", "duration_minutes", "template"]  # fmt: skip

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["other"].queryset = (  # type: ignore[attr-defined]
            Person.objects.filter(organization_id=person.org_id, is_active=True)
            .exclude(pk=person.pk)
            .order_by("name")
        )
        templates = Template.objects.filter(organization_id=person.org_id, is_active=True)
        self.fields["template"].queryset = templates  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first_date: date | None = data.get("first_date")
        local_time: time | None = data.get("local_time")
        tz_name: str | None = data.get("timezone")
        if first_date and tz_name and first_date < timezone.now().astimezone(zone(tz_name)).date():
            self.add_error("first_date", "Choose today or a later date.")
        if first_date and local_time and tz_name:
            local = datetime.combine(first_date, local_time)
            if is_nonexistent(local, tz_name):
                self.add_error(
                    "local_time",
                    f"{local_time:%H:%M} does not exist on {first_date:%-d %B %Y} in {tz_name} "
                    "(daylight saving). Choose another time.",
                )
        return data


class CadenceChangeForm(CadenceFields):
    from_date = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))


class ResumeForm(forms.Form):
    from_date = forms.DateField(label="Resume from", widget=forms.DateInput(attrs={"type": "date"}))


class RescheduleForm(forms.Form):
    new_date = forms.DateField(label="New date", widget=forms.DateInput(attrs={"type": "date"}))
    new_time = forms.TimeField(label="New time", widget=forms.TimeInput(attrs={"type": "time"}))
    reason = forms.CharField(max_length=500, required=False, label="Reason (optional)")

    def __init__(self, *args: Any, tz_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tz_name = tz_name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, at = data.get("new_date"), data.get("new_time")
        if day and at:
            local = datetime.combine(day, at)
            if is_nonexistent(local, self.tz_name):
                raise ValidationError(
                    f"{at:%H:%M} does not exist on {day:%-d %B %Y} in {self.tz_name} "
                    "(daylight saving). Choose another time."
                )
            start = local.replace(tzinfo=zone(self.tz_name))
            if start <= timezone.now():
                raise ValidationError("Choose a time in the future.")
            data["new_start"] = start
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=500, required=False, label="Reason")
    skip = forms.BooleanField(required=False)


class CloseForm(forms.Form):
    rating = forms.TypedChoiceField(
        choices=[(n, str(n)) for n in range(1, 6)], coerce=int, required=False, empty_value=None
    )


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(choices=[(n, str(n)) for n in range(1, 6)], coerce=int)


class PointForm(forms.Form):
    text = forms.CharField(
        max_length=settings.RAPPORT_MAX_TEXT,
        label="Talking point",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "Keep a talking point under %(limit_value)s characters."},
    )
    theme = forms.ChoiceField(choices=Theme.choices, initial=Theme.OTHER)
    is_private = forms.BooleanField(required=False, label="Private (only you will see it)")
    planned_for = forms.CharField(required=False, label="For")

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError("Write the talking point first.")
        return text


class PointEditForm(PointForm):
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class NotesForm(forms.Form):
    text = forms.CharField(
        required=False, strip=False, max_length=50_000, widget=forms.Textarea(attrs={"rows": 10})
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class ActionItemForm(forms.Form):
    text = forms.CharField(
        max_length=ACTION_LIMIT,
        label="Action item",
        error_messages={"max_length": "Keep an action item under %(limit_value)s characters."},
    )
    owner = forms.TypedChoiceField(coerce=str, label="Owner")
    due_date = forms.DateField(
        required=False, label="Due", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, relationship: Relationship, viewer: Person, **kwargs: Any):
        super().__init__(*args, **kwargs)
        people = [
            viewer,
            relationship.other_participant(viewer),
        ]
        self.people = {str(p.uuid): p for p in people}
        self.fields["owner"].choices = [  # type: ignore[attr-defined]
            (str(p.uuid), "Me" if p == viewer else p.name) for p in people
        ]
        self.fields["owner"].initial = str(viewer.uuid)

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError("Describe the action first.")
        return text

    def owner_person(self) -> Person:
        return self.people[self.cleaned_data["owner"]]


class ActionItemEditForm(ActionItemForm):
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

"""HTML input for goals: every field validated, with messages people understand."""

from datetime import date
from typing import Any

from django import forms

from growth.models import Goal
from growth.models.goals import GOAL_TEXT, GOAL_TITLE, REVIEW_PERIOD
from meetings.models import Relationship
from people.models import Person

TOO_LONG = "Keep this under %(limit_value)d characters (it has %(show_value)d)."


class GoalForm(forms.Form):
    """A goal's own fields: what it is, why it matters, by when (and for which review)."""

    kind = forms.ChoiceField(
        label="Kind",
        choices=Goal.Kind.choices,
        initial=Goal.Kind.PERSONAL,
        error_messages={"required": "Choose personal, career or performance."},
    )
    title = forms.CharField(
        label="Goal",
        max_length=GOAL_TITLE,
        error_messages={"required": "Give the goal a title.", "max_length": TOO_LONG},
    )
    why = forms.CharField(
        label="Why it matters",
        required=False,
        max_length=GOAL_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": TOO_LONG},
    )
    target_date = forms.DateField(
        label="Target date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a date such as 2027-06-30."},
    )
    review_period = forms.CharField(
        label="Review period",
        required=False,
        max_length=REVIEW_PERIOD,
        help_text='Performance goals only, for example "2027 H1".',
        error_messages={"max_length": TOO_LONG},
    )

    def __init__(
        self, *args: Any, today: date, keep_date: date | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.keep_date = keep_date  # a target date already passed may be kept as it is

    def clean_target_date(self) -> date | None:
        value: date | None = self.cleaned_data.get("target_date")
        if value is not None and value < self.today and value != self.keep_date:
            raise forms.ValidationError("The target date cannot be in the past.")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == Goal.Kind.PERFORMANCE and not data.get("review_period", "").strip():
            self.add_error("review_period", 'A performance goal needs a review period ("2027 H1").')
        return data


class OwnGoalForm(GoalForm):
    """A goal of one's own, optionally discussed in one of one's 1:1s."""

    relationship = forms.ChoiceField(label="Discussed in", required=False)

    def __init__(
        self, *args: Any, relationships: list[Relationship], viewer: Person, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.relationships = {str(r.uuid): r for r in relationships}
        choices = [("", "No 1:1 (only you see it)")] + [
            (key, f"1:1 with {r.other_participant(viewer).name}")
            for key, r in self.relationships.items()
        ]
        field = self.fields["relationship"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        field.error_messages["invalid_choice"] = "Choose one of your 1:1s, or none."

    def chosen_relationship(self) -> Relationship | None:
        return self.relationships.get(self.cleaned_data.get("relationship") or "")


class GoalEditForm(OwnGoalForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ProposalEditForm(GoalForm):
    """A proposal's fields; where it is discussed is fixed by the 1:1 it was proposed in."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class GoalUpdateForm(forms.Form):
    """A progress note with the goal's status after it."""

    text = forms.CharField(
        label="What changed",
        max_length=GOAL_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Write what changed.", "max_length": TOO_LONG},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=Goal.Status.choices,
        error_messages={"required": "Choose a status.", "invalid_choice": "Choose a status."},
    )
    meeting = forms.CharField(required=False, widget=forms.HiddenInput)

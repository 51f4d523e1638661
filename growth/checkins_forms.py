"""HTML input for check-ins: every field validated, with messages people understand."""

from django import forms

from growth.models import CheckIn
from growth.models.checkins import CHECKIN_TEXT, MOOD_WORDS

TOO_LONG = "Keep this under %(limit_value)d characters (it has %(show_value)d)."


def _text(label: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=CHECKIN_TEXT,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": TOO_LONG},
    )


class CheckInForm(forms.Form):
    """Mood, workload and three short texts; blockers one per line."""

    mood = forms.TypedChoiceField(
        label="How are you feeling?",
        choices=[(n, f"{n} · {word}") for n, word in MOOD_WORDS.items()],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a mood from 1 to 5.",
            "invalid_choice": "Choose a mood from 1 to 5.",
        },
    )
    workload = forms.ChoiceField(
        label="How is your workload?",
        choices=CheckIn.Workload.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how your workload feels.",
            "invalid_choice": "Choose how your workload feels.",
        },
    )
    wins = _text("Wins since last time", "")
    blockers = _text(
        "Blockers", "One per line: each new line becomes a talking point for this meeting."
    )
    priorities = _text("Top priorities", "")
    version = forms.IntegerField(min_value=0, initial=0, widget=forms.HiddenInput)

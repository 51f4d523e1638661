"""HTML input for the career profile: every field validated, with messages people understand."""

from django import forms

from growth.models.career import CAREER_TEXT

TOO_LONG = "Keep this under %(limit_value)d characters (it has %(show_value)d)."


def _text(label: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=CAREER_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": TOO_LONG},
    )


class CareerProfileForm(forms.Form):
    """The four texts of a career profile and the version the editor started from."""

    strengths = _text(
        "Strengths I want to use more", "What you are good at and would like to do more of."
    )
    skills_to_grow = _text("Skills to grow", "What you want to learn or get better at.")
    next_role = _text(
        "Next role or direction", "The role, specialty or direction that interests you next."
    )
    support_needed = _text(
        "Support I need", "What would help: projects, mentoring, courses, time, visibility."
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

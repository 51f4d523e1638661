"""HTML input for feedback: every field validated, with messages people understand."""

from typing import Any

from django import forms

from growth.models import Feedback
from growth.models.feedback import FEEDBACK_TEXT
from playbook.models import Question

TOO_LONG = "Keep this under %(limit_value)d characters (it has %(show_value)d)."


def _text(label: str, *, required: bool, rows: int) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=FEEDBACK_TEXT,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": TOO_LONG, "required": "Write your feedback."},
    )


class FeedbackForm(forms.Form):
    """Praise or constructive feedback, an optional SBI structure and (upward) a question."""

    kind = forms.ChoiceField(
        label="Kind",
        choices=Feedback.Kind.choices,
        initial=Feedback.Kind.PRAISE,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose praise or constructive feedback."},
    )
    text = _text("Feedback", required=True, rows=3)
    situation = _text("Situation", required=False, rows=2)
    behaviour = _text("Behaviour", required=False, rows=2)
    impact = _text("Impact", required=False, rows=2)
    question = forms.ChoiceField(label="Question", required=False)

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = {str(q.uuid): q for q in questions}
        choices = [("", "No question")] + [(key, q.text) for key, q in self.questions.items()]
        question = self.fields["question"]
        assert isinstance(question, forms.ChoiceField)
        question.choices = choices
        question.error_messages["invalid_choice"] = "Choose one of the questions offered, or none."

    def chosen_question(self) -> Question | None:
        return self.questions.get(self.cleaned_data.get("question") or "")

    @property
    def has_structure(self) -> bool:
        """Whether the SBI disclosure should start open (it holds input or errors)."""
        names = ("situation", "behaviour", "impact")
        return any(self[name].value() or self[name].errors for name in names)

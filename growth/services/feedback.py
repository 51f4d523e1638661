"""Writes for feedback: one named action per change, in one transaction, with its activity record."""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from growth.models import Feedback
from growth.models.feedback import FEEDBACK_TEXT, FEEDBACK_UNDO_DAYS
from meetings.models import Relationship, Theme
from meetings.services.common import (
    bump_shared,
    ensure_participant,
    ensure_writable,
    meeting_materialize,
    now,
    record,
    validate_text,
)
from people.models import Person
from playbook.models import Question

UNDO_WINDOW = timedelta(days=FEEDBACK_UNDO_DAYS)

# The question bank's feedback-to-manager questions, the ones upward feedback may answer
# (with the 1:1's organization): the form offers these, the service accepts only these.
UPWARD_QUESTION = {
    "theme": Theme.FEEDBACK,
    "audience": Question.Audience.TO_MANAGER,
    "is_active": True,
}


def feedback_is_upward(relationship: Relationship, giver: Person) -> bool:
    """Feedback from the report of a manager 1:1 to their manager."""
    return relationship.kind == Relationship.Kind.MANAGER and giver.pk == relationship.member_id


def _check_kind(kind: str) -> str:
    if kind not in Feedback.Kind.values:
        raise ValidationError("Choose praise or constructive feedback.")
    return kind


def _check_prompt(relationship: Relationship, question: Question | None, *, upward: bool) -> str:
    """The text of the question answered; only upward feedback answers the bank's questions."""
    if question is None:
        return ""
    offered = question.organization_id == relationship.organization_id and all(
        getattr(question, field) == value for field, value in UPWARD_QUESTION.items()
    )
    if not (upward and offered):
        raise ValidationError("Choose one of the questions offered, or none.")
    return question.text


def _changed(actor: Person, feedback: Feedback, verb: str, **fields: object) -> Feedback:
    """Save `fields` on the feedback, tell both participants' pages, write the activity row."""
    Feedback.objects.filter(pk=feedback.pk).update(
        **fields, version=F("version") + 1, updated_at=now()
    )
    feedback.refresh_from_db()
    bump_shared(feedback.relationship)
    record(actor, f"feedback.{verb}", feedback, feedback.relationship)
    return feedback


def _ensure_giver(actor: Person, feedback: Feedback) -> None:
    if feedback.giver_id != actor.pk:
        raise PermissionDenied("Only the person who gave this feedback can do that.")


def _ensure_receiver(actor: Person, feedback: Feedback) -> None:
    if feedback.receiver_id != actor.pk:
        raise PermissionDenied("Only the person who received this praise decides where it shows.")


def _ensure_alive(feedback: Feedback) -> None:
    if feedback.deleted_at is not None:
        raise ValidationError("This feedback was deleted.")


@transaction.atomic
def feedback_give(
    *,
    actor: Person,
    relationship: Relationship,
    meeting_key: datetime,
    kind: str,
    text: str,
    situation: str = "",
    behaviour: str = "",
    impact: str = "",
    question: Question | None = None,
) -> Feedback:
    """Record feedback from the actor to the other participant, for one meeting of their 1:1."""
    ensure_participant(relationship, actor)
    ensure_writable(relationship)
    upward = feedback_is_upward(relationship, actor)
    fields = {
        "kind": _check_kind(kind),
        "text": validate_text(text, limit=FEEDBACK_TEXT, label="The feedback"),
        "situation": validate_text(
            situation, limit=FEEDBACK_TEXT, label="The situation", required=False
        ),
        "behaviour": validate_text(
            behaviour, limit=FEEDBACK_TEXT, label="The behaviour", required=False
        ),
        "impact": validate_text(impact, limit=FEEDBACK_TEXT, label="The impact", required=False),
        "prompt": _check_prompt(relationship, question, upward=upward),
    }
    meeting = meeting_materialize(relationship=relationship, key=meeting_key)
    receiver_id = (
        relationship.member_id if actor.pk == relationship.lead_id else relationship.lead_id
    )
    feedback = Feedback.objects.create(
        organization_id=relationship.organization_id,
        relationship=relationship,
        meeting=meeting,
        giver=actor,
        receiver_id=receiver_id,
        is_upward=upward,
        **fields,
    )
    bump_shared(relationship)
    record(actor, "feedback.give", feedback, relationship)
    return feedback


@transaction.atomic
def feedback_delete(*, actor: Person, feedback: Feedback) -> Feedback:
    """Soft-delete: the receiver no longer sees it; the giver can restore it for 30 days."""
    _ensure_giver(actor, feedback)
    ensure_writable(feedback.relationship)
    if feedback.deleted_at is not None:
        return feedback
    return _changed(actor, feedback, "delete", deleted_at=now())


@transaction.atomic
def feedback_restore(*, actor: Person, feedback: Feedback) -> Feedback:
    """Undo a delete, within 30 days of it."""
    _ensure_giver(actor, feedback)
    ensure_writable(feedback.relationship)
    if feedback.deleted_at is None:
        return feedback
    if feedback.deleted_at + UNDO_WINDOW < now():
        raise ValidationError(
            f"Deleted feedback can be restored for {FEEDBACK_UNDO_DAYS} days; "
            f"this was deleted on {feedback.deleted_at:%d %B %Y}."
        )
    return _changed(actor, feedback, "restore", deleted_at=None)


@transaction.atomic
def feedback_share(*, actor: Person, feedback: Feedback) -> Feedback:
    """The giver asks to show their praise on the recognition page; the receiver decides."""
    _ensure_giver(actor, feedback)
    ensure_writable(feedback.relationship)
    _ensure_alive(feedback)
    if feedback.kind != Feedback.Kind.PRAISE:
        raise ValidationError("Only praise can be shared on the recognition page.")
    if feedback.public_requested_at is not None:
        return feedback
    return _changed(actor, feedback, "share", public_requested_at=now())


@transaction.atomic
def feedback_consent(*, actor: Person, feedback: Feedback) -> Feedback:
    """The receiver agrees to show the praise publicly (again, after hiding it)."""
    _ensure_receiver(actor, feedback)
    ensure_writable(feedback.relationship)
    _ensure_alive(feedback)
    if feedback.kind != Feedback.Kind.PRAISE or feedback.public_requested_at is None:
        raise ValidationError("Nobody asked to share this on the recognition page.")
    if feedback.public_consented_at is not None and feedback.public_hidden_at is None:
        return feedback
    # Showing it again keeps its first date: it returns to its place, not to the top.
    consented = feedback.public_consented_at or now()
    return _changed(
        actor, feedback, "consent", public_consented_at=consented, public_hidden_at=None
    )


@transaction.atomic
def feedback_hide(*, actor: Person, feedback: Feedback) -> Feedback:
    """The receiver hides the praise from the recognition page, or declines to show it.

    Allowed at any time, also once the 1:1 has ended: the receiver always controls it.
    """
    _ensure_receiver(actor, feedback)
    if feedback.public_requested_at is None:
        raise ValidationError("This praise is not on the recognition page.")
    if feedback.public_hidden_at is not None:
        return feedback
    return _changed(actor, feedback, "hide", public_hidden_at=now())


@transaction.atomic
def feedback_purge_deleted(*, now: datetime) -> int:
    """Remove feedback deleted more than 30 days ago, for good; returns how many."""
    count, _ = Feedback.objects.filter(deleted_at__lt=now - UNDO_WINDOW).delete()
    return count

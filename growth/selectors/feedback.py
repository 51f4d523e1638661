"""Reads for feedback (see growth/selectors/__init__.py for how the 1:1 page uses them)."""

from datetime import datetime
from typing import Any

from django.core.paginator import Page, Paginator

from growth.access import feedback_visible_to
from growth.models import Feedback
from growth.models.feedback import FEEDBACK_UNDO_DAYS
from growth.services.feedback import UPWARD_QUESTION, feedback_is_upward
from meetings.models import Meeting, Relationship
from meetings.occurrences import Occurrence
from people.models import Person
from playbook.models import Question

LOG_PAGE_SIZE = 20
RECOGNITION_PAGE_SIZE = 20

LOG_KINDS = ("all", Feedback.Kind.PRAISE.value, Feedback.Kind.CONSTRUCTIVE.value)
LOG_VIEWS = ("received", "given")


def meeting_feedback(meeting: Meeting | None, viewer: Person) -> list[Feedback]:
    """A meeting's feedback the viewer may see: given (also deleted, to undo) or received."""
    if meeting is None:  # an occurrence nobody touched has no feedback
        return []
    return list(
        feedback_visible_to(viewer)
        .filter(meeting_id=meeting.pk)
        .select_related("giver", "receiver")
        .order_by("created_at", "pk")
    )


def upward_questions(relationship: Relationship) -> list[Question]:
    """The question bank's active feedback-to-manager questions of the 1:1's organization."""
    return list(
        Question.objects.filter(
            organization_id=relationship.organization_id, **UPWARD_QUESTION
        ).order_by("id")
    )


def give_context(relationship: Relationship, viewer: Person) -> dict[str, Any]:
    """What the give-feedback form needs: whether it is upward, and then the bank's questions."""
    upward = feedback_is_upward(relationship, viewer)
    return {
        "feedback_upward": upward,
        "feedback_questions": upward_questions(relationship) if upward else [],
    }


def page_context(
    relationship: Relationship,
    viewer: Person,
    *,
    focus: Occurrence | None,
    focus_meeting: Meeting | None,
    now: datetime,
) -> dict[str, Any]:
    """What the relationship page shows of feedback, for this viewer (keys prefixed "feedback_")."""
    writable = relationship.status != Relationship.Status.ENDED
    context: dict[str, Any] = {
        "feedback_items": meeting_feedback(focus_meeting, viewer),
        "feedback_undo_days": FEEDBACK_UNDO_DAYS,
        "feedback_upward": False,
        "feedback_questions": [],
    }
    if focus and writable:
        context |= give_context(relationship, viewer)
    return context


def feedback_log(viewer: Person, *, view: str, kind: str, page: int) -> Page[Feedback]:
    """One page of the feedback the viewer received (or gave), newest first, in fixed queries."""
    rows = feedback_visible_to(viewer)
    rows = (
        rows.filter(giver_id=viewer.pk) if view == "given" else rows.filter(receiver_id=viewer.pk)
    )
    if kind in Feedback.Kind.values:
        rows = rows.filter(kind=kind)
    rows = rows.select_related("giver", "receiver", "relationship", "meeting").order_by(
        "-created_at", "-pk"
    )
    return Paginator(rows, LOG_PAGE_SIZE).get_page(page)


def recognition(viewer: Person, *, page: int) -> Page[Feedback]:
    """Public praise of the viewer's own organization, newest first."""
    rows = (
        Feedback.objects.public()
        .filter(organization_id=viewer.org_id)
        .select_related("giver", "receiver")
        .only(
            "uuid",
            "text",
            "public_consented_at",
            "giver__name",
            "receiver__name",
            "giver",
            "receiver",
        )
        .order_by("-public_consented_at", "-pk")
    )
    return Paginator(rows, RECOGNITION_PAGE_SIZE).get_page(page)

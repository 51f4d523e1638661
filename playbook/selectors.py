"""Choosing a question from the bank for a 1:1."""

from collections.abc import Sequence

from meetings.models import Relationship, TalkingPoint
from playbook.models import Question


def suggest_question(
    *,
    relationship: Relationship,
    themes: Sequence[str],
    asked_by_lead: bool,
    is_manager_kind: bool,
    exclude_uuids: Sequence[str] = (),
) -> Question | None:
    """The first fitting question of the quietest theme that this 1:1 has not used yet."""
    audiences = [Question.Audience.ANYONE]
    if is_manager_kind:
        audiences.append(
            Question.Audience.TO_REPORT if asked_by_lead else Question.Audience.TO_MANAGER
        )
    used = set(
        TalkingPoint.objects.filter(
            relationship=relationship, source=TalkingPoint.Source.QUESTION, is_private=False
        ).values_list("text", flat=True)
    )
    excluded = set(exclude_uuids)
    by_theme: dict[str, list[Question]] = {}
    for question in Question.objects.filter(
        organization_id=relationship.organization_id, is_active=True, audience__in=audiences
    ).order_by("id"):
        if question.text in used or str(question.uuid) in excluded:
            continue
        by_theme.setdefault(question.theme, []).append(question)
    for theme in themes:
        if by_theme.get(theme):
            return by_theme[theme][0]
    return None

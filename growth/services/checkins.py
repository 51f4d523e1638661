"""Writes for checkins: one named action per change, in one transaction, with its activity record."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from growth.models import CheckIn
from growth.models.checkins import CHECKIN_TEXT
from meetings.models import Meeting, Relationship, TalkingPoint, Theme
from meetings.occurrences import FOCUS_GRACE, focus
from meetings.selectors import series_upcoming
from meetings.services.agenda import point_add
from meetings.services.common import (
    EditConflict,
    bump_shared,
    ensure_participant,
    ensure_writable,
    meeting_end,
    meeting_materialize,
    record,
    validate_text,
)
from people.models import Person

# Leading list markers people type out of habit ("- ", "* ", "• ", "1. " is kept as text).
_BULLETS = "-*•–"


def blocker_lines(blockers: str) -> list[str]:
    """The distinct non-empty lines of a blockers text, without list markers, in order."""
    lines: list[str] = []
    for raw in blockers.splitlines():
        line = raw.strip().lstrip(_BULLETS).strip()
        if line and line not in lines:
            lines.append(line)
    return lines


def _clean(
    *, mood: int, workload: str, wins: str, blockers: str, priorities: str
) -> dict[str, object]:
    if not isinstance(mood, int) or not 1 <= mood <= 5:
        raise ValidationError("Choose a mood from 1 to 5.")
    if workload not in CheckIn.Workload.values:
        raise ValidationError("Choose how your workload feels.")
    texts = {"wins": wins, "blockers": blockers, "priorities": priorities}
    cleaned: dict[str, object] = {
        name: validate_text(value, limit=CHECKIN_TEXT, label=name.capitalize(), required=False)
        for name, value in texts.items()
    }
    return cleaned | {"mood": mood, "workload": workload}


def checkin_refusal(*, meeting: Meeting | None, end: datetime, now: datetime) -> str:
    """Why an occurrence takes no check-in ("" if it does): only meetings still to come do.

    "Still to come" is what can be the focus: scheduled, and not ended more than
    FOCUS_GRACE ago. A meeting long past that nobody closed takes none either, or
    its blockers would land on today's agenda as if they were news.
    """
    still = "check-ins are for meetings still to come."
    if meeting is not None and meeting.status != Meeting.Status.SCHEDULED:
        return f"This meeting is {meeting.get_status_display().lower()}: {still}"
    if end + FOCUS_GRACE <= now:
        return f"This meeting is over: {still}"
    return ""


def _open_meeting(relationship: Relationship, key: datetime) -> Meeting:
    meeting = meeting_materialize(relationship=relationship, key=key)
    refusal = checkin_refusal(meeting=meeting, end=meeting_end(meeting), now=timezone.now())
    if refusal:
        raise ValidationError(refusal)
    return meeting


def _save(
    *,
    actor: Person,
    relationship: Relationship,
    meeting: Meeting,
    base_version: int,
    **fields: object,
) -> tuple[CheckIn, str]:
    """Create or update the actor's check-in; return it and its blockers before this save."""
    existing = CheckIn.objects.filter(meeting=meeting, author=actor).first()
    if existing is None:
        try:
            with transaction.atomic():
                checkin = CheckIn.objects.create(
                    organization_id=relationship.organization_id,
                    relationship=relationship,
                    meeting=meeting,
                    author=actor,
                    **fields,
                )
        except IntegrityError:  # the same person checked in from another tab just now
            current = CheckIn.objects.get(meeting=meeting, author=actor)
            raise EditConflict(current.blockers, current.version, actor.name) from None
        return checkin, ""
    updated = CheckIn.objects.filter(pk=existing.pk, version=base_version).update(
        **fields, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise EditConflict(existing.blockers, existing.version, actor.name)
    previous = existing.blockers
    existing.refresh_from_db()
    return existing, previous


def _add_blocker_points(
    *, actor: Person, relationship: Relationship, key: datetime, blockers: str, previous: str
) -> list[TalkingPoint]:
    """Each blocker line becomes a talking point once, however often the check-in is edited.

    A line is new if it was not in the check-in before this save and no check-in point
    of the actor is planned for this meeting with that text: so a point its author
    edited or removed is not brought back by saving the check-in again. For the focus
    meeting, an open blocker point carried over from an earlier one counts too: a
    blocker repeated week after week stays one point on the agenda.
    """
    lines = blocker_lines(blockers)
    if not lines:
        return []
    on_agenda = Q(planned_for=key)
    current = focus(series_upcoming(relationship, now=timezone.now()))
    if current is not None and current.key == key:
        on_agenda |= Q(status=TalkingPoint.Status.OPEN, planned_for__lt=key)
    known = set(blocker_lines(previous)) | set(
        TalkingPoint.objects.filter(
            on_agenda,
            relationship=relationship,
            author=actor,
            source=TalkingPoint.Source.CHECKIN,
        ).values_list("text", flat=True)
    )
    return [
        point_add(
            actor=actor,
            relationship=relationship,
            text=line,
            theme=Theme.BLOCKERS,
            planned_for=key,
            source=TalkingPoint.Source.CHECKIN,
        )
        for line in lines
        if line not in known
    ]


@transaction.atomic
def checkin_submit(
    *,
    actor: Person,
    relationship: Relationship,
    key: datetime,
    mood: int,
    workload: str,
    wins: str,
    blockers: str,
    priorities: str,
    base_version: int,
) -> CheckIn:
    """Save the actor's check-in for an upcoming meeting; new blockers join its agenda."""
    ensure_participant(relationship, actor)
    ensure_writable(relationship)
    fields = _clean(
        mood=mood, workload=workload, wins=wins, blockers=blockers, priorities=priorities
    )
    meeting = _open_meeting(relationship, key)
    checkin, previous = _save(
        actor=actor,
        relationship=relationship,
        meeting=meeting,
        base_version=base_version,
        **fields,
    )
    _add_blocker_points(
        actor=actor,
        relationship=relationship,
        key=meeting.occurrence_start,
        blockers=checkin.blockers,
        previous=previous,
    )
    record(actor, "checkin.submit", checkin, relationship)
    bump_shared(relationship)
    return checkin

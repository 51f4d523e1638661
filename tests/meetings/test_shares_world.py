"""The world of the share and leaving tests (no tests here; imported by them).

Maya and Ravi held two meetings with every kind of content, each text a unique
marker; then Ravi's manager changed from Maya to Olga, which archived the 1:1. The
markers say who may ever read them: SHARED_* are shared content of the meetings
(visible through a share), everything else must never reach Olga.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import time_machine

from growth.services.checkins import checkin_submit
from growth.services.feedback import feedback_give
from meetings.models import Meeting, Relationship
from meetings.services.actions import action_add
from meetings.services.agenda import point_add, point_set_discussed
from meetings.services.common import meeting_materialize
from meetings.services.meetings import meeting_close, meeting_rate
from meetings.services.notes import private_note_save, shared_notes_save
from people.models import Person
from people.services import person_update
from tests.meetings.conftest import FIRST, SECOND

# Shared content of the meetings: a share shows these (notes rendered as Markdown).
SHARED_NOTES_ONE = "SharedNotesOne"
SHARED_NOTES_TWO = "SharedNotesTwo"
SHARED_POINT_RAVI = "SharedPointRavi"
SHARED_POINT_MAYA = "SharedPointMaya"
PLANNED_POINT = "PlannedPointForSecond"
# Content a share never shows: private, or shared in the 1:1 but not through a share.
PRIVATE_POINT_RAVI = "PrivatePointRavi"
PRIVATE_POINT_MAYA = "PrivatePointMaya"
PRIVATE_NOTE_RAVI = "PrivateNoteRavi"
PRIVATE_NOTE_MAYA = "PrivateNoteMaya"
ACTION_ITEM = "ActionItemText"
CHECKIN_WINS = "CheckinWins"
FEEDBACK = "FeedbackText"

SHARED_MARKERS = (SHARED_NOTES_ONE, SHARED_NOTES_TWO, SHARED_POINT_RAVI, SHARED_POINT_MAYA,
                  PLANNED_POINT)  # fmt: skip
NEVER_SHARED = (PRIVATE_POINT_RAVI, PRIVATE_POINT_MAYA, PRIVATE_NOTE_RAVI, PRIVATE_NOTE_MAYA,
                ACTION_ITEM, CHECKIN_WINS, FEEDBACK)  # fmt: skip
# When the manager changed: the day after the second meeting.
CHANGED = SECOND + timedelta(days=1)


@dataclass(frozen=True)
class World:
    old: Relationship  # Maya and Ravi's archived manager 1:1
    first: Meeting
    second: Meeting


def build(
    clock: time_machine.Traveller,
    old: Relationship,
    ada: Person,
    olga: Person,
    *,
    change_manager: bool = True,
) -> World:
    """Two held meetings full of markers, then (unless told not to) Ravi moves from Maya
    to Olga (by Ada)."""
    maya, ravi = old.lead, old.member
    checkin_submit(actor=ravi, relationship=old, key=FIRST, mood=4, workload="right",
                   wins=CHECKIN_WINS, blockers="", priorities="", base_version=0)  # fmt: skip
    shared_ravi = point_add(actor=ravi, relationship=old, text=SHARED_POINT_RAVI)
    private_ravi = point_add(actor=ravi, relationship=old, text=PRIVATE_POINT_RAVI, is_private=True)
    shared_maya = point_add(actor=maya, relationship=old, text=SHARED_POINT_MAYA)
    private_maya = point_add(actor=maya, relationship=old, text=PRIVATE_POINT_MAYA, is_private=True)
    point_add(actor=maya, relationship=old, text=PLANNED_POINT, planned_for=SECOND)

    clock.move_to(FIRST + timedelta(minutes=10))
    for point, who in ((shared_ravi, ravi), (private_ravi, ravi), (shared_maya, maya),
                       (private_maya, maya)):  # fmt: skip
        point_set_discussed(actor=who, point=point, meeting_key=FIRST, discussed=True)
    first = meeting_materialize(relationship=old, key=FIRST)
    shared_notes_save(actor=ravi, meeting=first, text=f"**{SHARED_NOTES_ONE}**", base_version=0)
    private_note_save(actor=ravi, meeting=first, text=PRIVATE_NOTE_RAVI, base_version=0)
    private_note_save(actor=maya, meeting=first, text=PRIVATE_NOTE_MAYA, base_version=0)
    action_add(actor=maya, relationship=old, text=ACTION_ITEM, owner=ravi,
               due_date=date(2027, 1, 20), meeting_key=FIRST)  # fmt: skip
    feedback_give(actor=maya, relationship=old, meeting_key=FIRST, kind="praise", text=FEEDBACK)
    meeting_close(actor=maya, relationship=old, key=FIRST, rating=5)
    meeting_rate(actor=ravi, meeting=Meeting.objects.get(pk=first.pk), score=2)

    clock.move_to(SECOND + timedelta(minutes=10))
    second = meeting_materialize(relationship=old, key=SECOND)
    shared_notes_save(actor=maya, meeting=second, text=SHARED_NOTES_TWO, base_version=0)
    meeting_close(actor=maya, relationship=old, key=SECOND)

    clock.move_to(CHANGED)
    if change_manager:
        person_update(actor=ada, person=ravi, manager=olga)
    old.refresh_from_db()
    return World(
        old=old,
        first=Meeting.objects.get(pk=first.pk),
        second=Meeting.objects.get(pk=second.pk),
    )

"""The 1:1 loop's rules, through its services: carry-over, conflicts, validation."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from activity.models import Activity
from meetings.models import ActionItem, CarryOver, Meeting, Rating, Relationship, TalkingPoint
from meetings.occurrences import Occurrence, focus
from meetings.selectors import agenda_points, series_upcoming
from meetings.services.actions import action_add, action_edit, action_set_done
from meetings.services.agenda import (
    point_add,
    point_edit,
    point_move,
    point_set_discussed,
    point_set_standing,
)
from meetings.services.common import EditConflict
from meetings.services.meetings import (
    meeting_cancel,
    meeting_close,
    meeting_rate,
    meeting_reopen,
    meeting_reschedule,
)
from meetings.services.notes import private_note_save, shared_notes_save
from meetings.services.relationships import (
    relationship_end,
    relationship_pause,
    relationship_resume,
)
from people.models import Person

# Maya and Ravi meet on Tuesdays at 10:00 New York time (15:00 UTC in January).
FIRST = datetime(2027, 1, 5, 15, 0, tzinfo=UTC)
SECOND = FIRST + timedelta(days=7)
THIRD = FIRST + timedelta(days=14)


@pytest.fixture
def clock(now: datetime) -> Iterator[time_machine.Traveller]:
    with time_machine.travel(now, tick=False) as traveller:
        yield traveller


def next_meeting(rel: Relationship, viewer: Person) -> tuple[Occurrence, list[TalkingPoint]]:
    from django.utils import timezone

    occ = focus(series_upcoming(rel, now=timezone.now()))
    assert occ is not None
    return occ, agenda_points(rel, viewer, occ, is_focus=True)


def texts(points: list[TalkingPoint]) -> list[str]:
    return [p.text for p in points]


@pytest.mark.usefixtures("clock")
class TestCarryOver:
    def test_closing_moves_open_points_to_the_next_meeting_exactly_once(
        self,
        one_on_one: Relationship,
        maya: Person,
        ravi: Person,
        clock: time_machine.Traveller,
    ) -> None:
        open_one = point_add(
            actor=ravi, relationship=one_on_one, text="Promotion path", theme="career"
        )
        secret = point_add(
            actor=ravi, relationship=one_on_one, text="Burnout", theme="wellbeing", is_private=True
        )
        done = point_add(actor=maya, relationship=one_on_one, text="Q1 priorities")
        point_set_discussed(actor=maya, point=done, meeting_key=FIRST, discussed=True)

        clock.move_to(FIRST + timedelta(minutes=30))
        meeting_close(actor=maya, relationship=one_on_one, key=FIRST, rating=4)

        occ, points = next_meeting(one_on_one, ravi)
        assert occ.key == SECOND
        assert texts(points) == ["Promotion path", "Burnout"]
        carried = {p.text: p for p in points}
        assert carried["Burnout"].is_private
        assert carried["Burnout"].author_id == ravi.pk
        assert carried["Promotion path"].theme == "career"
        assert carried["Promotion path"].times_carried == 1  # type: ignore[attr-defined]
        # The manager sees the carried shared point and never the private one.
        assert texts(next_meeting(one_on_one, maya)[1]) == ["Promotion path"]
        # Recorded once, no copies made.
        assert TalkingPoint.objects.filter(relationship=one_on_one).count() == 3
        assert set(CarryOver.objects.values_list("point_id", flat=True)) == {
            open_one.pk,
            secret.pk,
        }

        clock.move_to(SECOND + timedelta(minutes=30))
        meeting_close(actor=ravi, relationship=one_on_one, key=SECOND)
        occ, points = next_meeting(one_on_one, ravi)
        assert occ.key == THIRD
        assert texts(points) == ["Promotion path", "Burnout"]
        assert points[0].times_carried == 2  # type: ignore[attr-defined]

    @pytest.mark.parametrize("skip", [False, True])
    def test_cancelling_or_skipping_carries_points_over(
        self, one_on_one: Relationship, maya: Person, ravi: Person, skip: bool
    ) -> None:
        point_add(actor=ravi, relationship=one_on_one, text="Team dynamics", theme="blockers")
        meeting = meeting_cancel(
            actor=maya, relationship=one_on_one, key=FIRST, reason="Travelling", skip=skip
        )
        assert meeting.status == (Meeting.Status.SKIPPED if skip else Meeting.Status.CANCELLED)
        occ, points = next_meeting(one_on_one, ravi)
        assert occ.key == SECOND
        assert texts(points) == ["Team dynamics"]
        assert CarryOver.objects.filter(meeting=meeting).count() == 1

    def test_rescheduling_past_the_next_occurrence_keeps_points_on_the_next_meeting(
        self, one_on_one: Relationship, maya: Person, ravi: Person
    ) -> None:
        point_add(actor=ravi, relationship=one_on_one, text="Conference budget", planned_for=FIRST)
        meeting_reschedule(
            actor=maya,
            relationship=one_on_one,
            key=FIRST,
            new_start=SECOND + timedelta(days=1),
            reason="Offsite",
        )
        occ, points = next_meeting(one_on_one, ravi)
        assert occ.key == SECOND  # the moved meeting now comes after the second one
        assert texts(points) == ["Conference budget"]
        upcoming = series_upcoming(one_on_one, now=FIRST - timedelta(days=1))
        assert [o.key for o in upcoming[:2]] == [SECOND, FIRST]
        assert upcoming[1].is_rescheduled

    def test_a_point_for_a_later_meeting_waits_for_it(
        self, one_on_one: Relationship, ravi: Person, maya: Person
    ) -> None:
        point_add(actor=ravi, relationship=one_on_one, text="Annual review", planned_for=THIRD)
        _, points = next_meeting(one_on_one, ravi)
        assert points == []
        meeting_cancel(actor=maya, relationship=one_on_one, key=FIRST, reason="")
        meeting_cancel(actor=maya, relationship=one_on_one, key=SECOND, reason="")
        _, points = next_meeting(one_on_one, ravi)
        assert texts(points) == ["Annual review"]

    def test_standing_topics_appear_in_every_meeting_and_never_carry(
        self, one_on_one: Relationship, maya: Person, clock: time_machine.Traveller
    ) -> None:
        topic = point_add(actor=maya, relationship=one_on_one, text="Wellbeing check")
        point_set_standing(actor=maya, point=topic, standing=True)
        point_set_discussed(actor=maya, point=topic, meeting_key=FIRST, discussed=True)
        clock.move_to(FIRST + timedelta(hours=1))
        meeting_close(actor=maya, relationship=one_on_one, key=FIRST)
        _, points = next_meeting(one_on_one, maya)
        assert texts(points) == ["Wellbeing check"]
        assert not CarryOver.objects.exists()

    def test_reopening_a_closed_meeting_removes_its_carry_over_record(
        self, one_on_one: Relationship, maya: Person, clock: time_machine.Traveller
    ) -> None:
        point_add(actor=maya, relationship=one_on_one, text="Hiring plan")
        clock.move_to(FIRST + timedelta(hours=1))
        meeting = meeting_close(actor=maya, relationship=one_on_one, key=FIRST)
        meeting_reopen(actor=maya, relationship=one_on_one, meeting=meeting)
        meeting.refresh_from_db()
        assert meeting.status == Meeting.Status.SCHEDULED
        assert not CarryOver.objects.exists()


@pytest.mark.usefixtures("clock")
class TestMeetings:
    def test_a_meeting_cannot_be_held_before_it_starts(
        self, one_on_one: Relationship, maya: Person
    ) -> None:
        with pytest.raises(ValidationError, match="started"):
            meeting_close(actor=maya, relationship=one_on_one, key=SECOND)
        assert not Meeting.objects.exists()

    def test_an_occurrence_that_is_not_in_the_series_is_refused(
        self, one_on_one: Relationship, maya: Person
    ) -> None:
        with pytest.raises(ValidationError, match="no meeting"):
            meeting_cancel(
                actor=maya, relationship=one_on_one, key=FIRST + timedelta(hours=1), reason=""
            )

    def test_rescheduling_into_the_past_is_refused(
        self, one_on_one: Relationship, maya: Person, now: datetime
    ) -> None:
        with pytest.raises(ValidationError, match="future"):
            meeting_reschedule(
                actor=maya,
                relationship=one_on_one,
                key=FIRST,
                new_start=now - timedelta(hours=1),
                reason="",
            )

    def test_ratings_are_per_rater_and_bounded(
        self,
        one_on_one: Relationship,
        maya: Person,
        ravi: Person,
        clock: time_machine.Traveller,
    ) -> None:
        clock.move_to(FIRST + timedelta(hours=1))
        meeting = meeting_close(actor=maya, relationship=one_on_one, key=FIRST, rating=5)
        meeting_rate(actor=ravi, meeting=meeting, score=2)
        meeting_rate(actor=ravi, meeting=meeting, score=3)
        assert dict(Rating.objects.values_list("rater__name", "score")) == {
            "Maya Manager": 5,
            "Ravi Report": 3,
        }
        with pytest.raises(ValidationError):
            meeting_rate(actor=ravi, meeting=meeting, score=6)

    def test_only_participants_can_act(
        self, one_on_one: Relationship, olga: Person, otto: Person
    ) -> None:
        for outsider in (olga, otto):
            with pytest.raises(PermissionDenied):
                point_add(actor=outsider, relationship=one_on_one, text="Sneaky")
            with pytest.raises(PermissionDenied):
                meeting_cancel(actor=outsider, relationship=one_on_one, key=FIRST, reason="")
        assert not TalkingPoint.objects.exists()
        assert not Meeting.objects.exists()


@pytest.mark.usefixtures("clock")
class TestAgenda:
    def test_only_the_author_edits_a_point_and_stale_edits_conflict(
        self, one_on_one: Relationship, maya: Person, ravi: Person
    ) -> None:
        point = point_add(actor=ravi, relationship=one_on_one, text="First draft")
        with pytest.raises(PermissionDenied):
            point_edit(
                actor=maya,
                point=point,
                text="Hijack",
                theme="other",
                is_private=False,
                base_version=0,
            )
        point_edit(
            actor=ravi, point=point, text="Second", theme="goals", is_private=False, base_version=0
        )
        with pytest.raises(EditConflict) as conflict:
            point_edit(
                actor=ravi,
                point=point,
                text="Stale",
                theme="goals",
                is_private=False,
                base_version=0,
            )
        assert conflict.value.current_text == "Second"
        point.refresh_from_db()
        assert (point.text, point.theme, point.version) == ("Second", "goals", 1)

    def test_over_long_and_empty_text_is_refused(
        self, one_on_one: Relationship, maya: Person
    ) -> None:
        with pytest.raises(ValidationError, match="too long"):
            point_add(actor=maya, relationship=one_on_one, text="x" * 10_001)
        with pytest.raises(ValidationError, match="empty"):
            point_add(actor=maya, relationship=one_on_one, text="   ")
        with pytest.raises(ValidationError):
            point_add(actor=maya, relationship=one_on_one, text="ok", theme="gossip")
        assert not TalkingPoint.objects.exists()

    def test_private_writes_never_move_the_shared_version(
        self, one_on_one: Relationship, ravi: Person
    ) -> None:
        before = Relationship.objects.get(pk=one_on_one.pk).shared_version
        point = point_add(actor=ravi, relationship=one_on_one, text="Mine", is_private=True)
        point_edit(
            actor=ravi, point=point, text="Mine 2", theme="other", is_private=True, base_version=0
        )
        point_set_discussed(actor=ravi, point=point, meeting_key=FIRST, discussed=True)
        meeting = Meeting.objects.get()
        private_note_save(actor=ravi, meeting=meeting, text="Only me", base_version=0)
        assert Relationship.objects.get(pk=one_on_one.pk).shared_version == before
        assert not Activity.objects.filter(object_uuid=point.uuid).exists()
        point_add(actor=ravi, relationship=one_on_one, text="Shared")
        assert Relationship.objects.get(pk=one_on_one.pk).shared_version == before + 1

    def test_moving_skips_points_the_mover_cannot_see(
        self, one_on_one: Relationship, maya: Person, ravi: Person
    ) -> None:
        point_add(actor=maya, relationship=one_on_one, text="A")
        point_add(actor=ravi, relationship=one_on_one, text="hidden", is_private=True)
        c = point_add(actor=maya, relationship=one_on_one, text="C")
        point_move(actor=maya, point=c, direction=-1)
        _, points = next_meeting(one_on_one, maya)
        assert texts(points) == ["C", "A"]
        # The author of the private point sees it where it was, between the two.
        assert texts(next_meeting(one_on_one, ravi)[1]) == ["C", "hidden", "A"]

    def test_a_private_point_cannot_be_a_standing_topic(
        self, one_on_one: Relationship, ravi: Person
    ) -> None:
        point = point_add(actor=ravi, relationship=one_on_one, text="Mine", is_private=True)
        with pytest.raises(ValidationError):
            point_set_standing(actor=ravi, point=point, standing=True)


@pytest.mark.usefixtures("clock")
class TestNotesAndActions:
    def test_concurrent_note_saves_never_overwrite_silently(
        self, one_on_one: Relationship, maya: Person, ravi: Person
    ) -> None:
        from meetings.services.common import meeting_materialize

        meeting = meeting_materialize(relationship=one_on_one, key=FIRST)
        shared_notes_save(actor=maya, meeting=meeting, text="Maya's notes", base_version=0)
        with pytest.raises(EditConflict) as conflict:
            shared_notes_save(actor=ravi, meeting=meeting, text="Ravi's notes", base_version=0)
        assert conflict.value.current_text == "Maya's notes"
        assert conflict.value.updated_by == "Maya Manager"
        meeting.refresh_from_db()
        assert meeting.notes == "Maya's notes"
        shared_notes_save(actor=ravi, meeting=meeting, text="Merged", base_version=1)
        meeting.refresh_from_db()
        assert (meeting.notes, meeting.notes_version) == ("Merged", 2)

    def test_action_items_complete_reopen_and_detect_conflicts(
        self, one_on_one: Relationship, maya: Person, ravi: Person, olga: Person
    ) -> None:
        item = action_add(
            actor=maya, relationship=one_on_one, text="Share the roadmap", owner=ravi,
            due_date=date(2027, 1, 8),
        )  # fmt: skip
        with pytest.raises(ValidationError, match="owner"):
            action_add(actor=maya, relationship=one_on_one, text="x", owner=olga)
        action_set_done(actor=ravi, item=item, done=True, meeting_key=FIRST)
        done = ActionItem.objects.get(pk=item.pk)
        assert done.done_at is not None
        assert done.completed_in is not None
        action_set_done(actor=maya, item=done, done=False)
        reopened = ActionItem.objects.get(pk=item.pk)
        assert reopened.done_at is None
        assert reopened.completed_in is None
        with pytest.raises(EditConflict):
            action_edit(
                actor=ravi, item=item, text="Old", owner=ravi, due_date=None, base_version=0
            )


@pytest.mark.usefixtures("clock")
class TestLifecycle:
    def test_pause_and_resume(self, one_on_one: Relationship, maya: Person, now: datetime) -> None:
        relationship_pause(actor=maya, relationship=one_on_one)
        assert focus(series_upcoming(one_on_one, now=now)) is None
        relationship_resume(actor=maya, relationship=one_on_one, from_date=date(2027, 2, 1))
        occ = focus(series_upcoming(one_on_one, now=now))
        assert occ is not None
        assert occ.start.date() == date(2027, 2, 2)

    def test_an_ended_relationship_is_read_only(
        self, one_on_one: Relationship, maya: Person, ravi: Person
    ) -> None:
        relationship_end(actor=maya, relationship=one_on_one)
        with pytest.raises(PermissionDenied):
            point_add(actor=ravi, relationship=one_on_one, text="Too late")
        assert focus(series_upcoming(one_on_one, now=FIRST - timedelta(days=1))) is None

    def test_a_manager_1on1_needs_a_direct_report(self, maya: Person, oren: Person) -> None:
        from datetime import time

        from meetings.schedule import Cadence, CadenceKind
        from meetings.services.relationships import relationship_start

        with pytest.raises(ValidationError, match="does not report to you"):
            relationship_start(
                actor=maya, other=oren, kind=Relationship.Kind.MANAGER,
                cadence=Cadence(CadenceKind.WEEKLY, 1), first_date=date(2027, 1, 5),
                local_time=time(10), timezone="UTC", duration_minutes=30,
            )  # fmt: skip
        rel = relationship_start(
            actor=maya, other=oren, kind=Relationship.Kind.MENTOR,
            cadence=Cadence(CadenceKind.MONTHLY, 1, nth=1), first_date=date(2027, 1, 5),
            local_time=time(10), timezone="UTC", duration_minutes=30,
        )  # fmt: skip
        assert rel.kind == Relationship.Kind.MENTOR
        with pytest.raises(ValidationError, match="already have"):
            relationship_start(
                actor=oren, other=maya, kind=Relationship.Kind.PEER,
                cadence=Cadence(CadenceKind.WEEKLY, 1), first_date=date(2027, 1, 5),
                local_time=time(10), timezone="UTC", duration_minutes=30,
            )  # fmt: skip


def test_ending_a_1on1_from_the_page_needs_a_confirmation(
    one_on_one: Relationship, maya: Person
) -> None:
    from django.urls import reverse

    from tests.conftest import client_for

    url = reverse("meetings:plan_end", args=[one_on_one.uuid])
    client = client_for(maya)
    client.post(url)
    assert Relationship.objects.get(pk=one_on_one.pk).status == Relationship.Status.ACTIVE
    client.post(url, {"confirm": "yes"})
    assert Relationship.objects.get(pk=one_on_one.pk).status == Relationship.Status.ENDED


def test_markdown_headings_sit_under_the_page_headings_and_scripts_stay_inert() -> None:
    from lib.markdown import render_markdown

    html = render_markdown("# Title\n\n<script>alert(1)</script> [x](javascript:alert(1))")
    assert '<p class="md-heading md-h1">Title</p>' in html
    assert "<script>" not in html
    assert 'href="javascript' not in html


def test_a_template_adds_its_prompts_after_the_agenda_in_the_templates_order(
    one_on_one: Relationship, maya: Person, ravi: Person
) -> None:
    from meetings.services.agenda import template_apply
    from playbook.models import Template, TemplatePrompt

    template = Template.objects.create(organization_id=maya.org_id, name="Career (GROW)")
    for n, text in enumerate(["Goal", "Reality", "Options", "Way forward"]):
        TemplatePrompt.objects.create(template=template, text=text, theme="career", position=n)
    point_add(actor=ravi, relationship=one_on_one, text="Already there")

    added = template_apply(actor=maya, relationship=one_on_one, template=template, planned_for=None)
    point_add(actor=ravi, relationship=one_on_one, text="Afterwards")

    assert [p.source for p in added] == ["template"] * 4
    agenda = list(one_on_one.talking_points.order_by("position").values_list("text", flat=True))
    assert agenda == ["Already there", "Goal", "Reality", "Options", "Way forward", "Afterwards"]

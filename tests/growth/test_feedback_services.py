"""Feedback services: giving it both ways, soft delete with undo, public praise with consent."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from activity.models import Activity
from growth.access import feedback_for, feedback_visible_to
from growth.models import Feedback
from growth.models.feedback import FEEDBACK_TEXT
from growth.services.feedback import (
    feedback_consent,
    feedback_delete,
    feedback_give,
    feedback_hide,
    feedback_is_upward,
    feedback_purge_deleted,
    feedback_restore,
    feedback_share,
)
from meetings.models import Meeting, Relationship, Theme
from meetings.services.relationships import relationship_end
from people.models import Person
from playbook.models import Question
from tests.growth.feedback_world import CURRENT, NOW, World
from tests.growth.feedback_world import clock as clock
from tests.growth.feedback_world import world as world


def shared_version(world: World) -> int:
    return Relationship.objects.get(pk=world.relationship.pk).shared_version


def give(world: World, actor: Person, **fields: object) -> Feedback:
    values: dict[str, object] = {"kind": Feedback.Kind.PRAISE, "text": "Well done."} | fields
    return feedback_give(
        actor=actor,
        relationship=world.relationship,
        meeting_key=CURRENT,
        **values,  # type: ignore[arg-type]
    )


class TestGive:
    def test_it_records_feedback_for_the_other_participant_in_the_meeting(
        self, world: World
    ) -> None:
        before = shared_version(world)
        feedback = give(
            world,
            world.maya,
            kind=Feedback.Kind.CONSTRUCTIVE,
            text="  Share the plan earlier.  ",
            situation="Monday's planning",
            behaviour="The plan arrived an hour before",
            impact="Nobody could prepare",
        )
        assert feedback.receiver == world.ravi
        assert feedback.giver == world.maya
        assert feedback.text == "Share the plan earlier."
        assert (feedback.situation, feedback.impact) == (
            "Monday's planning",
            "Nobody could prepare",
        )
        assert not feedback.is_upward
        assert feedback.meeting == Meeting.objects.get(occurrence_start=CURRENT)
        assert feedback.organization_id == world.relationship.organization_id
        assert shared_version(world) == before + 1
        activity = Activity.objects.filter(object_uuid=feedback.uuid).get()
        assert (activity.verb, activity.actor) == ("feedback.give", world.maya)

    def test_feedback_from_the_report_to_the_manager_is_upward(self, world: World) -> None:
        feedback = give(world, world.ravi, question=world.question)
        assert feedback.is_upward
        assert feedback.receiver == world.maya
        assert feedback.prompt == world.question.text

    def test_the_manager_answers_no_feedback_to_manager_question(self, world: World) -> None:
        with pytest.raises(ValidationError):
            give(world, world.maya, question=world.question)
        assert Feedback.objects.count() == 2

    @pytest.mark.parametrize("problem", ["inactive", "audience", "theme", "organization"])
    def test_only_active_questions_of_the_bank_for_the_manager_are_offered(
        self, world: World, otto: Person, problem: str
    ) -> None:
        question = world.question
        if problem == "inactive":
            question.is_active = False
        elif problem == "audience":
            question.audience = Question.Audience.TO_REPORT
        elif problem == "theme":  # asked by the report, but not feedback to the manager
            question.theme = Theme.CAREER
        else:
            question = Question.objects.create(
                organization_id=otto.org_id,
                theme=Theme.FEEDBACK,
                audience=Question.Audience.TO_MANAGER,
                text="Elsewhere",
            )
        with pytest.raises(ValidationError):
            give(world, world.ravi, question=question)
        assert Feedback.objects.count() == 2

    def test_only_the_member_of_a_manager_1on1_gives_upward_feedback(
        self, world: World, olga: Person, oren: Person
    ) -> None:
        peers = Relationship(lead=olga, member=oren, kind=Relationship.Kind.PEER)
        assert not feedback_is_upward(peers, oren)
        assert feedback_is_upward(world.relationship, world.ravi)
        assert not feedback_is_upward(world.relationship, world.maya)

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"text": "   "}, "cannot be empty"),
            ({"text": "x" * (FEEDBACK_TEXT + 1)}, "too long"),
            ({"impact": "x" * (FEEDBACK_TEXT + 1)}, "too long"),
            ({"kind": "gossip"}, "praise or constructive"),
            ({"text": "nul\x00"}, "cannot be stored"),
        ],
    )
    def test_bad_input_changes_nothing(
        self, world: World, fields: dict[str, object], message: str
    ) -> None:
        before = shared_version(world)
        with pytest.raises(ValidationError, match=message):
            give(world, world.maya, **fields)
        assert Feedback.objects.count() == 2
        assert shared_version(world) == before

    def test_no_feedback_for_a_time_that_is_not_a_meeting(self, world: World) -> None:
        with pytest.raises(ValidationError):
            feedback_give(
                actor=world.maya,
                relationship=world.relationship,
                meeting_key=CURRENT + timedelta(hours=1),
                kind=Feedback.Kind.PRAISE,
                text="Hello",
            )

    def test_outsiders_cannot_give_feedback_in_a_1on1(self, world: World) -> None:
        for outsider in (world.olga, world.ada, world.otto):
            with pytest.raises(PermissionDenied):
                give(world, outsider)
        assert Feedback.objects.count() == 2

    def test_an_ended_1on1_takes_no_feedback(self, world: World) -> None:
        relationship_end(actor=world.maya, relationship=world.relationship)
        with pytest.raises(PermissionDenied):
            give(world, world.maya)


class TestDelete:
    def test_deleted_feedback_vanishes_for_the_receiver_and_stays_for_the_giver(
        self, world: World
    ) -> None:
        before = shared_version(world)
        feedback_delete(actor=world.maya, feedback=world.praise)
        assert shared_version(world) == before + 1
        assert not feedback_visible_to(world.ravi).filter(pk=world.praise.pk).exists()
        assert feedback_for(world.maya, world.praise.uuid).deleted_at == NOW
        assert Activity.objects.filter(verb="feedback.delete").count() == 1

    def test_only_the_giver_deletes(self, world: World) -> None:
        with pytest.raises(PermissionDenied):
            feedback_delete(actor=world.ravi, feedback=world.praise)
        world.praise.refresh_from_db()
        assert world.praise.deleted_at is None

    def test_deleting_twice_changes_nothing(self, world: World) -> None:
        feedback_delete(actor=world.maya, feedback=world.praise)
        before = shared_version(world)
        feedback_delete(actor=world.maya, feedback=world.praise)
        assert shared_version(world) == before

    def test_the_giver_can_undo_for_30_days(
        self, world: World, clock: time_machine.Traveller
    ) -> None:
        feedback_delete(actor=world.maya, feedback=world.praise)
        clock.shift(timedelta(days=29))
        feedback_restore(actor=world.maya, feedback=world.praise)
        assert world.praise.deleted_at is None
        assert feedback_visible_to(world.ravi).filter(pk=world.praise.pk).exists()
        assert Activity.objects.filter(verb="feedback.restore").count() == 1

    def test_no_undo_after_30_days(self, world: World, clock: time_machine.Traveller) -> None:
        feedback_delete(actor=world.maya, feedback=world.praise)
        clock.shift(timedelta(days=30, minutes=1))
        with pytest.raises(ValidationError, match="30 days"):
            feedback_restore(actor=world.maya, feedback=world.praise)
        world.praise.refresh_from_db()
        assert world.praise.deleted_at is not None

    def test_only_the_giver_restores(self, world: World) -> None:
        feedback_delete(actor=world.maya, feedback=world.praise)
        with pytest.raises(PermissionDenied):
            feedback_restore(actor=world.ravi, feedback=world.praise)

    def test_an_ended_1on1_takes_no_delete_or_restore(self, world: World) -> None:
        feedback_delete(actor=world.ravi, feedback=world.upward)
        relationship_end(actor=world.maya, relationship=world.relationship)
        with pytest.raises(PermissionDenied):
            feedback_delete(actor=world.maya, feedback=feedback_for(world.maya, world.praise.uuid))
        with pytest.raises(PermissionDenied):
            feedback_restore(actor=world.ravi, feedback=feedback_for(world.ravi, world.upward.uuid))

    def test_purge_removes_feedback_deleted_more_than_30_days_ago(
        self, world: World, clock: time_machine.Traveller
    ) -> None:
        feedback_delete(actor=world.maya, feedback=world.praise)
        clock.shift(timedelta(days=20))
        feedback_delete(actor=world.ravi, feedback=world.upward)
        clock.shift(timedelta(days=11))
        assert feedback_purge_deleted(now=timezone.now()) == 1
        assert list(Feedback.objects.all()) == [world.upward]
        assert feedback_purge_deleted(now=timezone.now()) == 0


class TestPublicPraise:
    def test_praise_becomes_public_only_when_its_receiver_consents(self, world: World) -> None:
        feedback_share(actor=world.maya, feedback=world.praise)
        assert world.praise.public_requested_at == NOW
        assert not Feedback.objects.public().exists()
        before = shared_version(world)
        feedback_consent(actor=world.ravi, feedback=world.praise)
        assert list(Feedback.objects.public()) == [world.praise]
        assert shared_version(world) == before + 1
        verbs = list(
            Activity.objects.filter(object_uuid=world.praise.uuid).values_list("verb", flat=True)
        )
        assert {"feedback.share", "feedback.consent"} <= set(verbs)

    def test_the_receiver_hides_it_at_any_time_and_may_show_it_again(
        self, world: World, clock: time_machine.Traveller
    ) -> None:
        feedback_share(actor=world.maya, feedback=world.praise)
        feedback_consent(actor=world.ravi, feedback=world.praise)
        clock.shift(timedelta(days=3))
        feedback_hide(actor=world.ravi, feedback=world.praise)
        assert not Feedback.objects.public().exists()
        feedback_consent(actor=world.ravi, feedback=world.praise)
        assert list(Feedback.objects.public()) == [world.praise]
        # It returns to its place on the recognition page rather than jumping to the top.
        assert world.praise.public_consented_at == NOW

    def test_not_now_declines_the_request(self, world: World) -> None:
        feedback_share(actor=world.maya, feedback=world.praise)
        feedback_hide(actor=world.ravi, feedback=world.praise)
        assert world.praise.public_consented_at is None
        assert not Feedback.objects.public().exists()

    def test_only_the_giver_asks_and_only_the_receiver_decides(self, world: World) -> None:
        with pytest.raises(PermissionDenied):
            feedback_share(actor=world.ravi, feedback=world.praise)
        feedback_share(actor=world.maya, feedback=world.praise)
        for action in (feedback_consent, feedback_hide):
            with pytest.raises(PermissionDenied):
                action(actor=world.maya, feedback=world.praise)
        assert not Feedback.objects.public().exists()

    def test_constructive_feedback_is_never_public(self, world: World) -> None:
        with pytest.raises(ValidationError, match="Only praise"):
            feedback_share(actor=world.ravi, feedback=world.upward)
        with pytest.raises(ValidationError):
            feedback_consent(actor=world.maya, feedback=world.upward)

    def test_consent_needs_a_request(self, world: World) -> None:
        with pytest.raises(ValidationError, match="Nobody asked"):
            feedback_consent(actor=world.ravi, feedback=world.praise)
        with pytest.raises(ValidationError):
            feedback_hide(actor=world.ravi, feedback=world.praise)

    def test_deleted_praise_leaves_the_recognition_page(self, world: World) -> None:
        feedback_share(actor=world.maya, feedback=world.praise)
        feedback_consent(actor=world.ravi, feedback=world.praise)
        feedback_delete(actor=world.maya, feedback=world.praise)
        assert not Feedback.objects.public().exists()
        with pytest.raises(ValidationError):
            feedback_share(actor=world.maya, feedback=world.praise)

    def test_the_receiver_can_hide_praise_after_the_1on1_ended(self, world: World) -> None:
        feedback_share(actor=world.maya, feedback=world.praise)
        feedback_consent(actor=world.ravi, feedback=world.praise)
        relationship_end(actor=world.maya, relationship=world.relationship)
        praise = feedback_for(world.ravi, world.praise.uuid)
        feedback_hide(actor=world.ravi, feedback=praise)
        assert not Feedback.objects.public().exists()
        with pytest.raises(PermissionDenied):
            feedback_consent(actor=world.ravi, feedback=feedback_for(world.ravi, praise.uuid))

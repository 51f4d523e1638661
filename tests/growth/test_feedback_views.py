"""Feedback views: the meeting's feedback section, the give form, the log and recognition."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from growth.models import Feedback
from growth.models.feedback import FEEDBACK_TEXT
from growth.services.feedback import (
    feedback_consent,
    feedback_delete,
    feedback_give,
    feedback_share,
)
from meetings.models import Theme
from meetings.services.relationships import relationship_end
from playbook.models import Question
from tests.growth.feedback_world import CURRENT, HELD, HTMX, World, give_url
from tests.growth.feedback_world import clock as clock
from tests.growth.feedback_world import world as world

SECTION = {"section": "focus"}


def page(client: Client, world: World) -> str:
    return client.get(
        reverse("meetings:relationship", args=[world.relationship.uuid])
    ).content.decode()


def messages_of(response: object) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


class TestGiveForm:
    def test_the_report_gets_an_upward_prompt_with_the_question_bank(self, world: World) -> None:
        response = world.client("ravi").get(give_url(world))
        html = response.content.decode()
        assert response.status_code == 200
        assert "<h1>Feedback for Maya</h1>" in html
        assert world.question.text in html

    def test_only_the_banks_feedback_to_manager_questions_are_offered(self, world: World) -> None:
        Question.objects.create(
            organization_id=world.relationship.organization_id,
            theme=Theme.CAREER,
            audience=Question.Audience.TO_MANAGER,
            text="Which career decision of yours would you make differently?",
        )
        html = world.client("ravi").get(give_url(world)).content.decode()
        assert world.question.text in html
        assert "Which career decision" not in html

    def test_the_manager_gets_no_feedback_to_manager_questions(self, world: World) -> None:
        html = world.client("maya").get(give_url(world)).content.decode()
        assert "Give Ravi feedback" in html
        assert world.question.text not in html
        assert 'name="question"' not in html

    def test_htmx_gets_the_form_alone(self, world: World) -> None:
        response = world.client("ravi").get(give_url(world), headers=HTMX)
        html = response.content.decode()
        assert 'id="fb-form"' in html
        assert "<html" not in html

    def test_posting_records_feedback_and_returns_to_the_1on1(self, world: World) -> None:
        response = world.client("ravi").post(
            give_url(world),
            {
                "kind": "praise",
                "text": "Thanks for the clear priorities.",
                "situation": "Monday planning",
                "question": str(world.question.uuid),
            },
        )
        assert response.status_code == 302
        assert response["Location"] == reverse(
            "meetings:relationship", args=[world.relationship.uuid]
        )
        feedback = Feedback.objects.get(text="Thanks for the clear priorities.")
        assert (feedback.giver, feedback.receiver, feedback.is_upward) == (
            world.ravi,
            world.maya,
            True,
        )
        assert feedback.situation == "Monday planning"
        assert feedback.prompt == world.question.text
        assert messages_of(response) == ["Feedback recorded. Only the two of you can see it."]

    def test_feedback_can_be_given_from_a_past_meeting(self, world: World) -> None:
        response = world.client("maya").post(
            give_url(world, HELD), {"kind": "praise", "text": "Late thanks."}
        )
        assert response.status_code == 302
        assert Feedback.objects.get(text="Late thanks.").meeting.occurrence_start == HELD  # type: ignore[union-attr]

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"kind": "praise", "text": ""}, "Write your feedback."),
            ({"kind": "praise", "text": "   "}, "Write your feedback."),
            (
                {"kind": "praise", "text": "x" * (FEEDBACK_TEXT + 1)},
                "Keep this under 5000 characters",
            ),
            (
                {"kind": "praise", "text": "ok", "impact": "x" * (FEEDBACK_TEXT + 1)},
                "Keep this under 5000",
            ),
            ({"kind": "rumour", "text": "ok"}, "Select a valid choice"),
            (
                {"kind": "praise", "text": "ok", "question": "not-a-question"},
                "Choose one of the questions",
            ),
        ],
    )
    def test_bad_input_shows_field_errors_and_changes_nothing(
        self, world: World, data: dict[str, str], message: str
    ) -> None:
        response = world.client("ravi").post(give_url(world), data)
        assert response.status_code == 400
        assert message in response.content.decode()
        assert Feedback.objects.count() == 2

    def test_the_manager_cannot_smuggle_in_a_question(self, world: World) -> None:
        data = {"kind": "praise", "text": "ok", "question": str(world.question.uuid)}
        response = world.client("maya").post(give_url(world), data)
        assert response.status_code == 400
        assert Feedback.objects.count() == 2

    def test_wrong_method(self, world: World) -> None:
        assert world.client("maya").put(give_url(world)).status_code == 405

    def test_outsiders_get_404_and_an_ended_1on1_403(self, world: World) -> None:
        for name in ("olga", "ada", "otto"):
            assert (
                world.client(name)
                .post(give_url(world), {"kind": "praise", "text": "x"})
                .status_code
                == 404
            )
        relationship_end(actor=world.maya, relationship=world.relationship)
        assert (
            world.client("maya").post(give_url(world), {"kind": "praise", "text": "x"}).status_code
            == 403
        )
        assert Feedback.objects.count() == 2


class TestFocusSection:
    def test_both_participants_see_the_meetings_feedback(self, world: World) -> None:
        for name in ("maya", "ravi"):
            html = page(world.client(name), world)
            assert 'id="focus-feedback"' in html
            assert world.praise.text in html
            assert world.upward.text in html
        assert "Feedback for Maya" in page(world.client("ravi"), world)
        assert "Give Ravi feedback" in page(world.client("maya"), world)

    def test_htmx_post_answers_with_the_section(self, world: World) -> None:
        response = world.client("maya").post(
            give_url(world),
            {"kind": "constructive", "text": "Fewer status updates."} | SECTION,
            headers=HTMX,
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert html.lstrip().startswith('<section id="focus-feedback"')
        assert "Fewer status updates." in html
        assert "Feedback recorded" in html
        assert response["X-Rapport-Version"]

    def test_htmx_invalid_input_keeps_the_text_and_opens_the_form(self, world: World) -> None:
        data = {"kind": "praise", "text": "", "situation": "At the offsite"} | SECTION
        response = world.client("maya").post(give_url(world), data, headers=HTMX)
        html = response.content.decode()
        assert response.status_code == 400
        assert "Write your feedback." in html
        assert "At the offsite" in html
        assert '<details class="fb-give" open>' in html

    def test_html_in_feedback_is_inert(self, world: World) -> None:
        give = {"kind": "praise", "text": "<script>alert(1)</script>", "impact": "<b>big</b>"}
        world.client("maya").post(give_url(world), give)
        html = page(world.client("ravi"), world)
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&lt;b&gt;big&lt;/b&gt;" in html

    def test_deleted_feedback_shows_only_to_its_giver_with_undo(self, world: World) -> None:
        response = world.client("maya").post(
            reverse("growth:feedback_delete", args=[world.praise.uuid]), SECTION, headers=HTMX
        )
        assert response.status_code == 200
        assert "Undo" in response.content.decode()
        assert world.praise.text not in page(world.client("ravi"), world)
        maya_page = page(world.client("maya"), world)
        assert "Ravi no longer sees it" in maya_page
        # The giver still reads what they deleted, to decide whether to undo it.
        assert world.praise.text in maya_page
        response = world.client("maya").post(
            reverse("growth:feedback_restore", args=[world.praise.uuid]), SECTION, headers=HTMX
        )
        assert world.praise.text in response.content.decode()
        assert world.praise.text in page(world.client("ravi"), world)

    def test_the_receiver_is_asked_to_allow_sharing(self, world: World) -> None:
        response = world.client("maya").post(
            reverse("growth:feedback_share", args=[world.praise.uuid]), SECTION, headers=HTMX
        )
        assert "Waiting for Ravi to allow sharing" in response.content.decode()
        html = page(world.client("ravi"), world)
        assert "Maya would like to share this on the recognition page." in html
        assert ">Allow</button>" in html
        assert ">Not now</button>" in html

    def test_a_refused_action_answers_400_with_the_reason(self, world: World) -> None:
        response = world.client("ravi").post(
            reverse("growth:feedback_share", args=[world.upward.uuid]), SECTION, headers=HTMX
        )
        assert response.status_code == 400
        assert "Only praise can be shared" in response.content.decode()

    def test_the_past_meetings_record_shows_its_live_feedback(
        self, world: World, clock: time_machine.Traveller
    ) -> None:
        feedback_delete(actor=world.ravi, feedback=world.upward)
        clock.shift(timedelta(days=7, hours=2))
        html = page(world.client("ravi"), world)
        assert world.praise.text in html
        assert world.upward.text not in html


class TestActions:
    def url(self, name: str, feedback: Feedback) -> str:
        return reverse(f"growth:{name}", args=[feedback.uuid])

    def test_a_plain_post_returns_to_the_page_it_came_from(self, world: World) -> None:
        log = reverse("growth:feedback_log") + "?view=given"
        response = world.client("maya").post(
            self.url("feedback_delete", world.praise), {"next": log}
        )
        assert response["Location"] == log
        response = world.client("maya").post(
            self.url("feedback_restore", world.praise), {"next": "https://evil.example/"}
        )
        assert response["Location"] == reverse(
            "meetings:relationship", args=[world.relationship.uuid]
        )

    def test_no_undo_after_30_days(self, world: World, clock: time_machine.Traveller) -> None:
        feedback_delete(actor=world.maya, feedback=world.praise)
        clock.shift(timedelta(days=31))
        response = world.client("maya").post(self.url("feedback_restore", world.praise))
        assert response.status_code == 302
        assert "restored for 30 days" in " ".join(messages_of(response))
        world.praise.refresh_from_db()
        assert world.praise.deleted_at is not None

    @pytest.mark.parametrize(
        "name",
        [
            "feedback_delete",
            "feedback_restore",
            "feedback_share",
            "feedback_consent",
            "feedback_hide",
        ],
    )
    def test_actions_are_post_only(self, world: World, name: str) -> None:
        assert world.client("maya").get(self.url(name, world.praise)).status_code == 405

    def test_consent_and_hide_from_the_log(self, world: World) -> None:
        feedback_share(actor=world.maya, feedback=world.praise)
        ravi = world.client("ravi")
        log = reverse("growth:feedback_log")
        assert "Maya would like to share this" in ravi.get(log).content.decode()
        ravi.post(self.url("feedback_consent", world.praise), {"next": log})
        recognition = world.client("olga").get(reverse("growth:recognition")).content.decode()
        assert world.praise.text in recognition
        ravi.post(self.url("feedback_hide", world.praise), {"next": log})
        recognition = world.client("olga").get(reverse("growth:recognition")).content.decode()
        assert world.praise.text not in recognition
        assert "Show it there" in ravi.get(log).content.decode()


class TestLog:
    def test_it_lists_feedback_i_received_with_its_meeting(self, world: World) -> None:
        html = world.client("maya").get(reverse("growth:feedback_log")).content.decode()
        assert world.upward.text in html
        assert world.praise.text not in html
        meeting_url = reverse(
            "meetings:meeting", args=[world.relationship.uuid, "20270112T150000Z"]
        )
        assert meeting_url in html
        assert "To the manager" in html

    def test_it_filters_by_kind_and_shows_what_i_gave(self, world: World) -> None:
        maya = world.client("maya")
        log = reverse("growth:feedback_log")
        assert world.upward.text not in maya.get(log, {"kind": "praise"}).content.decode()
        assert world.upward.text in maya.get(log, {"kind": "constructive"}).content.decode()
        given = maya.get(log, {"view": "given"}).content.decode()
        assert world.praise.text in given
        assert world.upward.text not in given
        # Unknown filters fall back to everything received.
        assert world.upward.text in maya.get(log, {"kind": "<x>", "view": "all"}).content.decode()

    def test_upward_feedback_reaches_only_the_manager(self, world: World) -> None:
        for name in ("ravi", "olga", "ada", "otto"):
            received = world.client(name).get(reverse("growth:feedback_log")).content.decode()
            assert world.upward.text not in received, name
        for name in ("olga", "ada", "otto"):
            given = world.client(name).get(reverse("growth:feedback_log"), {"view": "given"})
            assert world.upward.text not in given.content.decode()

    def test_it_is_paginated_newest_first(
        self, world: World, clock: time_machine.Traveller
    ) -> None:
        for n in range(25):
            clock.shift(timedelta(minutes=1))
            feedback_give(
                actor=world.ravi,
                relationship=world.relationship,
                meeting_key=CURRENT,
                kind="praise",
                text=f"Thanks #{n}",
            )
        maya = world.client("maya")
        first = maya.get(reverse("growth:feedback_log")).content.decode()
        assert "Thanks #24" in first
        assert "Thanks #5" in first
        assert "Thanks #4" not in first
        assert "Page 1 of 2" in first
        second = maya.get(reverse("growth:feedback_log"), {"page": "2"}).content.decode()
        assert "Thanks #4" in second
        assert world.upward.text in second

    def test_anonymous_visitors_sign_in_first(self, world: World) -> None:
        for name in ("growth:feedback_log", "growth:recognition"):
            response = Client().get(reverse(name))
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("account_login"))


class TestRecognition:
    def make_public(self, world: World) -> None:
        feedback_give(
            actor=world.maya,
            relationship=world.relationship,
            meeting_key=CURRENT,
            kind="praise",
            text="Great launch",
            situation="SECRET-SITUATION",
        )
        praise = Feedback.objects.get(text="Great launch")
        feedback_share(actor=world.maya, feedback=praise)
        feedback_consent(actor=world.ravi, feedback=praise)

    def test_public_praise_shows_to_the_whole_organization_only(self, world: World) -> None:
        self.make_public(world)
        for name in ("maya", "ravi", "olga", "ada"):
            html = world.client(name).get(reverse("growth:recognition")).content.decode()
            assert "Great launch" in html
            assert "Maya Manager" in html
            assert "Ravi Report" in html
            assert "SECRET-SITUATION" not in html
            assert str(world.relationship.uuid) not in html
        html = world.client("otto").get(reverse("growth:recognition")).content.decode()
        assert "Great launch" not in html

    def test_newest_public_praise_comes_first(
        self, world: World, clock: time_machine.Traveller
    ) -> None:
        self.make_public(world)
        clock.shift(timedelta(hours=1))
        feedback_share(actor=world.maya, feedback=world.praise)
        feedback_consent(actor=world.ravi, feedback=world.praise)
        html = world.client("olga").get(reverse("growth:recognition")).content.decode()
        assert html.index(world.praise.text) < html.index("Great launch")

    def test_hidden_or_deleted_praise_leaves_the_page(self, world: World) -> None:
        self.make_public(world)
        feedback_share(actor=world.maya, feedback=world.praise)
        feedback_consent(actor=world.ravi, feedback=world.praise)
        ravi = world.client("ravi")
        ravi.post(reverse("growth:feedback_hide", args=[world.praise.uuid]))
        world.client("maya").post(
            reverse("growth:feedback_delete", args=[Feedback.objects.get(text="Great launch").uuid])
        )
        for name in ("maya", "ravi", "olga"):
            html = world.client(name).get(reverse("growth:recognition")).content.decode()
            assert world.praise.text not in html, name
            assert "Great launch" not in html, name
        # The receiver no longer finds the deleted praise anywhere, not even in his log.
        assert "Great launch" not in ravi.get(reverse("growth:feedback_log")).content.decode()
        assert world.praise.text in ravi.get(reverse("growth:feedback_log")).content.decode()

    def test_praise_waiting_for_consent_is_not_public(self, world: World) -> None:
        feedback_share(actor=world.maya, feedback=world.praise)
        html = world.client("olga").get(reverse("growth:recognition")).content.decode()
        assert world.praise.text not in html
        assert "No shared praise yet" in html

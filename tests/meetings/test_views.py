"""The 1:1 pages through HTTP: bad input is refused clearly and changes nothing."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from meetings.live import HEADER
from meetings.models import Meeting, Relationship, TalkingPoint, Theme
from meetings.services.agenda import point_add, point_set_discussed
from meetings.services.common import meeting_materialize
from meetings.services.meetings import meeting_close
from meetings.services.notes import shared_notes_save
from people.models import Organization, Person
from playbook.models import Question, Template
from playbook.services import playbook_seed_organization
from tests.conftest import client_for

FIRST = datetime(2027, 1, 5, 15, 0, tzinfo=UTC)
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def clock(now: datetime) -> Iterator[None]:
    with time_machine.travel(now, tick=False):
        yield


def page_of(rel: Relationship) -> str:
    return reverse("meetings:relationship", args=[rel.uuid])


def start_data(other: Person, **overrides: str) -> dict[str, str]:
    data = {
        "other": str(other.pk),
        "kind": "manager",
        "cadence": "weekly",
        "weekday": "1",
        "nth": "",
        "first_date": "2027-01-05",
        "local_time": "10:00",
        "timezone": "America/New_York",
        "duration_minutes": "30",
        "template": "",
    }
    return data | overrides


class TestStartingA1on1:
    def test_it_starts_a_weekly_1on1_and_seeds_the_first_agenda_from_a_template(
        self, maya: Person, ravi: Person, acme: Organization
    ) -> None:
        playbook_seed_organization(organization=acme)
        template = Template.objects.get(organization=acme, name__startswith="First 1:1")
        response = client_for(maya).post(
            reverse("meetings:relationship_new"), start_data(ravi, template=str(template.pk))
        )
        rel = Relationship.objects.get()
        assert response.status_code == 302
        assert response["Location"] == page_of(rel)
        assert rel.schedules.get().rrule == "FREQ=WEEKLY;INTERVAL=1;BYDAY=TU"
        assert TalkingPoint.objects.filter(relationship=rel).count() == template.prompts.count()

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"first_date": "2026-12-01"}, "Choose today or a later date."),
            (
                {"weekday": "6", "first_date": "2027-03-14", "local_time": "02:30"},
                "does not exist on 14 March 2027",
            ),
            ({"cadence": "monthly", "nth": ""}, "Choose which week of the month."),
            ({"nth": "5", "cadence": "monthly"}, "Select a valid choice"),
            ({"timezone": "Mars/Olympus"}, "Select a valid choice"),
            ({"duration_minutes": "1000"}, "Select a valid choice"),
        ],
    )
    def test_it_refuses_bad_plans_with_a_clear_message(
        self, maya: Person, ravi: Person, overrides: dict[str, str], message: str
    ) -> None:
        response = client_for(maya).post(
            reverse("meetings:relationship_new"), start_data(ravi, **overrides)
        )
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not Relationship.objects.exists()

    def test_a_manager_1on1_with_someone_elses_report_is_refused(
        self, maya: Person, oren: Person
    ) -> None:
        response = client_for(maya).post(reverse("meetings:relationship_new"), start_data(oren))
        assert response.status_code == 400
        assert "does not report to you" in response.content.decode()
        assert not Relationship.objects.exists()


class TestAgendaInput:
    def test_an_over_long_point_is_refused_and_nothing_changes(
        self, one_on_one: Relationship, ravi: Person
    ) -> None:
        url = reverse("meetings:point_add", args=[one_on_one.uuid])
        response = client_for(ravi).post(
            url, {"text": "x" * 10_001, "theme": "other"}, headers=HTMX
        )
        assert response.status_code == 400
        assert response["HX-Retarget"] == "#add-point"
        assert "under 10000 characters" in response.content.decode()
        assert not TalkingPoint.objects.exists()

    def test_an_unknown_theme_or_meeting_is_refused(
        self, one_on_one: Relationship, ravi: Person
    ) -> None:
        url = reverse("meetings:point_add", args=[one_on_one.uuid])
        client = client_for(ravi)
        bad_theme = client.post(url, {"text": "Hi", "theme": "gossip"}, headers=HTMX)
        bad_meeting = client.post(
            url, {"text": "Hi", "theme": "other", "planned_for": "20270105T150001Z"}, headers=HTMX
        )
        assert bad_theme.status_code == 400
        assert bad_meeting.status_code == 400
        assert "Choose one of the upcoming meetings." in bad_meeting.content.decode()
        assert not TalkingPoint.objects.exists()

    def test_html_and_script_in_points_and_notes_are_inert(
        self, one_on_one: Relationship, maya: Person, ravi: Person
    ) -> None:
        point_add(actor=ravi, relationship=one_on_one, text="<script>alert('p')</script>")
        meeting = meeting_materialize(relationship=one_on_one, key=FIRST)
        shared_notes_save(
            actor=maya,
            meeting=meeting,
            text="<img src=x onerror=alert(1)> **bold** [link](javascript:alert(2))",
            base_version=0,
        )
        body = client_for(maya).get(page_of(one_on_one)).content.decode()
        assert "<script>alert('p')</script>" not in body
        assert "&lt;script&gt;alert(&#x27;p&#x27;)&lt;/script&gt;" in body
        assert "<img src=x" not in body
        assert "<strong>bold</strong>" in body
        assert 'href="javascript' not in body

    def test_a_stale_notes_save_answers_409_with_the_current_text(
        self, one_on_one: Relationship, maya: Person, ravi: Person
    ) -> None:
        meeting = meeting_materialize(relationship=one_on_one, key=FIRST)
        shared_notes_save(actor=maya, meeting=meeting, text="Maya wrote this", base_version=0)
        url = reverse("meetings:notes", args=[one_on_one.uuid, "20270105T150000Z"])
        response = client_for(ravi).post(url, {"text": "Ravi's take", "version": "0"}, headers=HTMX)
        body = response.content.decode()
        assert response.status_code == 409
        assert "Maya Manager saved these notes while you were editing" in body
        assert "Maya wrote this" in body
        assert "Ravi&#x27;s take" in body
        meeting.refresh_from_db()
        assert meeting.notes == "Maya wrote this"


class TestSuggestionsAndTemplates:
    def test_it_suggests_from_the_theme_silent_longest_and_accepting_adds_a_point(
        self, one_on_one: Relationship, maya: Person, ravi: Person, acme: Organization
    ) -> None:
        playbook_seed_organization(organization=acme)
        # Every theme but career was discussed at the first meeting.
        for theme in Theme.values:
            if theme not in (Theme.CAREER, Theme.OTHER):
                point = point_add(actor=maya, relationship=one_on_one, text=theme, theme=theme)
                point_set_discussed(actor=maya, point=point, meeting_key=FIRST, discussed=True)
        response = client_for(ravi).get(reverse("meetings:suggest", args=[one_on_one.uuid]))
        question = response.context["question"]
        assert question.theme == Theme.CAREER
        assert question.audience in (Question.Audience.ANYONE, Question.Audience.TO_MANAGER)
        client_for(ravi).post(
            reverse("meetings:suggest_accept", args=[one_on_one.uuid]),
            {"question": str(question.uuid)},
        )
        added = TalkingPoint.objects.get(text=question.text)
        assert (added.author_id, added.theme, added.source) == (ravi.pk, "career", "question")

    def test_it_suggests_from_a_theme_asked_for_and_keeps_it_for_another_question(
        self, one_on_one: Relationship, ravi: Person, acme: Organization
    ) -> None:
        playbook_seed_organization(organization=acme)
        url = reverse("meetings:suggest", args=[one_on_one.uuid])
        client = client_for(ravi)

        asked = client.get(url, {"theme": Theme.WELLBEING})
        unknown = client.get(url, {"theme": "gossip"})

        assert asked.context["question"].theme == Theme.WELLBEING
        body = asked.content.decode()
        assert "has gone quiet" in body
        assert "?theme=wellbeing&amp;skip=" in body
        # An unknown theme is ignored: the quietest theme comes first, as without one.
        assert unknown.status_code == 200
        assert unknown.context["theme"] == ""

    def test_another_organizations_template_is_refused(
        self, one_on_one: Relationship, maya: Person, globex: Organization
    ) -> None:
        playbook_seed_organization(organization=globex)
        foreign = Template.objects.filter(organization=globex).first()
        assert foreign is not None
        response = client_for(maya).post(
            reverse("meetings:template_apply", args=[one_on_one.uuid]),
            {"template": str(foreign.uuid)},
            headers=HTMX,
        )
        assert response.status_code == 400
        assert not TalkingPoint.objects.exists()


class TestLiveAndHistory:
    def test_the_live_poll_is_empty_until_something_shared_changes(
        self, one_on_one: Relationship, maya: Person, ravi: Person
    ) -> None:
        url = reverse("meetings:live", args=[one_on_one.uuid])
        version = Relationship.objects.get(pk=one_on_one.pk).shared_version
        client = client_for(maya)
        assert client.get(url, {"v": version}, headers=HTMX).status_code == 204
        point_add(actor=ravi, relationship=one_on_one, text="Fresh topic from Ravi")
        response = client.get(url, {"v": version}, headers=HTMX)
        body = response.content.decode()
        assert response.status_code == 200
        assert "Fresh topic from Ravi" in body
        assert 'hx-swap-oob="true"' in body
        assert f'data-version="{version + 1}"' in body

    def test_a_write_tells_its_page_which_version_it_made(
        self, one_on_one: Relationship, maya: Person, ravi: Person
    ) -> None:
        """The writer's page adopts its own bump instead of polling its change back."""
        url = reverse("meetings:point_add", args=[one_on_one.uuid])
        version = Relationship.objects.get(pk=one_on_one.pk).shared_version
        shared = client_for(ravi).post(url, {"text": "Shared", "theme": "other"}, headers=HTMX)
        assert shared[HEADER] == f"{version} {version + 1}"

        private = client_for(ravi).post(
            url, {"text": "Mine", "theme": "other", "is_private": "on"}, headers=HTMX
        )
        assert private.status_code == 200
        assert HEADER not in private  # nothing shared moved: the page keeps its version
        refused = client_for(ravi).post(url, {"text": "", "theme": "other"}, headers=HTMX)
        assert refused.status_code == 400
        assert HEADER not in refused
        plain = client_for(maya).post(url, {"text": "No htmx", "theme": "other"})
        assert plain.status_code == 302
        assert HEADER not in plain
        assert Relationship.objects.get(pk=one_on_one.pk).shared_version == version + 2

    def test_the_poll_interval_follows_the_setting(
        self, one_on_one: Relationship, ravi: Person, settings: Any
    ) -> None:
        settings.RAPPORT_LIVE_POLL_MS = 3500
        settings.RAPPORT_PAGE_CACHE_SECONDS = 0
        body = client_for(ravi).get(page_of(one_on_one)).content.decode()
        assert 'hx-trigger="every 3500ms"' in body

    def test_an_htmx_add_answers_with_just_the_new_row(
        self, one_on_one: Relationship, ravi: Person
    ) -> None:
        point_add(actor=ravi, relationship=one_on_one, text="Already there")
        url = reverse("meetings:point_add", args=[one_on_one.uuid])
        response = client_for(ravi).post(
            url, {"text": "Brand new", "theme": "career"}, headers=HTMX
        )
        body = response.content.decode()
        new = TalkingPoint.objects.get(text="Brand new")
        assert response.status_code == 200
        assert body.lstrip().startswith(f'<li id="point-{new.uuid}"')
        assert body.count("<li") == 1
        assert "Already there" not in body
        # Its "discussed" box is for the meeting the agenda is for: 5 Jan at 10:00 New York.
        assert 'name="meeting" value="20270105T150000Z"' in body

    def test_the_new_row_follows_the_meeting_the_page_shows(
        self, one_on_one: Relationship, ravi: Person
    ) -> None:
        client = client_for(ravi)
        page = client.get(page_of(one_on_one)).content.decode()
        # The page's add form carries the meeting its agenda is for (from the live panel).
        assert 'form="add-point" name="focus" value="20270105T150000Z"' in page
        url = reverse("meetings:point_add", args=[one_on_one.uuid])

        def row(focus: str) -> str:
            data = {"text": f"With focus {focus!r}", "theme": "other", "focus": focus}
            response = client.post(url, data, headers=HTMX)
            assert response.status_code == 200
            return response.content.decode()

        # A page still showing an earlier meeting gets a row that matches it.
        assert 'name="meeting" value="20261229T150000Z"' in row("20261229T150000Z")
        # A page with no meeting ahead shows rows without the "discussed" box.
        assert 'name="meeting"' not in row("")
        # Anything else is not trusted: the server works out the meeting itself.
        assert 'name="meeting" value="20270105T150000Z"' in row("next-tuesday")
        assert TalkingPoint.objects.filter(text__startswith="With focus").count() == 3

    def test_new_points_go_to_the_end_of_the_agenda_in_order(
        self, one_on_one: Relationship, maya: Person, ravi: Person
    ) -> None:
        first = point_add(actor=ravi, relationship=one_on_one, text="First")
        second = point_add(actor=maya, relationship=one_on_one, text="Second", is_private=True)
        third = point_add(actor=ravi, relationship=one_on_one, text="Third")
        # The position comes back from the INSERT that computed it.
        assert (first.position, second.position, third.position) == (1, 2, 3)
        assert list(TalkingPoint.objects.values_list("position", flat=True)) == [1, 2, 3]

    def test_an_htmx_add_for_a_later_meeting_leaves_the_agenda_alone(
        self, one_on_one: Relationship, ravi: Person
    ) -> None:
        url = reverse("meetings:point_add", args=[one_on_one.uuid])
        response = client_for(ravi).post(
            url,
            {"text": "For the week after", "theme": "other", "planned_for": "20270112T150000Z"},
            headers=HTMX,
        )
        assert response.status_code == 200
        assert response["HX-Reswap"] == "none"
        # "Coming up" changed but is not in the answer: the page must poll for it.
        assert HEADER not in response
        point = TalkingPoint.objects.get(text="For the week after")
        assert point.planned_for == datetime(2027, 1, 12, 15, 0, tzinfo=UTC)

    def test_history_search_finds_meetings_by_their_notes(
        self, one_on_one: Relationship, maya: Person
    ) -> None:
        meeting = meeting_materialize(relationship=one_on_one, key=FIRST)
        shared_notes_save(
            actor=maya, meeting=meeting, text="We agreed on the *Lisbon* offsite", base_version=0
        )
        with time_machine.travel(FIRST + timedelta(hours=1), tick=False):
            meeting_close(actor=maya, relationship=one_on_one, key=FIRST)
        with time_machine.travel(FIRST + timedelta(days=2), tick=False):
            client = client_for(maya)
            hit = client.get(page_of(one_on_one), {"q": "lisbon"})
            miss = client.get(page_of(one_on_one), {"q": "reykjavik"})
            record = client.get(
                reverse("meetings:meeting", args=[one_on_one.uuid, "20270105T150000Z"]),
                {"fragment": "record"},
                headers=HTMX,
            )
        # An opened history entry loads its record (here, the shared notes).
        assert "<em>Lisbon</em>" in record.content.decode()
        assert list(hit.context["history"]) == [Meeting.objects.get(pk=meeting.pk)]
        assert list(miss.context["history"]) == []
        assert "Nothing matches." in miss.content.decode()

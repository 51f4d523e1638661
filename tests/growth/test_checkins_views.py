"""The check-in page, and what the relationship page shows of check-ins."""

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from growth.models import CheckIn
from growth.models.checkins import CHECKIN_TEXT
from growth.selectors.checkins import TREND_LENGTH, page_context
from meetings.models import Relationship, TalkingPoint
from meetings.occurrences import focus, key_slug
from meetings.schedule import Cadence, CadenceKind
from meetings.selectors import series_upcoming
from meetings.services.meetings import meeting_cancel, meeting_close
from meetings.services.relationships import relationship_end, relationship_start
from people.models import Person
from tests.conftest import client_for
from tests.growth.checkins_world import VALID, submit, weekly
from tests.meetings.conftest import FIRST, SECOND

# Time stands still at `now` (the `clock` of tests/growth/conftest.py).
pytestmark = pytest.mark.usefixtures("clock")


def url(relationship: Relationship, key: datetime = FIRST) -> str:
    return reverse("growth:checkin", args=[relationship.uuid, key_slug(key)])


def page(relationship: Relationship) -> str:
    return reverse("meetings:relationship", args=[relationship.uuid])


def test_the_page_shows_an_empty_form_and_the_other_side(
    one_on_one: Relationship, ravi: Person
) -> None:
    response = client_for(ravi).get(url(one_on_one))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Check-in for" in html
    assert "Maya has not checked in for this meeting yet." in html
    assert 'name="version" value="0"' in html
    assert ">Check in</button>" in html


def test_the_form_is_prefilled_and_the_other_check_in_shown(
    one_on_one: Relationship, maya: Person, ravi: Person
) -> None:
    submit(ravi, one_on_one, mood=2, workload="too_much", wins="Shipped the importer")
    submit(maya, one_on_one, mood=5, priorities="Hiring plan")
    submit(
        ravi, one_on_one, mood=2, workload="too_much", wins="Shipped the importer", base_version=0
    )
    html = client_for(ravi).get(url(one_on_one)).content.decode()
    assert 'name="version" value="1"' in html
    assert re.search(r'<input type="radio" name="mood" value="2"[^>]* checked', html)
    assert re.search(r'<input type="radio" name="workload" value="too_much"[^>]* checked', html)
    assert "Shipped the importer</textarea>" in html
    assert "Hiring plan" in html
    assert "Mood 5/5 · Great" in html
    assert ">Save changes</button>" in html


def test_htmx_gets_only_the_form(one_on_one: Relationship, ravi: Person) -> None:
    response = client_for(ravi).get(url(one_on_one), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="checkin-form"')
    assert "<html" not in html


def test_posting_saves_and_goes_back_to_the_one_on_one(
    one_on_one: Relationship, ravi: Person
) -> None:
    data = VALID | {"blockers": "Waiting on API keys", "version": "0"}
    response = client_for(ravi).post(url(one_on_one), data, follow=True)
    assert response.redirect_chain == [(page(one_on_one), 302)]
    html = response.content.decode()
    assert "Check-in saved. Maya sees it at the top of the agenda." in html
    assert "Edit your check-in" in html
    checkin = CheckIn.objects.get()
    assert (checkin.author, checkin.mood, checkin.wins) == (ravi, 4, "Shipped")
    assert TalkingPoint.objects.get().text == "Waiting on API keys"


def test_an_htmx_post_redirects_the_whole_page(one_on_one: Relationship, ravi: Person) -> None:
    response = client_for(ravi).post(
        url(one_on_one), VALID | {"version": "0"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == page(one_on_one)


def test_other_methods_are_not_allowed(one_on_one: Relationship, ravi: Person) -> None:
    assert client_for(ravi).put(url(one_on_one)).status_code == 405


@pytest.mark.parametrize("who", ["olga", "ada", "otto"])
def test_outsiders_get_404(
    one_on_one: Relationship, request: pytest.FixtureRequest, who: str
) -> None:
    client = client_for(request.getfixturevalue(who))
    assert client.get(url(one_on_one)).status_code == 404
    assert client.post(url(one_on_one), VALID | {"version": "0"}).status_code == 404
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("slug", ["20270105T160000Z", "not-a-key"])
def test_a_time_without_a_meeting_is_404(one_on_one: Relationship, ravi: Person, slug: str) -> None:
    target = reverse("growth:checkin", args=[one_on_one.uuid, slug])
    assert client_for(ravi).get(target).status_code == 404
    assert client_for(ravi).post(target, VALID | {"version": "0"}).status_code == 404


def test_an_ended_one_on_one_is_read_only(
    one_on_one: Relationship, maya: Person, ravi: Person
) -> None:
    relationship_end(actor=maya, relationship=one_on_one)
    assert client_for(ravi).get(url(one_on_one)).status_code == 403
    assert client_for(ravi).post(url(one_on_one), VALID | {"version": "0"}).status_code == 403
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"mood": ""}, "Choose a mood from 1 to 5."),
        ({"mood": "9"}, "Choose a mood from 1 to 5."),
        ({"workload": "lots"}, "Choose how your workload feels."),
        ({"wins": "x" * (CHECKIN_TEXT + 1)}, f"Keep this under {CHECKIN_TEXT} characters"),
        ({"version": "-1"}, "Please correct the highlighted fields."),
    ],
)
def test_bad_input_shows_field_errors_and_changes_nothing(
    one_on_one: Relationship, ravi: Person, changes: dict[str, str], error: str
) -> None:
    data = VALID | {"blockers": "Should not be added", "version": "0"} | changes
    response = client_for(ravi).post(url(one_on_one), data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not CheckIn.objects.exists()
    assert not TalkingPoint.objects.exists()


def test_a_stale_form_answers_409_and_keeps_what_was_typed(
    one_on_one: Relationship, ravi: Person
) -> None:
    submit(ravi, one_on_one, wins="From the other tab")
    submit(ravi, one_on_one, wins="From the other tab, edited", base_version=0)
    data = VALID | {"wins": "From this tab", "version": "0"}
    response = client_for(ravi).post(url(one_on_one), data)
    html = response.content.decode()
    assert response.status_code == 409
    assert "You saved this check-in elsewhere" in html
    assert "From this tab</textarea>" in html
    assert 'name="version" value="1"' in html
    assert CheckIn.objects.get().wins == "From the other tab, edited"


def test_a_cancelled_meeting_explains_and_refuses(
    one_on_one: Relationship, maya: Person, ravi: Person
) -> None:
    meeting_cancel(actor=maya, relationship=one_on_one, key=SECOND, reason="", skip=False)
    client = client_for(ravi)
    html = client.get(url(one_on_one, SECOND)).content.decode()
    assert "This meeting is cancelled: check-ins are for meetings still to come." in html
    assert '<form method="post" action="' + url(one_on_one, SECOND) not in html
    response = client.post(url(one_on_one, SECOND), VALID | {"version": "0"})
    assert response.status_code == 400
    assert not CheckIn.objects.exists()


def test_a_meeting_long_past_explains_and_refuses(
    one_on_one: Relationship, ravi: Person, clock: time_machine.Traveller
) -> None:
    clock.move_to(SECOND - timedelta(days=1))  # FIRST was never closed
    client = client_for(ravi)
    html = client.get(url(one_on_one, FIRST)).content.decode()
    assert "This meeting is over: check-ins are for meetings still to come." in html
    assert '<form method="post" action="' + url(one_on_one, FIRST) not in html
    response = client.post(url(one_on_one, FIRST), VALID | {"blockers": "Old", "version": "0"})
    assert response.status_code == 400
    assert not CheckIn.objects.exists()
    assert not TalkingPoint.objects.exists()


def test_a_check_in_for_a_later_meeting_waits_for_that_meeting(
    one_on_one: Relationship, maya: Person, ravi: Person
) -> None:
    data = VALID | {"wins": "Early bird", "blockers": "Later blocker", "version": "0"}
    response = client_for(ravi).post(url(one_on_one, SECOND), data, follow=True)
    assert (
        "Check-in saved for Tuesday 12 January. Maya sees it at the top of that meeting’s agenda."
        in response.content.decode()
    )
    html = client_for(maya).get(page(one_on_one)).content.decode()
    panel = html[html.index('id="focus-checkins"') : html.index('id="upcoming"')]
    assert "No check-ins for this meeting yet" in panel
    assert "Early bird" not in panel
    assert "Later blocker" not in panel
    upcoming = html[html.index('id="upcoming"') :]
    assert "1 point" in upcoming[: upcoming.index("</section>")]
    assert "Early bird" in client_for(maya).get(url(one_on_one, SECOND)).content.decode()


def test_the_trend_leaves_out_check_ins_from_the_members_other_one_on_ones(
    one_on_one: Relationship, maya: Person, ravi: Person, olga: Person, now: datetime
) -> None:
    peers = relationship_start(
        actor=olga,
        other=ravi,
        kind=Relationship.Kind.PEER,
        cadence=Cadence(CadenceKind.WEEKLY, weekday=3),
        first_date=date(2027, 1, 7),
        local_time=time(9, 0),
        timezone="UTC",
        duration_minutes=30,
        now=now,
    )
    submit(ravi, peers, key=datetime(2027, 1, 7, 9, tzinfo=UTC), mood=1, workload="too_little")
    html = client_for(maya).get(page(one_on_one)).content.decode()
    assert "No check-ins from Ravi yet." in html
    assert '<svg class="trend-chart"' not in html
    assert "Very low" not in html
    # The positive control: the chart of the 1:1 where it was written shows it.
    assert "1 · Very low" in client_for(olga).get(page(peers)).content.decode()


def test_html_in_a_check_in_is_inert(one_on_one: Relationship, maya: Person, ravi: Person) -> None:
    submit(ravi, one_on_one, wins="<script>alert(1)</script>", blockers="<b>bold</b>")
    html = client_for(maya).get(page(one_on_one)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>bold</b>" not in html


def test_the_manager_sees_the_check_in_and_its_blocker_on_the_agenda(
    one_on_one: Relationship, maya: Person, ravi: Person
) -> None:
    submit(ravi, one_on_one, mood=2, workload="too_much", blockers="Waiting on API keys")
    html = client_for(maya).get(page(one_on_one)).content.decode()
    checkins = html[html.index('id="focus-checkins"') : html.index('id="agenda-list"')]
    assert "Ravi" in checkins
    assert "Mood 2/5 · Low" in checkins
    assert "Workload: too much" in checkins
    assert "Check in before the meeting" in checkins
    agenda = html[html.index('id="agenda-list"') :]
    assert "Waiting on API keys" in agenda[: agenda.index("</ol>")]


def test_the_trend_card_has_an_empty_state(one_on_one: Relationship, maya: Person) -> None:
    html = client_for(maya).get(page(one_on_one)).content.decode()
    assert "No check-ins from Ravi yet." in html
    assert '<svg class="trend-chart"' not in html


def test_the_trend_card_charts_the_members_check_ins_with_a_text_alternative(
    one_on_one: Relationship, maya: Person, ravi: Person
) -> None:
    submit(ravi, one_on_one, mood=2, workload="too_much")
    submit(ravi, one_on_one, key=SECOND, mood=4, workload="right")
    submit(maya, one_on_one, mood=1, workload="too_little")  # the manager's own: not charted
    html = client_for(ravi).get(page(one_on_one)).content.decode()
    card = html[html.index('class="card checkins-trend"') :]
    card = card[: card.index("</section>")]
    assert 'role="img"' in card
    assert "mood from 2 (Low) to 4 (Good), workload now about right." in card
    assert card.count("<polygon") == 2
    assert card.count('<tr><th scope="row">') == 2
    assert "1 · Very low" not in card
    assert "Your last 2 check-ins" in card


def test_a_held_meetings_record_shows_its_check_ins(
    one_on_one: Relationship, maya: Person, ravi: Person, clock: time_machine.Traveller
) -> None:
    submit(ravi, one_on_one, wins="Shipped the importer")
    clock.move_to(FIRST + timedelta(minutes=20))
    meeting_close(actor=maya, relationship=one_on_one, key=FIRST)
    clock.move_to(FIRST + timedelta(days=2))
    html = client_for(maya).get(page(one_on_one)).content.decode()
    history = html[html.index('id="history"') :]
    assert "Check-ins" in history
    assert "Shipped the importer" in history


@pytest.mark.parametrize("weeks", [1, TREND_LENGTH + 3])
def test_page_context_takes_two_queries_with_a_focus_meeting(
    one_on_one: Relationship,
    maya: Person,
    ravi: Person,
    django_assert_num_queries: DjangoAssertNumQueries,
    weeks: int,
) -> None:
    for week in range(weeks):
        submit(ravi, one_on_one, key=weekly(week), mood=week % 5 + 1)
    submit(maya, one_on_one)
    current = focus(series_upcoming(one_on_one, now=timezone.now()))
    assert current is not None
    assert current.meeting is not None
    with django_assert_num_queries(2):
        context = page_context(
            one_on_one, maya, focus=current, focus_meeting=current.meeting, now=timezone.now()
        )
    assert len(context["checkins_focus"]) == 2
    assert context["checkins_focus_own"].author == maya
    points = context["checkins_trend"].points
    assert len(points) == min(weeks, TREND_LENGTH)
    # Oldest to newest, ending with the newest check-in.
    assert points[-1].checkin.meeting.occurrence_start == weekly(weeks - 1)
    starts = [p.checkin.meeting.start for p in points]
    assert starts == sorted(starts)


def test_page_context_without_a_focus_meeting_row_takes_one_query(
    one_on_one: Relationship,
    maya: Person,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    current = focus(series_upcoming(one_on_one, now=timezone.now()))
    with django_assert_num_queries(1):
        context = page_context(
            one_on_one, maya, focus=current, focus_meeting=None, now=timezone.now()
        )
    assert context["checkins_focus"] == []
    assert context["checkins_focus_own"] is None
    assert context["checkins_trend"].points == []


def test_the_page_query_count_does_not_grow_with_check_ins(
    one_on_one: Relationship, maya: Person, ravi: Person
) -> None:
    def count() -> int:
        client = client_for(maya)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page(one_on_one)).status_code == 200
        return len(queries)

    submit(ravi, one_on_one, blockers="One")
    with_one = count()
    for week in range(1, TREND_LENGTH + 3):
        submit(ravi, one_on_one, key=weekly(week), blockers=f"B{week}")
    submit(maya, one_on_one, blockers="Mine")
    assert count() == with_one


@pytest.mark.parametrize("viewer", ["maya", "ravi"])
def test_the_check_in_page_query_count_is_fixed(
    one_on_one: Relationship,
    maya: Person,
    ravi: Person,
    request: pytest.FixtureRequest,
    viewer: str,
) -> None:
    person = request.getfixturevalue(viewer)
    client = client_for(person)
    submit(maya, one_on_one, blockers="a\nb\nc")
    client.get(url(one_on_one))  # warm the session
    with CaptureQueriesContext(connection) as one_checkin:
        client.get(url(one_on_one))
    submit(ravi, one_on_one, blockers="d\ne")
    with CaptureQueriesContext(connection) as full:
        client.get(url(one_on_one))
    assert len(full) == len(one_checkin)

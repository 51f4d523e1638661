"""The themes card: when each theme was last discussed, and which ones went quiet."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from growth.selectors.career import ThemeStatus, page_context, theme_statuses
from meetings.access import relationship_for
from meetings.models import Relationship, TalkingPoint, Theme
from meetings.selectors import quietest_themes, themes_last_discussed
from meetings.services.agenda import point_add, point_set_discussed
from meetings.services.meetings import meeting_close
from people.models import Organization, Person
from tests.conftest import client_for
from tests.meetings.conftest import FIRST


def meeting_key(week: int) -> datetime:
    return FIRST + timedelta(weeks=week)


def hold(
    clock: time_machine.Traveller,
    relationship: Relationship,
    week: int,
    *points: tuple[Person, str, bool],
) -> None:
    """Hold the meeting of `week`, discussing a point (author, theme, private) for each entry."""
    key = meeting_key(week)
    clock.move_to(key + timedelta(minutes=20))
    for author, theme, private in points:
        point = point_add(
            actor=author,
            relationship=relationship,
            text=f"About {theme}",
            theme=theme,
            is_private=private,
        )
        point_set_discussed(actor=author, point=point, meeting_key=key, discussed=True)
    meeting_close(actor=relationship.lead, relationship=relationship, key=key)


@pytest.fixture
def six_meetings(
    clock: time_machine.Traveller, one_on_one: Relationship, maya: Person, ravi: Person
) -> Relationship:
    """Career in the first meeting, Ravi's private wellbeing point in the second, blockers last."""
    hold(clock, one_on_one, 0, (maya, Theme.CAREER, False))
    hold(clock, one_on_one, 1, (ravi, Theme.WELLBEING, True))
    for week in (2, 3, 4):
        hold(clock, one_on_one, week)
    hold(clock, one_on_one, 5, (ravi, Theme.BLOCKERS, False), (maya, Theme.OTHER, False))
    clock.move_to(meeting_key(6) - timedelta(days=1))
    return one_on_one


def by_theme(statuses: list[ThemeStatus]) -> dict[str, ThemeStatus]:
    return {s.theme: s for s in statuses}


def test_it_tells_when_each_theme_was_last_discussed(six_meetings: Relationship) -> None:
    statuses = by_theme(theme_statuses(six_meetings, quiet_after=4))

    assert Theme.OTHER not in statuses
    assert len(statuses) == len(Theme.values) - 1
    career = statuses[Theme.CAREER]
    assert (career.last, career.meetings_since, career.is_quiet) == (meeting_key(0), 5, True)
    blockers = statuses[Theme.BLOCKERS]
    assert (blockers.last, blockers.meetings_since, blockers.is_quiet) == (meeting_key(5), 0, False)
    recognition = statuses[Theme.RECOGNITION]
    assert (recognition.last, recognition.meetings_since, recognition.is_quiet) == (None, 6, True)


def test_a_private_point_never_counts(six_meetings: Relationship) -> None:
    wellbeing = by_theme(theme_statuses(six_meetings, quiet_after=4))[Theme.WELLBEING]

    assert (wellbeing.last, wellbeing.is_quiet) == (None, True)
    assert Theme.WELLBEING not in themes_last_discussed(six_meetings)
    # The suggestions draw from it as if it never came up.
    assert quietest_themes(six_meetings).index(Theme.WELLBEING) < quietest_themes(
        six_meetings
    ).index(Theme.CAREER)


def test_quiet_means_more_meetings_than_the_threshold(six_meetings: Relationship) -> None:
    assert not by_theme(theme_statuses(six_meetings, quiet_after=5))[Theme.CAREER].is_quiet
    assert by_theme(theme_statuses(six_meetings, quiet_after=4))[Theme.CAREER].is_quiet


def test_nothing_is_quiet_before_any_meeting(one_on_one: Relationship) -> None:
    statuses = theme_statuses(one_on_one, quiet_after=1)

    assert not any(s.is_quiet for s in statuses)
    assert all(s.last is None for s in statuses)


def test_a_cancelled_meeting_does_not_count(
    clock: time_machine.Traveller, one_on_one: Relationship, maya: Person
) -> None:
    from meetings.services.meetings import meeting_cancel

    hold(clock, one_on_one, 0, (maya, Theme.CAREER, False))
    meeting_cancel(actor=maya, relationship=one_on_one, key=meeting_key(1), reason="Away")

    career = by_theme(theme_statuses(one_on_one, quiet_after=4))[Theme.CAREER]

    assert career.meetings_since == 0


@pytest.mark.parametrize("meetings", [1, 6])
def test_the_card_costs_three_queries_however_long_the_history(
    clock: time_machine.Traveller,
    one_on_one: Relationship,
    maya: Person,
    django_assert_num_queries: DjangoAssertNumQueries,
    meetings: int,
) -> None:
    for week in range(meetings):
        hold(clock, one_on_one, week, (maya, Theme.CAREER, False), (maya, Theme.GOALS, False))
    relationship = relationship_for(maya, one_on_one.uuid)

    with django_assert_num_queries(3):
        context = page_context(
            relationship, maya, focus=None, focus_meeting=None, now=timezone.now()
        )

    assert len(context["career_themes"]) == len(Theme.values) - 1


def test_the_card_highlights_a_quiet_theme_with_text_and_a_suggestion(
    six_meetings: Relationship, maya: Person, acme: Organization
) -> None:
    body = (
        client_for(maya)
        .get(reverse("meetings:relationship", args=[six_meetings.uuid]))
        .content.decode()
    )

    card = body[body.index('id="themes-card"') :]
    card = card[: card.index("</section>")]
    assert "Quiet" in card
    assert "5 meetings ago" in card
    assert "in the latest meeting" in card
    suggest = reverse("meetings:suggest", args=[six_meetings.uuid])
    assert f"{suggest}?theme=career" in card
    assert f"{suggest}?theme=blockers" not in card
    assert "more than 4 meetings" in card


def test_the_threshold_comes_from_the_organization(
    six_meetings: Relationship, maya: Person, acme: Organization
) -> None:
    acme.quiet_theme_after = 10
    acme.save()

    body = (
        client_for(maya)
        .get(reverse("meetings:relationship", args=[six_meetings.uuid]))
        .content.decode()
    )

    card = body[body.index('id="themes-card"') :]
    assert "badge-quiet" not in card[: card.index("</section>")]


def test_the_other_participant_sees_no_trace_of_a_private_point(
    six_meetings: Relationship, maya: Person
) -> None:
    assert TalkingPoint.objects.filter(is_private=True, theme=Theme.WELLBEING).exists()
    body = (
        client_for(maya)
        .get(reverse("meetings:relationship", args=[six_meetings.uuid]))
        .content.decode()
    )

    card = body[body.index('id="themes-card"') :]
    card = card[: card.index("</section>")]
    wellbeing = card[card.index("Wellbeing") :]
    assert wellbeing[: wellbeing.index("</li>")].count("Not discussed yet") == 1

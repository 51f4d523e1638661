"""Goal pages and forms: success, bad input (nothing changes), what each person sees."""

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from growth.models import Goal, GoalUpdate
from growth.services.goals import (
    goal_accept,
    goal_create,
    goal_decline,
    goal_delete,
    goal_edit,
    goal_propose,
    goal_update_add,
)
from meetings.models import Relationship
from meetings.occurrences import key_slug
from meetings.services.meetings import meeting_close
from meetings.services.relationships import relationship_end
from people.models import Person
from tests.conftest import client_for
from tests.growth.goals_world import CURRENT, HELD, NOW, UPCOMING, World, build_world, fields

GOAL = {"kind": "career", "title": "Mentor a new joiner", "why": "", "target_date": "2027-09-30"}


@pytest.fixture
def world(
    one_on_one: Relationship,
    maya: Person,
    ravi: Person,
    olga: Person,
    oren: Person,
    ada: Person,
    otto: Person,
) -> Iterator[World]:
    with time_machine.travel(NOW, tick=False):
        yield build_world(one_on_one, maya, ravi, olga, ada, otto)


def relationship_page(world: World, who: str) -> str:
    client = client_for(getattr(world, who))
    response = client.get(reverse("meetings:relationship", args=[world.relationship.uuid]))
    assert response.status_code == 200
    return response.content.decode()


# The goals card on the relationship page


def test_the_member_sees_a_proposal_with_accept_and_decline(world: World) -> None:
    page = relationship_page(world, "ravi")
    assert "Your goals" in page
    assert "Lead the Q2 planning" in page
    assert reverse("growth:goal_accept", args=[world.proposal.uuid]) in page
    assert "awaiting your answer" in page
    assert "Learn Rust" in page
    assert "On track" in page
    assert "Add a goal" in page


def test_the_lead_sees_the_proposal_waiting_without_answer_buttons(world: World) -> None:
    page = relationship_page(world, "maya")
    assert "Ravi&#x27;s goals" in page or "Ravi's goals" in page
    assert "waiting for Ravi" in page
    assert reverse("growth:goal_accept", args=[world.proposal.uuid]) not in page
    assert "Propose a goal" in page


def test_the_card_shows_only_live_open_goals_of_the_member(world: World) -> None:
    done = goal_create(
        actor=world.ravi, fields=fields("Finished thing"), relationship=world.relationship
    )
    goal_update_add(actor=world.ravi, goal=done, text="Done", status="done")
    gone = goal_create(
        actor=world.ravi, fields=fields("Deleted thing"), relationship=world.relationship
    )
    goal_delete(actor=world.ravi, goal=gone)
    mine = goal_create(
        actor=world.maya, fields=fields("Maya's own goal"), relationship=world.relationship
    )
    private = goal_create(actor=world.ravi, fields=fields("Private thing"))
    declined = goal_propose(
        actor=world.maya, relationship=world.relationship, fields=fields("Nope")
    )
    goal_decline(actor=world.ravi, goal=declined)
    for who in ("maya", "ravi"):
        page = relationship_page(world, who)
        for goal in (done, gone, mine, private, declined):
            assert goal.title not in page.replace("&#x27;", "'"), (who, goal.title)


def test_links_from_the_card_carry_the_meeting_in_progress(world: World) -> None:
    page = relationship_page(world, "ravi")
    assert f"?meeting={key_slug(CURRENT)}" in page
    meeting_close(actor=world.maya, relationship=world.relationship, key=CURRENT)
    assert "?meeting=" not in relationship_page(world, "ravi")


def test_no_link_to_a_meeting_that_has_not_started(world: World) -> None:
    with time_machine.travel(CURRENT - timedelta(hours=2), tick=False):
        assert "?meeting=" not in relationship_page(world, "ravi")


def test_the_page_costs_one_query_for_goals_however_many(
    world: World, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    from growth.selectors.goals import page_context

    relationship = Relationship.objects.select_related("lead", "member").get(
        pk=world.relationship.pk
    )
    with django_assert_num_queries(1):
        page_context(relationship, world.maya, focus=None, focus_meeting=None, now=NOW)
    for n in range(15):
        goal_create(actor=world.ravi, fields=fields(f"Goal {n}"), relationship=relationship)
        goal_propose(actor=world.maya, relationship=relationship, fields=fields(f"Idea {n}"))
    with django_assert_num_queries(1):
        context = page_context(relationship, world.maya, focus=None, focus_meeting=None, now=NOW)
    assert len(context["goals_active"]) == 16
    assert len(context["goals_proposed"]) == 16


# Proposing from the relationship page


def test_the_lead_proposes_and_it_waits(world: World) -> None:
    client = client_for(world.maya)
    url = reverse("growth:goal_propose", args=[world.relationship.uuid])
    response = client.post(url, GOAL)
    assert response.status_code == 302
    goal = Goal.objects.get(title="Mentor a new joiner")
    assert (goal.owner, goal.proposed_by, goal.state) == (world.ravi, world.maya, "proposed")
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["Goal proposed. It becomes active when Ravi accepts."]


def test_the_member_adds_and_it_is_active(world: World) -> None:
    client = client_for(world.ravi)
    url = reverse("growth:goal_propose", args=[world.relationship.uuid])
    assert client.post(url, GOAL).status_code == 302
    assert Goal.objects.get(title="Mentor a new joiner").state == Goal.State.ACTIVE


def test_the_propose_page_renders(world: World) -> None:
    client = client_for(world.maya)
    response = client.get(reverse("growth:goal_propose", args=[world.relationship.uuid]))
    assert response.status_code == 200
    assert "Propose a goal for Ravi" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (GOAL | {"title": ""}, "Give the goal a title."),
        (GOAL | {"title": "x" * 201}, "Keep this under 200 characters"),
        (GOAL | {"why": "x" * 2001}, "Keep this under 2000 characters"),
        (GOAL | {"target_date": "2027-01-01"}, "cannot be in the past"),
        (GOAL | {"target_date": "soon"}, "Enter a date"),
        (GOAL | {"kind": "performance"}, "needs a review period"),
        (GOAL | {"kind": "dream"}, "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_with_field_errors(
    world: World, data: dict[str, str], error: str
) -> None:
    count = Goal.objects.count()
    response = client_for(world.maya).post(
        reverse("growth:goal_propose", args=[world.relationship.uuid]), data
    )
    assert response.status_code == 400
    assert error in response.content.decode()
    assert Goal.objects.count() == count


def test_html_in_a_title_is_inert(world: World) -> None:
    client = client_for(world.ravi)
    data = GOAL | {"title": "<script>alert(1)</script>", "why": "<img src=x onerror=alert(1)>"}
    client.post(reverse("growth:goal_propose", args=[world.relationship.uuid]), data)
    goal = Goal.objects.get(title__startswith="<script>")
    page = client.get(reverse("growth:goal", args=[goal.uuid])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert "<img src=x" not in page
    assert "<script>alert" not in relationship_page(world, "maya")


# My goals and a goal of one's own


def test_a_new_goal_of_ones_own(world: World) -> None:
    client = client_for(world.ravi)
    assert client.get(reverse("growth:goal_new")).status_code == 200
    data = GOAL | {
        "kind": "performance",
        "review_period": "2027 H1",
        "relationship": str(world.relationship.uuid),
    }
    response = client.post(reverse("growth:goal_new"), data)
    goal = Goal.objects.get(title="Mentor a new joiner")
    assert response["Location"] == reverse("growth:goal", args=[goal.uuid])
    assert (goal.state, goal.review_period, goal.relationship) == (
        "active",
        "2027 H1",
        world.relationship,
    )


def test_a_new_goal_cannot_go_to_someone_elses_1on1(world: World, oren: Person) -> None:
    other = Relationship.objects.create(
        organization_id=world.olga.org_id, lead=world.olga, member=oren
    )
    response = client_for(world.ravi).post(
        reverse("growth:goal_new"), GOAL | {"relationship": str(other.uuid)}
    )
    assert response.status_code == 400
    assert "Choose one of your 1:1s" in response.content.decode()
    assert not Goal.objects.filter(title="Mentor a new joiner").exists()


def test_my_goals_groups_them(world: World) -> None:
    done = goal_create(actor=world.ravi, fields=fields("Finished thing"))
    goal_update_add(actor=world.ravi, goal=done, text="Done", status="done")
    gone = goal_create(actor=world.ravi, fields=fields("Deleted thing"))
    goal_delete(actor=world.ravi, goal=gone)
    page = client_for(world.ravi).get(reverse("growth:goals")).content.decode()
    order = ["Waiting for your answer", "Lead the Q2 planning", "Active", "Learn Rust",
             "Done, dropped or declined", "Finished thing", "Recently deleted", "Deleted thing"]  # fmt: skip
    positions = [page.index(text) for text in order]
    assert positions == sorted(positions)
    maya_page = client_for(world.maya).get(reverse("growth:goals")).content.decode()
    assert "You proposed, waiting for an answer" in maya_page
    assert "Lead the Q2 planning" in maya_page
    assert "Learn Rust" not in maya_page


def test_a_deleted_goal_leaves_my_goals_after_30_days(world: World) -> None:
    goal_delete(actor=world.ravi, goal=world.active)
    with time_machine.travel(NOW + timedelta(days=31), tick=False):
        page = client_for(world.ravi).get(reverse("growth:goals")).content.decode()
    assert "Learn Rust" not in page


@pytest.mark.parametrize("rows", [1, 20])
def test_my_goals_costs_the_same_with_many_goals(
    world: World, rows: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    for n in range(rows):
        goal_create(actor=world.ravi, fields=fields(f"Goal {n}"), relationship=world.relationship)
        goal_propose(actor=world.maya, relationship=world.relationship, fields=fields(f"Idea {n}"))
        goal_delete(actor=world.ravi, goal=goal_create(actor=world.ravi, fields=fields(f"Old {n}")))
    client = client_for(world.ravi)
    # session, person, the goals (one query for every group)
    with django_assert_num_queries(3):
        assert client.get(reverse("growth:goals")).status_code == 200


@pytest.mark.parametrize("rows", [1, 20])
def test_a_goal_page_costs_the_same_with_many_updates(
    world: World, rows: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    for n in range(rows):
        goal_update_add(
            actor=world.maya if n % 2 else world.ravi,
            goal=world.active,
            text=f"Step {n}",
            status="on_track",
            meeting_key=CURRENT if n % 3 == 0 else None,
        )
    client = client_for(world.ravi)
    # session, person, the goal, its updates
    with django_assert_num_queries(4):
        assert client.get(reverse("growth:goal", args=[world.active.uuid])).status_code == 200


# The goal page, its updates, editing


def test_an_update_from_the_meeting_links_to_it(world: World) -> None:
    client = client_for(world.maya)
    url = reverse("growth:goal", args=[world.active.uuid])
    page = client.get(url, {"meeting": key_slug(CURRENT)}).content.decode()
    assert f'name="meeting" value="{key_slug(CURRENT)}"' in page
    response = client.post(
        reverse("growth:goal_update", args=[world.active.uuid]),
        {"text": "Read two chapters.", "status": "at_risk", "meeting": key_slug(CURRENT)},
    )
    assert response["Location"] == url
    update = GoalUpdate.objects.get()
    assert (update.author, update.status) == (world.maya, "at_risk")
    assert update.meeting is not None
    assert update.meeting.occurrence_start == CURRENT
    page = client.get(url).content.decode()
    assert "Read two chapters." in page
    assert "in the meeting of" in page
    assert reverse("meetings:meeting", args=[world.relationship.uuid, key_slug(CURRENT)]) in page


def test_a_moved_goal_links_no_meeting_of_its_former_1on1(world: World) -> None:
    goal_update_add(
        actor=world.maya,
        goal=world.active,
        text="Read two chapters.",
        status="on_track",
        meeting_key=CURRENT,
    )
    olga_ravi = Relationship.objects.create(
        organization_id=world.olga.org_id, lead=world.olga, member=world.ravi
    )
    goal_edit(
        actor=world.ravi,
        goal=world.active,
        fields=fields("Learn Rust"),
        base_version=world.active.version,
        relationship=olga_ravi,
        move=True,
    )
    url = reverse("growth:goal", args=[world.active.uuid])
    for who in (world.olga, world.ravi):
        page = client_for(who).get(url).content.decode()
        assert "Read two chapters." in page  # the progress goes with the goal
        assert "in the meeting of" not in page  # not when, nor a link to, the 1:1 with Maya
        assert key_slug(CURRENT) not in page


@pytest.mark.parametrize("key", [UPCOMING, HELD])
def test_an_update_cannot_link_to_a_meeting_not_in_progress(world: World, key: datetime) -> None:
    if key == HELD:
        meeting_close(actor=world.maya, relationship=world.relationship, key=HELD)
    response = client_for(world.ravi).post(
        reverse("growth:goal_update", args=[world.active.uuid]),
        {"text": "x", "status": "done", "meeting": key_slug(key)},
    )
    assert response.status_code == 400
    assert "in progress" in response.content.decode()
    assert not GoalUpdate.objects.exists()


def test_an_update_with_a_made_up_meeting_is_404(world: World) -> None:
    response = client_for(world.ravi).post(
        reverse("growth:goal_update", args=[world.active.uuid]),
        {"text": "x", "status": "done", "meeting": "yesterday"},
    )
    assert response.status_code == 404
    assert not GoalUpdate.objects.exists()


@pytest.mark.parametrize(
    ("data", "error"),
    [({"text": "", "status": "done"}, "Write what changed."),
     ({"text": "x", "status": "great"}, "Choose a status."),
     ({"text": "x" * 2001, "status": "done"}, "Keep this under 2000")],
)  # fmt: skip
def test_a_bad_update_changes_nothing(world: World, data: dict[str, str], error: str) -> None:
    response = client_for(world.ravi).post(
        reverse("growth:goal_update", args=[world.active.uuid]), data
    )
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not GoalUpdate.objects.exists()
    assert Goal.objects.get(pk=world.active.pk).status == Goal.Status.ON_TRACK


def test_an_update_on_a_proposal_is_refused_with_a_message(world: World) -> None:
    response = client_for(world.ravi).post(
        reverse("growth:goal_update", args=[world.proposal.uuid]), {"text": "x", "status": "done"}
    )
    assert response.status_code == 400
    assert "Only an active goal" in response.content.decode()


def test_the_goal_page_shows_the_facts(world: World) -> None:
    page = (
        client_for(world.ravi)
        .get(reverse("growth:goal", args=[world.proposal.uuid]))
        .content.decode()
    )
    assert "Maya Manager" in page or "Maya" in page
    assert "waiting for your answer" in page
    assert reverse("growth:goal_accept", args=[world.proposal.uuid]) in page
    lead_page = (
        client_for(world.maya)
        .get(reverse("growth:goal", args=[world.proposal.uuid]))
        .content.decode()
    )
    assert reverse("growth:goal_accept", args=[world.proposal.uuid]) not in lead_page
    assert "Withdraw proposal" in lead_page


def test_pages_name_the_other_participant_of_the_goals_1on1(world: World) -> None:
    url = reverse("growth:goal", args=[world.active.uuid])
    ravi_page = client_for(world.ravi).get(url).content.decode()
    assert ravi_page.count("1:1 with Maya Manager") == 2  # breadcrumb and "Discussed in"
    maya_page = client_for(world.maya).get(url).content.decode()
    assert maya_page.count("1:1 with Ravi Report") == 2
    assert (
        "1:1 with Maya Manager"
        in client_for(world.ravi).get(reverse("growth:goals")).content.decode()
    )


def test_editing_a_goal(world: World) -> None:
    client = client_for(world.ravi)
    url = reverse("growth:goal_edit", args=[world.active.uuid])
    assert "Learn Rust" in client.get(url).content.decode()
    data = GOAL | {"title": "Learn Rust properly", "version": "0", "relationship": ""}
    assert client.post(url, data).status_code == 302
    goal = Goal.objects.get(pk=world.active.pk)
    assert (goal.title, goal.relationship, goal.version) == ("Learn Rust properly", None, 1)


def test_a_stale_edit_is_a_conflict_and_changes_nothing(world: World) -> None:
    client = client_for(world.ravi)
    url = reverse("growth:goal_edit", args=[world.active.uuid])
    client.post(
        url, GOAL | {"title": "First", "version": "0", "relationship": str(world.relationship.uuid)}
    )
    response = client.post(
        url,
        GOAL | {"title": "Second", "version": "0", "relationship": str(world.relationship.uuid)},
    )
    assert response.status_code == 409
    assert 'name="version" value="1"' in response.content.decode()
    assert Goal.objects.get(pk=world.active.pk).title == "First"


def test_a_bad_edit_changes_nothing(world: World) -> None:
    response = client_for(world.ravi).post(
        reverse("growth:goal_edit", args=[world.active.uuid]), GOAL | {"title": "", "version": "0"}
    )
    assert response.status_code == 400
    assert Goal.objects.get(pk=world.active.pk).title == "Learn Rust"


# Accept, decline, delete, restore


def test_accepting_from_the_relationship_page_goes_back_there(world: World) -> None:
    back = reverse("meetings:relationship", args=[world.relationship.uuid])
    response = client_for(world.ravi).post(
        reverse("growth:goal_accept", args=[world.proposal.uuid]), {"next": back}
    )
    assert response["Location"] == back
    assert Goal.objects.get(pk=world.proposal.pk).state == Goal.State.ACTIVE


def test_next_must_be_ours(world: World) -> None:
    response = client_for(world.ravi).post(
        reverse("growth:goal_decline", args=[world.proposal.uuid]),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("growth:goal", args=[world.proposal.uuid])
    assert Goal.objects.get(pk=world.proposal.pk).state == Goal.State.DECLINED


def test_answering_twice_is_refused_with_a_message(world: World) -> None:
    goal_accept(actor=world.ravi, goal=world.proposal)
    response = client_for(world.ravi).post(
        reverse("growth:goal_decline", args=[world.proposal.uuid])
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "This goal is not waiting for an answer."
    ]
    assert Goal.objects.get(pk=world.proposal.pk).state == Goal.State.ACTIVE


def test_delete_then_undo(world: World) -> None:
    client = client_for(world.ravi)
    client.post(reverse("growth:goal_delete", args=[world.active.uuid]))
    page = client.get(reverse("growth:goal", args=[world.active.uuid])).content.decode()
    assert "This goal was deleted" in page
    assert (
        client_for(world.maya).get(reverse("growth:goal", args=[world.active.uuid])).status_code
        == 404
    )
    client.post(reverse("growth:goal_restore", args=[world.active.uuid]))
    assert Goal.objects.get(pk=world.active.pk).deleted_at is None


def test_no_restore_is_offered_once_the_1on1_has_ended(world: World) -> None:
    goal_delete(actor=world.ravi, goal=world.active)
    relationship_end(actor=world.maya, relationship=world.relationship)
    client = client_for(world.ravi)
    restore = reverse("growth:goal_restore", args=[world.active.uuid])
    page = client.get(reverse("growth:goal", args=[world.active.uuid])).content.decode()
    assert "This goal was deleted" in page
    assert "stays deleted" in page
    assert restore not in page
    my_goals = client.get(reverse("growth:goals")).content.decode()
    assert "Learn Rust" in my_goals
    assert restore not in my_goals
    assert client.post(restore).status_code == 403  # what the button would have led to


def test_a_withdrawn_proposal_leaves_the_card_for_both(world: World) -> None:
    response = client_for(world.maya).post(
        reverse("growth:goal_delete", args=[world.proposal.uuid]),
        {"next": reverse("meetings:relationship", args=[world.relationship.uuid])},
    )
    assert response.status_code == 302
    assert "Lead the Q2 planning" not in relationship_page(world, "ravi")
    maya_page = relationship_page(world, "maya")
    assert "Lead the Q2 planning" not in maya_page
    assert "waiting for Ravi" not in maya_page


def test_restore_after_30_days_is_refused_with_a_message(world: World) -> None:
    goal_delete(actor=world.ravi, goal=world.active)
    with time_machine.travel(NOW + timedelta(days=31), tick=False):
        response = client_for(world.ravi).post(
            reverse("growth:goal_restore", args=[world.active.uuid])
        )
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Deleted goals can be restored for 30 days only."
    ]
    assert Goal.objects.get(pk=world.active.pk).deleted_at is not None

"""Growth content for a demo or benchmark organization: check-ins, goals, feedback, careers.

Written after the 1:1 history exists, from its meetings: the team member checks in
before most recent meetings (each blocker becomes a talking point discussed in that
meeting, as the check-in service adds it), keeps a few goals with progress updates,
both sides give feedback now and then (some praise made public with consent), and
many people keep a career profile that changed over time. Bulk inserts keep a 10,000-person
organization to seconds.
"""

import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

from growth.models import (
    CareerProfile,
    CareerProfileRevision,
    CheckIn,
    Feedback,
    Goal,
    GoalUpdate,
)
from meetings.models import Discussion, Meeting, Relationship, TalkingPoint, Theme
from people.models import Organization, Person

BATCH = 2000
CHECKIN_WEEKS = 13  # check-ins for about the last quarter of meetings
FEEDBACK_EVERY = 4  # feedback in about one meeting out of four

WINS = (
    "Shipped the first slice of the onboarding flow",
    "Closed the two oldest bugs in the billing queue",
    "The customer demo went well; they asked for a follow-up",
    "Paired with a new teammate all week, they are up to speed",
    "Finally wrote the design doc for the import pipeline",
    "Got the flaky test suite down from 20 minutes to 8",
    "Ran my first planning session on my own",
    "Cleared my review backlog",
    "Presented our roadmap at the all-hands",
    "Fixed the alerting noise; pages dropped by half",
)
BLOCKERS = (
    "Waiting on legal for the data processing agreement",
    "The staging environment is down more than it is up",
    "Unclear who owns the reporting dashboard now",
    "Too many meetings on Tuesdays and Wednesdays",
    "Need access to the production logs",
    "The vendor has not answered for two weeks",
    "Priorities between the two projects keep switching",
)
PRIORITIES = (
    "Finish the migration plan and get it reviewed",
    "Prepare the quarterly review with the team",
    "Hand over the support rotation notes",
    "Interview two candidates for the open role",
    "Get the accessibility fixes into the next release",
    "Write the proposal for the new pricing page",
    "Onboard the contractor joining next week",
)
GOALS = (
    ("Lead a project end to end", "I want to show I can own scope, people and deadlines."),
    ("Give a talk at a conference", "Sharing what we learned builds my network and our name."),
    ("Get better at estimating work", "Our plans slip because my estimates are optimistic."),
    ("Mentor a junior colleague", "Teaching is the next step in growing as a senior."),
    ("Learn the basics of data analysis", "I want to answer product questions without waiting."),
    ("Reduce on-call pages by a third", "Fewer pages means a calmer team and fewer mistakes."),
    ("Write the team's onboarding guide", "New people should be productive in their first week."),
    ("Run a customer research round", "We decide too much on assumptions."),
    ("Improve my written communication", "Clear writing saves meetings for everyone."),
    ("Prepare for a staff-level promotion", "I want a clear picture of the gap and a plan."),
)
GOAL_UPDATES = (
    "Made good progress this week; the first milestone is done.",
    "Slower than planned: other work took over. Back on it next week.",
    "Talked it through in our 1:1 and cut the scope to something realistic.",
    "Asked for feedback from two colleagues; both were useful.",
    "Blocked on a decision from another team.",
    "Almost there, only the write-up is left.",
)
PRAISE = (
    (
        "Your write-up of the outage was calm, clear and blameless. Thank you.",
        "In the incident review last Thursday",
        "you walked everyone through the timeline without pointing fingers",
        "people spoke openly and we found two real fixes",
    ),
    ("The way you handled the difficult customer call was excellent.", "", "", ""),
    ("Thanks for stepping in on the release when I was out; it went smoothly.", "", "", ""),
    (
        "Your feedback on my proposal made it much stronger.",
        "When you reviewed the pricing proposal",
        "you asked three sharp questions and suggested a simpler option",
        "the final version was approved in one meeting",
    ),
    ("You make new people feel welcome; the whole team notices.", "", "", ""),
)
CONSTRUCTIVE = (
    (
        "I would like you to share bad news earlier.",
        "On the data export project",
        "the delay came up only the day before the deadline",
        "we had no time to warn the customer, which hurt their trust",
    ),
    ("Our 1:1s often run over; can we keep them to the time we set?", "", "", ""),
    (
        "Please give the team more context when priorities change.",
        "In last week's planning",
        "the roadmap change was announced without the reasons behind it",
        "several people felt their work was thrown away",
    ),
    ("Code reviews from you sometimes read as curt; a bit more warmth would help.", "", "", ""),
)
CAREER = (
    (
        "Explaining complex systems simply",
        "Leading without authority; public speaking",
        "Staff engineer, owning a technical area across teams",
        "A project where I can lead, and honest feedback on how it goes",
    ),
    (
        "Customer empathy and research",
        "Data analysis, writing strategy documents",
        "Product lead for a new area in a year or two",
        "Time for a course on analytics, and a mentor outside the team",
    ),
    (
        "Calm under pressure, organising chaos",
        "Coaching others, delegating",
        "Move into people management",
        "A chance to lead the team while the manager is on leave",
    ),
)


class Held(NamedTuple):
    """A held meeting, and when the meeting before it closed (a check-in comes after that)."""

    pk: int
    key: datetime  # the occurrence it is, by original start
    start: datetime
    since: datetime


def has_growth(organization: Organization) -> bool:
    """Whether growth content was seeded: any of the rows `seed_growth` writes, so it runs once."""
    return any(
        model.objects.filter(organization=organization).exists()
        for model in (CheckIn, Goal, Feedback, CareerProfile)
    )


def seed_growth(organization: Organization, *, rng: random.Random, now: datetime) -> dict[str, int]:
    """Check-ins, goals, feedback and career profiles for an organization with 1:1 history."""
    relationships = list(
        Relationship.objects.filter(organization=organization).values_list(
            "pk", "kind", "lead_id", "member_id"
        )
    )
    recent = _recent_held_meetings(organization, now)
    checkins, blockers = _checkins(organization, relationships, recent, rng=rng)
    counts = {
        "check-ins": checkins,
        "check-in blockers": blockers,
        "feedback": _feedback(organization, relationships, recent, rng=rng, now=now),
    }
    goals, updates = _goals(organization, relationships, recent, rng=rng, now=now)
    counts["goals"], counts["goal updates"] = goals, updates
    counts["career profiles"] = _careers(organization, rng=rng, now=now)
    return counts


def _recent_held_meetings(organization: Organization, now: datetime) -> dict[int, list[Held]]:
    """Held meetings of the last weeks per relationship, oldest first."""
    rows = (
        Meeting.objects.filter(
            organization=organization,
            start__gte=now - timedelta(weeks=CHECKIN_WEEKS + 2),
            start__lt=now,
        )
        .exclude(status=Meeting.Status.SCHEDULED)
        .order_by("start")
        .values_list(
            "relationship_id",
            "pk",
            "occurrence_start",
            "start",
            "duration_minutes",
            "status",
            "closed_at",
        )
    )
    recent: dict[int, list[Held]] = defaultdict(list)
    closed: dict[int, datetime] = {}
    earliest = now - timedelta(weeks=CHECKIN_WEEKS)
    for relationship_id, pk, key, start, minutes, status, closed_at in rows.iterator(
        chunk_size=BATCH
    ):
        if status == Meeting.Status.HELD and start >= earliest:
            since = closed.get(relationship_id, start - timedelta(days=7))
            recent[relationship_id].append(Held(pk, key, start, since))
        # Whatever was raised before a meeting closed was on its agenda (and carried over).
        end = start + timedelta(minutes=minutes)
        closed[relationship_id] = min(closed_at, end) if closed_at else end
    return recent


def _checkins(
    organization: Organization,
    relationships: Sequence[tuple[int, str, int, int]],
    recent: dict[int, list[Held]],
    *,
    rng: random.Random,
) -> tuple[int, int]:
    """The member's check-ins, and the talking points their blockers became; both counts."""
    rows = []
    points = []
    for pk, _kind, _lead, member in relationships:
        mood = rng.randint(3, 4)
        for meeting in recent.get(pk, []):
            if rng.random() < 0.2:  # not everyone checks in every time
                continue
            # Moods wander but drift back towards "good": a hard week, then recovery.
            step = rng.choice((0, 1, 1) if mood <= 2 else (-1, 0) if mood == 5 else (-1, 0, 0, 1))
            mood = min(5, max(1, mood + step))
            # Written a few hours before the meeting, after the one before it closed.
            room = (meeting.start - meeting.since) / 2
            written = meeting.start - min(timedelta(hours=rng.randint(2, 40)), room)
            blocker = rng.choice(BLOCKERS) if rng.random() < 0.3 else ""
            rows.append(
                CheckIn(
                    organization=organization,
                    relationship_id=pk,
                    meeting_id=meeting.pk,
                    author_id=member,
                    mood=mood,
                    workload=rng.choices(
                        [c.value for c in CheckIn.Workload], weights=(1, 6, 3 if mood < 3 else 1)
                    )[0],
                    wins=rng.choice(WINS),
                    blockers=blocker,
                    priorities="\n".join(rng.sample(PRIORITIES, 2)),
                    created_at=written,
                    updated_at=written,
                )
            )
            if blocker:
                points.append(_blocker_point(organization, pk, member, blocker, written, meeting))
    CheckIn.objects.bulk_create(rows, batch_size=BATCH)
    TalkingPoint.objects.bulk_create([point for point, _ in points], batch_size=BATCH)
    Discussion.objects.bulk_create(
        [
            Discussion(point=point, meeting_id=meeting.pk, created_at=meeting.start)
            for point, meeting in points
        ],
        batch_size=BATCH,
    )
    return len(rows), len(points)


def _blocker_point(
    organization: Organization,
    relationship_id: int,
    author_id: int,
    text: str,
    written: datetime,
    meeting: Held,
) -> tuple[TalkingPoint, Held]:
    """The talking point `checkin_submit` adds for a blocker, discussed in its meeting."""
    point = TalkingPoint(
        organization=organization,
        relationship_id=relationship_id,
        author_id=author_id,
        text=text,
        theme=Theme.BLOCKERS,
        planned_for=meeting.key,
        source=TalkingPoint.Source.CHECKIN,
        status=TalkingPoint.Status.DISCUSSED,
        created_at=written,
        updated_at=meeting.start + timedelta(minutes=10),
    )
    return point, meeting


def _feedback(
    organization: Organization,
    relationships: Sequence[tuple[int, str, int, int]],
    recent: dict[int, list[Held]],
    *,
    rng: random.Random,
    now: datetime,
) -> int:
    rows = []
    for pk, kind, lead, member in relationships:
        for meeting_id, _key, start, _since in recent.get(pk, []):
            if rng.random() > 1 / FEEDBACK_EVERY:
                continue
            upward = rng.random() < 0.4
            giver, receiver = (member, lead) if upward else (lead, member)
            praise = rng.random() < 0.65
            text, situation, behaviour, impact = rng.choice(PRAISE if praise else CONSTRUCTIVE)
            public = praise and not upward and rng.random() < 0.25
            at = start + timedelta(minutes=rng.randint(5, 40))
            rows.append(
                Feedback(
                    organization=organization,
                    relationship_id=pk,
                    meeting_id=meeting_id,
                    giver_id=giver,
                    receiver_id=receiver,
                    kind=Feedback.Kind.PRAISE if praise else Feedback.Kind.CONSTRUCTIVE,
                    is_upward=upward and kind == Relationship.Kind.MANAGER,
                    text=text,
                    situation=situation,
                    behaviour=behaviour,
                    impact=impact,
                    created_at=at,
                    updated_at=at,
                    public_requested_at=at if public else None,
                    public_consented_at=min(now, at + timedelta(hours=3)) if public else None,
                )
            )
    Feedback.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _goals(
    organization: Organization,
    relationships: Sequence[tuple[int, str, int, int]],
    recent: dict[int, list[Held]],
    *,
    rng: random.Random,
    now: datetime,
) -> tuple[int, int]:
    goals: list[Goal] = []
    plans: list[list[Held]] = []
    review_period = f"{now.year} H{1 if now.month <= 6 else 2}"
    for pk, kind, lead, member in relationships:
        if kind != Relationship.Kind.MANAGER:
            continue
        for title, why in rng.sample(GOALS, rng.randint(1, 3)):
            created = now - timedelta(days=rng.randint(20, 150))
            by_manager = rng.random() < 0.3
            proposed = by_manager and rng.random() < 0.25
            goal_kind = rng.choice([c.value for c in Goal.Kind])
            goals.append(
                Goal(
                    organization=organization,
                    owner_id=member,
                    relationship_id=pk,
                    proposed_by_id=lead if by_manager else member,
                    state=Goal.State.PROPOSED if proposed else Goal.State.ACTIVE,
                    kind=goal_kind,
                    review_period=review_period if goal_kind == Goal.Kind.PERFORMANCE else "",
                    title=title,
                    why=why,
                    target_date=(now + timedelta(days=rng.randint(20, 200))).date(),
                    status=rng.choices([c.value for c in Goal.Status], weights=(6, 2, 1, 1, 0))[0],
                    created_at=created,
                    updated_at=created,
                    accepted_at=None if proposed else created,
                )
            )
            plans.append([] if proposed else recent.get(pk, [])[-6:])
    Goal.objects.bulk_create(goals, batch_size=BATCH)
    updates = [
        GoalUpdate(
            goal=goal,
            author_id=goal.owner_id,
            text=rng.choice(GOAL_UPDATES),
            status=goal.status,
            meeting_id=meeting_id,
            created_at=start + timedelta(minutes=20),
        )
        for goal, meetings in zip(goals, plans, strict=True)
        for meeting_id, _key, start, _since in meetings
        if rng.random() < 0.35
    ]
    GoalUpdate.objects.bulk_create(updates, batch_size=BATCH)
    return len(goals), len(updates)


def _careers(organization: Organization, *, rng: random.Random, now: datetime) -> int:
    people = list(
        Person.objects.filter(organization=organization, manager__isnull=False).values_list(
            "pk", flat=True
        )
    )
    chosen = [pk for pk in people if rng.random() < 0.6]
    profiles = []
    history: list[list[tuple[str, str, str, str]]] = []
    for pk in chosen:
        steps = rng.sample(CAREER, rng.randint(1, 2))
        latest = steps[-1]
        profiles.append(
            CareerProfile(
                organization=organization,
                person_id=pk,
                strengths=latest[0],
                skills_to_grow=latest[1],
                next_role=latest[2],
                support_needed=latest[3],
                version=len(steps),
                updated_at=now - timedelta(days=rng.randint(3, 60)),
            )
        )
        history.append(list(steps))
    CareerProfile.objects.bulk_create(profiles, batch_size=BATCH)
    revisions = [
        CareerProfileRevision(
            profile=profile,
            strengths=step[0],
            skills_to_grow=step[1],
            next_role=step[2],
            support_needed=step[3],
            edited_by_id=profile.person_id,
            created_at=profile.updated_at - timedelta(days=90 * (len(steps) - 1 - i)),
        )
        for profile, steps in zip(profiles, history, strict=True)
        for i, step in enumerate(steps)
    ]
    CareerProfileRevision.objects.bulk_create(revisions, batch_size=BATCH)
    return len(profiles)

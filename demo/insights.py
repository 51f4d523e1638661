"""The demo team's insights: a story in the numbers, the same on every load.

Random history gives the demo manager's team view whatever warnings the seed happens
to produce. After the load, this shapes the demo organization so that Jonas Weber's
team view tells a clear story, each early warning for a reason visible in the data:

- Hannah Schmidt: her last two check-ins say "Low" and too much work, after three
  "Good" ones: a mood drop, and too much workload twice in a row.
- Kenji Tanaka: his 1:1s with Jonas were called off for three weeks, so none was
  held for over twice the cadence. The history writer lets that series lapse
  (`LAPSED`, demo/history.py), so the cancellations carry their agenda over as
  closing them through the services would have.
- Arjun Mehta: the same blocker in two of his last four check-ins.

Everyone else looks healthy: steady moods and workloads, no returning blocker, no
falling ratings. Priya Raman (the signed-in report) and Jonas both rated her last
eight meetings, Jonas a little higher (a small perception gap), and each of them has
action items done on time, done late and overdue.

Rows are changed as the services would have written them: a check-in's blocker is a
talking point discussed in its meeting, a done action item was completed in a later
meeting, ratings belong to held meetings.
"""

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise
from statistics import mean

from demo import content
from demo.growth import BLOCKERS, PRIORITIES, WINS
from demo.org import OrgPlan
from demo.text import TextMaker
from growth.models import CheckIn
from growth.services.checkins import blocker_lines
from lib.timezones import zone
from meetings.models import (
    ActionItem,
    Discussion,
    Meeting,
    Rating,
    Relationship,
    TalkingPoint,
    Theme,
)
from people.models import Organization, Person

# The manager 1:1 whose recent occurrences were all called off: (lead, team member).
LAPSED = (content.DEMO_MANAGER, "Kenji Tanaka")
MOOD_DROP = "Hannah Schmidt"
RETURNING_BLOCKER = "Arjun Mehta"

RIGHT, TOO_MUCH = CheckIn.Workload.RIGHT.value, CheckIn.Workload.TOO_MUCH.value
# Hannah's last five check-ins, oldest first.
DROP_MOODS = (4, 4, 4, 2, 2)
DROP_WORKLOADS = (RIGHT, RIGHT, RIGHT, TOO_MUCH, TOO_MUCH)
# Arjun's last four check-ins' blockers, oldest first.
BLOCKER = "The staging environment is down more than it is up"
RETURNING_BLOCKERS = ("", BLOCKER, "", BLOCKER)
# The showcase pair's ratings of their last eight held meetings, oldest first:
# (manager, report). Rising a little; the manager rates 0.5 higher on average.
SHOWCASE_RATINGS = ((4, 3), (4, 4), (4, 3), (4, 4), (5, 4), (4, 4), (5, 5), (5, 4))
# The demo manager's team looks at least "Okay" lately (the warnings aside).
TEAM_MOOD_FLOOR = 3
FALL = 0.5  # the warning's threshold for falling usefulness
MOOD_WINDOW = 5  # a mood drop compares the last 2 check-ins with the 3 before
BLOCKER_WINDOW = 4


def lapsed_pairs(plan: OrgPlan) -> frozenset[tuple[int, int]]:
    """The (lead, member) indexes in `plan` of the series the history writer lets lapse."""
    lead, member = LAPSED
    if lead not in plan.by_name or member not in plan.by_name:
        return frozenset()
    return frozenset({(plan.by_name[lead], plan.by_name[member])})


def shape_insights(organization: Organization, *, rng: random.Random, now: datetime) -> None:
    """Give the demo manager's team view its warnings and keep every other series healthy."""
    manager = Person.objects.get(organization=organization, name=content.DEMO_MANAGER)
    series = {
        rel.member.name: rel
        for rel in Relationship.objects.filter(
            organization=organization,
            kind=Relationship.Kind.MANAGER,
            status=Relationship.Status.ACTIVE,
        ).select_related("lead", "member")
    }
    team = {name for name, rel in series.items() if rel.lead_id == manager.pk}
    # Check-ins are growth content: an organization loaded without it gets none here either.
    if CheckIn.objects.filter(organization=organization).exists():
        _mood_drop(series[MOOD_DROP], rng)
        _returning_blocker(series[RETURNING_BLOCKER], rng)
    showcase = series[content.DEMO_REPORT]
    _showcase_ratings(showcase, now)
    teammates = sorted({rel.member.name.split(" ")[0] for rel in series.values()})
    text = TextMaker(rng, teammates=teammates, projects=content.PROJECTS)
    _showcase_actions(showcase, now, text)
    for name, rel in series.items():
        checkins = _checkins(rel)
        if name != MOOD_DROP:
            _steady_mood(checkins, floor=TEAM_MOOD_FLOOR if name in team else 1)
            _steady_workload(checkins)
        if name != RETURNING_BLOCKER:
            _distinct_blockers(checkins[-BLOCKER_WINDOW:], rng)
        _steady_ratings(rel)


# -- check-ins ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Held:
    meeting: Meeting
    since: datetime  # when the meeting before it closed: its check-in was written after


def _held(rel: Relationship) -> list[_Held]:
    """The series' held meetings, oldest first (as demo/growth.py finds them)."""
    found = []
    previous: datetime | None = None
    closed = rel.meetings.exclude(status=Meeting.Status.SCHEDULED).order_by("start")
    for meeting in closed:
        end = meeting.start + timedelta(minutes=meeting.duration_minutes)
        if meeting.status == Meeting.Status.HELD:
            found.append(_Held(meeting, previous or meeting.start - timedelta(days=7)))
        previous = min(meeting.closed_at, end) if meeting.closed_at else end
    return found


def _checkins(rel: Relationship) -> list[CheckIn]:
    """The team member's check-ins in the series, oldest first."""
    return list(
        CheckIn.objects.filter(relationship=rel, author_id=rel.member_id)
        .select_related("meeting")
        .order_by("meeting__start")
    )


def _last_checkins(rel: Relationship, count: int, rng: random.Random) -> list[CheckIn]:
    """Check-ins for the last `count` held meetings, written where the member skipped one."""
    held = _held(rel)[-count:]
    existing = {c.meeting_id: c for c in _checkins(rel)}
    found = []
    for item in held:
        checkin = existing.get(item.meeting.pk)
        if checkin is None:
            # Like demo/growth.py: a few hours before, after the meeting before it closed.
            room = (item.meeting.start - item.since) / 2
            written = item.meeting.start - min(timedelta(hours=rng.randint(2, 40)), room)
            checkin = CheckIn.objects.create(
                organization_id=rel.organization_id,
                relationship=rel,
                meeting=item.meeting,
                author_id=rel.member_id,
                mood=4,
                workload=RIGHT,
                wins=rng.choice(WINS),
                priorities="\n".join(rng.sample(PRIORITIES, 2)),
                created_at=written,
                updated_at=written,
            )
        found.append(checkin)
    return found


def _set_blocker(checkin: CheckIn, text: str) -> None:
    """Change a check-in's blocker and the talking point `checkin_submit` made of it."""
    meeting = checkin.meeting
    points = TalkingPoint.objects.filter(
        relationship_id=checkin.relationship_id,
        author_id=checkin.author_id,
        source=TalkingPoint.Source.CHECKIN,
        planned_for=meeting.occurrence_start,
    )
    if not text:
        points.delete()
    elif not points.update(text=text):
        point = TalkingPoint.objects.create(
            organization_id=checkin.organization_id,
            relationship_id=checkin.relationship_id,
            author_id=checkin.author_id,
            text=text,
            theme=Theme.BLOCKERS,
            planned_for=meeting.occurrence_start,
            source=TalkingPoint.Source.CHECKIN,
            status=TalkingPoint.Status.DISCUSSED,
            created_at=checkin.created_at,
            updated_at=meeting.start + timedelta(minutes=10),
        )
        Discussion.objects.create(point=point, meeting=meeting, created_at=meeting.start)
    checkin.blockers = text
    checkin.save(update_fields=["blockers"])


def _mood_drop(rel: Relationship, rng: random.Random) -> None:
    checkins = _last_checkins(rel, len(DROP_MOODS), rng)
    for checkin, mood, workload in zip(checkins, DROP_MOODS, DROP_WORKLOADS, strict=True):
        checkin.mood, checkin.workload = mood, workload
        checkin.save(update_fields=["mood", "workload"])


def _returning_blocker(rel: Relationship, rng: random.Random) -> None:
    checkins = _last_checkins(rel, len(RETURNING_BLOCKERS), rng)
    for checkin, blocker in zip(checkins, RETURNING_BLOCKERS, strict=True):
        if checkin.blockers != blocker:
            _set_blocker(checkin, blocker)


def _steady_mood(checkins: Sequence[CheckIn], *, floor: int) -> None:
    """No mood drop: the last two check-ins at most half a point below the three before."""
    recent = checkins[-MOOD_WINDOW:]
    changed: dict[int, CheckIn] = {}
    for checkin in recent:
        if checkin.mood < floor:
            checkin.mood = floor
            changed[checkin.pk] = checkin
    before = recent[:-2]
    if before:
        lowest = math.ceil(mean(c.mood for c in before) - 0.5)
        for checkin in recent[-2:]:
            if checkin.mood < lowest:
                checkin.mood = lowest
                changed[checkin.pk] = checkin
    CheckIn.objects.bulk_update(changed.values(), ["mood"])


def _steady_workload(checkins: Sequence[CheckIn]) -> None:
    """Too much work now and then, never twice in a row lately."""
    last = checkins[-2:]
    if len(last) == 2 and all(c.workload == TOO_MUCH for c in last):
        last[-1].workload = RIGHT
        last[-1].save(update_fields=["workload"])


def _distinct_blockers(checkins: Sequence[CheckIn], rng: random.Random) -> None:
    """No blocker returns within the window: a repeated one becomes another blocker."""
    used = {line for c in checkins for line in blocker_lines(c.blockers)}
    seen: set[str] = set()
    for checkin in checkins:
        lines = blocker_lines(checkin.blockers)
        if seen.intersection(lines):
            fresh = rng.choice([b for b in BLOCKERS if b not in used])
            used.add(fresh)
            _set_blocker(checkin, fresh)
            lines = [fresh]
        seen.update(lines)


# -- ratings -----------------------------------------------------------------------------


def _falling_at(scores: Sequence[int]) -> range | None:
    """The positions of the latest 3 ratings when their average is FALL or more below the
    previous 3, in any reading of "latest" and "previous": the last three against the
    three before or the window one meeting earlier, or the last complete block of three
    counted from the first rating (the team view's blocks) against the block before."""
    n = len(scores)
    whole = n - n % 3
    readings = ((n - 3, n - 6), (n - 3, n - 4), (whole - 3, whole - 6))
    for latest, before in readings:
        if (
            before >= 0
            and mean(scores[before : before + 3]) - mean(scores[latest : latest + 3]) >= FALL
        ):
            return range(latest, latest + 3)
    return None


def _steady_ratings(rel: Relationship) -> None:
    """Neither side's usefulness ratings fall lately: the lowest recent one is raised until so.

    Each side's ratings are read alone, and over the meetings both rated (the team view's
    usefulness trend), until no reading falls.
    """
    ratings = list(
        Rating.objects.filter(meeting__relationship=rel)
        .select_related("meeting")
        .order_by("meeting__occurrence_start")
    )
    pairs: dict[int, dict[int, Rating]] = {}
    for rating in ratings:
        pairs.setdefault(rating.meeting_id, {})[rating.rater_id] = rating
    both = [by for by in pairs.values() if len(by) == 2]
    sequences = [
        *([r for r in ratings if r.rater_id == side] for side in (rel.lead_id, rel.member_id)),
        *([by[side] for by in both] for side in (rel.lead_id, rel.member_id)),
    ]
    changed: dict[int, Rating] = {}
    settled = False
    while not settled:  # raising one reading's rating may tip another; scores stop at 5
        settled = True
        for sequence in sequences:
            while (latest := _falling_at([r.score for r in sequence])) is not None:
                low = min((sequence[i] for i in latest), key=lambda r: r.score)
                low.score += 1
                changed[low.pk] = low
                settled = False
    Rating.objects.bulk_update(changed.values(), ["score"])


def _showcase_ratings(rel: Relationship, now: datetime) -> None:
    """Both rated the last meetings, the manager a little higher; earlier ones keep that gap."""
    held = _held(rel)[-len(SHOWCASE_RATINGS) :]
    for item, scores in zip(held, SHOWCASE_RATINGS, strict=False):
        closed = item.meeting.closed_at or item.meeting.start
        at = min(closed + timedelta(minutes=30), now - timedelta(minutes=1))
        for rater, score in zip((rel.lead_id, rel.member_id), scores, strict=True):
            Rating.objects.update_or_create(
                meeting=item.meeting,
                rater_id=rater,
                defaults={"score": score},
                create_defaults={"score": score, "created_at": at},
            )
    recent = {item.meeting.pk for item in held}
    earlier: dict[int, dict[int, Rating]] = {}
    for rating in Rating.objects.filter(meeting__relationship=rel).exclude(meeting__in=recent):
        earlier.setdefault(rating.meeting_id, {})[rating.rater_id] = rating
    lead_ratings = []
    for i, by in enumerate(earlier[pk] for pk in sorted(earlier)):
        if len(by) == 2:
            lead = by[rel.lead_id]
            lead.score = min(5, by[rel.member_id].score + (i + 1) % 2)
            lead_ratings.append(lead)
    Rating.objects.bulk_update(lead_ratings, ["score"])


# -- action items ------------------------------------------------------------------------


def _day(moment: datetime, person: Person) -> date:
    return moment.astimezone(zone(person.timezone)).date()


def _done_day(item: ActionItem, owner: Person) -> date:
    assert item.done_at is not None
    return _day(item.done_at, owner)


def _showcase_actions(rel: Relationship, now: datetime, text: TextMaker) -> None:
    """Each side owns items of the last 90 days done on time, done late and overdue."""
    held = [item.meeting for item in _held(rel)]
    for owner in (rel.lead, rel.member):
        today = _day(now, owner)
        lo = today - timedelta(days=90)
        items = list(
            ActionItem.objects.filter(relationship=rel, owner=owner, due_date__range=(lo, today))
        )
        done = [a for a in items if a.done_at is not None]
        on_time = [a for a in done if a.due_date and _done_day(a, owner) <= a.due_date]
        late = [a for a in done if a not in on_time]
        if not on_time and late:
            item = late.pop()
            item.due_date = _done_day(item, owner)
            item.save(update_fields=["due_date"])
            on_time.append(item)
        elif not on_time:
            _done_item(rel, owner, held, lo, text, late=False)
        if not late:
            movable = [
                a
                for a in on_time[1:]
                if _done_day(a, owner) - timedelta(days=2) > max(_day(a.created_at, owner), lo)
            ]
            if movable:
                item = movable[-1]
                item.due_date = _done_day(item, owner) - timedelta(days=2)
                item.save(update_fields=["due_date"])
            else:
                _done_item(rel, owner, held, lo, text, late=True)
        if not any(a.done_at is None and a.due_date and a.due_date < today for a in items):
            _overdue_item(rel, owner, held, today, text)


def _done_item(
    rel: Relationship,
    owner: Person,
    held: Sequence[Meeting],
    lo: date,
    text: TextMaker,
    *,
    late: bool,
) -> None:
    """An item agreed in one meeting and ticked off in the next: on time, or two days late."""
    for first, second in reversed(list(pairwise(held))):
        done_at = second.start + timedelta(minutes=10)
        due = _day(done_at, owner) - timedelta(days=2 if late else 0)
        if due >= lo + timedelta(days=3) and due > _day(first.start, owner):
            ActionItem.objects.create(
                organization_id=rel.organization_id,
                relationship=rel,
                meeting=first,
                text=text.action(),
                owner=owner,
                due_date=due,
                done_at=done_at,
                completed_in=second,
                created_by=owner,
                version=1,
                created_at=first.start + timedelta(minutes=first.duration_minutes * 0.8),
            )
            return


def _overdue_item(
    rel: Relationship, owner: Person, held: Sequence[Meeting], today: date, text: TextMaker
) -> None:
    """An item agreed a week or more ago, due three days later and still open."""
    for meeting in reversed(held):
        if _day(meeting.start, owner) <= today - timedelta(days=7):
            ActionItem.objects.create(
                organization_id=rel.organization_id,
                relationship=rel,
                meeting=meeting,
                text=text.action(),
                owner=owner,
                due_date=_day(meeting.start, owner) + timedelta(days=3),
                created_by=owner,
                created_at=meeting.start + timedelta(minutes=10),
            )
            return

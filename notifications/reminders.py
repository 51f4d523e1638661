"""Reminders before a meeting, recaps after it, the weekly digest and the nudge.

Each message is an outbox row (notifications/outbox.py) planned from the current
state and rendered when it is sent, through the same access rules as the pages: a
person reads the shared agenda and their own private points, never the other's.
A renderer checks again at send time that the message is still true and skips it
otherwise (the meeting was cancelled, reopened or moved, a preference was turned off).
"""

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.dispatch import receiver
from django.urls import reverse
from django.utils.timezone import now as current_time

from lib.markdown import render_markdown
from lib.timezones import zone
from meetings import signals
from meetings.models import (
    ActionItem,
    CarryOver,
    Discussion,
    Meeting,
    Relationship,
    Schedule,
    TalkingPoint,
)
from meetings.occurrences import (
    Occurrence,
    focus,
    from_meeting,
    key_slug,
    occurrence_exists,
    segments,
)
from meetings.schedule import cadence_days, segment_for
from meetings.schedule import occurrences as series_starts
from meetings.selectors import agenda_points, open_action_items, series_upcoming
from notifications import webhooks
from notifications.emails import absolute, build_email
from notifications.models import Delivery, Preferences
from notifications.outbox import Skip, delivery_create, delivery_relationship, email_renderer
from notifications.periodic import periodic
from people.models import Person

logger = logging.getLogger(__name__)

# Reminders are planned this far ahead (the longest reminder is 7 days before).
HORIZON = timedelta(days=8)
# A reminder whose time passed longer ago than this is not sent (after downtime).
LATE_LIMIT = timedelta(hours=1)
# A reminder that goes only to webhooks is planned when it comes this close (two
# planning runs), so a planning run looks webhooks up only for reminders about to go.
WEBHOOK_LOOKAHEAD = timedelta(minutes=20)
# A reminder found due later than this at send time waits for its new time.
MOVED_TOLERANCE = timedelta(minutes=10)
# A recap waits this long after the close, so late note edits are part of it.
RECAP_DELAY = timedelta(minutes=10)


@dataclass(frozen=True)
class PlannedReminder:
    person_id: int
    occurrence_key: datetime
    start: datetime
    due_at: datetime


def reminders_for(
    occurrences: Sequence[Occurrence], participants: Sequence[tuple[int, int]]
) -> list[PlannedReminder]:
    """Reminders for scheduled occurrences: one per (person, occurrence), `hours` before it.

    `participants` holds (person id, reminder hours) for everyone who wants reminders.
    """
    return [
        PlannedReminder(person_id, o.key, o.start, o.start - timedelta(hours=hours))
        for o in occurrences
        if o.is_scheduled
        for person_id, hours in participants
    ]


# Preferences and time --------------------------------------------------------------


def preferences_of(person_ids: Iterable[int]) -> dict[int, Preferences]:
    """Everyone's preferences in one query; the defaults for people without a row."""
    ids = set(person_ids)
    found = {p.person_id: p for p in Preferences.objects.filter(person_id__in=ids)}
    return {pk: found.get(pk) or Preferences(person_id=pk) for pk in ids}


def preferences_for(person: Person) -> Preferences:
    return preferences_of([person.pk])[person.pk]


def local(moment: datetime, tz_name: str) -> datetime:
    return moment.astimezone(zone(tz_name))


def when_text(moment: datetime, tz_name: str) -> str:
    """ "Tuesday 5 January 2027, 16:00 (Europe/Berlin)"."""
    d = local(moment, tz_name)
    return f"{d:%A} {d.day} {d:%B} {d.year}, {d:%H:%M} ({tz_name})"


def day_phrase(moment: datetime, tz_name: str, at: datetime) -> str:
    """ "today", "tomorrow" or "on Tuesday 5 January", seen from `at` in that zone."""
    day = local(moment, tz_name).date()
    today = local(at, tz_name).date()
    if day == today:
        return "today"
    if day == today + timedelta(days=1):
        return "tomorrow"
    return f"on {day:%A} {day.day} {day:%B}"


def short_day(moment: datetime, tz_name: str) -> str:
    """ "Tue 5 Jan 10:00" in that zone."""
    d = local(moment, tz_name)
    return f"{d:%a} {d.day} {d:%b} {d:%H:%M}"


def _relationship_url(relationship: Relationship) -> str:
    return absolute(reverse("meetings:relationship", args=[relationship.uuid]))


# Reminders: planning ---------------------------------------------------------------


def reminder_key(person_id: int, relationship_id: int, occurrence_key: datetime) -> str:
    return f"reminder:{person_id}:{relationship_id}:{key_slug(occurrence_key)}"


def _window_occurrences(
    schedules: Sequence[Schedule], meetings: Iterable[Meeting], lo: datetime, hi: datetime
) -> dict[datetime, Occurrence]:
    """Occurrences of one series by key: computed ones in [lo, hi), overlaid with rows."""
    segs = segments(schedules)
    found: dict[datetime, Occurrence] = {}
    for key in series_starts(segs, lo, hi):
        segment = segment_for(segs, key)
        if segment is not None:
            found[key] = Occurrence(key, key, segment.duration_minutes, segment.timezone)
    default_zone = schedules[-1].timezone if schedules else "UTC"
    for meeting in meetings:
        segment = segment_for(segs, meeting.occurrence_start)
        found[meeting.occurrence_start] = from_meeting(
            meeting, segment.timezone if segment else default_zone
        )
    return found


@dataclass
class Known:
    """The reminder rows a planning run found: every key, and the planned rows."""

    keys: set[str] = field(default_factory=set)
    planned: dict[tuple[int | None, datetime | None], list[Delivery]] = field(
        default_factory=lambda: defaultdict(list)
    )


def plan_reminders(relationships: Sequence[Relationship], *, now: datetime) -> int:
    """Create missing reminders of these series for the next days; move planned ones.

    Constant queries for the reading part: relationships come with their schedules
    (prefetched); meetings, preferences and planned rows are one query each.
    """
    relationships = [r for r in relationships if r.status == Relationship.Status.ACTIVE]
    if not relationships:
        return 0
    ids = [r.pk for r in relationships]
    hi = now + HORIZON
    meetings_by_rel: dict[int, list[Meeting]] = defaultdict(list)
    for meeting in Meeting.objects.filter(relationship_id__in=ids).filter(
        Q(start__gte=now) | Q(occurrence_start__gte=now)
    ):
        meetings_by_rel[meeting.relationship_id].append(meeting)
    people = {pk for r in relationships for pk in (r.lead_id, r.member_id)}
    prefs = preferences_of(people)
    # Every reminder row that planning may meet (any status), so that a run over
    # reminders already sent costs no query each.
    rows = Delivery.objects.filter(
        relationship_id__in=ids, kind=Delivery.Kind.REMINDER, channel=Delivery.Channel.EMAIL
    ).filter(Q(status=Delivery.Status.PLANNED) | Q(occurrence_key__gte=now - HORIZON))
    known = Known()
    for row in rows.only("pk", "key", "status", "due_at", "person_id", "occurrence_key"):
        known.keys.add(row.key)
        if row.status == Delivery.Status.PLANNED:
            known.planned[(row.person_id, row.occurrence_key)].append(row)
    hooked_people, hooked_orgs = webhooks.hooked(
        Delivery.Kind.REMINDER, people, {r.organization_id for r in relationships}
    )
    created = 0
    for relationship in relationships:
        series = _window_occurrences(
            list(relationship.schedules.all()), meetings_by_rel[relationship.pk], now, hi
        )
        org_hooked = relationship.organization_id in hooked_orgs
        wanted = [
            (pk, prefs[pk].reminder_hours)
            for pk in (relationship.lead_id, relationship.member_id)
            if prefs[pk].email_reminders or pk in hooked_people or org_hooked
        ]
        ahead = [o for o in series.values() if o.start > now]
        for reminder in reminders_for(ahead, wanted):
            person_id = reminder.person_id
            created += _plan_one(
                relationship,
                reminder,
                known,
                now,
                email=prefs[person_id].email_reminders,
                hooked=person_id in hooked_people or org_hooked,
            )
    return created


def _plan_one(
    relationship: Relationship,
    reminder: PlannedReminder,
    known: Known,
    now: datetime,
    *,
    email: bool = True,
    hooked: bool = False,
) -> int:
    """Plan one person's reminder of one occurrence: by email, to their webhooks, or both.

    Webhook reminders do not depend on the email preference (someone may want them in
    chat only). Without an email row to remember them by, they are planned when they
    come within two planning runs, so each occurrence costs a webhook lookup only then.
    """
    person_id = reminder.person_id
    key = reminder_key(person_id, relationship.pk, reminder.occurrence_key)
    due = reminder.due_at
    person = relationship.lead if person_id == relationship.lead_id else relationship.member
    planned = known.planned.get((person_id, reminder.occurrence_key), [])
    # Promised already: keep it (and a follow-up of a moved meeting), at its new
    # time, or now if that has passed; its webhook reminders follow.
    for row in planned:
        if row.due_at != max(due, now):
            Delivery.objects.filter(pk=row.pk, status=Delivery.Status.PLANNED).update(
                due_at=max(due, now)
            )
            if hooked:
                _fan_out_reminder(relationship, person, reminder, max(due, now))
    if due < now - LATE_LIMIT:
        return 0
    if not email or key in known.keys:
        # Planned, handed over, sent or skipped: each email reminder goes once. Webhook
        # reminders are idempotent by their own keys.
        if hooked and due <= now + WEBHOOK_LOOKAHEAD:
            _fan_out_reminder(relationship, person, reminder, max(due, now))
        return 0
    made = delivery_create(
        key=key,
        organization_id=relationship.organization_id,
        channel=Delivery.Channel.EMAIL,
        kind=Delivery.Kind.REMINDER,
        person=person,
        relationship_id=relationship.pk,
        occurrence_key=reminder.occurrence_key,
        summary=f"Reminder: 1:1 with {relationship.other_participant(person).name} "
        f"on {short_day(reminder.start, person.timezone)}",
        due_at=max(due, now),
    )
    if made is None:
        return 0
    if hooked:
        _fan_out_reminder(relationship, person, reminder, made.due_at)
    return 1


def _fan_out_reminder(
    relationship: Relationship, person: Person, reminder: PlannedReminder, due: datetime
) -> None:
    webhooks.fan_out(
        kind=Delivery.Kind.REMINDER,
        person=person,
        relationship=relationship,
        occurrence_key=reminder.occurrence_key,
        due_at=due,
    )


def _active_relationships() -> Any:
    return (
        Relationship.objects.filter(status=Relationship.Status.ACTIVE)
        .select_related("lead", "member")
        .prefetch_related(Prefetch("schedules", queryset=Schedule.objects.order_by("starts_at")))
    )


@periodic("reminders.plan", timedelta(minutes=10))
def reminders_plan(now: datetime) -> str:
    """Plan the reminders of every active 1:1 for the next days."""
    made = plan_reminders(list(_active_relationships()), now=now)
    return f"{made} reminders planned"


def replan_relationship(relationship: Relationship) -> None:
    """Bring one series' reminders up to date at once (inside the caller's transaction)."""
    try:
        with transaction.atomic():
            fresh = list(_active_relationships().filter(pk=relationship.pk))
            plan_reminders(fresh, now=current_time())
    except Exception:
        # A notification problem must never undo the change that caused it.
        logger.exception("Replanning the reminders of relationship %s failed", relationship.pk)


def replan_person(person: Person) -> None:
    """After a change of someone's reminder preferences: move their planned reminders."""
    from meetings.access import relationships_of

    ids = relationships_of(person).values("pk")
    plan_reminders(list(_active_relationships().filter(pk__in=ids)), now=current_time())


@receiver(signals.relationship_started)
def _on_started(sender: object, relationship: Relationship, **kwargs: Any) -> None:
    replan_relationship(relationship)


@receiver(signals.schedule_changed)
def _on_schedule(sender: object, relationship: Relationship, **kwargs: Any) -> None:
    replan_relationship(relationship)


@receiver(signals.relationship_ended)
def _on_ended(sender: object, relationship: Relationship, **kwargs: Any) -> None:
    # Final: the log says at once that the planned reminders are not needed.
    Delivery.objects.filter(
        relationship=relationship, kind=Delivery.Kind.REMINDER, status=Delivery.Status.PLANNED
    ).update(status=Delivery.Status.SKIPPED, last_error="The 1:1 has ended.")


@receiver(signals.occurrence_changed)
def _on_occurrence(sender: object, relationship: Relationship, **kwargs: Any) -> None:
    replan_relationship(relationship)


# Reminders: sending ----------------------------------------------------------------


def _current_occurrence(
    relationship: Relationship, key: datetime
) -> tuple[datetime, Meeting | None]:
    """The start of the occurrence `key` now, or Skip when it is off the calendar."""
    meeting = Meeting.objects.filter(relationship=relationship, occurrence_start=key).first()
    if meeting is not None:
        if meeting.status != Meeting.Status.SCHEDULED:
            raise Skip(f"The meeting was {meeting.get_status_display().lower()}.")
        return meeting.start, meeting
    if occurrence_exists(list(relationship.schedules.all()), key) is None:
        raise Skip("The meeting is no longer on the calendar.")
    return key, None


@email_renderer(Delivery.Kind.REMINDER)
def render_reminder(delivery: Delivery) -> EmailMessage:
    person = delivery.person
    assert person is not None
    assert delivery.occurrence_key is not None
    again = bool(delivery.payload.get("again"))
    moment = current_time()
    relationship = delivery_relationship(delivery)
    if relationship.status != Relationship.Status.ACTIVE:
        raise Skip("The 1:1 is paused or has ended.")
    prefs = preferences_for(person)
    if not prefs.email_reminders and not again:
        raise Skip("Reminders are turned off.")
    start, meeting = _current_occurrence(relationship, delivery.occurrence_key)
    if start <= moment and not again:
        raise Skip("The meeting has already started.")
    due = start - timedelta(hours=prefs.reminder_hours)
    if not again and due > moment + MOVED_TOLERANCE:
        # Moved later after this reminder was handed over: send it at the new time.
        delivery_create(
            key=f"{delivery.key}:at:{key_slug(start)}",
            organization_id=delivery.organization_id,
            channel=delivery.channel,
            kind=delivery.kind,
            person=person,
            relationship_id=relationship.pk,
            occurrence_key=delivery.occurrence_key,
            summary=delivery.summary,
            due_at=due,
        )
        raise Skip("The meeting moved; the reminder goes at its new time.")
    return build_email(
        to=[person.email],
        subject=reminder_subject(relationship, person, start, moment),
        template="reminder",
        context=reminder_context(relationship, person, delivery.occurrence_key, start, meeting),
    )


def reminder_subject(
    relationship: Relationship, person: Person, start: datetime, moment: datetime
) -> str:
    other = relationship.other_participant(person)
    when = day_phrase(start, person.timezone, moment)
    return f"Your 1:1 with {other.first_name} {when} at {local(start, person.timezone):%H:%M}"


def reminder_context(
    relationship: Relationship,
    person: Person,
    key: datetime,
    start: datetime,
    meeting: Meeting | None,
) -> dict[str, Any]:
    """What the reminder shows `person`: only what they may see on the relationship page."""
    other = relationship.other_participant(person)
    current = focus(series_upcoming(relationship, now=current_time()))
    is_focus = current is not None and current.key == key
    # The agenda depends on the occurrence's key and meeting row only.
    occurrence = Occurrence(key, start, 0, "UTC", meeting)
    points = agenda_points(relationship, person, occurrence, is_focus=is_focus)
    page = _relationship_url(relationship)
    checkin = ""
    if person.pk == relationship.member_id:
        checkin = absolute(reverse("growth:checkin", args=[relationship.uuid, key_slug(key)]))
    return {
        "person": person,
        "other": other,
        "when": when_text(start, person.timezone),
        "other_when": (
            when_text(start, other.timezone) if other.timezone != person.timezone else ""
        ),
        "points": points,
        "actions": open_action_items(relationship),
        "relationship_url": page,
        "add_point_url": page + "#new-point",
        "checkin_url": checkin,
    }


# Recaps ----------------------------------------------------------------------------


def recap_key(meeting_id: int, person_id: int) -> str:
    return f"recap:{meeting_id}:{person_id}"


@receiver(signals.meeting_closed)
def _on_closed(sender: object, relationship: Relationship, meeting: Meeting, **kwargs: Any) -> None:
    try:
        with transaction.atomic():
            plan_recaps(relationship, meeting)
    except Exception:
        logger.exception("Planning the recap of meeting %s failed", meeting.pk)


def plan_recaps(relationship: Relationship, meeting: Meeting) -> None:
    """A recap per participant who wants one, sent a little after the close."""
    due = (meeting.closed_at or current_time()) + RECAP_DELAY
    participants = [relationship.lead, relationship.member]
    prefs = preferences_of(p.pk for p in participants)
    for person in participants:
        # Webhook recaps do not depend on the email preference.
        webhooks.fan_out(
            kind=Delivery.Kind.RECAP,
            person=person,
            relationship=relationship,
            meeting=meeting,
            occurrence_key=meeting.occurrence_start,
            due_at=due,
        )
        if not prefs[person.pk].email_recaps:
            continue
        key = recap_key(meeting.pk, person.pk)
        made = delivery_create(
            key=key,
            organization_id=relationship.organization_id,
            channel=Delivery.Channel.EMAIL,
            kind=Delivery.Kind.RECAP,
            person=person,
            relationship_id=relationship.pk,
            meeting_id=meeting.pk,
            occurrence_key=meeting.occurrence_start,
            summary=f"Recap: 1:1 with {relationship.other_participant(person).name} "
            f"on {local(meeting.start, person.timezone):%-d %b %Y}",
            due_at=due,
        )
        if made is None:
            # Closed again after a reopen: the skipped (or not yet sent) recap goes later.
            Delivery.objects.filter(
                key=key, status__in=[Delivery.Status.SKIPPED, Delivery.Status.PLANNED]
            ).update(status=Delivery.Status.PLANNED, due_at=due, last_error="")


@email_renderer(Delivery.Kind.RECAP)
def render_recap(delivery: Delivery) -> EmailMessage:
    person = delivery.person
    assert person is not None
    again = bool(delivery.payload.get("again"))
    relationship = delivery_relationship(delivery)
    meeting = Meeting.objects.filter(pk=delivery.meeting_id or 0, relationship=relationship).first()
    if meeting is None or meeting.status != Meeting.Status.HELD:
        raise Skip("The meeting was reopened.")
    if not preferences_for(person).email_recaps and not again:
        raise Skip("Recaps are turned off.")
    other = relationship.other_participant(person)
    visible = TalkingPoint.objects.visible_to(person.pk)
    context = {
        "person": person,
        "other": other,
        "when": when_text(meeting.start, person.timezone),
        "notes": meeting.notes,
        "notes_html": render_markdown(meeting.notes) if meeting.notes else "",
        "discussed": [
            d.point
            for d in Discussion.objects.filter(meeting=meeting, point__in=visible)
            .select_related("point")
            .order_by("point__position")
        ],
        "carried": [
            c.point
            for c in CarryOver.objects.filter(meeting=meeting, point__in=visible)
            .select_related("point")
            .order_by("point__position")
        ],
        "actions": list(
            ActionItem.objects.filter(meeting=meeting)
            .select_related("owner")
            .order_by("created_at")
        ),
        "meeting_url": absolute(
            reverse(
                "meetings:meeting", args=[relationship.uuid, key_slug(meeting.occurrence_start)]
            )
        ),
        "relationship_url": _relationship_url(relationship),
    }
    subject = (
        f"Recap of your 1:1 with {other.first_name} on "
        f"{local(meeting.start, person.timezone):%-d %B}"
    )
    return build_email(to=[person.email], subject=subject, template="recap", context=context)


# The weekly digest -----------------------------------------------------------------


def digest_key(person_id: int, moment_local: datetime) -> str:
    iso_year, iso_week, _ = moment_local.isocalendar()
    return f"digest:{person_id}:{iso_year}-W{iso_week}"


def digest_is_due(prefs: Preferences, moment_local: datetime) -> bool:
    """Whether the person's digest time of this ISO week has come (in their zone)."""
    monday = moment_local.date() - timedelta(days=moment_local.weekday())
    day = monday + timedelta(days=prefs.digest_weekday)
    return (moment_local.date(), moment_local.hour) >= (day, prefs.digest_hour)


def overdue_items(before: date, owner_ids: Iterable[int] | None = None) -> Any:
    """Open action items due before `before`, in live 1:1s, of active people (or of these)."""
    items = (
        ActionItem.objects.open()
        .filter(due_date__lt=before, owner__is_active=True)
        .exclude(relationship__status=Relationship.Status.ENDED)
    )
    return items if owner_ids is None else items.filter(owner_id__in=list(owner_ids))


@periodic("reminders.digest", timedelta(minutes=15))
def digest_plan(now: datetime) -> str:
    """A digest for everyone whose digest time has come and who has overdue commitments."""
    # Nobody's local date is more than a day ahead of UTC's: filter in SQL first.
    latest = now.astimezone(UTC).date() + timedelta(days=1)
    owners = overdue_items(latest).values_list("owner_id", flat=True).distinct()
    people = list(Person.objects.filter(pk__in=owners))
    prefs = preferences_of(p.pk for p in people)
    candidates: dict[str, Person] = {}
    for person in people:
        moment_local = local(now, person.timezone)
        if prefs[person.pk].weekly_digest and digest_is_due(prefs[person.pk], moment_local):
            candidates[digest_key(person.pk, moment_local)] = person
    sent = set(Delivery.objects.filter(key__in=list(candidates)).values_list("key", flat=True))
    todo = {key: person for key, person in candidates.items() if key not in sent}
    if not todo:
        return "no digest due"
    by_pk = {person.pk: person for person in todo.values()}
    overdue_by_owner: dict[int, int] = defaultdict(int)
    for item in overdue_items(latest, by_pk).only("owner_id", "due_date"):
        today = local(now, by_pk[item.owner_id].timezone).date()
        if item.due_date is not None and item.due_date < today:
            overdue_by_owner[item.owner_id] += 1
    made = 0
    for key, person in todo.items():
        count = overdue_by_owner.get(person.pk, 0)
        if not count:
            continue
        if delivery_create(
            key=key,
            organization_id=person.organization_id,
            channel=Delivery.Channel.EMAIL,
            kind=Delivery.Kind.DIGEST,
            person=person,
            summary=f"Weekly digest: {count} overdue action item{'s' if count != 1 else ''}",
        ):
            made += 1
    return f"{made} digests"


@email_renderer(Delivery.Kind.DIGEST)
def render_digest(delivery: Delivery) -> EmailMessage:
    person = delivery.person
    assert person is not None
    again = bool(delivery.payload.get("again"))
    if not preferences_for(person).weekly_digest and not again:
        raise Skip("The weekly digest is turned off.")
    moment = current_time()
    today = local(moment, person.timezone).date()
    items = list(
        overdue_items(today, [person.pk])
        .select_related("relationship__lead", "relationship__member")
        .order_by("relationship_id", "due_date", "created_at")
    )
    if not items:
        raise Skip("Nothing is overdue any more.")
    groups: dict[int, dict[str, Any]] = {}
    for item in items:
        relationship = item.relationship
        group = groups.setdefault(
            relationship.pk,
            {
                "other": relationship.other_participant(person),
                "url": _relationship_url(relationship),
                "items": [],
            },
        )
        assert item.due_date is not None
        days = (today - item.due_date).days
        group["items"].append(
            {
                "text": item.text,
                "due": f"{item.due_date.day} {item.due_date:%B %Y}",
                "age": f"{days} day{'s' if days != 1 else ''} overdue",
            }
        )
    count = len(items)
    subject = f"Your week: {count} overdue action item{'s' if count != 1 else ''}"
    context = {"person": person, "groups": list(groups.values()), "count": count}
    return build_email(to=[person.email], subject=subject, template="digest", context=context)


# The nudge -------------------------------------------------------------------------


@dataclass(frozen=True)
class Lapse:
    relationship: Relationship
    last_held: Meeting | None
    since: datetime
    days: int


def lapses(relationships: Sequence[Relationship], *, now: datetime) -> list[Lapse]:
    """Series with no held meeting for twice their cadence (from the last one or the start)."""
    ids = [r.pk for r in relationships]
    held = Meeting.objects.filter(status=Meeting.Status.HELD)
    # The latest held meeting of each series, in one query.
    latest = {
        m.relationship_id: m
        for m in held.filter(relationship_id__in=ids).filter(
            start=Subquery(
                held.filter(relationship_id=OuterRef("relationship_id"))
                .order_by("-start")
                .values("start")[:1]
            )
        )
    }
    found = []
    for relationship in relationships:
        schedules = list(relationship.schedules.all())
        if not schedules:
            continue
        current = schedules[-1]
        last = latest.get(relationship.pk)
        since = last.start if last else schedules[0].starts_at
        if now - since >= timedelta(days=2 * cadence_days(current.rrule)):
            found.append(Lapse(relationship, last, since, (now - since).days))
    return found


def nudge_key(relationship_id: int, last_held: Meeting | None) -> str:
    return f"nudge:{relationship_id}:{last_held.pk if last_held else 'start'}"


@periodic("reminders.nudge", timedelta(hours=1))
def nudge_plan(now: datetime) -> str:
    """Tell the lead of a 1:1 that has lapsed, once per lapse."""
    found = lapses(list(_active_relationships()), now=now)
    keys = {nudge_key(lapse.relationship.pk, lapse.last_held): lapse for lapse in found}
    sent = set(Delivery.objects.filter(key__in=list(keys)).values_list("key", flat=True))
    prefs = preferences_of(lapse.relationship.lead_id for lapse in found)
    made = 0
    for key, lapse in keys.items():
        relationship = lapse.relationship
        if key in sent or not prefs[relationship.lead_id].email_nudges:
            continue
        if delivery_create(
            key=key,
            organization_id=relationship.organization_id,
            channel=Delivery.Channel.EMAIL,
            kind=Delivery.Kind.NUDGE,
            person=relationship.lead,
            relationship_id=relationship.pk,
            meeting_id=lapse.last_held.pk if lapse.last_held else None,
            summary=f"Nudge: no 1:1 with {relationship.member.name} for {lapse.days} days",
        ):
            made += 1
    return f"{made} nudges"


@email_renderer(Delivery.Kind.NUDGE)
def render_nudge(delivery: Delivery) -> EmailMessage:
    person = delivery.person
    assert person is not None
    again = bool(delivery.payload.get("again"))
    relationship = delivery_relationship(delivery)
    if relationship.status != Relationship.Status.ACTIVE:
        raise Skip("The 1:1 is paused or has ended.")
    if not preferences_for(person).email_nudges and not again:
        raise Skip("Nudges are turned off.")
    found = lapses(list(_active_relationships().filter(pk=relationship.pk)), now=current_time())
    if (
        not found
        or nudge_key(relationship.pk, found[0].last_held) != delivery.key.split(":again:")[0]
    ):
        raise Skip("A meeting was held since.")
    lapse = found[0]
    other = relationship.other_participant(person)
    context = {
        "person": person,
        "other": other,
        "days": lapse.days,
        "since": f"{local(lapse.since, person.timezone):%-d %B %Y}",
        "held_before": lapse.last_held is not None,
        "plan_url": absolute(reverse("meetings:plan", args=[relationship.uuid])),
        "relationship_url": _relationship_url(relationship),
    }
    subject = f"It has been {lapse.days} days since your last 1:1 with {other.first_name}"
    if lapse.last_held is None:
        subject = f"Your 1:1 with {other.first_name} has not happened yet"
    return build_email(to=[person.email], subject=subject, template="nudge", context=context)


# Preferences -----------------------------------------------------------------------


PREFERENCE_FIELDS = (
    "email_invitations",
    "email_reminders",
    "reminder_hours",
    "email_recaps",
    "weekly_digest",
    "digest_weekday",
    "digest_hour",
    "email_nudges",
)


@transaction.atomic
def preferences_update(
    *, person: Person, timezone: str | None = None, **values: Any
) -> Preferences:
    """Save what a person wants to receive (and their zone); move their planned reminders."""
    from people.services import person_update

    unknown = set(values) - set(PREFERENCE_FIELDS)
    if unknown:
        raise TypeError(f"preferences_update cannot change {sorted(unknown)}")
    prefs, _ = Preferences.objects.get_or_create(person=person)
    before = (prefs.email_reminders, prefs.reminder_hours)
    for name, value in values.items():
        setattr(prefs, name, value)
    prefs.updated_at = current_time()
    prefs.full_clean(exclude=["person"])
    prefs.save()
    if timezone is not None and timezone != person.timezone:
        person_update(actor=person, person=person, timezone=timezone)
    if (prefs.email_reminders, prefs.reminder_hours) != before:
        replan_person(person)
    return prefs

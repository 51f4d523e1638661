"""Calendar invitations by email: a series, its changes, one occurrence, its end.

The receivers below run inside the service transaction that made the change and
write one outbox row per participant (`invite:<relationship>:<person>:<event>:<id>`,
so a new change sends a new message and a retried task never a second copy). The
renderers build the iCalendar file when the email is sent, from the state of that
moment (iTIP: a `text/calendar; method=…` alternative plus an invite.ics attachment).
"""

from datetime import datetime
from typing import Any

from django.core.mail import EmailMessage
from django.db.models import Q
from django.dispatch import receiver
from django.urls import NoReverseMatch, reverse
from django.utils.timezone import now
from icalendar import Calendar

from lib.timezones import zone
from meetings import signals
from meetings.models import Meeting, Relationship, Schedule
from meetings.occurrences import key_slug, upcoming, window_start
from meetings.schedule import describe_rrule
from notifications import ical
from notifications.emails import absolute, build_email
from notifications.models import Delivery
from notifications.outbox import Skip, delivery_create, delivery_relationship, email_renderer
from notifications.reminders import preferences_for
from people.models import Person

Kind = Delivery.Kind
# How many coming meetings an invitation lists.
SHOWN = 3


def wants_invitations(person: Person) -> bool:
    return person.is_active and preferences_for(person).email_invitations


def signature(schedules: list[Schedule]) -> str:
    """Names a state of the series: grows with every cut (sequence) and every new segment."""
    return f"{len(schedules)}.{sum(s.sequence for s in schedules)}"


def _schedules(relationship: Relationship) -> list[Schedule]:
    return list(
        Schedule.objects.filter(relationship_id=relationship.pk).order_by("starts_at", "pk")
    )


def _participants(relationship: Relationship) -> list[Person]:
    return [relationship.lead, relationship.member]


def _queue(
    relationship: Relationship,
    *,
    kind: str,
    event: str,
    ident: str,
    payload: dict[str, Any],
    summary: str,
    meeting: Meeting | None = None,
) -> None:
    for person in _participants(relationship):
        if not wants_invitations(person):
            continue
        delivery_create(
            key=f"invite:{relationship.pk}:{person.pk}:{event}:{ident}",
            organization_id=relationship.organization_id,
            channel=Delivery.Channel.EMAIL,
            kind=kind,
            person=person,
            relationship_id=relationship.pk,
            meeting_id=meeting.pk if meeting else None,
            occurrence_key=meeting.occurrence_start if meeting else None,
            payload={"event": event, **payload},
            summary=f"{summary} (to {person.name})",
        )


def _title(relationship: Relationship) -> str:
    return f"1:1 {relationship.lead.name} / {relationship.member.name}"


@receiver(signals.relationship_started)
def on_relationship_started(sender: object, relationship: Relationship, **kwargs: Any) -> None:
    schedules = _schedules(relationship)
    _queue(
        relationship,
        kind=Kind.INVITATION,
        event="start",
        ident=str(relationship.uuid),
        payload={"signature": signature(schedules)},
        summary=f"Invitation: {_title(relationship)}",
    )


@receiver(signals.schedule_changed)
def on_schedule_changed(
    sender: object, relationship: Relationship, reason: str, **kwargs: Any
) -> None:
    schedules = _schedules(relationship)
    sig = signature(schedules)
    _queue(
        relationship,
        kind=Kind.INVITATION,
        event=reason,
        ident=sig,
        payload={"signature": sig},
        summary=f"Updated invitation ({reason}): {_title(relationship)}",
    )
    # A segment cut before its first meeting is on calendars from an earlier invitation.
    for schedule in schedules:
        if schedule.sequence and not ical.has_occurrences(schedule):
            _queue(
                relationship,
                kind=Kind.SERIES_CANCEL,
                event="replaced",
                ident=f"{schedule.pk}:{schedule.sequence}",
                payload={"schedules": [schedule.pk]},
                summary=f"Earlier plan withdrawn: {_title(relationship)}",
            )


@receiver(signals.occurrence_changed)
def on_occurrence_changed(
    sender: object, relationship: Relationship, meeting: Meeting, change: str, **kwargs: Any
) -> None:
    moved = change in ("rescheduled", "reopened")
    _queue(
        relationship,
        kind=Kind.OCCURRENCE_UPDATE if moved else Kind.OCCURRENCE_CANCEL,
        event="occurrence",
        ident=f"{meeting.pk}:{meeting.sequence}",
        payload={"change": change, "sequence": meeting.sequence},
        summary=(f"Meeting {change} ({meeting.occurrence_start:%d %b %Y}): {_title(relationship)}"),
        meeting=meeting,
    )


@receiver(signals.relationship_ended)
def on_relationship_ended(
    sender: object, relationship: Relationship, reason: str, **kwargs: Any
) -> None:
    ended = relationship.ended_at or now()
    # The segments cut by this end; earlier ones stopped before it and stay as they are.
    cut = [s.pk for s in _schedules(relationship) if s.until is not None and s.until >= ended]
    _queue(
        relationship,
        kind=Kind.SERIES_CANCEL,
        event="end",
        ident=str(relationship.uuid),
        payload={"schedules": cut, "reason": reason},
        summary=f"Series ended: {_title(relationship)}",
    )


# Rendering, at send time.


def when(instant: datetime, person: Person) -> str:
    """A moment in the recipient's zone, with the zone's name."""
    local = instant.astimezone(zone(person.timezone))
    return f"{local:%A %-d %B %Y, %H:%M} ({person.timezone}, {local.tzname()})"


def _link(name: str) -> str:
    try:
        return absolute(reverse(name))
    except NoReverseMatch:
        return ""


def _load(delivery: Delivery) -> tuple[Person, Relationship]:
    person = delivery.person
    if person is None or delivery.relationship_id is None:
        raise Skip("Nobody to send this to.")
    relationship = delivery_relationship(delivery)
    if person.pk not in (relationship.lead_id, relationship.member_id):
        raise Skip("The 1:1 is gone.")
    if not wants_invitations(person):
        raise Skip("Calendar invitations are turned off.")
    return person, relationship


def _ensure_running(relationship: Relationship) -> None:
    if relationship.status == Relationship.Status.ENDED:
        raise Skip("The 1:1 has ended.")


def _context(person: Person, relationship: Relationship) -> dict[str, Any]:
    return {
        "person": person,
        "other": relationship.other_participant(person),
        "relationship": relationship,
        "lead": relationship.lead,
        "member": relationship.member,
        "relationship_url": ical.relationship_url(relationship),
        "calendar_url": _link("notifications:calendar"),
        "preferences_url": _link("notifications:preferences"),
    }


def _email(
    person: Person,
    *,
    subject: str,
    template: str,
    context: dict[str, Any],
    calendar: Calendar,
    method: str,
) -> EmailMessage:
    message = build_email(to=[person.email], subject=subject, template=template, context=context)
    data = calendar.to_ical().decode()
    message.attach_alternative(data, f"text/calendar; method={method}")
    message.attach("invite.ics", data, "application/ics")
    return message


def _coming(relationship: Relationship, schedules: list[Schedule], person: Person) -> list[str]:
    moment = now()
    lo = window_start(moment)
    rows = Meeting.objects.filter(Q(occurrence_start__gte=lo) | Q(start__gte=lo)).filter(
        relationship_id=relationship.pk
    )
    found = upcoming(schedules, list(rows), now=moment, count=SHOWN + 4)
    return [when(o.start, person) for o in found if o.is_scheduled and o.start > moment][:SHOWN]


def _cadence(schedule: Schedule) -> str:
    return (
        f"{describe_rrule(schedule.rrule)} at {schedule.local_time:%H:%M} "
        f"({schedule.timezone}), {schedule.duration_minutes} minutes"
    )


INVITATION_SUBJECTS = {
    "start": "Invitation: 1:1 with {other}",
    "cadence": "New schedule: 1:1 with {other}",
    "pause": "Paused: 1:1 with {other}",
    "resume": "Resumed: 1:1 with {other}",
}


@email_renderer(Kind.INVITATION)
def render_invitation(delivery: Delivery) -> EmailMessage:
    person, relationship = _load(delivery)
    _ensure_running(relationship)
    schedules = _schedules(relationship)
    again = delivery.payload.get("again", False)
    if not again and delivery.payload.get("signature") != signature(schedules):
        raise Skip("A newer invitation replaced this one.")
    live = [s for s in schedules if ical.has_occurrences(s)]
    if not live:
        raise Skip("Nothing of this 1:1 is on the calendar.")
    meetings = Meeting.objects.filter(ical.interesting_meetings(), relationship_id=relationship.pk)
    calendar = ical.series_calendar(
        relationship, schedules=schedules, meetings=list(meetings), method="REQUEST"
    )
    event = delivery.payload.get("event", "start")
    context = _context(person, relationship)
    subject = INVITATION_SUBJECTS.get(event, INVITATION_SUBJECTS["start"]).format(
        other=context["other"].name
    )
    current = schedules[-1]
    context |= {
        "event": event,
        "paused": relationship.status == Relationship.Status.PAUSED,
        "cadence": _cadence(current),
        "coming": _coming(relationship, schedules, person),
    }
    return _email(
        person,
        subject=subject,
        template="invitation",
        context=context,
        calendar=calendar,
        method="REQUEST",
    )


def _meeting(delivery: Delivery, relationship: Relationship) -> Meeting:
    if delivery.meeting_id is None:
        raise Skip("The meeting is gone.")
    meeting = Meeting.objects.filter(
        pk=delivery.meeting_id, relationship_id=relationship.pk
    ).first()
    if meeting is None:
        raise Skip("The meeting is gone.")
    again = delivery.payload.get("again", False)
    if not again and meeting.sequence != delivery.payload.get("sequence"):
        raise Skip("A newer change to this meeting replaced this message.")
    return meeting


@email_renderer(Kind.OCCURRENCE_UPDATE)
def render_occurrence_update(delivery: Delivery) -> EmailMessage:
    person, relationship = _load(delivery)
    _ensure_running(relationship)
    meeting = _meeting(delivery, relationship)
    if meeting.status in ical.OFF_CALENDAR:
        raise Skip("The meeting was cancelled since.")
    change = delivery.payload.get("change", "rescheduled")
    context = _context(person, relationship) | {
        "change": change,
        "start": when(meeting.start, person),
        "original": when(meeting.occurrence_start, person),
        "moved": meeting.start != meeting.occurrence_start,
        "reason": meeting.reason,
        "meeting_url": absolute(
            reverse(
                "meetings:meeting", args=[relationship.uuid, key_slug(meeting.occurrence_start)]
            )
        ),
    }
    verb = "Moved" if change == "rescheduled" else "Back on"
    subject = f"{verb}: 1:1 with {context['other'].name}, {context['start']}"
    return _email(
        person,
        subject=subject,
        template="occurrence_update",
        context=context,
        calendar=ical.occurrence_update_calendar(relationship, meeting),
        method="REQUEST",
    )


@email_renderer(Kind.OCCURRENCE_CANCEL)
def render_occurrence_cancel(delivery: Delivery) -> EmailMessage:
    person, relationship = _load(delivery)
    _ensure_running(relationship)
    meeting = _meeting(delivery, relationship)
    if meeting.status not in ical.OFF_CALENDAR:
        raise Skip("The meeting is back on the calendar.")
    change = delivery.payload.get("change", "cancelled")
    context = _context(person, relationship) | {
        "change": change,
        "start": when(meeting.start, person),
        "reason": meeting.reason,
    }
    subject = f"Cancelled: 1:1 with {context['other'].name}, {context['start']}"
    return _email(
        person,
        subject=subject,
        template="occurrence_cancel",
        context=context,
        calendar=ical.occurrence_cancel_calendar(relationship, meeting),
        method="CANCEL",
    )


@email_renderer(Kind.SERIES_CANCEL)
def render_series_cancel(delivery: Delivery) -> EmailMessage:
    person, relationship = _load(delivery)
    event = delivery.payload.get("event", "end")
    pks = delivery.payload.get("schedules", [])
    schedules = list(
        Schedule.objects.filter(relationship_id=relationship.pk, pk__in=pks).order_by("starts_at")
    )
    if not schedules:
        raise Skip("Nothing of this 1:1 was left on the calendar.")
    if event == "replaced":
        _ensure_running(relationship)
    context = _context(person, relationship) | {"event": event}
    other = context["other"].name
    subject = f"Ended: 1:1 with {other}" if event == "end" else f"Withdrawn plan: 1:1 with {other}"
    return _email(
        person,
        subject=subject,
        template="series_cancel",
        context=context,
        calendar=ical.series_cancel_calendar(relationship, schedules),
        method="CANCEL",
    )

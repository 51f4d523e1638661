""" "My data": everything a person may see in Rapport, as one zip of JSON and Markdown.

The data is read only through the access helpers and visibility rules the pages use
(meetings/access.py, TalkingPoint.objects.visible_to, meetings.selectors.with_record,
growth/access.py), so the download can never show more than the app does: the
person's own private points, private notes and ratings are in it, the other
participant's never. The layout and every JSON field are documented in docs/mydata.md,
which is shipped inside the zip as README.md.
"""

import json
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from tempfile import SpooledTemporaryFile
from typing import IO, Any
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.db.models import Prefetch
from django.utils.text import slugify

from growth.access import career_shared_in, feedback_visible_to, goals_visible_to
from growth.models import CareerProfile, CheckIn, Feedback, Goal, GoalUpdate
from growth.models.career import CAREER_FIELDS
from growth.models.checkins import MOOD_WORDS
from meetings.access import relationships_of
from meetings.models import (
    ActionItem,
    CarryOver,
    Discussion,
    Meeting,
    MeetingShare,
    Relationship,
    TalkingPoint,
    Theme,
)
from meetings.selectors import record_has_content, with_record
from people.models import Person

FORMAT = "rapport-my-data"
# Bump when a field changes meaning or disappears; adding a field keeps the version.
FORMAT_VERSION = 1
# Zips up to this size stay in memory; larger ones spill to a temporary file.
SPOOL_BYTES = 8 * 1024 * 1024
OPERATOR_SECTION = "## For operators"
DOC_PATH = Path(__file__).resolve().parent.parent / "docs" / "mydata.md"

Json = dict[str, Any]


# -- JSON ----------------------------------------------------------------------------------


def _when(value: datetime | date | time | None) -> str | None:
    """ISO 8601 (datetimes in UTC, as stored), or None."""
    return value.isoformat() if value is not None else None


def _ref(person: Person | None) -> Json | None:
    """How a person appears in the export: their public id and name, nothing more."""
    if person is None:
        return None
    return {"uuid": str(person.uuid), "name": person.name}


def _profile(person: Person) -> Json:
    emails = EmailAddress.objects.filter(user_id=person.pk).order_by("-primary", "email")
    organization = person.organization
    return {
        "uuid": str(person.uuid),
        "name": person.name,
        "email": person.email,
        "title": person.title,
        "timezone": person.timezone,
        "organization": (
            {"uuid": str(organization.uuid), "name": organization.name} if organization else None
        ),
        "team": person.team.name if person.team else None,
        "manager": _ref(person.manager),
        "is_org_admin": person.is_org_admin,
        "date_joined": _when(person.date_joined),
        "deactivated_at": _when(person.deactivated_at),
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary} for e in emails
        ],
    }


def _point(point: TalkingPoint, discussed_in: list[str], carried_over_in: list[str]) -> Json:
    return {
        "uuid": str(point.uuid),
        "author": _ref(point.author),
        "text": point.text,
        "theme": point.theme,
        "is_private": point.is_private,
        "is_standing": point.is_standing,
        "status": point.status,
        "source": point.source,
        "planned_for": _when(point.planned_for),
        "created_at": _when(point.created_at),
        "updated_at": _when(point.updated_at),
        "discussed_in": discussed_in,
        "carried_over_in": carried_over_in,
    }


def _action_item(item: ActionItem, meeting_uuids: dict[int, str]) -> Json:
    return {
        "uuid": str(item.uuid),
        "text": item.text,
        "owner": _ref(item.owner),
        "created_by": _ref(item.created_by),
        "due_date": _when(item.due_date),
        "done_at": _when(item.done_at),
        "meeting": meeting_uuids.get(item.meeting_id) if item.meeting_id else None,
        "completed_in": meeting_uuids.get(item.completed_in_id) if item.completed_in_id else None,
        "created_at": _when(item.created_at),
    }


def _checkin(checkin: CheckIn) -> Json:
    return {
        "uuid": str(checkin.uuid),
        "author": _ref(checkin.author),
        "mood": checkin.mood,
        "workload": checkin.workload,
        "wins": checkin.wins,
        "blockers": checkin.blockers,
        "priorities": checkin.priorities,
        "created_at": _when(checkin.created_at),
        "updated_at": _when(checkin.updated_at),
    }


def _meeting(meeting: Meeting) -> Json:
    """A meeting as `with_record` loaded it for the person: only what they may see."""
    notes = meeting.own_private_notes  # type: ignore[attr-defined]
    ratings = meeting.own_ratings  # type: ignore[attr-defined]
    return {
        "uuid": str(meeting.uuid),
        "occurrence_start": _when(meeting.occurrence_start),
        "start": _when(meeting.start),
        "duration_minutes": meeting.duration_minutes,
        "status": meeting.status,
        "reason": meeting.reason,
        "closed_at": _when(meeting.closed_at),
        "discussed": [str(d.point.uuid) for d in meeting.discussions.all()],
        "carried_over": [str(c.point.uuid) for c in meeting.carry_overs.all()],
        "shared_notes": meeting.notes,
        "shared_notes_updated_at": _when(meeting.notes_updated_at),
        "shared_notes_updated_by": _ref(meeting.notes_updated_by),
        "my_private_notes": notes[0].text if notes else "",
        "my_rating": ratings[0].score if ratings else None,
        "action_items": [str(item.uuid) for item in meeting.action_items.all()],
        "checkins": [_checkin(c) for c in meeting.record_checkins],  # type: ignore[attr-defined]
        "i_shared_with": [
            {"person": _ref(share.shared_with), "shared_at": _when(share.created_at)}
            for share in meeting.my_shares  # type: ignore[attr-defined]
        ],
    }


def _career(profile: CareerProfile | None, *, with_history: bool) -> Json | None:
    if profile is None:
        return None
    data: Json = {name: getattr(profile, name) for name, _ in CAREER_FIELDS}
    data["updated_at"] = _when(profile.updated_at)
    if with_history:
        data["revisions"] = [
            {
                **{name: getattr(revision, name) for name, _ in CAREER_FIELDS},
                "edited_by": _ref(revision.edited_by),
                "created_at": _when(revision.created_at),
            }
            for revision in profile.revisions.all()
        ]
    return data


@dataclass
class _Loaded:
    """Every row of the export, loaded in a fixed number of queries."""

    relationships: list[Relationship]
    meetings: dict[int, list[Meeting]]
    points: dict[int, list[TalkingPoint]]
    items: dict[int, list[ActionItem]]
    member_careers: dict[int, CareerProfile]


def _load(person: Person) -> _Loaded:
    relationships = list(
        relationships_of(person)
        .select_related("lead", "member")
        .prefetch_related("schedules")
        .order_by("created_at", "pk")
    )
    ids = [r.pk for r in relationships]
    meetings: dict[int, list[Meeting]] = defaultdict(list)
    records = with_record(Meeting.objects.filter(relationship_id__in=ids), person).prefetch_related(
        # Whom the person showed a meeting to (after a manager change); nobody else's shares.
        Prefetch(
            "shares",
            queryset=MeetingShare.objects.filter(shared_by_id=person.pk)
            .select_related("shared_with")
            .order_by("created_at", "pk"),
            to_attr="my_shares",
        )
    )
    for meeting in records.order_by("start", "pk"):
        # A meeting row that only the other participant's private writes created must look
        # exactly like an occurrence nobody touched (as in the history page).
        if record_has_content(meeting):
            meetings[meeting.relationship_id].append(meeting)
    points: dict[int, list[TalkingPoint]] = defaultdict(list)
    visible = TalkingPoint.objects.visible_to(person.pk).filter(relationship_id__in=ids)
    for point in visible.select_related("author").order_by("created_at", "pk"):
        points[point.relationship_id].append(point)
    items: dict[int, list[ActionItem]] = defaultdict(list)
    all_items = ActionItem.objects.filter(relationship_id__in=ids).select_related(
        "owner", "created_by"
    )
    for item in all_items.order_by("created_at", "pk"):
        items[item.relationship_id].append(item)
    # Career profiles of the members of manager 1:1s the person leads now (growth/access.py).
    shown = [r.member_id for r in relationships if career_shared_in(r, r.member)]
    careers = CareerProfile.objects.filter(person_id__in=shown) if shown else []
    return _Loaded(relationships, meetings, points, items, {c.person_id: c for c in careers})


def _relationship(person: Person, relationship: Relationship, loaded: _Loaded) -> Json:
    other = relationship.other_participant(person)
    meetings = loaded.meetings[relationship.pk]
    meeting_uuids = {m.pk: str(m.uuid) for m in meetings}
    discussed: dict[int, list[str]] = defaultdict(list)
    carried: dict[int, list[str]] = defaultdict(list)
    for meeting in meetings:
        for discussion in meeting.discussions.all():
            discussed[discussion.point_id].append(str(meeting.uuid))
        for carry in meeting.carry_overs.all():
            carried[carry.point_id].append(str(meeting.uuid))
    career = loaded.member_careers.get(relationship.member_id)
    return {
        "uuid": str(relationship.uuid),
        "kind": relationship.kind,
        "my_role": "lead" if relationship.lead_id == person.pk else "member",
        "other_person": _ref(other),
        "status": relationship.status,
        "end_reason": relationship.end_reason,
        "created_at": _when(relationship.created_at),
        "ended_at": _when(relationship.ended_at),
        "schedules": [
            {
                "rrule": s.rrule,
                "first_date": _when(s.first_date),
                "local_time": _when(s.local_time),
                "timezone": s.timezone,
                "duration_minutes": s.duration_minutes,
                "starts_at": _when(s.starts_at),
                "until": _when(s.until),
            }
            for s in relationship.schedules.all()
        ],
        "talking_points": [
            _point(p, discussed[p.pk], carried[p.pk]) for p in loaded.points[relationship.pk]
        ],
        "action_items": [
            _action_item(item, meeting_uuids) for item in loaded.items[relationship.pk]
        ],
        "meetings": [_meeting(m) for m in meetings],
        "member_career_profile": (
            _career(career, with_history=False) if relationship.member_id != person.pk else None
        ),
    }


def _shared_with_me(person: Person) -> list[Json]:
    """Meetings a report shared with the person: shared notes and shared agenda only."""
    shared_points = TalkingPoint.objects.filter(is_private=False)
    shares = (
        MeetingShare.objects.filter(shared_with_id=person.pk, organization_id=person.org_id)
        .select_related("shared_by", "meeting__relationship__lead", "meeting__relationship__member")
        .prefetch_related(
            Prefetch(
                "meeting__discussions",
                queryset=Discussion.objects.filter(point__in=shared_points).select_related(
                    "point__author"
                ),
            ),
            Prefetch(
                "meeting__carry_overs",
                queryset=CarryOver.objects.filter(point__in=shared_points).select_related(
                    "point__author"
                ),
            ),
        )
        .order_by("meeting__start", "pk")
    )
    result = []
    for share in shares:
        meeting = share.meeting
        relationship = meeting.relationship

        def agenda(rows: Any) -> list[Json]:
            return [
                {"author": _ref(row.point.author), "text": row.point.text, "theme": row.point.theme}
                for row in rows
            ]

        result.append(
            {
                "uuid": str(share.uuid),
                "shared_by": _ref(share.shared_by),
                "shared_at": _when(share.created_at),
                "meeting": {
                    "uuid": str(meeting.uuid),
                    "relationship_kind": relationship.kind,
                    "lead": _ref(relationship.lead),
                    "member": _ref(relationship.member),
                    "start": _when(meeting.start),
                    "status": meeting.status,
                    "discussed": agenda(meeting.discussions.all()),
                    "carried_over": agenda(meeting.carry_overs.all()),
                    "shared_notes": meeting.notes,
                },
            }
        )
    return result


def _goals(person: Person) -> list[Json]:
    goals = (
        goals_visible_to(person)
        .select_related("owner", "proposed_by", "relationship")
        .prefetch_related(
            Prefetch(
                "updates",
                queryset=GoalUpdate.objects.select_related("author", "meeting").order_by(
                    "created_at", "pk"
                ),
            )
        )
        .order_by("created_at", "pk")
    )
    return [_goal(goal) for goal in goals]


def _goal(goal: Goal) -> Json:
    return {
        "uuid": str(goal.uuid),
        "owner": _ref(goal.owner),
        "proposed_by": _ref(goal.proposed_by),
        "relationship": str(goal.relationship.uuid) if goal.relationship else None,
        "state": goal.state,
        "kind": goal.kind,
        "review_period": goal.review_period,
        "title": goal.title,
        "why": goal.why,
        "target_date": _when(goal.target_date),
        "status": goal.status,
        "created_at": _when(goal.created_at),
        "accepted_at": _when(goal.accepted_at),
        "deleted_at": _when(goal.deleted_at),
        "updates": [
            {
                "uuid": str(update.uuid),
                "author": _ref(update.author),
                "text": update.text,
                "status": update.status,
                "meeting": str(update.meeting.uuid) if update.meeting else None,
                "created_at": _when(update.created_at),
            }
            for update in goal.updates.all()
        ],
    }


def _feedback(person: Person) -> list[Json]:
    rows = (
        feedback_visible_to(person)
        .select_related("giver", "receiver", "relationship", "meeting")
        .order_by("created_at", "pk")
    )
    return [_one_feedback(f) for f in rows]


def _one_feedback(feedback: Feedback) -> Json:
    return {
        "uuid": str(feedback.uuid),
        "giver": _ref(feedback.giver),
        "receiver": _ref(feedback.receiver),
        "relationship": str(feedback.relationship.uuid),
        "meeting": str(feedback.meeting.uuid) if feedback.meeting else None,
        "kind": feedback.kind,
        "is_upward": feedback.is_upward,
        "prompt": feedback.prompt,
        "text": feedback.text,
        "situation": feedback.situation,
        "behaviour": feedback.behaviour,
        "impact": feedback.impact,
        "created_at": _when(feedback.created_at),
        "updated_at": _when(feedback.updated_at),
        "deleted_at": _when(feedback.deleted_at),
        "public_requested_at": _when(feedback.public_requested_at),
        "public_consented_at": _when(feedback.public_consented_at),
        "public_hidden_at": _when(feedback.public_hidden_at),
    }


def export_data(person: Person, *, now: datetime) -> Json:
    """The person's whole history as a JSON-ready dict (format: docs/mydata.md)."""
    person = Person.objects.select_related("organization", "team", "manager").get(pk=person.pk)
    loaded = _load(person)
    own_career = (
        CareerProfile.objects.filter(person_id=person.pk, organization_id=person.org_id)
        .prefetch_related("revisions__edited_by")
        .first()
    )
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": _when(now),
        "person": _profile(person),
        "relationships": [_relationship(person, r, loaded) for r in loaded.relationships],
        "shared_with_me": _shared_with_me(person),
        "goals": _goals(person),
        "feedback": _feedback(person),
        "career_profile": _career(own_career, with_history=True),
    }


# -- Markdown ------------------------------------------------------------------------------


class _Md:
    """Renders the exported dict as readable Markdown, times in the person's time zone."""

    def __init__(self, data: Json) -> None:
        self.data = data
        self.me = data["person"]["uuid"]
        self.tz = ZoneInfo(data["person"]["timezone"])

    def when(self, value: str | None, *, with_time: bool = True) -> str:
        if not value:
            return "—"
        moment = datetime.fromisoformat(value)
        if isinstance(moment, datetime) and moment.tzinfo is not None:
            moment = moment.astimezone(self.tz)
        return moment.strftime("%A %-d %B %Y, %H:%M" if with_time else "%-d %B %Y")

    def who(self, ref: Json | None) -> str:
        if ref is None:
            return "someone"
        return "you" if ref["uuid"] == self.me else str(ref["name"])

    def point_line(self, point: Json) -> str:
        marks = []
        if point["is_private"]:
            marks.append("**private: only you see this**")
        if point["is_standing"]:
            marks.append("standing topic")
        extra = f" ({', '.join(marks)})" if marks else ""
        return f"- {_one_line(point['text'])} — {self.who(point['author'])}, {_THEMES.get(point['theme'], point['theme'])}{extra}"

    def item_line(self, item: Json) -> str:
        box = "x" if item["done_at"] else " "
        due = f", due {item['due_date']}" if item["due_date"] else ""
        return f"- [{box}] {_one_line(item['text'])} — {self.who(item['owner'])}{due}"

    def relationship(self, rel: Json) -> str:
        other = rel["other_person"]["name"]
        lines = [f"# 1:1 with {other} ({_KINDS.get(rel['kind'], rel['kind'])})", ""]
        lines.append(f"- You are the {'lead' if rel['my_role'] == 'lead' else 'member'}.")
        lines.append(f"- Started: {self.when(rel['created_at'], with_time=False)}")
        status = str(_RELATIONSHIP_STATUSES.get(rel["status"], rel["status"]))
        if rel["ended_at"]:
            reason = _END_REASONS.get(rel["end_reason"], rel["end_reason"])
            status += f" on {self.when(rel['ended_at'], with_time=False)} ({reason})"
        lines.append(f"- Status: {status}")
        points = {p["uuid"]: p for p in rel["talking_points"]}
        items = {i["uuid"]: i for i in rel["action_items"]}
        open_points = [
            p for p in rel["talking_points"] if p["status"] == "open" and not p["discussed_in"]
        ]
        if open_points:
            lines += ["", "## Open talking points", ""]
            lines += [self.point_line(p) for p in open_points]
        loose = [i for i in rel["action_items"] if i["meeting"] is None]
        if loose:
            lines += ["", "## Action items not tied to a meeting", ""]
            lines += [self.item_line(i) for i in loose]
        if rel["member_career_profile"]:
            lines += ["", f"## {other}'s career profile", ""]
            lines += self.career_entries(rel["member_career_profile"])
        lines += ["", "## Meetings", ""]
        if not rel["meetings"]:
            lines.append("No meetings yet.")
        for meeting in rel["meetings"]:
            lines += self.meeting(meeting, points, items)
        return "\n".join(lines) + "\n"

    def meeting(self, meeting: Json, points: dict[str, Json], items: dict[str, Json]) -> list[str]:
        status = str(_MEETING_STATUSES.get(meeting["status"], meeting["status"]))
        lines = [f"### {self.when(meeting['start'])}", "", f"Status: {status}"]
        if meeting["reason"]:
            lines[-1] += f" ({_one_line(meeting['reason'])})"
        agenda = [points[u] for u in meeting["discussed"] if u in points]
        carried = [points[u] for u in meeting["carried_over"] if u in points]
        if agenda or carried:
            lines += ["", "#### Agenda", ""]
            lines += [self.point_line(p) for p in agenda]
            lines += [self.point_line(p) + " — carried over" for p in carried]
        if meeting["shared_notes"]:
            lines += ["", "#### Shared notes", "", _quoted(meeting["shared_notes"])]
        if meeting["my_private_notes"]:
            lines += ["", "#### Your private notes (only you see these)", ""]
            lines.append(_quoted(meeting["my_private_notes"]))
        if meeting["my_rating"] is not None:
            lines += ["", f"Your rating: {meeting['my_rating']} out of 5"]
        meeting_items = [items[u] for u in meeting["action_items"] if u in items]
        if meeting_items:
            lines += ["", "#### Action items", ""]
            lines += [self.item_line(i) for i in meeting_items]
        if meeting["i_shared_with"]:
            names = ", ".join(self.who(share["person"]) for share in meeting["i_shared_with"])
            lines += ["", f"You shared this meeting's notes and agenda with {names}."]
        if meeting["checkins"]:
            lines += ["", "#### Check-ins", ""]
            for c in meeting["checkins"]:
                mood = f"{c['mood']} ({MOOD_WORDS.get(c['mood'], '')})"
                lines.append(f"- {self.who(c['author'])}: mood {mood}, workload {c['workload']}")
                for label in ("wins", "blockers", "priorities"):
                    if c[label]:
                        lines.append(f"  - {label.capitalize()}: {_one_line(c[label])}")
        lines.append("")
        return lines

    def career_entries(self, career: Json) -> list[str]:
        return [f"- **{label}**: {_one_line(career[name]) or '—'}" for name, label in CAREER_FIELDS]

    def profile(self) -> str:
        p = self.data["person"]
        org = p["organization"]["name"] if p["organization"] else "—"
        lines = [
            f"# {p['name']}",
            "",
            f"- Email: {p['email']}",
            f"- Title: {p['title'] or '—'}",
            f"- Organization: {org}",
            f"- Team: {p['team'] or '—'}",
            f"- Manager: {p['manager']['name'] if p['manager'] else '—'}",
            f"- Time zone: {p['timezone']}",
            f"- Joined: {self.when(p['date_joined'], with_time=False)}",
            "",
            f"Exported {self.when(self.data['exported_at'])}.",
        ]
        return "\n".join(lines) + "\n"

    def goals(self) -> str:
        lines = ["# Goals", ""]
        if not self.data["goals"]:
            lines.append("No goals.")
        for goal in self.data["goals"]:
            lines += [f"## {_one_line(goal['title'])}", ""]
            lines.append(f"- Owner: {self.who(goal['owner'])}; state {goal['state']}")
            lines.append(f"- Kind: {goal['kind']}; status {goal['status']}")
            if goal["target_date"]:
                lines.append(f"- Target date: {goal['target_date']}")
            if goal["deleted_at"]:
                lines.append(f"- Deleted {self.when(goal['deleted_at'])}")
            if goal["why"]:
                lines += ["", _quoted(goal["why"])]
            for update in goal["updates"]:
                lines.append(
                    f"- {self.when(update['created_at'], with_time=False)}, "
                    f"{self.who(update['author'])} ({update['status']}): {_one_line(update['text'])}"
                )
            lines.append("")
        return "\n".join(lines) + "\n"

    def feedback(self) -> str:
        lines = ["# Feedback", ""]
        if not self.data["feedback"]:
            lines.append("No feedback.")
        for f in self.data["feedback"]:
            lines += [
                f"## {f['kind'].capitalize()} from {self.who(f['giver'])} "
                f"to {self.who(f['receiver'])}, {self.when(f['created_at'], with_time=False)}",
                "",
            ]
            if f["prompt"]:
                lines += [f"> {_one_line(f['prompt'])}", ""]
            lines.append(_quoted(f["text"]))
            for label in ("situation", "behaviour", "impact"):
                if f[label]:
                    lines.append(f"- {label.capitalize()}: {_one_line(f[label])}")
            if f["deleted_at"]:
                lines.append(f"- Deleted {self.when(f['deleted_at'])}")
            lines.append("")
        return "\n".join(lines) + "\n"

    def career(self) -> str:
        career = self.data["career_profile"]
        lines = ["# Your career profile", ""]
        if career is None:
            return "\n".join([*lines, "You have not written a career profile.", ""])
        lines += self.career_entries(career)
        if career["revisions"]:
            lines += ["", "## Earlier versions", ""]
            for revision in career["revisions"]:
                lines += [f"### {self.when(revision['created_at'])}", ""]
                lines += [*self.career_entries(revision), ""]
        return "\n".join(lines) + "\n"

    def shared_with_me(self) -> str:
        lines = ["# Meetings shared with you", ""]
        for share in self.data["shared_with_me"]:
            meeting = share["meeting"]
            title = f"{meeting['lead']['name']} and {meeting['member']['name']}"
            lines += [f"## {title}: {self.when(meeting['start'])}", ""]
            lines.append(f"Shared by {self.who(share['shared_by'])}. Status: {meeting['status']}")
            rows = [(p, "") for p in meeting["discussed"]]
            rows += [(p, " — carried over") for p in meeting["carried_over"]]
            if rows:
                lines += ["", "### Agenda", ""]
                lines += [f"- {_one_line(p['text'])} — {self.who(p['author'])}{s}" for p, s in rows]
            if meeting["shared_notes"]:
                lines += ["", "### Shared notes", "", _quoted(meeting["shared_notes"])]
            lines.append("")
        return "\n".join(lines) + "\n"


_KINDS = dict(Relationship.Kind.choices)
_END_REASONS = dict(Relationship.EndReason.choices)
_RELATIONSHIP_STATUSES = dict(Relationship.Status.choices)
_MEETING_STATUSES = dict(Meeting.Status.choices)
_THEMES = dict(Theme.choices)


def _quoted(text: str) -> str:
    """Text people wrote, as a block quote: its own headings cannot break the file's outline."""
    return "\n".join(f"> {line}".rstrip() for line in text.strip().splitlines())


def _one_line(text: str) -> str:
    return " ".join(text.split())


def relationship_file_names(data: Json) -> list[str]:
    """relationships/<other person>-<kind>.md per relationship, unique within the zip."""
    taken: set[str] = set()
    names = []
    for rel in data["relationships"]:
        kind = rel["kind"].replace("_", "-")
        base = slugify(f"{rel['other_person']['name']}-{kind}", allow_unicode=True)
        name, n = base or "relationship", 2
        while name in taken:
            name, n = f"{base}-{n}", n + 1
        taken.add(name)
        names.append(f"relationships/{name}.md")
    return names


def markdown_files(data: Json) -> dict[str, str]:
    """Every Markdown file of the zip by path (README.md excluded)."""
    md = _Md(data)
    files = {"profile.md": md.profile()}
    for name, rel in zip(relationship_file_names(data), data["relationships"], strict=True):
        files[name] = md.relationship(rel)
    if data["shared_with_me"]:
        files["shared-with-me.md"] = md.shared_with_me()
    files["growth/goals.md"] = md.goals()
    files["growth/feedback.md"] = md.feedback()
    files["growth/career.md"] = md.career()
    return files


# -- The zip -------------------------------------------------------------------------------


def file_name(person: Person, today: date) -> str:
    """rapport-my-data-<name>-<date>.zip."""
    return f"rapport-my-data-{slugify(person.name) or 'person'}-{today.isoformat()}.zip"


def readme() -> str:
    """docs/mydata.md without its section for server operators."""
    text = DOC_PATH.read_text(encoding="utf-8")
    return text.split(OPERATOR_SECTION, 1)[0].rstrip() + "\n"


def write_zip(person: Person, *, now: datetime, out: IO[bytes]) -> None:
    """Write the person's zip (data.json, Markdown, README.md) into `out`."""
    data = export_data(person, now=now)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.md", readme())
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        for path, text in markdown_files(data).items():
            archive.writestr(path, text)


def build_zip(person: Person, *, now: datetime) -> IO[bytes]:
    """The zip in a spooled temporary file, rewound: memory for small ones, disk beyond."""
    out: IO[bytes] = SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (returned)
    write_zip(person, now=now, out=out)
    out.seek(0)
    return out

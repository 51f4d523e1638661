"""A 1:1's health: the metrics of insights/metrics.py put together for one series.

`health_for` serves the relationship page (one series), the insights page, the team
view (every direct report at once) and the personal CSV, always in the same number of
queries. Both participants see the same health; the lead's follow-through is shown as
prominently as the team member's.
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

from insights.facts import ALL_PARTS, Facts, load_facts
from insights.metrics import (
    Attendance,
    Balance,
    EarlyWarning,
    FollowThrough,
    ThemeCount,
    Usefulness,
    agenda_balance,
    attendance,
    early_warnings,
    follow_through,
    mood_trend,
    theme_coverage,
    usefulness,
)
from meetings.models import Relationship, Schedule, Theme
from meetings.schedule import cadence_days
from people.models import Person

THEMES = [(value, label) for value, label in Theme.choices if value != Theme.OTHER]


@dataclass(frozen=True)
class Health:
    relationship: Relationship
    attendance: Attendance
    cadence_days: int | None
    balance: Balance
    themes: list[ThemeCount]
    lead_follow: FollowThrough
    member_follow: FollowThrough
    usefulness: Usefulness
    warnings: list[EarlyWarning]
    moods: list[int]
    last_workload: str | None

    @property
    def lead(self) -> Person:
        return self.relationship.lead

    @property
    def member(self) -> Person:
        return self.relationship.member

    @property
    def is_new(self) -> bool:
        """Nothing to judge yet: no occurrence has been due."""
        return self.attendance.planned == 0 and self.attendance.last_held is None

    @property
    def status(self) -> str:
        """A word for the whole: on track, needs attention or new (never colour alone)."""
        if self.warnings:
            return "Needs attention"
        if self.is_new:
            return "New"
        adherence = self.attendance.adherence
        if adherence is not None and adherence < 0.6:
            return "Needs attention"
        return "On track"

    @property
    def status_reason(self) -> str:
        """Why it needs attention when no early warning says so: too few held."""
        seen = self.attendance
        if self.warnings or self.status != "Needs attention":
            return ""
        return f"{seen.held} of {seen.planned} planned 1:1s held in the last 90 days."

    def changes(self, viewer: Person) -> dict[str, list[tuple[str, int]]]:
        """Cancellations and moves in the window, counted by who made them ("You" first
        when the viewer made some)."""
        people = {self.lead.pk: self.lead, self.member.pk: self.member}

        def named(counts: Mapping[int, int]) -> list[tuple[str, int]]:
            rows = []
            ordered = sorted(counts.items(), key=lambda item: (item[0] != viewer.pk, -item[1]))
            for pk, count in ordered:
                person = people.get(pk)
                if person is None:
                    label = "someone else"
                elif pk == viewer.pk:
                    label = "you"
                else:
                    label = person.first_name
                rows.append((label, count))
            return rows

        return {
            "cancelled": named(self.attendance.cancelled_by),
            "rescheduled": named(self.attendance.rescheduled_by),
        }

    def sides(self, viewer: Person) -> list[tuple[Person, FollowThrough]]:
        """Both participants' follow-through, the viewer's first."""
        pairs = [(self.lead, self.lead_follow), (self.member, self.member_follow)]
        return pairs if viewer.pk == self.relationship.lead_id else pairs[::-1]


def _run_start(schedules: Sequence[Schedule]) -> datetime:
    """The first occurrence of the series' current run: after a pause (a gap of more than
    one cadence between two segments) the lapse warning counts from the resumption."""
    start = schedules[0].starts_at
    for before, after in pairwise(schedules):
        gap = timedelta(days=cadence_days(before.rrule))
        if before.until is not None and after.starts_at - before.until > gap:
            start = after.starts_at
    return start


def health_of(facts: Facts, *, now: datetime, tz: str, with_warnings: bool = True) -> Health:
    """Every metric for one series; days count in `tz` (the viewer's zone)."""
    relationship = facts.relationship
    lead, member = relationship.lead, relationship.member
    schedules = facts.schedules
    cadence = cadence_days(schedules[-1].rrule) if schedules else None
    seen = attendance(
        facts.planned,
        facts.meetings,
        last_held=facts.last_held,
        now=now,
        tz=tz,
        began=schedules[0].starts_at if schedules else None,
    )
    useful = usefulness(facts.blocks)
    warnings = (
        early_warnings(
            checkins=facts.checkins,
            attendance=seen,
            cadence_days=cadence,
            active=relationship.status == Relationship.Status.ACTIVE,
            started=_run_start(schedules) if schedules else relationship.created_at,
            now=now,
            usefulness=useful,
        )
        if with_warnings
        else []
    )
    return Health(
        relationship=relationship,
        attendance=seen,
        cadence_days=cadence,
        balance=agenda_balance(facts.authors, lead_id=lead.pk, member_id=member.pk),
        themes=theme_coverage(facts.themes, THEMES),
        lead_follow=follow_through(
            [a for a in facts.actions if a.owner_id == lead.pk], now=now, tz=lead.timezone
        ),
        member_follow=follow_through(
            [a for a in facts.actions if a.owner_id == member.pk], now=now, tz=member.timezone
        ),
        usefulness=useful,
        warnings=warnings,
        moods=mood_trend(facts.checkins),
        last_workload=facts.checkins[-1].workload if facts.checkins else None,
    )


def health_for(
    relationships: Sequence[Relationship],
    *,
    now: datetime,
    tz: str,
    parts: Collection[str] = ALL_PARTS,
    schedules: dict[int, list[Schedule]] | None = None,
    with_warnings: bool = True,
) -> dict[int, Health]:
    """Health per relationship id (lead and member must be loaded with select_related)."""
    facts = load_facts(relationships, now=now, parts=parts, schedules=schedules)
    return {
        pk: health_of(fact, now=now, tz=tz, with_warnings=with_warnings)
        for pk, fact in facts.items()
    }

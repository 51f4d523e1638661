"""The manager's team view: one row per direct report, early warnings first."""

from dataclasses import dataclass
from datetime import datetime

from insights.health import Health, health_for
from meetings.access import relationships_of
from meetings.models import Relationship
from people.models import Person


@dataclass(frozen=True)
class TeamRow:
    person: Person
    # The manager's ongoing 1:1 with this report (None: not started yet).
    relationship: Relationship | None
    health: Health | None


def team_rows(manager: Person, *, now: datetime) -> list[TeamRow]:
    """Every active direct report with the health of their 1:1 with `manager`.

    A fixed number of queries whatever the team size. Only the manager's own series
    count: a report who moved from another manager starts afresh here (their earlier
    1:1 belongs to its own participants).
    """
    reports = list(
        Person.objects.filter(
            manager=manager, is_active=True, organization_id=manager.org_id
        ).order_by("name", "pk")
    )
    series = (
        relationships_of(manager)
        .filter(lead=manager, member__manager=manager, member__is_active=True)
        .exclude(status=Relationship.Status.ENDED)
        .select_related("lead", "member")
        .order_by("created_at", "pk")
    )
    chosen: dict[int, Relationship] = {}
    for relationship in series:
        current = chosen.get(relationship.member_id)
        # The manager 1:1 wins over a mentoring or peer series with the same person.
        if current is None or (
            current.kind != Relationship.Kind.MANAGER
            and relationship.kind == Relationship.Kind.MANAGER
        ):
            chosen[relationship.member_id] = relationship
    healths = health_for(list(chosen.values()), now=now, tz=manager.timezone)
    rows = []
    for person in reports:
        mine = chosen.get(person.pk)
        rows.append(TeamRow(person, mine, healths[mine.pk] if mine else None))
    # Early warnings first, then by name.
    rows.sort(key=lambda row: not (row.health and row.health.warnings))
    return rows

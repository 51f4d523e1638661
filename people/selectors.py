"""Reads for the organization admin pages: counts, lists and the reporting line.

Content-free by construction: these read people, teams, invitations, the audit trail
and the status and dates of 1:1s and meetings, never a word said in one.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Count, Q, QuerySet

from accounts.models import Invitation
from activity.models import Activity
from meetings.models import Meeting, Relationship
from people.models import Organization, Person, Team

RECENT_DAYS = 30
ACTIVITY_LINES = 15


class Status:
    """A person's standing, as the admin pages filter and show it."""

    ACTIVE = "active"
    INVITED = "invited"
    LEFT = "left"
    CHOICES = ((ACTIVE, "Active"), (INVITED, "Not signed in yet"), (LEFT, "Left"))


def person_status(person: Person) -> str:
    """Left once deactivated; not signed in yet while they have neither signed in nor a
    password (added by an admin, the CSV import or SCIM, waiting for an invitation or SSO);
    else active."""
    if not person.is_active:
        return Status.LEFT
    if person.last_login is None and not person.has_usable_password():
        return Status.INVITED
    return Status.ACTIVE


# How Django marks a password that can never match.
_NO_PASSWORD = Q(password__startswith=UNUSABLE_PASSWORD_PREFIX)


STATUS_FILTERS = {
    Status.ACTIVE: Q(is_active=True) & ~(Q(last_login__isnull=True) & _NO_PASSWORD),
    Status.INVITED: Q(is_active=True, last_login__isnull=True) & _NO_PASSWORD,
    Status.LEFT: Q(is_active=False),
}


@dataclass(frozen=True)
class ActivityLine:
    """One audit record told in words: who did what to whom, when."""

    at: datetime
    actor: str
    action: str
    subject: str


@dataclass(frozen=True)
class Overview:
    active: int
    invited: int
    left: int
    teams: int
    without_manager: int
    relationships_active: int
    relationships_archived: int
    meetings_held: int
    invitations_pending: int
    activity: list[ActivityLine]


# The audit trail's verbs as the overview says them ("<actor> <verb> <subject>");
# unknown verbs show as they are.
VERBS = {
    "person.create": "added",
    "person.create_sso": "signed in with single sign-on for the first time:",
    "people.import": "imported people from a CSV file",
    "person.update": "changed",
    "person.deactivate": "deactivated",
    "person.reactivate": "reactivated",
    "invitation.create": "invited",
    "invitation.revoke": "revoked the invitation of",
    "invitation.accept": "accepted their invitation",
    "team.create": "created the team",
    "team.rename": "renamed the team, now",
    "team.delete": "deleted a team",
}


def overview(organization: Organization, *, now: datetime) -> Overview:
    """The organization's content-free figures and recent admin activity, in 8 queries."""
    people = Person.objects.filter(organization=organization).aggregate(
        active=Count("id", filter=STATUS_FILTERS[Status.ACTIVE]),
        invited=Count("id", filter=STATUS_FILTERS[Status.INVITED]),
        left=Count("id", filter=STATUS_FILTERS[Status.LEFT]),
        without_manager=Count("id", filter=Q(is_active=True, manager__isnull=True)),
    )
    since = now - timedelta(days=RECENT_DAYS)
    relationships = Relationship.objects.filter(organization=organization).aggregate(
        active=Count("id", filter=Q(status=Relationship.Status.ACTIVE)),
        archived=Count("id", filter=Q(status=Relationship.Status.ENDED, ended_at__gte=since)),
    )
    held = Meeting.objects.filter(
        organization=organization, status=Meeting.Status.HELD, start__gte=since, start__lte=now
    ).count()
    return Overview(
        active=people["active"],
        invited=people["invited"],
        left=people["left"],
        teams=Team.objects.filter(organization=organization).count(),
        without_manager=people["without_manager"],
        relationships_active=relationships["active"],
        relationships_archived=relationships["archived"],
        meetings_held=held,
        invitations_pending=Invitation.objects.filter(organization=organization)
        .pending(now)
        .count(),
        activity=recent_activity(organization),
    )


def recent_activity(organization: Organization, limit: int = ACTIVITY_LINES) -> list[ActivityLine]:
    """The latest writes to people, invitations and teams, in at most four queries."""
    rows = list(
        Activity.objects.filter(
            organization=organization, object_type__in=("person", "invitation", "team")
        )
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )
    wanted: dict[str, set[UUID]] = defaultdict(set)
    for row in rows:
        wanted[row.object_type].add(row.object_uuid)
    names: dict[UUID, str] = {}
    if wanted["person"]:
        names.update(
            Person.objects.filter(organization=organization, uuid__in=wanted["person"])
            .values_list("uuid", "name")
            .iterator()
        )
    if wanted["team"]:
        names.update(
            Team.objects.filter(organization=organization, uuid__in=wanted["team"])
            .values_list("uuid", "name")
            .iterator()
        )
    if wanted["invitation"]:
        for uuid, name, email in Invitation.objects.filter(
            organization=organization, uuid__in=wanted["invitation"]
        ).values_list("uuid", "person__name", "email"):
            names[uuid] = name or email
    return [
        ActivityLine(
            at=row.created_at,
            actor=row.actor.name if row.actor else "Provisioning",
            action=VERBS.get(row.verb, row.verb),
            subject=""
            if row.verb in ("team.delete", "invitation.accept")
            else names.get(row.object_uuid, "(removed)"),
        )
        for row in rows
    ]


def people_search(
    organization: Organization,
    *,
    query: str = "",
    team: Team | None = None,
    status: str = "",
    no_manager: bool = False,
) -> QuerySet[Person]:
    """People of the organization matching a search by name, email or title, and filters."""
    people = Person.objects.filter(organization=organization)
    for word in query.split():
        people = people.filter(
            Q(name__icontains=word) | Q(email__icontains=word) | Q(title__icontains=word)
        )
    if team is not None:
        people = people.filter(team=team)
    if status in STATUS_FILTERS:
        people = people.filter(STATUS_FILTERS[status])
    if no_manager:
        people = people.filter(manager__isnull=True)
    return people.select_related("team", "manager").order_by("name", "id")


def manager_candidates(organization: Organization, query: str, limit: int = 20) -> list[Person]:
    """Active people whose name or email starts a word like `query`: the manager picker."""
    query = query.strip()
    if len(query) < 2:
        return []
    return list(
        Person.objects.filter(organization=organization, is_active=True)
        .filter(Q(name__icontains=query) | Q(email__istartswith=query))
        .only("name", "email", "title")
        .order_by("name")[:limit]
    )


def reporting_line(person: Person) -> list[Person]:
    """The person's managers upward, nearest first (a loop, which services forbid, stops it)."""
    line: list[Person] = []
    seen = {person.pk}
    boss = person.manager
    while boss is not None and boss.pk not in seen:
        line.append(boss)
        seen.add(boss.pk)
        boss = (
            Person.objects.filter(pk=boss.manager_id).only("name", "uuid", "manager_id").first()
            if boss.manager_id
            else None
        )
    return line


def direct_reports(person: Person) -> list[Person]:
    return list(person.reports.filter(is_active=True).only("uuid", "name", "title"))


def latest_invitation(person: Person) -> Invitation | None:
    return Invitation.objects.filter(person=person).order_by("-created_at", "-id").first()


def teams_with_counts(organization: Organization) -> QuerySet[Team]:
    """The organization's teams with how many active people each has."""
    return Team.objects.filter(organization=organization).annotate(
        member_count=Count("members", filter=Q(members__is_active=True))
    )


def team_members(team: Team) -> QuerySet[Person]:
    return (
        Person.objects.filter(team=team, is_active=True)
        .only("uuid", "name", "email", "title")
        .order_by("name")
    )


INVITATION_STATES = ("pending", "accepted", "expired", "revoked")


def invitations_list(
    organization: Organization, *, state: str, now: datetime
) -> QuerySet[Invitation]:
    """The organization's invitations, newest first, in one state or all."""
    invitations = Invitation.objects.filter(organization=organization)
    if state == "pending":
        invitations = invitations.pending(now)
    elif state == "accepted":
        invitations = invitations.filter(accepted_at__isnull=False)
    elif state == "revoked":
        invitations = invitations.filter(accepted_at__isnull=True, revoked_at__isnull=False)
    elif state == "expired":
        invitations = invitations.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lte=now
        )
    return invitations.select_related("person", "invited_by").order_by("-created_at", "-id")


# The org chart -------------------------------------------------------------------------

# Levels shown at once; a manager deeper down loads their part of the chart on demand.
CHART_DEPTH = 3
# Levels whose <details> start open.
CHART_OPEN_DEPTH = 1


@dataclass
class ChartNode:
    id: int
    uuid: UUID
    name: str
    title: str
    manager_id: int | None
    reports: list["ChartNode"] = field(default_factory=list)

    @property
    def report_count(self) -> int:
        return len(self.reports)


@dataclass(frozen=True)
class ChartLine:
    """One step of the chart, flattened so the template needs no recursion.

    kind: "open" starts a manager's item and their list of reports, "close" ends it,
    "leaf" is someone without reports, "more" a manager whose reports load on demand.
    """

    kind: str
    node: ChartNode | None = None
    depth: int = 0
    expanded: bool = False


@dataclass(frozen=True)
class Chart:
    lines: list[ChartLine]
    root: ChartNode | None
    # The root's managers, from the top down to its own manager.
    above: list[ChartNode]
    people: int


def chart(organization: Organization, *, root: UUID | None = None) -> Chart:
    """The reporting line of the active people as a tree, read in one query.

    Without a root, people without a manager (or whose manager left) are the roots.
    """
    nodes = {
        row[0]: ChartNode(*row)
        for row in Person.objects.filter(organization=organization, is_active=True)
        .order_by("name", "id")
        .values_list("id", "uuid", "name", "title", "manager_id")
    }
    roots: list[ChartNode] = []
    for node in nodes.values():
        boss = nodes.get(node.manager_id) if node.manager_id else None
        (boss.reports if boss is not None else roots).append(node)
    top: ChartNode | None = None
    above: list[ChartNode] = []
    if root is not None:
        top = next((node for node in nodes.values() if node.uuid == root), None)
        if top is None:
            return Chart(lines=[], root=None, above=[], people=len(nodes))
        boss = nodes.get(top.manager_id) if top.manager_id else None
        while boss is not None and boss not in above:
            above.insert(0, boss)
            boss = nodes.get(boss.manager_id) if boss.manager_id else None
        roots = top.reports
    return Chart(lines=_flatten(roots), root=top, above=above, people=len(nodes))


def _flatten(roots: list[ChartNode]) -> list[ChartLine]:
    lines: list[ChartLine] = []
    # An explicit stack: a deep reporting line must not hit Python's recursion limit.
    stack: list[tuple[ChartNode, int] | ChartLine] = [(node, 0) for node in reversed(roots)]
    while stack:
        item = stack.pop()
        if isinstance(item, ChartLine):
            lines.append(item)
            continue
        node, depth = item
        if not node.reports:
            lines.append(ChartLine("leaf", node, depth))
        elif depth + 1 >= CHART_DEPTH:
            lines.append(ChartLine("more", node, depth))
        else:
            lines.append(ChartLine("open", node, depth, expanded=depth < CHART_OPEN_DEPTH))
            stack.append(ChartLine("close", node, depth))
            stack.extend((report, depth + 1) for report in reversed(node.reports))
    return lines

"""Who works where: the demo organization's roster and generated organizations of any size."""

import math
import random
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.utils.text import slugify

from demo import content
from people.models import Organization, Person, Team
from people.services import person_add

DEMO_PASSWORD = "rapport-demo"  # noqa: S105 (published on purpose: it signs in to demo data)
# In organizations of at least WIDE_FROM people, the first team's head has exactly this many
# direct reports: the benchmark's team view for a manager with 50 reports (bench/measure.py).
WIDE_TEAM = 50
WIDE_FROM = 1000


@dataclass
class PersonPlan:
    index: int
    name: str
    email: str
    title: str
    team: str
    timezone: str
    manager: int | None
    joined: datetime
    is_org_admin: bool = False
    pk: int = 0

    @property
    def first_name(self) -> str:
        return self.name.split(" ")[0]


@dataclass
class OrgPlan:
    name: str
    people: list[PersonPlan]
    teams: list[str]
    by_name: dict[str, int] = field(default_factory=dict)


def email_domain(org_name: str) -> str:
    return f"{slugify(org_name) or 'demo'}.example"


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum() or c == ".")


def demo_plan(org_name: str, *, domain: str, now: datetime, rng: random.Random) -> OrgPlan:
    """The hand-written demo organization: a CEO, four teams and a People Ops admin."""
    index = {row[0]: i for i, row in enumerate(content.DEMO_PEOPLE)}
    people = []
    for i, (name, title, team, tz, manager) in enumerate(content.DEMO_PEOPLE):
        tenure = 20 + 5 * 7 if name == content.DEMO_NEW_HIRE else rng.randint(300, 1500)
        people.append(
            PersonPlan(
                index=i,
                name=name,
                email=f"{_ascii(name.split(' ')[0])}@{domain}",
                title=title,
                team=team,
                timezone=tz,
                manager=index[manager] if manager else None,
                joined=now - timedelta(days=tenure),
                is_org_admin=name == content.DEMO_ADMIN,
            )
        )
    teams = sorted({p.team for p in people if p.team})
    return OrgPlan(
        name=org_name,
        people=people,
        teams=teams,
        by_name=index,
    )


class _Roster:
    """Hands out unique names and emails for a generated organization."""

    def __init__(self, rng: random.Random, domain: str, now: datetime, months: int) -> None:
        self.rng, self.domain, self.now, self.months = rng, domain, now, months
        self.people: list[PersonPlan] = []
        self.emails: set[str] = set()

    def add(
        self, title: str, team: str, tz: str, manager: int | None, *, admin: bool = False
    ) -> int:
        rng = self.rng
        first, last = rng.choice(content.FIRST_NAMES), rng.choice(content.LAST_NAMES)
        local = _ascii(f"{first}.{last}")
        if local in self.emails:
            local = f"{local}{len(self.people)}"
        self.emails.add(local)
        # Most people joined before the history starts; a few are recent hires.
        history_days = self.months * 30
        if manager is not None and rng.random() < 0.08:
            days = rng.randint(21, max(22, history_days))
        else:
            days = history_days + rng.randint(30, 1500)
        index = len(self.people)
        self.people.append(
            PersonPlan(
                index=index,
                name=f"{first} {last}",
                email=f"{local}@{self.domain}",
                title=title,
                team=team,
                timezone=tz,
                manager=manager,
                joined=self.now - timedelta(days=days),
                is_org_admin=admin,
            )
        )
        return index


def _team_names(count: int) -> list[str]:
    names = list(content.TEAM_NAMES)
    return [
        names[i % len(names)] + (f" {i // len(names) + 1}" if i >= len(names) else "")
        for i in range(count)
    ]


def generated_plan(
    org_name: str, *, size: int, now: datetime, months: int, rng: random.Random
) -> OrgPlan:
    """A CEO, vice presidents for large orgs, ~100 people per team, ~8 reports per manager."""
    roster = _Roster(rng, email_domain(org_name), now, months)
    ceo = roster.add("Chief Executive Officer", "", "America/New_York", None)
    roster.add("People Operations Lead", "", "Europe/London", ceo, admin=True)
    team_count = max(1, min(max(4, round(size / 100)), (size - 2) // 3))
    teams = _team_names(team_count)
    zones = [rng.choice(content.GENERATED_ZONES) for _ in teams]
    heads = [ceo]
    if team_count > 8:
        heads = [
            roster.add(content.LEADER_TITLES[0], "", rng.choice(zones), ceo)
            for _ in range(round(math.sqrt(team_count)))
        ]
    leads = [
        roster.add(f"Head of {team}", team, zones[i], heads[i % len(heads)])
        for i, team in enumerate(teams)
    ]
    remaining = size - len(roster.people)
    for i, team in enumerate(teams):
        members = remaining // team_count + (1 if i < remaining % team_count else 0)
        wide = i == 0 and size >= WIDE_FROM and members >= WIDE_TEAM
        _fill_team(roster, team, zones[i], leads[i], members, reports=WIDE_TEAM if wide else None)
    return OrgPlan(name=org_name, people=roster.people, teams=teams)


def _fill_team(
    roster: _Roster, team: str, tz: str, lead: int, members: int, *, reports: int | None = None
) -> None:
    """Breadth-first: the lead takes 6-10 reports (or `reports`), then each of them in turn."""
    rng = roster.rng
    queue = [lead]
    capacity = {lead: reports or rng.randint(6, 10)}
    taken = {lead: 0}
    head = 0
    added: list[int] = []
    for _ in range(members):
        while taken[queue[head]] >= capacity[queue[head]]:
            head += 1
        parent = queue[head]
        zone = tz if rng.random() < 0.8 else rng.choice(content.GENERATED_ZONES)
        index = roster.add(rng.choice(content.MEMBER_TITLES), team, zone, parent)
        taken[parent] += 1
        capacity[index], taken[index] = rng.randint(6, 10), 0
        queue.append(index)
        added.append(index)
    # Those who ended up with reports get a leader's title.
    for index in added:
        if taken[index]:
            roster.people[index].title = content.LEADER_TITLES[3]


def create_people(
    plan: OrgPlan,
    organization: Organization,
    *,
    one_by_one: bool,
    ids: random.Random,
) -> dict[str, Team]:
    """Write the teams and people of `plan`; sets each PersonPlan's pk.

    With `one_by_one` (small orgs) every person goes through `person_add`; then
    one precomputed password hash is stored for everyone, because hashing each
    password takes about half a second.
    """
    teams = Team.objects.bulk_create(
        [Team(organization=organization, name=name) for name in plan.teams]
    )
    by_name = {team.name: team for team in teams}
    password = make_password(DEMO_PASSWORD)
    if one_by_one:
        _add_one_by_one(plan, organization, by_name)
        Person.objects.filter(organization=organization).update(password=password)
    else:
        _bulk_add(plan, organization, by_name, password, ids)
    _verify_addresses(organization)
    return by_name


def _verify_addresses(organization: Organization) -> None:
    """Demo people sign in at once: their addresses count as confirmed (allauth)."""
    from allauth.account.models import EmailAddress

    people = Person.objects.filter(organization=organization).values_list("pk", "email")
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=pk, email=email, verified=True, primary=True)
            for pk, email in people
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )


def _add_one_by_one(plan: OrgPlan, organization: Organization, teams: dict[str, Team]) -> None:
    saved: dict[int, Person] = {}
    for p in plan.people:
        person = person_add(
            organization=organization,
            email=p.email,
            name=p.name,
            password=None,
            manager=saved[p.manager] if p.manager is not None else None,
            title=p.title,
            team=teams.get(p.team),
            timezone=p.timezone,
            is_org_admin=p.is_org_admin,
        )
        person.date_joined = p.joined
        saved[p.index] = person
        p.pk = person.pk
    Person.objects.bulk_update(saved.values(), ["date_joined"])


def _bulk_add(
    plan: OrgPlan,
    organization: Organization,
    teams: dict[str, Team],
    password: str,
    ids: random.Random,
) -> None:
    """Insert people level by level, so each manager has a primary key before their reports."""
    level: dict[int, int] = {}
    for p in plan.people:  # managers always come before their reports
        level[p.index] = 0 if p.manager is None else level[p.manager] + 1
    for depth in range(max(level.values()) + 1):
        batch = [p for p in plan.people if level[p.index] == depth]
        rows = [
            Person(
                uuid=random_uuid(ids),
                organization=organization,
                email=p.email,
                name=p.name,
                title=p.title,
                team=teams.get(p.team),
                manager_id=plan.people[p.manager].pk if p.manager is not None else None,
                timezone=p.timezone,
                is_org_admin=p.is_org_admin,
                is_staff=p.is_org_admin,
                date_joined=p.joined,
                password=password,
            )
            for p in batch
        ]
        Person.objects.bulk_create(rows, batch_size=2000)
        for p, row in zip(batch, rows, strict=True):
            p.pk = row.pk


def uuid_stream(seed: int, org_name: str) -> random.Random:
    """The source of an organization's UUIDs: the same seed gives the same data, and no two
    organizations of one database share a UUID (their names differ)."""
    return random.Random(f"{seed}/{org_name}")


def random_uuid(ids: random.Random) -> uuid.UUID:
    return uuid.UUID(int=ids.getrandbits(128), version=4)

"""Time the CSV import of a 10,000-person company into a fresh SQLite database.

    .venv/bin/python -m bench.import_csv [--people 10000] [--keep]

The file is a realistic tree (a CEO, managers of 3 to 9 people, 120 teams) written in
random order, so many reports come before their manager. The script times a check of
the file, the first import (creates), and a second import of a changed file (updates:
new titles and zones for a tenth of the company, and 5% moved to another manager, some
of whom have a manager 1:1 that the move archives). The goal is well under 30 s each.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date
from datetime import time as clock
from pathlib import Path

HEADER = "email,name,manager_email,title,team,timezone\n"
ZONES = ("Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC", "Europe/London", "")
TITLES = ("Engineer", "Designer", "Analyst", "Support", "Sales", "Recruiter", "Writer")


def company(size: int, seed: int = 10) -> list[list[str]]:
    """Rows of a company: each person after the first has a manager among the others."""
    rng = random.Random(seed)
    managers = [0]
    rows = [["p0@bench.test", "Person 0", "", "Chief executive", "Leadership", "UTC"]]
    for i in range(1, size):
        boss = rng.choice(managers[-40:])
        if rng.random() < 0.2:
            managers.append(i)
        rows.append(
            [
                f"p{i}@bench.test",
                f"Person {i}",
                f"p{boss}@bench.test",
                rng.choice(TITLES),
                f"Team {i % 120}",
                rng.choice(ZONES),
            ]
        )
    rng.shuffle(rows)  # managers before or after their reports
    return rows


def changed(rows: list[list[str]], seed: int = 11) -> list[list[str]]:
    """The same company a few weeks later: new titles, zones and some new managers."""
    rng = random.Random(seed)
    emails = [row[0] for row in rows]
    ranks = {row[0]: int(row[0][1:].split("@")[0]) for row in rows}
    result = []
    for row in rows:
        row = list(row)
        if rng.random() < 0.1:
            row[3] = "Senior " + row[3]
            row[5] = "Europe/Paris"
        # Move to someone of a smaller number: managers always rank before their reports,
        # so the new line has no loop.
        if ranks[row[0]] > 1 and rng.random() < 0.05:
            row[2] = emails[rng.randrange(len(emails))]
            while ranks[row[2]] >= ranks[row[0]]:
                row[2] = emails[rng.randrange(len(emails))]
        result.append(row)
    return result


def csv_bytes(rows: list[list[str]]) -> bytes:
    return (HEADER + "".join(",".join(row) + "\n" for row in rows)).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true", help="keep the database file")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="rapport-import-bench-"))
    database = folder / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["DEBUG"] = "false"  # DEBUG keeps every query in memory
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from meetings.models import Relationship
    from meetings.schedule import Cadence, CadenceKind
    from meetings.services.relationships import relationship_start
    from people.imports import people_import
    from people.models import Person
    from people.services import organization_create

    call_command("migrate", verbosity=0)
    organization = organization_create(name="Bench Corp")
    admin = Person.objects.create_user(
        email="admin@bench.test", password=None, name="Admin", organization=organization
    )
    admin.is_org_admin = True
    admin.save()

    rows = company(args.people)
    first = csv_bytes(rows)
    second = csv_bytes(changed(rows))
    print(f"{args.people:,} people, {len(first) / 1024:.0f} KiB; database {database}")

    def timed(label: str, data: bytes, *, check_only: bool = False) -> None:
        started = time.perf_counter()
        result = people_import(
            organization=organization, data=data, actor=admin, check_only=check_only
        )
        seconds = time.perf_counter() - started
        if result.errors:
            sys.exit(f"{label}: {result.errors[:5]}")
        print(
            f"{label:<28} {seconds:6.2f} s   {result.created} new, {result.updated} updated, "
            f"{result.manager_changes} manager changes, {result.archived} 1:1s archived, "
            f"{len(result.teams_created)} teams created"
        )

    timed("check only (fresh)", first, check_only=True)
    timed("import (creates)", first)

    # Some of the people the second file moves meet their manager in a 1:1.
    new_managers = {row[0]: row[2] for row in changed(rows)}
    movers = [row for row in rows if row[2] and new_managers[row[0]] != row[2]][:100]
    people = {p.email: p for p in Person.objects.filter(organization=organization)}
    for row in movers:
        relationship_start(
            actor=people[row[2]],
            other=people[row[0]],
            kind=Relationship.Kind.MANAGER,
            cadence=Cadence(CadenceKind.WEEKLY, weekday=1),
            first_date=date(2030, 1, 1),
            local_time=clock(10, 0),
            timezone="UTC",
            duration_minutes=30,
        )
    timed("check only (changes)", second, check_only=True)
    timed("re-import (updates, moves)", second)
    timed("re-import (no change)", second)
    if not args.keep:
        database.unlink()
        for extra in folder.iterdir():
            extra.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()

"""Importing people from a CSV file: parse, validate the whole file, then import it at once.

The file is read and checked in memory with a handful of queries (everyone of the
organization, the teams, and the file's emails used elsewhere), so 10,000 rows take
seconds; the writes are batched. Nothing is written unless every row is valid.

Columns (header row required, names case-insensitive, any order): email, name,
manager_email, title, team, timezone. "manager email" and "time zone" are accepted too.
Rules worth knowing:
- a row whose email belongs to someone of the organization updates that person; other
  rows create people who cannot sign in until they accept an invitation or use SSO;
- an empty manager_email means no manager, an empty team means no team (teams named in
  the file are created when missing, matched to existing ones case-insensitively);
- a column left out of the file leaves that field of existing people as it is (a file
  of email, name and title only updates titles);
- an empty timezone means UTC for a new person and leaves an existing person's zone as
  it is (time zones are often missing from HR exports, and the person may have set it);
- people of the organization who are not in the file keep their manager, and count
  when looking for loops in the reporting line;
- a manager change archives the person's 1:1 with their former manager, exactly as in
  the app (people.services.manager_changed).
"""

import csv
import io
import secrets
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator
from django.db import transaction

from activity.models import Activity
from activity.services import activity_record
from lib.timezones import timezone_names
from meetings.models import Relationship
from meetings.services.common import bump_shared
from people.models import Organization, Person, Team
from people.services import manager_changed

COLUMNS = ("email", "name", "manager_email", "title", "team", "timezone")
REQUIRED = ("email", "name")
# Other spellings of a column name, after lower-casing and turning spaces into "_".
ALIASES = {"manager": "manager_email", "time_zone": "timezone", "e_mail": "email"}
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
MAX_TEXT = 200  # name, title and team (the model fields' length)
MAX_EMAIL = 254
# Rows per INSERT/UPDATE and names per IN (...): well under SQLite's variable limit.
BATCH = 500

TEMPLATE_CSV = (
    "email,name,manager_email,title,team,timezone\r\n"
    "jane.doe@example.com,Jane Doe,john.smith@example.com,Engineer,Platform,Europe/Berlin\r\n"
)

_email_validator = EmailValidator()


@dataclass(frozen=True)
class ImportIssue:
    """One problem: `row` is the spreadsheet row (the header is row 1), None for the file."""

    row: int | None
    column: str
    message: str


@dataclass
class ImportRow:
    row: int
    email: str
    name: str
    manager_email: str
    title: str
    team: str
    timezone: str
    # The file's columns: a column left out changes nothing for people who exist.
    columns: frozenset[str] = frozenset(COLUMNS)


@dataclass
class ImportResult:
    """What an import did (or, when checking only or refused, would do)."""

    errors: list[ImportIssue] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    manager_changes: int = 0
    archived: int = 0
    teams_created: list[str] = field(default_factory=list)
    invited: int = 0
    imported: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class FileProblem(Exception):
    """The file as a whole cannot be read; nothing in it is looked at further."""


# ---------------------------------------------------------------------------- parsing


def _decode(data: bytes) -> str:
    if not data.strip():
        raise FileProblem("The file is empty.")
    if data.startswith(b"PK\x03\x04"):
        raise FileProblem(
            "This is a spreadsheet workbook (for example .xlsx), not a CSV file. "
            "Save it as “CSV UTF-8 (comma delimited)” and upload that."
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileProblem(
            "The file is UTF-16 text. Save it as “CSV UTF-8 (comma delimited)” and upload that."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileProblem(
            f"The file is not UTF-8 text (the first bad byte is on line {line}). "
            "It may be in a legacy encoding such as Windows-1252 or Latin-1: save it as "
            "“CSV UTF-8” from your spreadsheet and upload it again."
        ) from exc
    if "\x00" in text:
        raise FileProblem("The file contains binary data; it is not a CSV file.")
    return text


def _delimiter(text: str) -> str:
    """Comma, unless the header has none and uses semicolons or tabs (European exports)."""
    header = text.split("\n", 1)[0]
    if "," not in header:
        for candidate in (";", "\t"):
            if candidate in header:
                return candidate
    return ","


def _column_name(raw: str) -> str:
    name = "_".join(raw.strip().lower().replace("-", " ").replace("_", " ").split())
    return ALIASES.get(name, name)


def _header(cells: list[str]) -> dict[str, int]:
    """Map each known column to its position; refuse unknown, repeated or missing columns."""
    positions: dict[str, int] = {}
    unknown: list[str] = []
    repeated: list[str] = []
    for index, raw in enumerate(cells):
        name = _column_name(raw)
        if not name:
            continue  # a nameless column (trailing commas); its cells must stay empty
        if name not in COLUMNS:
            unknown.append(raw.strip())
        elif name in positions:
            repeated.append(name)
        else:
            positions[name] = index
    problems = []
    if unknown:
        quoted = ", ".join(f"“{name}”" for name in unknown)
        problems.append(
            f"Unknown column{'s' if len(unknown) > 1 else ''} {quoted}. "
            f"The columns are: {', '.join(COLUMNS)}."
        )
    if repeated:
        problems.append(f"Repeated column: {', '.join(repeated)}.")
    missing = [name for name in REQUIRED if name not in positions]
    if missing:
        problems.append(f"Missing required column: {', '.join(missing)}.")
    if problems:
        raise FileProblem(" ".join(problems))
    return positions


def _records(text: str) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    try:
        yield from reader
    except csv.Error as exc:
        raise FileProblem(f"The file is not valid CSV near line {reader.line_num}: {exc}.") from exc


def import_parse(data: bytes) -> tuple[list[ImportRow], list[ImportIssue]]:
    """Read the file into rows; problems of the file or of a row's shape come back as issues."""
    if len(data) > MAX_BYTES:
        return [], [_file_issue(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")]
    try:
        records = _records(_decode(data))
        positions = _header(next(records, []))
        named = set(positions.values())
        columns = frozenset(positions)
        rows: list[ImportRow] = []
        issues: list[ImportIssue] = []
        for number, cells in enumerate(records, start=2):
            if not any(cell.strip() for cell in cells):
                continue  # blank line; still counted, like a spreadsheet counts it
            if len(rows) >= MAX_ROWS:
                raise FileProblem(f"The file has more than {MAX_ROWS:,} people.")
            extra = [i for i, cell in enumerate(cells) if cell.strip() and i not in named]
            if extra:
                issues.append(
                    ImportIssue(
                        number,
                        "",
                        f"Cell {extra[0] + 1} of this row has a value, but the header names "
                        "no column there.",
                    )
                )
            values = {
                name: cells[i].strip() if i < len(cells) else "" for name, i in positions.items()
            }
            rows.append(
                ImportRow(
                    row=number,
                    email=Person.objects.normalize_email(values["email"]).lower(),
                    name=values["name"],
                    manager_email=Person.objects.normalize_email(
                        values.get("manager_email", "")
                    ).lower(),
                    title=values.get("title", ""),
                    team=values.get("team", ""),
                    timezone=values.get("timezone", ""),
                    columns=columns,
                )
            )
    except FileProblem as exc:
        return [], [_file_issue(str(exc))]
    if not rows and not issues:
        return [], [_file_issue("The file has a header but no people.")]
    return rows, issues


def _file_issue(message: str) -> ImportIssue:
    return ImportIssue(None, "", message)


# ---------------------------------------------------------------------------- validation


@dataclass
class _Known:
    """What the database knows that the checks need, loaded with a few queries."""

    people: dict[str, Person]  # everyone of the organization, by email
    by_id: dict[int, Person]
    teams: dict[str, Team]  # by lower-case name
    elsewhere: set[str]  # file emails used by accounts outside the organization


def _chunks[T](items: list[T], size: int = BATCH) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _load(organization: Organization, rows: list[ImportRow]) -> _Known:
    people = list(
        Person.objects.filter(organization=organization).only(
            "id", "uuid", "email", "name", "title", "team_id", "manager_id", "timezone",
            "is_active", "organization_id",
        )
    )  # fmt: skip
    emails = sorted({row.email for row in rows if row.email})
    elsewhere: set[str] = set()
    for chunk in _chunks(emails):
        elsewhere.update(
            Person.objects.filter(email__in=chunk)
            .exclude(organization=organization)
            .values_list("email", flat=True)
        )
    return _Known(
        people={person.email: person for person in people},
        by_id={person.pk: person for person in people},
        teams={team.name.lower(): team for team in Team.objects.filter(organization=organization)},
        elsewhere=elsewhere,
    )


def _check_row(row: ImportRow, known: _Known, zones: frozenset[str]) -> Iterator[ImportIssue]:
    def issue(column: str, message: str) -> ImportIssue:
        return ImportIssue(row.row, column, message)

    if not row.email:
        yield issue("email", "The email is missing.")
    elif len(row.email) > MAX_EMAIL:
        yield issue("email", f"The email is longer than {MAX_EMAIL} characters.")
    else:
        try:
            _email_validator(row.email)
        except ValidationError:
            yield issue("email", f"“{row.email}” is not a valid email address.")
        else:
            if row.email in known.elsewhere:
                yield issue(
                    "email", f"{row.email} is already used by an account of another organization."
                )
            existing = known.people.get(row.email)
            if existing is not None and not existing.is_active:
                yield issue(
                    "email",
                    f"{existing.name} ({row.email}) has left the organization; "
                    "reactivate them in the app before importing them.",
                )
    if not row.name:
        yield issue("name", "The name is missing.")
    for column in ("name", "title", "team"):
        if len(getattr(row, column)) > MAX_TEXT:
            yield issue(column, f"The {column} is longer than {MAX_TEXT} characters.")
    if row.timezone and row.timezone not in zones:
        yield issue("timezone", _zone_message(row.timezone, zones))


def _valid_email(value: str) -> bool:
    try:
        _email_validator(value)
    except ValidationError:
        return False
    return len(value) <= MAX_EMAIL


def _zone_message(value: str, zones: frozenset[str]) -> str:
    message = f"“{value}” is not a known time zone; use an IANA name such as Europe/Paris."
    for name in zones:
        if name.lower() == value.lower():
            return f"“{value}” is not a known time zone; did you mean {name}?"
    return message


def _check_managers(rows: list[ImportRow], known: _Known) -> Iterator[ImportIssue]:
    in_file = {row.email for row in rows}
    for row in rows:
        boss = row.manager_email
        if not boss:
            continue
        if boss == row.email:
            yield ImportIssue(row.row, "manager_email", "A person cannot be their own manager.")
        elif not _valid_email(boss):
            yield ImportIssue(row.row, "manager_email", f"“{boss}” is not a valid email address.")
        elif boss in in_file:
            continue
        elif boss not in known.people:
            yield ImportIssue(
                row.row,
                "manager_email",
                f"Unknown manager {boss}: they are neither in the file nor in the organization.",
            )
        elif not known.people[boss].is_active:
            yield ImportIssue(
                row.row,
                "manager_email",
                f"The manager {known.people[boss].name} ({boss}) has left the organization.",
            )


def _check_duplicates(rows: list[ImportRow]) -> Iterator[ImportIssue]:
    first: dict[str, int] = {}
    for row in rows:
        if not row.email:
            continue
        if row.email in first:
            yield ImportIssue(
                row.row,
                "email",
                f"{row.email} is in the file twice: rows {first[row.email]} and {row.row}.",
            )
        else:
            first[row.email] = row.row


def _final_managers(rows: list[ImportRow], known: _Known) -> dict[str, str | None]:
    """Each person's manager (by email) after the import; people not in the file keep theirs."""
    managers: dict[str, str | None] = {}
    for person in known.people.values():
        boss = known.by_id.get(person.manager_id) if person.manager_id else None
        managers[person.email] = boss.email if boss else None
    for row in rows:
        if "manager_email" in row.columns or row.email not in managers:
            managers[row.email] = row.manager_email or None
    return managers


def _check_cycles(rows: list[ImportRow], known: _Known) -> Iterator[ImportIssue]:
    """Report each loop in the resulting reporting line once, on its first row in the file."""
    managers = _final_managers(rows, known)
    row_of = {row.email: row.row for row in rows}
    names = {email: person.name for email, person in known.people.items()}
    names.update({row.email: row.name or row.email for row in rows})
    done: set[str] = set()
    for start in managers:
        path: list[str] = []
        on_path: set[str] = set()
        node: str | None = start
        while node is not None and node not in done and node not in on_path:
            path.append(node)
            on_path.add(node)
            node = managers.get(node)
        if node is not None and node in on_path:
            loop = path[path.index(node) :]
            if len(loop) > 1:  # a self-loop is reported as "own manager"
                yield _loop_issue(loop, row_of, names)
        done.update(path)


def _loop_issue(loop: list[str], row_of: dict[str, int], names: dict[str, str]) -> ImportIssue:
    in_file = sorted((row_of[email], email) for email in loop if email in row_of)
    if in_file:  # start the description with the first row of the loop in the file
        first = loop.index(in_file[0][1])
        loop = loop[first:] + loop[:first]
    chain = " → ".join(
        f"{names.get(email, email)}{f' (row {row_of[email]})' if email in row_of else ''}"
        for email in [*loop, loop[0]]
    )
    return ImportIssue(
        in_file[0][0] if in_file else None,
        "manager_email",
        f"The reporting line goes round in a loop: {chain} (each reports to the next).",
    )


def import_validate(organization: Organization, rows: list[ImportRow]) -> list[ImportIssue]:
    """Every problem of the rows against each other and the organization, in row order."""
    return _validate(rows, _load(organization, rows))


def _validate(rows: list[ImportRow], known: _Known) -> list[ImportIssue]:
    zones = frozenset(timezone_names())
    issues: list[ImportIssue] = []
    for row in rows:
        issues.extend(_check_row(row, known, zones))
    issues.extend(_check_duplicates(rows))
    issues.extend(_check_managers(rows, known))
    issues.extend(_check_cycles(rows, known))
    return _sorted(issues)


def _sorted(issues: Iterable[ImportIssue]) -> list[ImportIssue]:
    order = {name: i for i, name in enumerate(("", *COLUMNS))}
    return sorted(issues, key=lambda i: (i.row or 0, order.get(i.column, 0)))


# ---------------------------------------------------------------------------- planning


@dataclass
class _Plan:
    new_teams: list[Team]
    creates: list[tuple[ImportRow, Person]]
    updates: list[tuple[Person, list[str]]]
    manager_changed: dict[int, int | None]  # existing person id -> former manager id
    unchanged: int


def _plan(organization: Organization, rows: list[ImportRow], known: _Known) -> _Plan:
    """Work out every change in memory; managers who are new get their ids after insert."""
    new_teams: dict[str, Team] = {}
    for row in rows:
        key = row.team.lower()
        if row.team and key not in known.teams and key not in new_teams:
            new_teams[key] = Team(organization=organization, name=row.team)
    creates: list[tuple[ImportRow, Person]] = []
    updates: list[tuple[Person, list[str]]] = []
    changed_manager: dict[int, int | None] = {}
    unchanged = 0
    for row in rows:
        team_key = row.team.lower()
        team = (known.teams.get(team_key) or new_teams.get(team_key)) if row.team else None
        existing = known.people.get(row.email)
        if existing is None:
            creates.append((row, _new_person(organization, row, team)))
            continue
        wanted_manager = known.people.get(row.manager_email) if row.manager_email else None
        wanted = {
            "name": row.name,
            "title": row.title,
            "team_id": team.pk if team and not team._state.adding else None,
            "manager_id": wanted_manager.pk if wanted_manager else None,
            "timezone": row.timezone or existing.timezone,
        }
        given = {"name", "timezone"} | {
            _FIELD_OF[column] for column in row.columns if column in _FIELD_OF
        }
        wanted = {name: value for name, value in wanted.items() if name in given}
        fields = [name for name, value in wanted.items() if getattr(existing, name) != value]
        # A team or manager that does not exist yet gets its id at write time.
        if team is not None and team._state.adding and "team_id" not in fields:
            fields.append("team_id")
        if row.manager_email and wanted_manager is None and "manager_id" not in fields:
            fields.append("manager_id")
        if "manager_id" in fields:
            changed_manager[existing.pk] = existing.manager_id
        if not fields:
            unchanged += 1
            continue
        for name in fields:
            if name not in ("team_id", "manager_id"):
                setattr(existing, name, wanted[name])
        if "team_id" in fields:
            existing.team = team
        updates.append((existing, fields))
    return _Plan(list(new_teams.values()), creates, updates, changed_manager, unchanged)


# The Person field each optional column sets.
_FIELD_OF = {"title": "title", "team": "team_id", "manager_email": "manager_id"}


def _new_person(organization: Organization, row: ImportRow, team: Team | None) -> Person:
    person = Person(
        uuid=uuid.uuid4(),
        organization=organization,
        email=row.email,
        name=row.name,
        title=row.title,
        team=team,
        timezone=row.timezone or "UTC",
    )
    # Like set_unusable_password() (any password starting with "!" is unusable), with a
    # faster random suffix: get_random_string() was a third of a 10,000-row import.
    person.password = UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)
    return person


# ---------------------------------------------------------------------------- import


def people_import(
    *,
    organization: Organization,
    data: bytes,
    actor: Person | None,
    check_only: bool = False,
    invite: bool = False,
    base_url: str = "",
) -> ImportResult:
    """Validate the whole file; unless checking only, import it in one transaction.

    `actor` is the org admin (None when the operator runs the command). With `invite`,
    each new person gets an invitation email (needs an actor and the site's base URL).
    """
    if actor is not None and (not actor.is_org_admin or actor.organization_id != organization.pk):
        raise PermissionDenied("Only an admin of the organization can import its people.")
    rows, issues = import_parse(data)
    result = ImportResult(errors=issues, rows=len(rows))
    if any(issue.row is None for issue in issues):
        return result
    known = _load(organization, rows)
    result.errors = _sorted([*issues, *_validate(rows, known)])
    if result.errors:
        return result
    plan = _plan(organization, rows, known)
    result.created = len(plan.creates)
    result.updated = len(plan.updates)
    result.unchanged = plan.unchanged
    result.manager_changes = len(plan.manager_changed)
    result.teams_created = sorted(team.name for team in plan.new_teams)
    if check_only:
        return result
    with transaction.atomic():
        result.archived = _apply(organization, rows, known, plan, actor)
        if invite and actor is not None:
            from accounts.services import invitation_create

            for _, person in plan.creates:
                invitation_create(actor=actor, person=person, base_url=base_url)
            result.invited = len(plan.creates)
    result.imported = True
    return result


def _apply(
    organization: Organization,
    rows: list[ImportRow],
    known: _Known,
    plan: _Plan,
    actor: Person | None,
) -> int:
    """Write the plan (inside the caller's transaction); return how many 1:1s were archived."""
    for team_chunk in _chunks(plan.new_teams):
        Team.objects.bulk_create(team_chunk)  # sets their ids (SQLite and PostgreSQL)
    by_email = dict(known.people)
    # Managers are inserted before their reports, one level of the tree at a time, so
    # each new person's manager already has an id: no second pass to set managers.
    for level in _levels(plan.creates, by_email):
        for row, person in level:
            person.manager_id = by_email[row.manager_email].pk if row.manager_email else None
        for chunk in _chunks([person for _, person in level]):
            Person.objects.bulk_create(chunk)
        by_email.update((person.email, person) for _, person in level)
    row_of = {row.email: row for row in rows}
    for person, fields in plan.updates:
        if "manager_id" in fields:
            row = row_of[person.email]
            person.manager_id = by_email[row.manager_email].pk if row.manager_email else None
    # One bulk_update per field, with only the people whose field changed: its cost is a
    # CASE branch per person and field, so writing unchanged fields would multiply it.
    for name in ("name", "title", "team_id", "manager_id", "timezone"):
        changed = [person for person, fields in plan.updates if name in fields]
        for chunk in _chunks(changed):
            Person.objects.bulk_update(chunk, [name.removesuffix("_id")])
    archived = _archive_former_one_on_ones(plan, known)
    _record(organization, actor, plan)
    return archived


def _levels(
    creates: list[tuple[ImportRow, Person]], existing: dict[str, Person]
) -> list[list[tuple[ImportRow, Person]]]:
    """New people grouped by their distance from a manager who exists (or from no manager)."""
    manager_of = {row.email: row.manager_email for row, _ in creates}
    depth: dict[str, int] = {}
    for email in manager_of:
        chain: list[str] = []
        node = email
        # Climb until someone whose depth is known, who exists, or who has no manager;
        # the file has no loops (validated), so this ends.
        while node in manager_of and node not in depth:
            chain.append(node)
            node = manager_of[node]
        base = depth.get(node, -1) if node in manager_of else -1
        for offset, member in enumerate(reversed(chain), start=1):
            depth[member] = base + offset
    levels: list[list[tuple[ImportRow, Person]]] = [
        [] for _ in range(max(depth.values(), default=-1) + 1)
    ]
    for row, person in creates:
        levels[depth[row.email]].append((row, person))
    return levels


def _archive_former_one_on_ones(plan: _Plan, known: _Known) -> int:
    """Do what the app does on a manager change, only for people who have a manager 1:1."""
    ids = list(plan.manager_changed)
    relationships: list[Relationship] = []
    for chunk in _chunks(ids):
        relationships.extend(
            Relationship.objects.filter(member_id__in=chunk, kind=Relationship.Kind.MANAGER)
        )
    # manager_changed archives each ongoing manager 1:1 whose lead is not the new manager.
    archived = sum(
        1
        for r in relationships
        if r.status != Relationship.Status.ENDED
        and r.lead_id != known.by_id[r.member_id].manager_id
    )
    for member_id in sorted({r.member_id for r in relationships}):
        manager_changed(known.by_id[member_id], plan.manager_changed[member_id])
    for relationship in relationships:
        # As in person_update: a former manager stops seeing the career profile at once.
        bump_shared(relationship)
    return archived


def _record(organization: Organization, actor: Person | None, plan: _Plan) -> None:
    """The audit rows: one per team and person written, plus one for the import itself."""
    entries: list[tuple[str, str, uuid.UUID]] = [
        *(("team.create", "team", team.uuid) for team in plan.new_teams),
        *(("person.create", "person", person.uuid) for _, person in plan.creates),
        *(("person.update", "person", person.uuid) for person, _ in plan.updates),
    ]
    # Built like activity_record() builds them, in batches: one INSERT per row would be
    # most of the time of a large import.
    activities = [
        Activity(
            organization=organization,
            actor=actor,
            verb=verb,
            object_type=object_type,
            object_uuid=object_uuid,
        )
        for verb, object_type, object_uuid in entries
    ]
    for chunk in _chunks(activities):
        Activity.objects.bulk_create(chunk)
    activity_record(
        actor=actor,
        verb="people.import",
        object_type="organization",
        object_uuid=organization.uuid,
        organization_id=organization.pk,
    )


def issue_counts(issues: list[ImportIssue]) -> Counter[str]:
    """How many problems of each column, for a short summary above the table."""
    return Counter(issue.column or "file" for issue in issues)

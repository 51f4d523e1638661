"""Importing people from a CSV file: what is written, and every way a file is refused."""

import random
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from activity.models import Activity
from meetings.models import Relationship
from people import imports
from people.imports import ImportIssue, ImportResult, people_import
from people.models import Organization, Person, Team
from tests.conftest import make_person
from tests.support.worker import sent_mail

HEADER = "email,name,manager_email,title,team,timezone\n"


def run(org: Organization, text: str | bytes, **options: Any) -> ImportResult:
    data = text.encode() if isinstance(text, str) else text
    return people_import(organization=org, data=data, actor=None, **options)


def messages(result: ImportResult) -> list[tuple[int | None, str, str]]:
    return [(i.row, i.column, i.message) for i in result.errors]


def only_issue(result: ImportResult) -> ImportIssue:
    assert len(result.errors) == 1, result.errors
    assert not result.imported
    return result.errors[0]


# ------------------------------------------------------------------ what an import writes


def test_it_creates_people_with_their_managers_and_teams(acme: Organization, ada: Person) -> None:
    result = people_import(
        organization=acme,
        actor=ada,
        data=(
            HEADER + "nia@acme.test,Nia New,lea@acme.test,Engineer,Platform,Asia/Tokyo\n"
            "lea@acme.test,Lea Lead,,Head of Platform,platform,\n"
            "sam@acme.test,Sam Solo,ada@acme.test,,,\n"
        ).encode(),
    )

    assert result.ok
    assert result.imported
    assert (result.created, result.updated, result.manager_changes) == (3, 0, 0)
    assert result.teams_created == ["Platform"]
    nia, lea, sam = (Person.objects.get(email=f"{n}@acme.test") for n in ("nia", "lea", "sam"))
    assert (nia.manager, lea.manager, sam.manager) == (lea, None, ada)
    assert nia.team == lea.team == Team.objects.get(organization=acme)
    assert sam.team is None
    assert (nia.title, nia.timezone, lea.timezone) == ("Engineer", "Asia/Tokyo", "UTC")
    assert nia.organization == acme
    # They sign in after an invitation or with SSO.
    assert not nia.has_usable_password()
    assert Activity.objects.filter(verb="person.create", actor=ada).count() == 3
    assert Activity.objects.filter(verb="people.import", organization=acme).count() == 1


def test_it_updates_people_of_the_organization(
    acme: Organization, maya: Person, ravi: Person, olga: Person
) -> None:
    result = run(
        acme,
        "Email,Name,Title\n"
        "RAVI@acme.test,Ravi Renamed,Staff Engineer\n"
        "maya@acme.test,Maya Manager,\n",
    )

    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    ravi.refresh_from_db()
    # Columns left out of the file (manager, team, time zone) stay as they are.
    assert (ravi.name, ravi.title, ravi.manager, ravi.timezone) == (
        "Ravi Renamed",
        "Staff Engineer",
        maya,
        "Europe/Berlin",
    )
    assert result.manager_changes == 0
    assert Activity.objects.filter(verb="person.update", object_uuid=ravi.uuid).count() == 1


def test_empty_cells_clear_the_manager_title_and_team(
    acme: Organization, maya: Person, ravi: Person
) -> None:
    team = Team.objects.create(organization=acme, name="Ops")
    Person.objects.filter(pk=ravi.pk).update(title="Engineer", team=team)

    result = run(acme, HEADER + "ravi@acme.test,Ravi Report,,,,\n")

    assert (result.updated, result.manager_changes) == (1, 1)
    ravi.refresh_from_db()
    assert (ravi.manager, ravi.title, ravi.team) == (None, "", None)


def test_an_empty_time_zone_keeps_the_persons_zone_and_a_given_one_replaces_it(
    acme: Organization, maya: Person, ravi: Person
) -> None:
    run(
        acme,
        HEADER + "maya@acme.test,Maya Manager,,,,\n"
        "ravi@acme.test,Ravi Report,maya@acme.test,,,Asia/Tokyo\n",
    )

    maya.refresh_from_db()
    ravi.refresh_from_db()
    assert (maya.timezone, ravi.timezone) == ("America/New_York", "Asia/Tokyo")


def test_team_names_match_existing_teams_whatever_their_case(
    acme: Organization, maya: Person
) -> None:
    design = Team.objects.create(organization=acme, name="Design")

    result = run(acme, HEADER + "maya@acme.test,Maya Manager,,,DESIGN,\n")

    assert result.teams_created == []
    maya.refresh_from_db()
    assert maya.team == design
    assert Team.objects.filter(organization=acme).count() == 1


def test_checking_only_reports_the_summary_and_writes_nothing(
    acme: Organization, maya: Person, ravi: Person
) -> None:
    result = run(
        acme,
        HEADER + "ravi@acme.test,Ravi Report,,,,\nnia@acme.test,Nia,ravi@acme.test,,Ops,\n",
        check_only=True,
    )

    assert result.ok
    assert not result.imported
    assert (result.created, result.updated, result.manager_changes) == (1, 1, 1)
    assert result.teams_created == ["Ops"]
    ravi.refresh_from_db()
    assert ravi.manager == maya
    assert not Person.objects.filter(email="nia@acme.test").exists()
    assert not Team.objects.exists()


def test_header_names_are_case_insensitive_spaced_and_in_any_order(acme: Organization) -> None:
    result = run(
        acme,
        " Time Zone ;NAME; Manager Email ;E-mail;Team;Title\n"
        "Europe/Paris;Lea Lead;;lea@acme.test;;\n"
        "UTC;Nia New;lea@acme.test;nia@acme.test;;\n",
    )

    assert result.ok, result.errors
    nia = Person.objects.get(email="nia@acme.test")
    assert nia.manager == Person.objects.get(email="lea@acme.test", timezone="Europe/Paris")


def test_a_utf8_file_with_a_byte_order_mark_and_blank_lines_is_read(acme: Organization) -> None:
    text = HEADER + "\n" + "zoe@acme.test,Zoë Ærø,,Ingénieure,Équipe,\n"
    result = run(acme, b"\xef\xbb\xbf" + text.encode())

    assert result.ok, result.errors
    assert Person.objects.get(email="zoe@acme.test").name == "Zoë Ærø"


def test_new_people_can_be_invited(
    acme: Organization, ada: Person, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        result = people_import(
            organization=acme,
            actor=ada,
            data=(HEADER + "nia@acme.test,Nia New,,,,\nada@acme.test,Ada Admin,,,,\n").encode(),
            invite=True,
            base_url="https://rapport.example",
        )

    assert result.invited == 1
    assert [message.to for message in sent_mail()] == [["nia@acme.test"]]
    assert "https://rapport.example/invite/" in sent_mail()[0].body


def test_only_an_admin_of_the_organization_imports(
    acme: Organization, maya: Person, otto: Person
) -> None:
    for actor in (maya, otto):
        with pytest.raises(PermissionDenied):
            people_import(organization=acme, actor=actor, data=HEADER.encode())


# ------------------------------------------------------------------ manager changes


def test_a_manager_change_archives_the_former_manager_one_on_one(
    acme: Organization, one_on_one: Relationship, ravi: Person, olga: Person
) -> None:
    result = run(acme, HEADER + "ravi@acme.test,Ravi Report,olga@acme.test,,,\n")

    assert (result.manager_changes, result.archived) == (1, 1)
    one_on_one.refresh_from_db()
    assert one_on_one.status == Relationship.Status.ENDED
    assert one_on_one.end_reason == Relationship.EndReason.MANAGER_CHANGE
    ravi.refresh_from_db()
    assert ravi.manager == olga


def test_keeping_the_same_manager_leaves_the_one_on_one_alone(
    acme: Organization, one_on_one: Relationship, ravi: Person
) -> None:
    result = run(acme, HEADER + "ravi@acme.test,Ravi Report,maya@acme.test,Engineer,,\n")

    assert (result.updated, result.manager_changes, result.archived) == (1, 0, 0)
    one_on_one.refresh_from_db()
    assert one_on_one.status != Relationship.Status.ENDED


# ------------------------------------------------------------------ the whole file


def test_one_bad_row_among_many_imports_nothing(acme: Organization, ravi: Person) -> None:
    good = "".join(f"p{i}@acme.test,Person {i},ravi@acme.test,,Team {i % 3},\n" for i in range(60))
    result = run(acme, HEADER + good + "ravi@acme.test,Ravi Report,,,,Mars/Olympus\n" + good[:0])

    assert messages(result) == [
        (62, "timezone", "“Mars/Olympus” is not a known time zone; use an IANA name such as "
         "Europe/Paris.")
    ]  # fmt: skip
    assert not result.imported
    assert Person.objects.filter(organization=acme).count() == 2
    assert not Team.objects.exists()
    ravi.refresh_from_db()
    assert ravi.manager is not None


def _tree_csv(size: int, seed: int = 4) -> str:
    """A company of `size` people: a CEO, then everyone reports to someone earlier or later."""
    rng = random.Random(seed)
    order = list(range(size))
    rng.shuffle(order)  # managers appear before or after their reports in the file
    lines = [HEADER]
    for i in order:
        boss = f"p{(i - 1) // 5}@big.test" if i else ""
        lines.append(f"p{i}@big.test,Person {i},{boss},Title {i % 7},Team {i % 40},Europe/Oslo\n")
    return "".join(lines)


def test_it_imports_a_two_thousand_people_company(acme: Organization) -> None:
    result = run(acme, _tree_csv(2000))

    assert result.ok, result.errors[:3]
    assert (result.created, len(result.teams_created)) == (2000, 40)
    people = {p.email: p for p in Person.objects.filter(organization=acme)}
    assert len(people) == 2000
    assert people["p0@big.test"].manager_id is None
    for i in (1, 5, 6, 1999):
        assert people[f"p{i}@big.test"].manager_id == people[f"p{(i - 1) // 5}@big.test"].pk
    assert people["p1999@big.test"].team.name == "Team 39"  # type: ignore[union-attr]

    again = run(acme, _tree_csv(2000).replace("Title 3,", "Senior 3,"))

    assert (again.created, again.updated, again.manager_changes) == (0, 286, 0)
    assert Person.objects.filter(organization=acme, title="Senior 3").count() == 286


# ------------------------------------------------------------------ refused files


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"  \n\n", "The file is empty."),
        (HEADER.encode(), "The file has a header but no people."),
        (
            "email,name\nzoé@acme.test,Zoé\n".encode("latin-1"),
            "The file is not UTF-8 text (the first bad byte is on line 2)",
        ),
        ("email,name\n".encode("utf-16"), "The file is UTF-16 text."),
        (b"PK\x03\x04\x14\x00\x06\x00", "This is a spreadsheet workbook"),
        (b"email,name\x00\n", "The file contains binary data"),
        (b'email,name\n"unclosed,quote\n', "The file is not valid CSV near line 2"),
        (b"email,title\na@acme.test,x\n", "Missing required column: name."),
        (
            b"email,name,Salary,desk\na@acme.test,A,1,2\n",
            "Unknown columns \u201cSalary\u201d, \u201cdesk\u201d. The columns are: email, name,",
        ),
        (b"email,name,Email\na@acme.test,A,a@acme.test\n", "Repeated column: email."),
    ],
    ids=[
        "empty",
        "blank",
        "header-only",
        "latin-1",
        "utf-16",
        "xlsx",
        "binary",
        "bad-csv",
        "missing",
        "unknown",
        "repeated",
    ],
)
def test_it_refuses_a_file_it_cannot_read(acme: Organization, data: bytes, message: str) -> None:
    issue = only_issue(run(acme, data))

    assert issue.row is None
    assert issue.message.startswith(message), issue.message


def test_it_refuses_a_file_over_the_size_limit(
    acme: Organization, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "MAX_BYTES", 1024 * 1024)

    issue = only_issue(run(acme, HEADER + "x" * (1024 * 1024)))

    assert issue.message == "The file is larger than 1 MB."


def test_it_refuses_a_file_with_too_many_rows(
    acme: Organization, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "MAX_ROWS", 3)

    issue = only_issue(run(acme, HEADER + "".join(f"p{i}@a.test,P,,,,\n" for i in range(4))))

    assert issue.message == "The file has more than 3 people."


# ------------------------------------------------------------------ refused rows

Setup = Callable[[Organization], None]


def _left(org: Organization) -> None:
    make_person(org, "gone@acme.test", "Gus Gone", is_active=False)


ROW_CASES: list[tuple[str, str, str, str]] = [
    # id, rows after the header, column, message
    ("bad-email", "not-an-email,Nia,,,,", "email", "“not-an-email” is not a valid email address."),
    ("no-email", ",Nia,,,,", "email", "The email is missing."),
    ("no-name", "nia@acme.test, ,,,,", "name", "The name is missing."),
    ("long-name", f"nia@acme.test,{'n' * 201},,,,", "name", "The name is longer than 200 characters."),
    ("long-title", f"nia@acme.test,Nia,,{'t' * 201},,", "title", "The title is longer than 200 characters."),
    ("long-team", f"nia@acme.test,Nia,,,{'t' * 201},", "team", "The team is longer than 200 characters."),
    ("bad-zone", "nia@acme.test,Nia,,,,Europe/Atlantis", "timezone",
     "“Europe/Atlantis” is not a known time zone; use an IANA name such as Europe/Paris."),
    ("zone-case", "nia@acme.test,Nia,,,,europe/berlin", "timezone",
     "“europe/berlin” is not a known time zone; did you mean Europe/Berlin?"),
    ("unknown-manager", "nia@acme.test,Nia,nobody@acme.test,,,", "manager_email",
     "Unknown manager nobody@acme.test: they are neither in the file nor in the organization."),
    ("other-org-manager", "nia@acme.test,Nia,otto@globex.test,,,", "manager_email",
     "Unknown manager otto@globex.test: they are neither in the file nor in the organization."),
    ("bad-manager-email", "nia@acme.test,Nia,boss,,,", "manager_email",
     "“boss” is not a valid email address."),
    ("own-manager", "nia@acme.test,Nia,NIA@acme.test,,,", "manager_email",
     "A person cannot be their own manager."),
    ("manager-left", "nia@acme.test,Nia,gone@acme.test,,,", "manager_email",
     "The manager Gus Gone (gone@acme.test) has left the organization."),
    ("person-left", "gone@acme.test,Gus Gone,,,,", "email",
     "Gus Gone (gone@acme.test) has left the organization; reactivate them in the app before "
     "importing them."),
    ("other-org-email", "OTTO@globex.test,Otto,,,,", "email",
     "otto@globex.test is already used by an account of another organization."),
    ("extra-cells", "nia@acme.test,Nia,,,,,surprise", "",
     "Cell 7 of this row has a value, but the header names no column there."),
]  # fmt: skip


@pytest.mark.parametrize(
    ("rows", "column", "message"), [c[1:] for c in ROW_CASES], ids=[c[0] for c in ROW_CASES]
)
def test_it_refuses_a_bad_row(
    acme: Organization, otto: Person, rows: str, column: str, message: str
) -> None:
    _left(acme)

    result = run(acme, HEADER + "ok@acme.test,Okay,,,,\n" + rows + "\n")

    assert messages(result) == [(3, column, message)]
    assert not Person.objects.filter(email="ok@acme.test").exists()


def test_it_names_both_rows_of_a_duplicated_email(acme: Organization) -> None:
    result = run(
        acme, HEADER + "nia@acme.test,Nia,,,,\nb@acme.test,B,,,,\nNia@Acme.test,Nia 2,,,,\n"
    )

    assert messages(result) == [(4, "email", "nia@acme.test is in the file twice: rows 2 and 4.")]


def test_it_reports_a_loop_in_the_file(acme: Organization) -> None:
    result = run(
        acme,
        HEADER + "a@acme.test,Ann,c@acme.test,,,\n"
        "b@acme.test,Bob,a@acme.test,,,\n"
        "c@acme.test,Cat,b@acme.test,,,\n"
        "d@acme.test,Dan,a@acme.test,,,\n",
    )

    assert messages(result) == [
        (2, "manager_email", "The reporting line goes round in a loop: Ann (row 2) → Cat (row 4) "
         "→ Bob (row 3) → Ann (row 2) (each reports to the next).")
    ]  # fmt: skip


def test_it_reports_a_loop_through_people_not_in_the_file(
    acme: Organization, maya: Person, ravi: Person
) -> None:
    # Ravi reports to Maya in the app and is not in the file: he keeps his manager.
    result = run(acme, HEADER + "maya@acme.test,Maya Manager,ravi@acme.test,,,\n")

    assert messages(result) == [
        (2, "manager_email", "The reporting line goes round in a loop: Maya Manager (row 2) → "
         "Ravi Report → Maya Manager (row 2) (each reports to the next).")
    ]  # fmt: skip
    maya.refresh_from_db()
    assert maya.manager is None


def test_moving_a_whole_branch_at_once_is_no_loop(
    acme: Organization, maya: Person, ravi: Person
) -> None:
    # Ravi becomes Maya's manager in the same file that takes him out of Maya's reports.
    result = run(
        acme,
        HEADER + "maya@acme.test,Maya Manager,ravi@acme.test,,,\nravi@acme.test,Ravi Report,,,,\n",
    )

    assert result.ok, result.errors
    maya.refresh_from_db()
    assert maya.manager == Person.objects.get(email="ravi@acme.test")


def test_every_problem_of_the_file_is_reported_at_once(acme: Organization) -> None:
    result = run(
        acme,
        HEADER + "bad,,,,,Nowhere/Here\na@acme.test,Ann,a@acme.test,,,\n",
    )

    assert [(row, column) for row, column, _ in messages(result)] == [
        (2, "email"),
        (2, "name"),
        (2, "timezone"),
        (3, "manager_email"),
    ]


# ------------------------------------------------------------------ the command


def test_the_command_imports_a_file(acme: Organization, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(HEADER + "nia@acme.test,Nia New,,,Ops,\n")
    out = StringIO()

    call_command("people_import", "Acme", str(path), stdout=out)

    assert "Imported: 1 new, 0 updated" in out.getvalue()
    assert "teams created: Ops." in out.getvalue()
    nia = Person.objects.get(email="nia@acme.test", organization=acme)
    # The operator is nobody: the trail says the import came from no one.
    assert Activity.objects.get(verb="person.create", object_uuid=nia.uuid).actor is None


def test_the_command_finds_the_organization_by_uuid_and_only_checks(
    acme: Organization, tmp_path: Path
) -> None:
    path = tmp_path / "people.csv"
    path.write_text(HEADER + "nia@acme.test,Nia New,,,,\n")
    out = StringIO()

    call_command("people_import", str(acme.uuid), str(path), "--check", stdout=out)

    assert out.getvalue().startswith("Checked, nothing imported: 1 new")
    assert not Person.objects.exists()


def test_the_command_lists_the_problems_and_fails(acme: Organization, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(HEADER + "nia@acme.test,Nia New,boss@acme.test,,,\n")
    err = StringIO()

    with pytest.raises(CommandError, match="1 problem"):
        call_command("people_import", "Acme", str(path), stderr=err)

    assert "row 2, manager_email: Unknown manager boss@acme.test" in err.getvalue()
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("organization", "file", "error"),
    [
        ("Initech", "people.csv", "No organization is named"),
        ("Acme", "missing.csv", "Cannot read"),
    ],
)
def test_the_command_refuses_a_bad_argument(
    acme: Organization, tmp_path: Path, organization: str, file: str, error: str
) -> None:
    (tmp_path / "people.csv").write_text(HEADER + "nia@acme.test,Nia New,,,,\n")

    with pytest.raises(CommandError, match=error):
        call_command("people_import", organization, str(tmp_path / file))


def _count_queries(org: Organization, text: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        result = run(org, text)
    assert result.ok, result.errors[:3]
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_rows(
    acme: Organization, maya: Person
) -> None:
    def company(prefix: str, size: int) -> str:
        lead = f"{prefix}0@acme.test"
        rows = [f"{lead},Lead,maya@acme.test,,{prefix} team,\n"]
        rows += [f"{prefix}{i}@acme.test,P {i},{lead},,{prefix} team,\n" for i in range(1, size)]
        return HEADER + "".join(rows)

    small = _count_queries(acme, company("a", 20))
    large = _count_queries(acme, company("b", 400))
    # Updating everyone (a title for all) costs the same for few and many rows too.
    small_again = _count_queries(acme, company("a", 20).replace(",,a team", ",Eng,a team"))
    large_again = _count_queries(acme, company("b", 400).replace(",,b team", ",Eng,b team"))

    assert small == large
    assert small_again == large_again


def test_trailing_nameless_columns_of_a_spreadsheet_export_are_ignored(
    acme: Organization,
) -> None:
    result = run(acme, "email,name,,\nnia@acme.test,Nia New,,\n")

    assert result.ok, result.errors
    assert result.created == 1


def test_rows_are_numbered_like_the_spreadsheet_even_with_a_multi_line_cell(
    acme: Organization,
) -> None:
    result = run(acme, HEADER + 'nia@acme.test,Nia,,"Engineer\nand writer",,\nbad,Bea,,,,\n')

    assert messages(result) == [(3, "email", "“bad” is not a valid email address.")]

"""Import an organization's people from a CSV file, as the server operator.

The same import as the org admin's page (people/imports.py), for files too large to
upload or for scripted syncs. No invitations are sent: the operator is nobody's admin.
"""

import sys
import uuid
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from people.imports import COLUMNS, ImportResult, people_import
from people.models import Organization


def _organization(key: str) -> Organization:
    """The organization by uuid or by exact name (refusing a name two organizations share)."""
    try:
        by_uuid = Organization.objects.filter(uuid=uuid.UUID(key)).first()
    except ValueError:
        by_uuid = None
    if by_uuid is not None:
        return by_uuid
    matches = list(Organization.objects.filter(name=key)[:2])
    if not matches:
        raise CommandError(f"No organization is named or has the uuid “{key}”.")
    if len(matches) > 1:
        raise CommandError(f"Several organizations are named “{key}”: give its uuid instead.")
    return matches[0]


def summary(result: ImportResult) -> str:
    """One line saying what the import did or would do."""
    teams = ", ".join(result.teams_created) or "none"
    return (
        f"{result.created} new, {result.updated} updated, {result.unchanged} unchanged, "
        f"{result.manager_changes} manager changes ({result.archived} 1:1s archived), "
        f"teams created: {teams}."
    )


class Command(BaseCommand):
    help = (
        "Import people into an organization from a UTF-8 CSV file with the columns "
        f"{', '.join(COLUMNS)}. The whole file is checked first; nothing is imported "
        "unless every row is valid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organization", help="the organization's name or uuid")
        parser.add_argument("file", help="path of the CSV file ('-' reads standard input)")
        parser.add_argument(
            "--check", action="store_true", help="check the file and report, import nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organization = _organization(options["organization"])
        path = options["file"]
        try:
            data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        result = people_import(
            organization=organization, data=data, actor=None, check_only=options["check"]
        )
        if result.errors:
            for issue in result.errors:
                where = f"row {issue.row}" if issue.row else "file"
                column = f", {issue.column}" if issue.column else ""
                self.stderr.write(f"{where}{column}: {issue.message}")
            raise CommandError(
                f"{len(result.errors)} problem(s) found in {path}; nothing was imported."
            )
        verb = "Checked, nothing imported" if options["check"] else "Imported"
        self.stdout.write(f"{verb}: {summary(result)}")

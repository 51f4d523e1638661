"""Back up one organization to a JSON document (gzip when the file name ends in .gz).

An operator's tool, never a page: org admins must never reach 1:1 content, and the
backup holds all of it. What is copied, and why some models are not: people/backup.py.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from people.backup import BackupError, backup_write, find_organization, open_text


class Command(BaseCommand):
    help = (
        "Write every row of one organization (people, 1:1s, notes, growth, settings) to a "
        "versioned JSON document; restore it with org_restore. Secrets encrypted with the "
        "instance key need the same RAPPORT_ENCRYPTION_KEY/SECRET_KEY on the target."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organization", help="The organization's uuid or exact name.")
        parser.add_argument(
            "--output", required=True, help="File to write; gzip-compressed if it ends in .gz."
        )
        parser.add_argument(
            "--force", action="store_true", help="Overwrite the output file if it exists."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["output"])
        if path.exists() and not options["force"]:
            raise CommandError(f"{path} exists; pass --force to overwrite it.")
        try:
            organization = find_organization(options["organization"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        partial = path.with_name(path.name + ".partial")
        try:
            with open_text(partial, "w", gzipped=path.suffix == ".gz") as out:
                counts = backup_write(organization, out, now=timezone.now())
            partial.replace(path)
        except OSError as exc:
            raise CommandError(f"Could not write {path}: {exc}") from exc
        finally:
            partial.unlink(missing_ok=True)
        total = sum(counts.values())
        self.stdout.write(
            f"Backed up {organization.name} ({organization.uuid}): {total} rows of "
            f"{sum(1 for n in counts.values() if n)} kinds to {path}."
        )

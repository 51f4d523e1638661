"""Restore an organization from an org_backup document into an instance that lacks it.

All or nothing, in one transaction, keeping primary keys; refused before writing
anything when the organization, one of its people's emails or one of its ids exists.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from people.backup import BackupError, backup_read, backup_restore, open_text


class Command(BaseCommand):
    help = (
        "Restore one organization from a file written by org_backup (.gz read as gzip) into "
        "an instance that does not have it. Use the same RAPPORT_ENCRYPTION_KEY/SECRET_KEY "
        "as the source so encrypted SSO secrets stay readable."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The backup document.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            with open_text(path, "r") as source:
                document = backup_read(source)
            restored = backup_restore(document)
        except OSError as exc:
            raise CommandError(f"Could not read {path}: {exc}") from exc
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        organization = restored.organization
        self.stdout.write(
            f"Restored {organization.name} ({organization.uuid}): "
            f"{sum(restored.counts.values())} rows."
        )

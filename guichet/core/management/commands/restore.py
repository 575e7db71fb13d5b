"""``manage.py restore DIR [--database-url URL]``: into an empty database and media folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from guichet.core import backups


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into an empty database and media folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--database-url",
            default="",
            help="the empty database to restore into (default: the configured one)",
        )
        parser.add_argument("--media-root", type=Path, default=None)

    def handle(self, *args: Any, folder: Path, **options: Any) -> None:
        try:
            differences = backups.restore(
                folder, database_url=options["database_url"], media_root=options["media_root"]
            )
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        if differences:
            for table, (expected, found) in differences.items():
                self.stderr.write(f"{table}: {expected} rows in the backup, {found} restored")
            raise CommandError("The restored database differs from the backup.")
        self.stdout.write(
            f"Restored {folder}: every table's row count matches the backup. Set the "
            "variables of keys.env (GUICHET_SECRET_KEY, GUICHET_ENCRYPTION_KEYS) before starting."
        )

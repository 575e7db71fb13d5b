"""``manage.py backup DIR [--keys-to FILE]``: database, media and key ring (core.backups)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from guichet.core import backups


class Command(BaseCommand):
    help = "Back up the database (pg_dump custom format), the media files and the key ring."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="a new folder to write the backup into")
        parser.add_argument(
            "--keys-to",
            type=Path,
            default=None,
            help="where to write keys.env (default: inside the folder); keep it apart",
        )

    def handle(self, *args: Any, folder: Path, keys_to: Path | None, **options: Any) -> None:
        manifest = backups.backup(folder, keys_to=keys_to)
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Backup written to {folder}: {len(manifest['tables'])} tables, {rows} rows, "
            f"keys in {keys_to or folder / backups.KEYS}"
        )

"""``manage.py import_dossiers FILE [--dry-run]``: import the operator's dossiers.

Good rows are imported and bad ones reported (« ligne 12 : … »); the exit status is 1
when the file had bad rows or could not be read, so scripts notice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from guichet.dossiers.services.importing import ImportReport, import_file

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Import dossiers from a CSV or XLSX file (see docs/import.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": path, "error": error}
            ) from None
        report = import_file(
            data, path.name, dry_run=options["dry_run"], progress=self.show_progress
        )
        self.stdout.write("")
        self.show_report(report)
        if report.failed or report.bad_rows:
            raise SystemExit(1)

    def show_progress(self, report: ImportReport) -> None:
        total = max(report.total_rows, report.processed_rows, 1)
        percent = min(100, round(100 * report.processed_rows / total))
        filled = BAR_WIDTH * percent // 100
        bar = "#" * filled + " " * (BAR_WIDTH - filled)
        self.stdout.write(f"\r[{bar}] {percent:3d} % {report.processed_rows}/{total}", ending="")
        self.stdout.flush()

    def show_report(self, report: ImportReport) -> None:
        if report.dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
            created, updated = _("To create: %(count)d"), _("To update: %(count)d")
        else:
            created, updated = _("Created: %(count)d"), _("Updated: %(count)d")
        self.stdout.write(_("Rows read: %(count)d") % {"count": report.processed_rows})
        self.stdout.write(created % {"count": report.created})
        self.stdout.write(updated % {"count": report.updated})
        self.stdout.write(_("Rows with errors: %(count)d") % {"count": report.bad_rows})
        for error in report.errors:
            if error["line"]:
                self.stdout.write(
                    _("line %(line)d: %(message)s")
                    % {"line": error["line"], "message": error["message"]}
                )
            else:
                self.stdout.write(error["message"])

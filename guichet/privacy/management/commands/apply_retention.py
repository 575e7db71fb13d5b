"""``manage.py apply_retention --inactive-years 7 [--dry-run]``: close and anonymize the
accounts nobody signed in to for that long, and say what was done (see
``privacy.services.retention``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from guichet.privacy.services.retention import apply_retention, inactive_years


class Command(BaseCommand):
    help = "Close and anonymize the accounts inactive for longer than the retention rule."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--inactive-years", type=int, default=None)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        years = options["inactive_years"] or inactive_years()
        if not years or years < 1:
            raise CommandError(
                "No retention rule: pass --inactive-years or set GUICHET_RETENTION_INACTIVE_YEARS."
            )
        report = apply_retention(years, dry_run=options["dry_run"])
        prefix = "[dry run] " if options["dry_run"] else ""
        for line in report.lines():
            self.stdout.write(prefix + line)

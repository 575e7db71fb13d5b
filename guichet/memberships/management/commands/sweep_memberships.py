from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from guichet.memberships.tasks import sweep_memberships


class Command(BaseCommand):
    help = (
        "Send due membership renewal reminders (60, 30, 7 days) and lapse memberships past "
        "their grace period, and delete the documents of decided applications past the "
        "operator's retention delay, and the files of application wizards never finished."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            metavar="SECONDS",
            help="keep sweeping at this interval (the embedded mode has no Celery beat)",
        )

    def handle(self, *args: Any, every: int | None = None, **options: Any) -> None:
        while True:
            result = sweep_memberships()
            self.stdout.write(", ".join(f"{name}: {count}" for name, count in result.items()))
            if not every:
                return
            time.sleep(every)

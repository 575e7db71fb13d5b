from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from guichet.registrations.tasks import sweep_registrations


class Command(BaseCommand):
    help = "Free expired holds and pass expired waiting-list offers to the next in line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            metavar="SECONDS",
            help="keep sweeping at this interval (the embedded mode has no Celery beat)",
        )

    def handle(self, *args: Any, every: int | None = None, **options: Any) -> None:
        while True:
            result = sweep_registrations()
            self.stdout.write(", ".join(f"{name}: {count}" for name, count in result.items()))
            if not every:
                return
            time.sleep(every)

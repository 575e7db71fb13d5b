"""Announce ``relation.removed`` for the relations that ended by their date (what Celery
beat does every hour); ``--every 3600`` keeps doing it, for the embedded mode."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from guichet.api.tasks import sweep_relation_changes


class Command(BaseCommand):
    help = "Announce relation.removed for the relations past their end date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, help="Repeat every N seconds.")

    def handle(self, *args: Any, every: int = 0, **options: Any) -> None:
        while True:
            announced = sweep_relation_changes()
            self.stdout.write(f"{announced} relation ends announced")
            if not every:
                return
            time.sleep(every)

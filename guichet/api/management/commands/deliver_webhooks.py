"""Send the webhook deliveries whose retry is due (what Celery beat does every minute);
``--every 60`` keeps doing it, for the embedded mode without a broker."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from guichet.api.tasks import deliver_due_webhooks


class Command(BaseCommand):
    help = "Send the webhook deliveries whose retry is due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, help="Repeat every N seconds.")

    def handle(self, *args: Any, every: int = 0, **options: Any) -> None:
        while True:
            sent = deliver_due_webhooks()
            self.stdout.write(f"{sent} deliveries attempted")
            if not every:
                return
            time.sleep(every)

"""What registrations announce to the layers above (the API's webhooks), once committed.

Each signal is sent with ``registration`` **after** the transaction that made the change
commits (``announce``: ``transaction.on_commit``), so a rolled-back change announces
nothing, and a receiver's failure is logged, never undoing or failing the change.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import Signal

registration_created = Signal()  # held, or on the waiting list
registration_waitlisted = Signal()  # created on the waiting list
registration_confirmed = Signal()
registration_cancelled = Signal()
registration_offered = Signal()  # a spot offered from the waiting list


def announce(signal: Signal, registration: Any) -> None:
    if signal.has_listeners():
        transaction.on_commit(
            lambda: signal.send(sender=type(registration), registration=registration),
            robust=True,
        )

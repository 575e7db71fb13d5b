"""What organizations announce to the apps above them (the API's webhooks).

Both are sent once the transaction that made the change commits (``announce``): a
rolled-back change announces nothing.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.dispatch import Signal

from guichet.organizations.models import Relation

# A relation was added (a form of the catalog, or linking an organization's dossier).
# Sent with ``relation``.
relation_added = Signal()

# A relation was removed (« Retirer une relation »). Sent with ``relation``.
relation_removed = Signal()


def announce(signal: Signal, relation: Relation) -> None:
    """Send ``signal`` for ``relation`` after the current transaction commits."""
    transaction.on_commit(partial(signal.send, Relation, relation=relation), robust=True)

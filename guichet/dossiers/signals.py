"""What dossiers announce to the layers above (the API's webhooks), once committed.

``dossier_linked`` is sent with ``link`` (a ``DossierLink``) after the transaction that
made it commits; a rolled-back link announces nothing."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import Signal

dossier_linked = Signal()


def announce_link(link: Any) -> None:
    if dossier_linked.has_listeners():
        transaction.on_commit(
            lambda: dossier_linked.send(sender=type(link), link=link), robust=True
        )

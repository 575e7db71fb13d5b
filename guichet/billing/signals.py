"""What billing announces to the domains above it.

Billing never imports a domain: a domain issues invoices for its own *source* (a
registration, a membership…) and listens here to learn what became of them. Receivers
are connected in the domain's ``AppConfig.ready`` and filter on ``invoice.source_type``
(``sources.is_for``) since every kind of invoice is announced on the same signal.

**Both signals are sent inside the transaction that caused them, and receivers run in it.**
A receiver's writes (confirming a registration, expiring it, crediting its invoices) are
one fact with the payment or the expiry: if a receiver raises, the exception propagates
and the whole transaction rolls back — the payment too. We chose this over a robust send
(log and go on) because a payment recorded without its consequence leaves a paid invoice
beside a registration still « en attente de paiement » that nobody will retry; rolled back,
the card webhook answers an error and the provider sends it again, and staff recording a
cheque see the error and record it again. Receivers therefore keep to short database
writes; email waits for the commit (``core.mail`` sends on commit), as everywhere.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import Signal

# A payment left nothing owed on the invoice (its balance reached zero or below).
# Sent by ``services.ledger.record_payment``, once per payment that settles it, with
# ``invoice`` (locked, up to date) and ``actor`` (who recorded the payment; None for a
# webhook). A credit note that leaves nothing owed does not send it: the domain that
# asked for the credit already knows.
invoice_settled = Signal()

# An invoice stayed unpaid past its ``due_at``. Sent by
# ``services.overdue.announce_overdue`` (the sweeper), with ``invoice`` (locked) and
# ``now``. Billing changes nothing itself: the invoice is announced at every sweep until
# the domain settles it — credits it (``credit_invoice``), or it is paid — so a domain
# that sets ``due_at`` on its invoices must listen.
invoice_overdue = Signal()

# For the layers above (the API's webhooks), **after** the transaction commits (``announce``;
# unlike the two above, a receiver cannot change or fail the write): ``invoice_issued`` and
# ``invoice_credited`` with ``invoice`` (and ``credit_note``), ``payment_recorded`` with
# ``payment``. A rolled-back write announces nothing.
invoice_issued = Signal()
invoice_credited = Signal()
payment_recorded = Signal()


def announce(signal: Signal, **kwargs: Any) -> None:
    if signal.has_listeners():
        transaction.on_commit(lambda: signal.send(sender=None, **kwargs), robust=True)

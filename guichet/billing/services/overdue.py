"""Invoices unpaid past their due time: billing announces them, the domains act.

``announce_overdue`` (the sweeper, every minute) sends ``signals.invoice_overdue`` for
each invoice still owed after its ``due_at``, each in its own short transaction with the
invoice row locked (``SKIP LOCKED``: one being paid right now is left to the payment).
What an overdue invoice does is its source's business: a registration expires and gives
its spot back (``registrations.receivers``). Billing changes nothing itself, so an
invoice whose source does nothing is announced again at the next sweep.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from guichet.billing.models import Invoice
from guichet.billing.signals import invoice_overdue


def announce_overdue(now: datetime | None = None) -> list[Invoice]:
    """Announce every invoice overdue at ``now``; returns those announced (in id order).

    The list of candidates is read first; each is then locked and checked again, so an
    invoice paid or credited meanwhile (a registration's second invoice, credited when
    the first one expired the registration) is not announced."""
    now = now or timezone.now()
    announced = []
    candidates = list(Invoice.objects.overdue(now).order_by("id").values_list("pk", flat=True))
    for pk in candidates:
        with transaction.atomic():
            invoice = (
                Invoice.objects.overdue(now)
                .select_for_update(skip_locked=True)
                .filter(pk=pk)
                .first()
            )
            if invoice is None:
                continue
            invoice_overdue.send(sender=Invoice, invoice=invoice, now=now)
            announced.append(invoice)
    return announced

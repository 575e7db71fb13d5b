"""What registrations do when billing announces something about their invoices.

Connected in ``RegistrationsConfig.ready``. Both run inside billing's transaction (see
``billing.signals``): a registration is confirmed with the payment that settles it, and
expires with the sweep that finds its invoice overdue — or neither happens.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy

from guichet.accounts.types import Actor
from guichet.billing import signals, sources
from guichet.billing.models import Invoice
from guichet.registrations.models import Registration
from guichet.registrations.services import billing


def confirm_when_settled(
    sender: Any, *, invoice: Invoice, actor: Actor | None = None, **kwargs: Any
) -> None:
    """A payment settled one of a registration's invoices: once all are, it is confirmed."""
    if not sources.is_for(invoice, Registration):
        return
    registration = Registration.objects.filter(pk=invoice.source_id).first()  # type: ignore[misc]  # is_for: set
    if registration is not None:
        billing.confirm_if_settled(registration, actor=actor)


def expire_when_overdue(
    sender: Any, *, invoice: Invoice, now: datetime, **kwargs: Any
) -> Registration | None:
    """A registration's invoice stayed unpaid past its due time: the registration expires."""
    if not sources.is_for(invoice, Registration):
        return None
    return billing.expire_overdue(invoice, now=now)


def connect() -> None:
    """Tell billing how to name a registration on its invoices, and listen to billing.
    Called once by ``RegistrationsConfig.ready``."""
    sources.register(
        Registration,
        describe=billing.describe,
        url=billing.page_for,
        others_heading=gettext_lazy("Other invoices of this registration"),
        others_help=gettext_lazy("The registration is confirmed once all its invoices are paid."),
        overdue_note=gettext_lazy("after that, the spot is given back to the waiting list."),
    )
    signals.invoice_settled.connect(
        confirm_when_settled, sender=Invoice, dispatch_uid="registrations.confirm_when_settled"
    )
    signals.invoice_overdue.connect(
        expire_when_overdue, sender=Invoice, dispatch_uid="registrations.expire_when_overdue"
    )

"""What memberships do when billing announces something about a membership's invoice.

Connected in ``MembershipsConfig.ready``; both run inside billing's transaction
(docs/ledger.md): the membership starts with the payment that settles its fee, and is
cancelled with the sweep that finds the fee overdue — or neither happens.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy

from guichet.billing import signals, sources
from guichet.billing.models import Invoice
from guichet.memberships.models import Membership
from guichet.memberships.services import lifecycle


def start_when_settled(sender: Any, *, invoice: Invoice, actor: Any = None, **kwargs: Any) -> None:
    if not sources.is_for(invoice, Membership):
        return
    membership = Membership.objects.filter(pk=invoice.source_id or 0).first()
    if membership is not None:
        lifecycle.start_membership(membership, actor=actor)


def cancel_when_overdue(
    sender: Any, *, invoice: Invoice, now: datetime, **kwargs: Any
) -> Membership | None:
    if not sources.is_for(invoice, Membership):
        return None
    return lifecycle.cancel_unpaid(invoice, now=now)


def connect() -> None:
    sources.register(
        Membership,
        describe=lifecycle.describe,
        url=lifecycle.page_for,
        others_heading=gettext_lazy("Other invoices of this membership"),
        overdue_note=gettext_lazy("after that, the membership is cancelled."),
    )
    signals.invoice_settled.connect(
        start_when_settled, sender=Invoice, dispatch_uid="memberships.start_when_settled"
    )
    signals.invoice_overdue.connect(
        cancel_when_overdue, sender=Invoice, dispatch_uid="memberships.cancel_when_overdue"
    )

"""Accounting documents are never deleted.

An invoice, its lines, a credit note or a payment is a document the operator must keep
(tax law: six years). Corrections are credit notes and refunds, never deletions. A
domain's ``GenericRelation`` to ``Invoice`` (``Registration.invoices``) cascades on
delete, so without this guard deleting a registration would delete its invoices: the
deletion is refused instead, inside the same transaction.
"""

from __future__ import annotations

from typing import Any

from django.db.models import ProtectedError
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from guichet.billing.models import CreditNote, CreditNoteLine, Invoice, InvoiceLine, Payment


@receiver(pre_delete, sender=Invoice)
@receiver(pre_delete, sender=InvoiceLine)
@receiver(pre_delete, sender=CreditNote)
@receiver(pre_delete, sender=CreditNoteLine)
@receiver(pre_delete, sender=Payment)
def refuse_deleting_accounting_documents(sender: type, instance: Any, **kwargs: Any) -> None:
    raise ProtectedError(
        f"{sender.__name__} {instance.pk} is an accounting document: it is never deleted; "
        "issue a credit note or a refund instead.",
        {instance},
    )

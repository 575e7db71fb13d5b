"""Document numbers, sequential per kind and per year, without gaps.

``next_number`` must run inside the transaction that writes the document: it locks the
year's sequence row (``SELECT … FOR UPDATE``) and increments it. Two issuers wait on each
other instead of taking the same number, and a transaction that rolls back gives its
number back with it, so the numbers actually used follow each other without a hole.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from guichet.billing.models import DocumentKind, NumberSequence

PREFIXES = {
    DocumentKind.INVOICE: "F",
    DocumentKind.CREDIT_NOTE: "NC",
    DocumentKind.RECEIPT: "R",
    DocumentKind.RL24: "RL24",
}


def next_number(kind: DocumentKind, year: int) -> str:
    """« F-2026-00042 »: the next number of ``kind`` in ``year``."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside the transaction that issues the document")
    NumberSequence.objects.bulk_create(
        [NumberSequence(kind=kind, year=year)], ignore_conflicts=True
    )
    sequence = NumberSequence.objects.select_for_update().get(kind=kind, year=year)
    NumberSequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    return f"{PREFIXES[DocumentKind(kind)]}-{year}-{sequence.last + 1:05d}"

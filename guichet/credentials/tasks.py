"""Background work for credentials: the member's email with the attestation attached
(drawing and signing the PDF takes a moment: never in the payment's request)."""

from __future__ import annotations

from celery import shared_task

from guichet.credentials.services import attestations


@shared_task
def tell_member(attestation_pk: int) -> bool:
    return attestations.tell_member(attestation_pk)

"""Background work for billing. Without a broker, Celery runs these in-process."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone, translation

from guichet.billing.models import BatchStatus, TaxSlipBatch
from guichet.billing.services.rl24_batch import run_batch

logger = logging.getLogger(__name__)


# Acknowledged on receipt: a long batch must not be delivered twice to two workers.
@shared_task(acks_late=False)
def run_tax_slip_batch(batch_id: int, language: str = "fr") -> None:
    """Run a Relevé 24 batch; a crash marks it failed so the progress page stops waiting."""
    batch = TaxSlipBatch.objects.select_related("created_by").get(pk=batch_id)
    try:
        with translation.override(language):
            run_batch(batch)
    except Exception as error:
        logger.exception("Relevé 24 batch %s failed", batch_id)
        TaxSlipBatch.objects.filter(pk=batch_id).update(
            status=BatchStatus.FAILED, finished_at=timezone.now(), error=type(error).__name__
        )
        raise

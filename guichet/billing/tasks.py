"""Background work for billing. Without a broker, Celery runs these in-process.

The Relevé 24 batch task lives beside the service that queues it
(``services.rl24_batch.run_tax_slip_batch``, still named ``guichet.billing.tasks.…``);
it is imported here so Celery's autodiscovery finds it.
"""

from __future__ import annotations

from guichet.billing.services.rl24_batch import run_tax_slip_batch

__all__ = ["run_tax_slip_batch"]

"""The webhook workers: one delivery as soon as its event is committed, every minute
(Celery beat) the deliveries whose retry is due, and every hour the relations that ended
by their date (``relation.removed``)."""

from __future__ import annotations

from celery import shared_task

from guichet.api.webhooks import delivery, relations


@shared_task(name="guichet.api.tasks.deliver_webhook")
def deliver_webhook(delivery_id: int) -> str | None:
    return delivery.attempt(delivery_id)


@shared_task(name="guichet.api.tasks.deliver_due_webhooks")
def deliver_due_webhooks() -> int:
    due = delivery.due_ids()
    for delivery_id in due:
        delivery.attempt(delivery_id)
    return len(due)


@shared_task(name="guichet.api.tasks.sweep_relation_changes")
def sweep_relation_changes() -> int:
    return relations.sweep()

"""Background work for memberships: renewal reminders, lapses and the documents past their
retention delay, the files of wizards never finished (Celery beat, hourly, or
``manage.py sweep_memberships`` in the embedded mode). Running it twice at once is safe."""

from __future__ import annotations

from celery import shared_task

from guichet.memberships.services.renewals import sweep


@shared_task
def sweep_memberships() -> dict[str, int]:
    swept = sweep()
    return {
        "reminded": len(swept.reminded),
        "lapsed": len(swept.lapsed),
        "documents_deleted": swept.documents_deleted,
        "uploads_deleted": swept.uploads_deleted,
    }

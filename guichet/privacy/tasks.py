"""Background work for privacy. Without a broker, Celery runs these in-process."""

from __future__ import annotations

import logging

from celery import shared_task

from guichet.privacy.models import DataExport, ExportStatus
from guichet.privacy.services import archive, retention

logger = logging.getLogger(__name__)


# Acknowledged on receipt: one archive is built once, not by two workers.
@shared_task(acks_late=False)
def build_export(export_id: int) -> None:
    """Build a requested archive; a crash marks it failed so the page stops waiting."""
    export = DataExport.objects.select_related("account").get(pk=export_id)
    if export.status != ExportStatus.PENDING:
        return
    try:
        archive.build_archive(export)
    except Exception:
        logger.exception("Data export %s failed", export_id)
        DataExport.objects.filter(pk=export_id).update(status=ExportStatus.FAILED)
        raise


@shared_task
def expire_exports() -> int:
    """Erase the archives offered for longer than their time (Celery beat, daily)."""
    return archive.expire_exports()


@shared_task
def apply_retention() -> list[str]:
    """The operator's retention rule (Celery beat, daily); nothing without a rule."""
    years = retention.inactive_years()
    if not years:
        return []
    lines = retention.apply_retention(years).lines()
    for line in lines:
        logger.info("Retention: %s", line)
    return lines

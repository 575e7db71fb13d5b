"""Background work for dossiers. Without a broker, Celery runs these in-process."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone, translation

from guichet.dossiers.models import DossierImport, ImportStatus
from guichet.dossiers.services.importing.applying import run_stored_import

logger = logging.getLogger(__name__)


# Acknowledged on receipt: a long import must not be delivered twice to two workers.
@shared_task(acks_late=False)
def run_dossier_import(import_id: int, language: str = "fr") -> None:
    """Run a stored import; a crash marks it failed so the progress page stops waiting."""
    dossier_import = DossierImport.objects.select_related("started_by").get(pk=import_id)
    try:
        with translation.override(language):
            run_stored_import(dossier_import)
    except Exception:
        logger.exception("Dossier import %s failed", import_id)
        DossierImport.objects.filter(pk=import_id).update(
            status=ImportStatus.FAILED, finished_at=timezone.now()
        )
        raise

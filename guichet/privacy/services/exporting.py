"""« Mes données »: a person asks for a copy of their data, then downloads it once.

The archive is built in the background (``tasks.build_export``, ``archive.py``). It is
its account's alone (``DataExport.objects.of``), offered for seven days, and erased once
downloaded or expired. The request and the download are in the audit trail.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from guichet.audit.models import Action, Right
from guichet.audit.services import record
from guichet.privacy import tasks
from guichet.privacy.models import DataExport, ExportStatus
from guichet.privacy.services.archive import expire_exports, export_dir

__all__ = ["expire_exports", "request_export", "take_download"]


@transaction.atomic
def request_export(account: Any, *, request: HttpRequest | None = None) -> DataExport:
    """A new archive, or the one already being prepared (a double click asks once)."""
    pending = DataExport.objects.of(account).select_for_update().filter(status=ExportStatus.PENDING)
    if (existing := pending.first()) is not None:
        return existing
    export = DataExport.objects.create(account=account)
    record(
        Action.DATA_EXPORT_REQUESTED,
        actor=account,
        subject=account,
        right=Right.SELF,
        request=request,
        data={"export": export.pk},
    )
    transaction.on_commit(lambda: tasks.build_export.delay(export.pk))
    return export


@transaction.atomic
def take_download(account: Any, pk: int, *, request: HttpRequest | None = None) -> bytes | None:
    """The archive's bytes, once: marked downloaded and erased. ``None`` when it is not
    this account's, not ready, already downloaded or expired (the view answers 404)."""
    export = DataExport.objects.of(account).select_for_update().filter(pk=pk).first()
    if export is None or not export.is_ready:
        return None
    path = export_dir() / export.file_name
    if not path.exists():
        return None
    content = path.read_bytes()
    export.status = ExportStatus.DOWNLOADED
    export.downloaded_at = timezone.now()
    export.save(update_fields=["status", "downloaded_at"])
    record(
        Action.DATA_EXPORT_DOWNLOADED,
        actor=account,
        subject=account,
        right=Right.SELF,
        request=request,
        data={"export": export.pk, "size": export.size},
    )
    # Erased at once: « once » holds even if this transaction were rolled back.
    path.unlink()
    return content

"""Documents kept « per the operator's retention rule »: once an application is decided
(approved or refused), its documents (hiring resolution, diplomas) are kept
``Preset.membership_documents_kept_days`` days, then deleted from the storage by the
memberships sweep. The application itself stays (type, status, dates); the trail records
how many documents went, never their names. ``None`` keeps them until the account closes.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from guichet import presets
from guichet.audit.models import Action, Right
from guichet.audit.services import record
from guichet.memberships.models import ApplicationDocument, ApplicationStatus


@transaction.atomic
def delete_expired_documents(today: date | None = None) -> int:
    """Delete the documents of applications decided more than the preset's delay ago;
    the number deleted. Two sweeps at once delete each document once (rows locked,
    the busy ones skipped)."""
    kept_days = presets.active().membership_documents_kept_days
    if kept_days is None:
        return 0
    today = today or timezone.localdate()
    cutoff = timezone.make_aware(datetime.combine(today - timedelta(days=kept_days), time.min))
    expired = list(
        ApplicationDocument.objects.select_for_update(skip_locked=True).filter(
            application__status__in=(ApplicationStatus.APPROVED, ApplicationStatus.REFUSED),
            application__decided_at__lt=cutoff,
        )
    )
    if not expired:
        return 0
    for document in expired:
        if document.file:
            # Gone from the storage only once the rows are: a rollback keeps both.
            transaction.on_commit(partial(document.file.storage.delete, document.file.name))
    applications = {document.application_id for document in expired}
    ApplicationDocument.objects.filter(pk__in=[document.pk for document in expired]).delete()
    record(
        Action.MEMBERSHIP_DOCUMENTS_DELETED,
        right=Right.SYSTEM,
        data={"documents": len(expired), "applications": len(applications), "kept_days": kept_days},
    )
    return len(expired)

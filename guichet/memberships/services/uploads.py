"""Files set aside by the application wizards (``memberships/pending/``): a checked PDF is
stored as soon as it is joined, and only its stored name waits in the session until the
application is sent. A wizard left half-way leaves its files behind; the memberships
sweep deletes those older than ``Preset.membership_uploads_kept_hours`` that no
application took.

The sweep and the sending of an application exclude each other through a PostgreSQL
advisory lock: the sweep holds it alone while it deletes, an application being sent holds
it shared while it checks that its files are still there and attaches them, so a file is
never deleted between that check and the commit. Two sweeps at once: the second finds the
lock taken and leaves the work to the first. (SQLite, the embedded mode, runs one writing
transaction at a time anyway.)
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from guichet import presets
from guichet.audit.models import Action, Right
from guichet.audit.services import record
from guichet.memberships.models import ApplicationDocument, document_storage

STASH = "memberships/pending"
LOCK = 0x4D454D42  # "MEMB": the sweep of abandoned files against applications being sent


def hold_shared() -> None:
    """Inside the transaction that attaches stashed files: wait while a sweep deletes."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [LOCK])


def _hold_alone() -> bool:
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK])
        (taken,) = cursor.fetchone()
    return bool(taken)


def still_there(path: str) -> bool:
    """Whether a file set aside by a wizard is still kept."""
    return document_storage().exists(path)


@transaction.atomic
def delete_abandoned(now: datetime | None = None) -> int:
    """Delete the wizards' files older than the preset's delay that no application took;
    the number deleted. The trail counts them, never names them."""
    if not _hold_alone():
        return 0  # another sweep is at it, or an application is being sent: next time
    kept_hours = presets.active().membership_uploads_kept_hours
    cutoff = (now or timezone.now()) - timedelta(hours=kept_hours)
    storage = document_storage()
    try:
        _folders, names = storage.listdir(STASH)
    except FileNotFoundError:
        return 0
    old = []
    for name in names:
        path = f"{STASH}/{name}"
        try:
            if storage.get_modified_time(path) < cutoff:
                old.append(path)
        except FileNotFoundError:
            continue
    taken = set(ApplicationDocument.objects.filter(file__in=old).values_list("file", flat=True))
    deleted = 0
    for path in old:
        if path not in taken:
            storage.delete(path)
            deleted += 1
    if deleted:
        record(
            Action.MEMBERSHIP_UPLOADS_DELETED,
            right=Right.SYSTEM,
            data={"files": deleted, "kept_hours": kept_hours},
        )
    return deleted

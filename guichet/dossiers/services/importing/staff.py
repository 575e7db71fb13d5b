"""The staff page's flow: upload a file for a dry run, read its report, then launch the
real import once; both run in the background (``dossiers.tasks.run_dossier_import``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation

# A module-level cycle with the task module (which runs ``applying.run_stored_import``),
# resolved by importing the module, not a name from it.
from guichet.accounts.types import Actor
from guichet.dossiers import tasks
from guichet.dossiers.models import DossierImport, ImportStatus


@transaction.atomic
def start_import(upload: Any, *, actor: Actor, dry_run: bool = True) -> DossierImport:
    """Store the uploaded file and queue its dry run (the task runs once this commits)."""
    dossier_import = DossierImport.objects.create(
        file=upload, original_name=upload.name[:255], dry_run=dry_run, started_by=actor
    )
    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(lambda: tasks.run_dossier_import.delay(dossier_import.pk, language))
    return dossier_import


def can_launch(dry_run_import: DossierImport) -> bool:
    """A finished dry run with good rows, whose file is still stored, can be imported."""
    return (
        dry_run_import.dry_run
        and dry_run_import.status == ImportStatus.DONE
        and dry_run_import.processed_rows > bad_row_count(dry_run_import)
        and bool(dry_run_import.file)
        and dry_run_import.file.storage.exists(dry_run_import.file.name)
        and not DossierImport.objects.filter(file=dry_run_import.file.name, dry_run=False).exists()
    )


def bad_row_count(dossier_import: DossierImport) -> int:
    return len({error["line"] for error in dossier_import.errors if error.get("line")})


class CannotLaunch(Exception):
    """The dry run cannot (or can no longer) be imported for real."""


@transaction.atomic
def launch_import(dry_run_import: DossierImport, *, actor: Actor) -> DossierImport:
    """The real run of a file already checked by a dry run; once, even on a double click
    (the dry run's row is locked while the check and the launch happen)."""
    dry_run_import = DossierImport.objects.select_for_update().get(pk=dry_run_import.pk)
    if not can_launch(dry_run_import):
        raise CannotLaunch
    dossier_import = DossierImport.objects.create(
        file=dry_run_import.file.name,
        original_name=dry_run_import.original_name,
        dry_run=False,
        started_by=actor,
    )
    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(lambda: tasks.run_dossier_import.delay(dossier_import.pk, language))
    return dossier_import

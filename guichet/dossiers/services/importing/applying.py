"""Applying the rows: validate each, then upsert the good ones in batches of
``BATCH_SIZE``, each batch in its own transaction, so that progress is visible while the
import runs; the import is audited once done. From the command line (``import_file``)
or from a stored file the staff page started (``run_stored_import``, run by the task)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet import presets
from guichet.accounts.types import Actor
from guichet.audit import services as audit
from guichet.audit.models import Action, Right
from guichet.dossiers.models import Dossier, DossierImport, DossierLink, ImportStatus, LinkRole
from guichet.dossiers.services.importing.reading import (
    COLUMNS,
    ExtraRows,
    ImportFileError,
    cell_text,
    extra_sheets,
    is_extra_csv,
    read_rows,
    size_reasons,
)
from guichet.dossiers.services.importing.rows import clean_row

BATCH_SIZE = 2000
# Beyond this many reasons the report keeps a count only: a wrong file would otherwise
# store one message per row.
MAX_REPORTED_ERRORS = 5000
LEGACY_FIELDS = ("legacy_username", "legacy_password_hash")


@dataclass
class ImportReport:
    dry_run: bool
    total_rows: int = 0
    processed_rows: int = 0
    created: int = 0
    updated: int = 0
    bad_rows: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    failed: bool = False
    # What each registered sheet (``extra``) did: {"relations": {"created": n, "updated": m}}.
    sheets: dict[str, dict[str, int]] = field(default_factory=dict)

    def add_error(self, line: int, message: str) -> None:
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append({"line": line, "message": message})


Progress = Callable[[ImportReport], None]


def write_batch(batch: list[dict[str, Any]], header_fields: list[str], dry_run: bool) -> int:
    """Upsert one batch; returns how many of its numbers were new."""
    numbers = [values["number"] for values in batch]
    existing = set(Dossier.objects.filter(number__in=numbers).values_list("number", flat=True))
    if dry_run:
        return len(numbers) - len(existing)
    held = set(
        DossierLink.objects.active()
        .filter(dossier__number__in=existing, role=LinkRole.HOLDER)
        .values_list("dossier__number", flat=True)
    )
    update_fields = [name for name in header_fields if name != "number"] + ["updated_at"]
    # A dossier already held by an account keeps its (erased) legacy credentials: they
    # were used to prove the link and must not come back.
    kept_fields = [name for name in update_fields if name not in LEGACY_FIELDS]
    with transaction.atomic():
        for rows, fields in (
            ([v for v in batch if v["number"] not in held], update_fields),
            ([v for v in batch if v["number"] in held], kept_fields),
        ):
            if rows:
                Dossier.objects.bulk_create(
                    [Dossier(**values) for values in rows],
                    update_conflicts=True,
                    unique_fields=["number"],
                    update_fields=fields,
                )
    return len(numbers) - len(existing)


def import_rows(
    data: bytes, name: str, *, dry_run: bool, progress: Progress | None = None
) -> ImportReport:
    """Validate every row; unless ``dry_run``, create or update the good ones; then the
    registered sheets the file holds (``extra``), told the dossier numbers it brings."""
    report = ImportReport(dry_run=dry_run)
    try:
        extras = extra_sheets(data, name)
        if is_extra_csv(data, name):
            _apply_extra(extras, set(), report, dry_run=dry_run)
            return report
        header, rows, report.total_rows = read_rows(data, name)
    except ImportFileError as error:
        report.failed = True
        report.add_error(1, str(error))
        return report
    header_fields = [COLUMNS[column] for column in header if column]
    pattern = re.compile(presets.active().dossier_number_pattern)
    seen: dict[str, int] = {}
    brought: set[str] = set()
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        if batch:
            created = write_batch(batch, header_fields, dry_run)
            report.created += created
            report.updated += len(batch) - created
            batch.clear()
        if progress:
            progress(report)

    for line, raw in rows:
        texts = [cell_text(value) for value in raw]
        reasons = size_reasons(header, raw, texts)
        if not reasons and not any(texts):
            continue  # blank lines are not rows
        if reasons:
            values = {"number": ""}
        else:
            cells = {column: text for column, text in zip(header, texts, strict=False) if column}
            cells.setdefault("numero", "")
            values, reasons = clean_row(cells, pattern)
        number = values["number"]
        if number and number in seen:
            reasons.append(
                _("File number %(number)s appears twice in the file (first on line %(line)d).")
                % {"number": number, "line": seen[number]}
            )
        elif number:
            seen[number] = line
        report.processed_rows += 1
        if reasons:
            report.bad_rows += 1
            for reason in reasons:
                report.add_error(line, reason)
        else:
            batch.append(values)
            brought.add(number)
        if report.processed_rows % BATCH_SIZE == 0:
            flush()
    flush()
    _apply_extra(extras, brought, report, dry_run=dry_run)
    report.total_rows = report.processed_rows
    if len(report.errors) == MAX_REPORTED_ERRORS:
        report.errors.append({"line": None, "message": _("Further errors are not listed.")})
    return report


def _apply_extra(
    extras: ExtraRows, brought: set[str], report: ImportReport, *, dry_run: bool
) -> None:
    """Each registered sheet's rows, checked for size, then handed to its ``apply``; its
    reasons join the report, naming the sheet."""
    for sheet, header, rows in extras:
        good: list[tuple[int, dict[str, str]]] = []
        for line, raw in rows:
            texts = [cell_text(value) for value in raw]
            reasons = size_reasons(header, raw, texts)
            if not reasons and not any(texts):
                continue
            report.processed_rows += 1
            if reasons:
                report.bad_rows += 1
                for reason in reasons:
                    report.add_error(line, _sheet_reason(sheet.name, reason))
            else:
                good.append((line, {c: t for c, t in zip(header, texts, strict=False) if c}))
        done = sheet.apply(good, brought, dry_run)
        report.bad_rows += len({line for line, _reason in done.errors})
        for line, reason in done.errors:
            report.add_error(line, _sheet_reason(sheet.name, reason))
        report.created += done.created
        report.updated += done.updated
        report.sheets[sheet.name] = {"created": done.created, "updated": done.updated}


def _sheet_reason(sheet: str, reason: str) -> str:
    return _("Sheet « %(sheet)s »: %(reason)s") % {"sheet": sheet, "reason": reason}


def audit_import(report: ImportReport, name: str, *, actor: Actor | None, right: Right) -> None:
    audit.record(
        Action.DOSSIER_IMPORTED,
        actor=actor,
        right=right,
        data={
            "file": name,
            "rows": report.processed_rows,
            "created": report.created,
            "updated": report.updated,
            "bad_rows": report.bad_rows,
            **({"sheets": report.sheets} if report.sheets else {}),
        },
    )


def import_file(
    data: bytes,
    name: str,
    *,
    dry_run: bool,
    actor: Actor | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a file from the command line. Not one transaction: see the module's docstring."""
    report = import_rows(data, name, dry_run=dry_run, progress=progress)
    if not dry_run and not report.failed:
        audit_import(
            report, name, actor=actor, right=Right.SYSTEM if actor is None else Right.STAFF
        )
    return report


def run_stored_import(dossier_import: DossierImport) -> None:
    """Run a stored import (called by the task), saving its progress after each batch."""
    DossierImport.objects.filter(pk=dossier_import.pk).update(status=ImportStatus.RUNNING)

    def save_progress(report: ImportReport) -> None:
        DossierImport.objects.filter(pk=dossier_import.pk).update(
            total_rows=max(report.total_rows, report.processed_rows),
            processed_rows=report.processed_rows,
            created_count=report.created,
            updated_count=report.updated,
        )

    try:
        with dossier_import.file.open("rb") as stored:
            data = stored.read()
    except (OSError, ValueError):
        report = ImportReport(dry_run=dossier_import.dry_run, failed=True)
        report.add_error(1, _("The stored file is no longer available."))
    else:
        report = import_rows(
            data,
            dossier_import.original_name,
            dry_run=dossier_import.dry_run,
            progress=save_progress,
        )
    save_progress(report)
    DossierImport.objects.filter(pk=dossier_import.pk).update(
        status=ImportStatus.FAILED if report.failed else ImportStatus.DONE,
        errors=report.errors,
        finished_at=timezone.now(),
    )
    if not dossier_import.dry_run and not report.failed:
        audit_import(
            report, dossier_import.original_name, actor=dossier_import.started_by, right=Right.STAFF
        )
        # The file may hold legacy password hashes: it is not kept once imported.
        dossier_import.file.delete(save=False)

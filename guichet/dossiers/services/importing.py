"""Importing the operator's dossiers from CSV or XLSX: parse, validate, then upsert.

The file format is documented in docs/import.md. Rows are read as a stream and written
in batches of ``BATCH_SIZE``, each batch in its own transaction, so that progress is
visible to the staff page while the import runs and 100,000 rows fit in little memory.
A failure midway leaves the batches already written: the import is idempotent on the
dossier number, so running the file again completes it.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import charset_normalizer
import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from guichet import presets
from guichet.audit import services as audit
from guichet.audit.models import Action, Right
from guichet.core.dates import DateReadError, read_date
from guichet.dossiers.legacy import is_supported_hash
from guichet.dossiers.models import (
    Dossier,
    DossierImport,
    DossierKind,
    DossierLink,
    ImportStatus,
    LinkRole,
)
from guichet.dossiers.validators import (
    normalize_phone,
    normalize_postal_code,
    validate_phone,
    validate_postal_code,
)

BATCH_SIZE = 2000
# Beyond this many reasons the report keeps a count only: a wrong file would otherwise
# store one message per row.
MAX_REPORTED_ERRORS = 5000

# An XLSX file is a zip archive: its central directory tells, before anything is
# unpacked, how large each part becomes, and Python's zipfile never unpacks a part past
# that declared size (it stops, and the checksum fails), so checking those sizes bounds
# what openpyxl will read. 100,000 rows of the documented format unpack to about 80 MB.
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_XLSX_PART_BYTES = 100 * 1024 * 1024
# Spreadsheet XML compresses about 5 to 30 times; a part that shrinks more than this is
# repetition made on purpose (the decompression bomb of issue 9 shrank 1,000 times).
MAX_XLSX_RATIO = 100
RATIO_CHECKED_FROM_BYTES = 1024 * 1024
# The longest column is 255 characters; a cell or a row far beyond that is refused
# without being kept, and a value quoted in a reason is cut.
MAX_CELL_CHARS = 1000
MAX_ROW_CHARS = 10_000
MAX_QUOTED_CHARS = 60
# Once a CSV is not UTF-8, the encodings French spreadsheets write: Windows' cp1252
# (Excel's « CSV (séparateur : point-virgule) »), old Mac Excel's mac_roman, and UTF-16
# (« Texte Unicode »). Detection among these only: left free, charset-normalizer reads
# a short cp1252 French file as mac_latin2 (« Bťlanger »).
CSV_FALLBACK_ENCODINGS = ["cp1252", "mac_roman", "utf_16"]

# Column in the file → field of Dossier.
COLUMNS: dict[str, str] = {
    "numero": "number",
    "type": "kind",
    "prenom": "first_name",
    "nom": "last_name",
    "organisation": "organization_name",
    "date_naissance": "birth_date",
    "courriel": "email",
    "langue": "language",
    "telephone_domicile": "home_phone",
    "telephone_cellulaire": "mobile_phone",
    "telephone_travail": "work_phone",
    "adresse": "home_street",
    "ville": "home_city",
    "province": "home_province",
    "code_postal": "home_postal_code",
    "employeur": "work_employer",
    "adresse_travail": "work_street",
    "ville_travail": "work_city",
    "code_postal_travail": "work_postal_code",
    "resident": "is_resident",
    "ancien_identifiant": "legacy_username",
    "ancien_mot_de_passe_hache": "legacy_password_hash",
}
LEGACY_FIELDS = ("legacy_username", "legacy_password_hash")
KINDS = {"personne": DossierKind.PERSON, "organisation": DossierKind.ORGANIZATION}
LANGUAGES = {"fr", "en"}
PROVINCES = {"QC", "ON", "NB", "NS", "PE", "NL", "MB", "SK", "AB", "BC", "YT", "NT", "NU"}
YES = {"oui", "o", "1", "vrai", "yes", "y", "true"}
NO = {"non", "n", "0", "faux", "no", "false", ""}
PHONES = ("home_phone", "mobile_phone", "work_phone")
POSTAL_CODES = ("home_postal_code", "work_postal_code")
MAX_LENGTHS = {name: Dossier._meta.get_field(name).max_length for name in COLUMNS.values()}


class ImportFileError(Exception):
    """The file as a whole cannot be read: wrong format, missing or unknown columns."""


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

    def add_error(self, line: int, message: str) -> None:
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append({"line": line, "message": message})


Progress = Callable[[ImportReport], None]


# Reading -------------------------------------------------------------------------------
class _CsvLineTooLong:
    """Stands for a record the csv module refused (a field past its own limit)."""


def _column_key(header: Any) -> str:
    """« Numéro » → « numero », « Date naissance » → « date_naissance »."""
    text = unicodedata.normalize("NFKD", str(header or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def _cell_text(value: Any) -> str:
    if value is None or isinstance(value, _CsvLineTooLong):
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def quoted(value: str) -> str:
    """A value as quoted in a reason: cut past ``MAX_QUOTED_CHARS``."""
    if len(value) <= MAX_QUOTED_CHARS:
        return value
    return value[:MAX_QUOTED_CHARS] + "…"


def _check_header(raw_header: list[Any]) -> list[str]:
    header = [_column_key(h) for h in raw_header]
    unknown = [quoted(h) for h in header if h and h not in COLUMNS]
    if unknown:
        raise ImportFileError(
            _("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown[:10])}
        )
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:
        raise ImportFileError(
            _("Columns named twice: %(columns)s.") % {"columns": ", ".join(repeated)}
        )
    if "numero" not in header:
        raise ImportFileError(_("The header row must have a « numero » column."))
    return header


def _csv_text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    found = charset_normalizer.from_bytes(data, cp_isolation=CSV_FALLBACK_ENCODINGS).best()
    if found is None:
        raise ImportFileError(
            _(
                "The encoding of this CSV file was not recognized: save it again as "
                "« CSV UTF-8 » from your spreadsheet."
            )
        )
    return str(found)


def _csv_records(text: str, delimiter: str) -> Iterator[tuple[int, list[Any]]]:
    """Records with their first physical line; a record too long to parse comes as an
    empty list flagged by ``_CsvLineTooLong`` so that its row is refused, not fatal."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield line, [_CsvLineTooLong()]
            continue
        yield line, row


def _csv_rows(data: bytes) -> tuple[list[str], Iterator[tuple[int, list[Any]]], int]:
    text = _csv_text(data)
    first_line = text.partition("\n")[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    records = _csv_records(text, delimiter)
    _, raw_header = next(records, (1, []))
    header = _check_header(raw_header)
    total = sum(1 for _, row in _csv_records(text, delimiter) if any(row)) - 1
    return header, records, max(total, 0)


def _check_xlsx_archive(data: bytes) -> None:
    """Refuse, from the zip's central directory alone, a workbook that would unpack to
    more than the import may hold in memory (see ``MAX_XLSX_*``)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise ImportFileError(_("This XLSX file cannot be read.")) from None
    advice = _("Save it again from your spreadsheet, or send it as CSV.")
    for part in parts:
        if part.file_size < RATIO_CHECKED_FROM_BYTES:
            continue
        ratio = part.file_size // max(part.compress_size, 1)
        if ratio > MAX_XLSX_RATIO:
            raise ImportFileError(
                _(
                    "This XLSX file is refused: one of its parts unpacks %(ratio)s times "
                    "larger than it is stored (%(limit)s times at most), which a real "
                    "spreadsheet never does."
                )
                % {"ratio": ratio, "limit": MAX_XLSX_RATIO}
                + " "
                + advice
            )
    mb = 1024 * 1024
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ImportFileError(
            _(
                "This XLSX file is refused: once unpacked it would take %(size)s MB "
                "(%(limit)s MB at most)."
            )
            % {"size": unpacked // mb, "limit": MAX_XLSX_UNPACKED_BYTES // mb}
            + " "
            + advice
        )
    largest = max((part.file_size for part in parts), default=0)
    if largest > MAX_XLSX_PART_BYTES:
        raise ImportFileError(
            _(
                "This XLSX file is refused: one of its parts would take %(size)s MB once "
                "unpacked (%(limit)s MB at most)."
            )
            % {"size": largest // mb, "limit": MAX_XLSX_PART_BYTES // mb}
            + " "
            + advice
        )


def _xlsx_rows(data: bytes) -> tuple[list[str], Iterator[tuple[int, list[Any]]], int]:
    _check_xlsx_archive(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a damaged file
        raise ImportFileError(_("This XLSX file cannot be read.")) from None
    sheet = workbook.worksheets[0]
    cells = sheet.iter_rows(values_only=True)
    header = _check_header(list(next(cells, ())))
    total = max((sheet.max_row or 1) - 1, 0)
    return header, ((line, list(row)) for line, row in enumerate(cells, start=2)), total


def read_rows(data: bytes, name: str) -> tuple[list[str], Iterator[tuple[int, list[Any]]], int]:
    """The header (column keys), the rows with their line numbers, and a row count."""
    if name.lower().endswith(".xlsx"):
        return _xlsx_rows(data)
    if name.lower().endswith(".csv"):
        return _csv_rows(data)
    raise ImportFileError(_("Send a CSV or XLSX file."))


def size_reasons(header: list[str], raw: list[Any], texts: list[str]) -> list[str]:
    """Why a row is too large to be read, naming the column, never quoting the value."""
    if any(isinstance(value, _CsvLineTooLong) for value in raw):
        return [_("A cell of this row is far too long to be read.")]
    reasons = [
        _("The value of « %(column)s » is too long (%(limit)s characters at most).")
        % {"column": column or "?", "limit": MAX_CELL_CHARS}
        for column, text in zip(header + [""] * len(texts), texts, strict=False)
        if len(text) > MAX_CELL_CHARS
    ]
    if not reasons and sum(len(text) for text in texts) > MAX_ROW_CHARS:
        reasons.append(
            _("This row is too long (%(limit)s characters at most).") % {"limit": MAX_ROW_CHARS}
        )
    return reasons


# Validating ----------------------------------------------------------------------------
def clean_row(cells: dict[str, str], pattern: re.Pattern[str]) -> tuple[dict[str, Any], list[str]]:
    """The row as Dossier field values, and the reasons it is refused (French)."""
    values: dict[str, Any] = {}
    reasons: list[str] = []
    for column, text in cells.items():
        values[COLUMNS[column]] = text
    number = values["number"]
    if not number:
        reasons.append(_("The file number is missing."))
    elif not pattern.match(number):
        reasons.append(
            _("Invalid file number « %(number)s » (expected like %(example)s).")
            % {"number": quoted(number), "example": presets.active().dossier_number_example}
        )
    if "kind" in values:
        kind = KINDS.get(values["kind"].lower() or "personne")
        if kind is None:
            reasons.append(_("Type must be « personne » or « organisation »."))
        values["kind"] = kind or DossierKind.PERSON
    kind = values.get("kind", DossierKind.PERSON)
    if kind == DossierKind.PERSON and not values.get("last_name"):
        reasons.append(_("The last name is missing for a person."))
    if kind == DossierKind.ORGANIZATION and not values.get("organization_name"):
        reasons.append(_("The organization name is missing."))
    if "birth_date" in values:
        try:
            values["birth_date"] = read_date(values["birth_date"]) if values["birth_date"] else None
        except DateReadError:
            reasons.append(
                _("Invalid birth date « %(value)s » (expected YYYY-MM-DD or DD/MM/YYYY).")
                % {"value": quoted(values["birth_date"])}
            )
            values["birth_date"] = None
        if values["birth_date"] and values["birth_date"] > timezone.localdate():
            reasons.append(_("The birth date is in the future."))
    if values.get("email"):
        try:
            validate_email(values["email"])
        except ValidationError:
            reasons.append(
                _("Invalid email address « %(value)s ».") % {"value": quoted(values["email"])}
            )
    if "language" in values:
        values["language"] = values["language"].lower() or "fr"
        if values["language"] not in LANGUAGES:
            reasons.append(_("Language must be « fr » or « en »."))
    for name in PHONES:
        if values.get(name):
            try:
                validate_phone(values[name])
                values[name] = normalize_phone(values[name])
            except ValidationError:
                reasons.append(
                    _("Invalid phone number « %(value)s ».") % {"value": quoted(values[name])}
                )
    for name in POSTAL_CODES:
        if values.get(name):
            try:
                validate_postal_code(values[name])
                values[name] = normalize_postal_code(values[name])
            except ValidationError:
                reasons.append(
                    _("Invalid postal code « %(value)s ».") % {"value": quoted(values[name])}
                )
    if "home_province" in values:
        values["home_province"] = values["home_province"].upper() or "QC"
        if values["home_province"] not in PROVINCES:
            reasons.append(
                _("Invalid province « %(value)s ».") % {"value": quoted(values["home_province"])}
            )
    if "is_resident" in values:
        answer = values["is_resident"].lower()
        if answer not in YES | NO:
            reasons.append(_("Resident must be « oui » or « non »."))
        values["is_resident"] = answer in YES
    legacy_hash = values.get("legacy_password_hash")
    if legacy_hash and not is_supported_hash(legacy_hash):
        reasons.append(_("Unsupported legacy password hash format."))
    for name, value in values.items():
        limit = MAX_LENGTHS.get(name)
        if limit and isinstance(value, str) and len(value) > limit:
            reasons.append(_("« %(column)s » is too long.") % {"column": _column_of(name)})
    return values, reasons


def _column_of(field_name: str) -> str:
    return next(column for column, name in COLUMNS.items() if name == field_name)


# Writing -------------------------------------------------------------------------------
def _write_batch(batch: list[dict[str, Any]], header_fields: list[str], dry_run: bool) -> int:
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
    """Validate every row; unless ``dry_run``, create or update the good ones."""
    report = ImportReport(dry_run=dry_run)
    try:
        header, rows, report.total_rows = read_rows(data, name)
    except ImportFileError as error:
        report.failed = True
        report.add_error(1, str(error))
        return report
    header_fields = [COLUMNS[column] for column in header if column]
    pattern = re.compile(presets.active().dossier_number_pattern)
    seen: dict[str, int] = {}
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        if batch:
            created = _write_batch(batch, header_fields, dry_run)
            report.created += created
            report.updated += len(batch) - created
            batch.clear()
        if progress:
            progress(report)

    for line, raw in rows:
        texts = [_cell_text(value) for value in raw]
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
        if report.processed_rows % BATCH_SIZE == 0:
            flush()
    report.total_rows = report.processed_rows
    flush()
    if len(report.errors) == MAX_REPORTED_ERRORS:
        report.errors.append({"line": None, "message": _("Further errors are not listed.")})
    return report


# Use cases -------------------------------------------------------------------------------
def _audit_import(report: ImportReport, name: str, *, actor: Any, right: Right) -> None:
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
        },
    )


def import_file(
    data: bytes,
    name: str,
    *,
    dry_run: bool,
    actor: Any = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a file from the command line. Not one transaction: see the module's docstring."""
    report = import_rows(data, name, dry_run=dry_run, progress=progress)
    if not dry_run and not report.failed:
        _audit_import(
            report, name, actor=actor, right=Right.SYSTEM if actor is None else Right.STAFF
        )
    return report


@transaction.atomic
def start_import(upload: Any, *, actor: Any, dry_run: bool = True) -> DossierImport:
    """Store the uploaded file and queue its dry run (the task runs once this commits)."""
    from guichet.dossiers.tasks import run_dossier_import

    dossier_import = DossierImport.objects.create(
        file=upload, original_name=upload.name[:255], dry_run=dry_run, started_by=actor
    )
    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(lambda: run_dossier_import.delay(dossier_import.pk, language))
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
def launch_import(dry_run_import: DossierImport, *, actor: Any) -> DossierImport:
    """The real run of a file already checked by a dry run; once, even on a double click
    (the dry run's row is locked while the check and the launch happen)."""
    from guichet.dossiers.tasks import run_dossier_import

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
    transaction.on_commit(lambda: run_dossier_import.delay(dossier_import.pk, language))
    return dossier_import


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
        _audit_import(
            report, dossier_import.original_name, actor=dossier_import.started_by, right=Right.STAFF
        )
        # The file may hold legacy password hashes: it is not kept once imported.
        dossier_import.file.delete(save=False)

"""Reading the operator's file (docs/import.md): CSV or XLSX, its header, and the limits
that keep a wrong or hostile file (a decompression bomb, a line without end) from
filling memory. Rows come as a stream, with their line numbers."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import charset_normalizer
import openpyxl
from django.utils.translation import gettext as _

from guichet.dossiers.services.importing.extra import ExtraSheet, sheet_for_header, sheet_named

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


class ImportFileError(Exception):
    """The file as a whole cannot be read: wrong format, missing or unknown columns."""


class CsvLineTooLong:
    """Stands for a record the csv module refused (a field past its own limit)."""


def _column_key(header: Any) -> str:
    """« Numéro » → « numero », « Date naissance » → « date_naissance »."""
    text = unicodedata.normalize("NFKD", str(header or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def cell_text(value: Any) -> str:
    if value is None or isinstance(value, CsvLineTooLong):
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
    empty list flagged by ``CsvLineTooLong`` so that its row is refused, not fatal."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield line, [CsvLineTooLong()]
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


def _check_sheet_header(raw_header: list[Any], sheet: ExtraSheet) -> list[str]:
    header = [_column_key(h) for h in raw_header]
    unknown = [quoted(h) for h in header if h and h not in sheet.columns]
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    missing = [c for c in sheet.required if c not in header]
    for problem, columns in (
        (_("Sheet « %(sheet)s »: unknown columns: %(columns)s."), unknown[:10]),
        (_("Sheet « %(sheet)s »: columns named twice: %(columns)s."), repeated),
        (_("Sheet « %(sheet)s »: missing columns: %(columns)s."), missing),
    ):
        if columns:
            raise ImportFileError(problem % {"sheet": sheet.name, "columns": ", ".join(columns)})
    return header


ExtraRows = list[tuple[ExtraSheet, list[str], Iterator[tuple[int, list[Any]]]]]


def is_extra_csv(data: bytes, name: str) -> bool:
    """A CSV file that is one of the registered sheets (``extra``), not dossiers."""
    if not name.lower().endswith(".csv"):
        return False
    first_line = _csv_text(data).partition("\n")[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    header = next(csv.reader([first_line], delimiter=delimiter), [])
    return sheet_for_header([_column_key(h) for h in header]) is not None


def extra_sheets(data: bytes, name: str) -> ExtraRows:
    """The registered sheets the file holds, each with its header and rows: a CSV that
    is one, or an XLSX workbook's sheets after the first whose titles name one (other
    sheets are left alone)."""
    if name.lower().endswith(".csv"):
        text = _csv_text(data)
        first_line = text.partition("\n")[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        records = _csv_records(text, delimiter)
        _, raw_header = next(records, (1, []))
        sheet = sheet_for_header([_column_key(h) for h in raw_header])
        if sheet is None:
            return []
        return [(sheet, _check_sheet_header(raw_header, sheet), records)]
    if not name.lower().endswith(".xlsx"):
        return []
    _check_xlsx_archive(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a damaged file
        raise ImportFileError(_("This XLSX file cannot be read.")) from None
    found: ExtraRows = []
    for worksheet in workbook.worksheets[1:]:
        sheet = sheet_named(_column_key(worksheet.title))
        if sheet is None:
            continue
        cells = worksheet.iter_rows(values_only=True)
        header = _check_sheet_header(list(next(cells, ())), sheet)
        found.append((sheet, header, ((n, list(row)) for n, row in enumerate(cells, start=2))))
    return found


def size_reasons(header: list[str], raw: list[Any], texts: list[str]) -> list[str]:
    """Why a row is too large to be read, naming the column, never quoting the value."""
    if any(isinstance(value, CsvLineTooLong) for value in raw):
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

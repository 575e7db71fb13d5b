"""Building a person's archive (« Mes données »): every app's part, as JSON and CSV, with
their documents and a README explaining each file, in one ZIP.

Run by ``privacy.tasks.build_export`` (a Celery task, in-process without a broker). Each
app's part comes from its registered ``Contributor.export`` (``privacy.registry``): this
module knows no app. Progress is saved after each part, outside any transaction, so the
page the person waits on can show it.
"""

from __future__ import annotations

import csv
import io
import json
import secrets
import zipfile
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from guichet.core.mail import send_templated
from guichet.privacy import registry
from guichet.privacy.models import DataExport, ExportStatus
from guichet.privacy.registry import Table

# Offered for seven days once ready (issue 16), then erased.
EXPORT_LIFETIME_DAYS = 7


def export_dir() -> Path:
    """Where archives wait to be downloaded: never under a served folder."""
    folder = Path(settings.DATA_DIR) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return str(value)


def csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, default=json_value, ensure_ascii=False)
    if isinstance(value, str | int | float | bool):
        return value
    return json_value(value)


def as_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, default=json_value, ensure_ascii=False, indent=2)


def as_csv(rows: list[dict[str, Any]]) -> str:
    columns: list[str] = []
    for row in rows:
        columns.extend(key for key in row if key not in columns)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: csv_value(value) for key, value in row.items()})
    return out.getvalue()


def readme(account: Any, lines: list[str]) -> str:
    head = [
        _("Copy of the personal information held on %(name)s") % {"name": account.get_full_name()},
        _("Prepared on %(when)s.") % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
        "",
        _(
            "Each folder holds what one part of the portal keeps on you. Every list is "
            "given twice: as JSON (for a program) and as CSV (for a spreadsheet). Dates "
            "are in Montreal time; amounts are in Canadian dollars."
        ),
        "",
    ]
    return "\n".join([*head, *lines, ""])


def build_archive(export: DataExport) -> Path:
    """Write the ZIP for ``export`` and mark it ready; returns its path."""
    account = export.account
    parts = [contributor for contributor in registry.contributors() if contributor.export]
    name = f"{export.pk}-{secrets.token_hex(16)}.zip"
    path = export_dir() / name
    lines: list[str] = []
    with (
        translation.override(account.language),
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        for done, contributor in enumerate(parts, start=1):
            assert contributor.export is not None
            portion = contributor.export(account)
            lines.append(f"{contributor.name}/ — {contributor.label}")
            for table in portion.tables:
                write_table(archive, contributor.name, table)
                lines.append(f"  {table.name}.json, {table.name}.csv — {table.description}")
            for document in portion.documents:
                archive.writestr(f"{contributor.name}/documents/{document.name}", document.content)
                lines.append(f"  documents/{document.name} — {document.description}")
            lines.append("")
            DataExport.objects.filter(pk=export.pk).update(
                progress=round(100 * done / (len(parts) + 1))
            )
        archive.writestr("README.txt", readme(account, lines))
    now = timezone.now()
    with transaction.atomic():
        DataExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.READY,
            progress=100,
            file_name=name,
            size=path.stat().st_size,
            ready_at=now,
            expires_at=now + timedelta(days=EXPORT_LIFETIME_DAYS),
        )
        send_templated(
            "privacy/email/export_ready",
            to=account.email,
            context={
                "account": account,
                "url": f"{settings.GUICHET_SITE_URL}/mon-dossier/mes-donnees/",
                "days": EXPORT_LIFETIME_DAYS,
            },
            language=account.language,
        )
    return path


def write_table(archive: zipfile.ZipFile, folder: str, table: Table) -> None:
    archive.writestr(f"{folder}/{table.name}.json", as_json(table.rows))
    archive.writestr(f"{folder}/{table.name}.csv", as_csv(table.rows))


def expire_exports(now: Any = None) -> int:
    """Archives past their time are marked expired and erased; returns how many."""
    now = now or timezone.now()
    stale = DataExport.objects.filter(status=ExportStatus.READY, expires_at__lte=now)
    count = 0
    for export in stale:
        (export_dir() / export.file_name).unlink(missing_ok=True)
        count += DataExport.objects.filter(pk=export.pk, status=ExportStatus.READY).update(
            status=ExportStatus.EXPIRED
        )
    return count

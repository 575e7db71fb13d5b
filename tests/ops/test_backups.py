"""A backup of the demo restores into an empty database and media folder, to the cent."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import psycopg
import pytest
from cryptography.fernet import Fernet, MultiFernet
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from guichet.billing.models import Invoice, PayerTaxInfo
from guichet.core import backups
from guichet.core.crypto import derived_key


def keys_from(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if line)


@pytest.fixture
def empty_database():
    """A new, empty database on the same PostgreSQL server; dropped afterwards."""
    name = f"guichet_restore_{uuid.uuid4().hex[:8]}"
    server = backups.postgres_url({**connection.settings_dict, "NAME": "postgres"})
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield backups.postgres_url({**connection.settings_dict, "NAME": name})
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def invoices(url: str) -> list[tuple]:
    with psycopg.connect(url) as db:
        return db.execute(
            "SELECT number, subtotal, gst, qst, total, amount_paid, amount_credited "
            "FROM billing_invoice ORDER BY number"
        ).fetchall()


@pytest.mark.django_db(transaction=True)
def test_the_demo_backed_up_restores_to_the_cent_with_its_files_and_keys(
    settings, tmp_path, empty_database
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.GUICHET_ENCRYPTION_KEYS = []  # the demo's key derives from the secret key
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    default_storage.save("documents/reglement.pdf", ContentFile(b"%PDF-1.4 reglement"))
    expected_invoices = invoices(backups.postgres_url(connection.settings_dict))
    assert len(expected_invoices) >= 3
    sin = PayerTaxInfo.objects.order_by("pk").first()
    assert sin is not None

    call_command("backup", str(tmp_path / "backup"), stdout=open("/dev/null", "w"))  # noqa: SIM115
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["tables"]["billing_invoice"] == Invoice.objects.count()
    assert (tmp_path / "backup" / "keys.env").stat().st_mode & 0o777 == 0o600

    settings.MEDIA_ROOT = str(tmp_path / "restored-media")
    call_command(
        "restore",
        str(tmp_path / "backup"),
        database_url=empty_database,
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
    assert invoices(empty_database) == expected_invoices  # number, taxes and totals, to the cent
    assert (tmp_path / "restored-media" / "documents" / "reglement.pdf").read_bytes() == (
        b"%PDF-1.4 reglement"
    )
    # The key ring of keys.env opens the social insurance number in the restored database.
    keys = keys_from(tmp_path / "backup" / "keys.env")
    ring = [k for k in keys["GUICHET_ENCRYPTION_KEYS"].split(",") if k] or [
        derived_key(keys["GUICHET_SECRET_KEY"]).decode()
    ]
    with psycopg.connect(empty_database) as db:
        (token,) = db.execute(
            "SELECT sin_encrypted FROM billing_payertaxinfo WHERE id = %s", [sin.pk]
        ).fetchone()
    number = MultiFernet([Fernet(k) for k in ring]).decrypt(token.encode()).decode()
    assert number.endswith(sin.sin_last3)

    # A second restore into the same database is refused: restores go into empty ones.
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(tmp_path / "backup"), database_url=empty_database)


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused(settings, tmp_path, empty_database):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("backup", str(tmp_path / "backup"), stdout=open("/dev/null", "w"))  # noqa: SIM115
    with (tmp_path / "backup" / "database.dump").open("ab") as dump:
        dump.write(b"\0")
    with pytest.raises(CommandError, match="does not match the manifest"):
        call_command("restore", str(tmp_path / "backup"), database_url=empty_database)

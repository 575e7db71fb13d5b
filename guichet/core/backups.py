"""Backups and restores: the database, the uploaded files and the key ring.

``manage.py backup DIR`` writes into a new folder ``DIR``:

- ``database.dump`` — ``pg_dump --format=custom`` (PostgreSQL), or ``database.sqlite3``
  (the embedded mode, through SQLite's online backup);
- ``media.tar.gz`` — every uploaded file: the folder ``MEDIA_ROOT``, or every object of the
  S3-compatible store when the default storage is one (``GUICHET_S3_BUCKET``), under the
  same names;
- ``keys.env`` (mode 0600) — ``GUICHET_SECRET_KEY`` and ``GUICHET_ENCRYPTION_KEYS``: without
  them the encrypted social insurance numbers and two-factor secrets cannot be read. Keep
  this file apart from the rest (``--keys-to``), as one keeps a safe's key apart from it;
- ``manifest.json`` — when, the migrations applied, each table's row count and each file's
  SHA-256, so a restore can prove itself.

``manage.py restore DIR`` loads it into an **empty** database (``--database-url``, default
the configured one) and an empty media folder, then compares every table's count with the
manifest and fails loudly on any difference. The files go back into the media folder, or
into the configured S3-compatible store, which must be empty too.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages
from django.db import connections

from guichet.core.storage import walk

DUMP, SQLITE, MEDIA, KEYS, MANIFEST = (
    "database.dump",
    "database.sqlite3",
    "media.tar.gz",
    "keys.env",
    "manifest.json",
)


class BackupError(Exception):
    pass


def postgres_url(settings_dict: Mapping[str, Any]) -> str:
    """A libpq URL for pg_dump and pg_restore from Django's connection settings."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(str(settings_dict.get("PASSWORD") or ""), safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or ""
    port = settings_dict.get("PORT") or ""
    name = quote(settings_dict["NAME"], safe="")
    if host.startswith("/"):  # a Unix socket folder
        return f"postgresql://{auth}/{name}?host={quote(host, safe='')}" + (
            f"&port={port}" if port else ""
        )
    return f"postgresql://{auth}{host}{':' + str(port) if port else ''}/{name}"


def _tool(name: str) -> str:
    """PostgreSQL's client program (Debian's postgresql-client), of the server's version."""
    path = shutil.which(name)
    if not path:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client)")
    return path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def table_counts(alias: str = "default") -> dict[str, int]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor, include_views=False))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            row = cursor.fetchone()
            counts[table] = row[0] if row else 0
    return counts


def postgres_table_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (names from pg_tables)
            row = cursor.fetchone()
            counts[table] = row[0] if row else 0
    return counts


def backup(folder: Path, *, keys_to: Path | None = None) -> dict[str, Any]:
    folder.mkdir(parents=True, exist_ok=False)
    database = settings.DATABASES["default"]
    manifest: dict[str, Any] = {
        "made_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "preset": settings.GUICHET_PRESET,
        "engine": database["ENGINE"].rsplit(".", 1)[-1],
        "files": {},
    }
    if manifest["engine"] == "postgresql":
        subprocess.run(  # noqa: S603 (our own arguments, no shell)
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={folder / DUMP}",
                postgres_url(database),
            ],
            check=True,
        )
        manifest["files"][DUMP] = _sha256(folder / DUMP)
    else:
        source = sqlite3.connect(database["NAME"])
        target = sqlite3.connect(folder / SQLITE)
        with target:
            source.backup(target)
        source.close()
        target.close()
        manifest["files"][SQLITE] = _sha256(folder / SQLITE)
    manifest["tables"] = table_counts()

    media_root = Path(settings.MEDIA_ROOT)
    store = storages["default"]
    with tarfile.open(folder / MEDIA, "w:gz") as archive:
        if isinstance(store, FileSystemStorage):
            if media_root.is_dir():
                archive.add(media_root, arcname=".")
        else:  # an S3-compatible store: each object, under its name
            manifest["store"] = type(store).__name__
            for name in walk(store):
                with store.open(name, "rb") as stream:
                    member = tarfile.TarInfo(f"./{name}")
                    member.size = store.size(name)
                    member.mtime = int(datetime.now(UTC).timestamp())
                    archive.addfile(member, stream)
    manifest["files"][MEDIA] = _sha256(folder / MEDIA)

    keys_path = keys_to or folder / KEYS
    keys_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(keys_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as stream:
        stream.write(f"GUICHET_SECRET_KEY={settings.SECRET_KEY}\n")
        stream.write(f"GUICHET_ENCRYPTION_KEYS={','.join(settings.GUICHET_ENCRYPTION_KEYS)}\n")
    manifest["keys"] = str(keys_path) if keys_to else KEYS

    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def _check_files(folder: Path, manifest: dict[str, Any]) -> None:
    for name, digest in manifest["files"].items():
        if _sha256(folder / name) != digest:
            raise BackupError(f"{name} does not match the manifest (damaged or altered)")


def restore(
    folder: Path, *, database_url: str = "", media_root: Path | None = None
) -> dict[str, Any]:
    """Restore into an empty database and media folder; returns the differences in row
    counts (empty when the restore is faithful)."""
    manifest = json.loads((folder / MANIFEST).read_text())
    _check_files(folder, manifest)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    store = storages["default"]
    into_store = not isinstance(store, FileSystemStorage)
    if into_store:
        if next(walk(store), None) is not None:
            raise BackupError("the configured S3-compatible store is not empty")
    elif media_root.is_dir() and any(media_root.iterdir()):
        raise BackupError(f"the media folder {media_root} is not empty")

    if manifest["engine"] == "postgresql":
        url = database_url or postgres_url(settings.DATABASES["default"])
        if postgres_table_counts(url):
            raise BackupError("the target database is not empty: restore into a new one")
        pg_restore = [_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error"]
        subprocess.run(  # noqa: S603 (our own arguments, no shell)
            [*pg_restore, f"--dbname={url}", str(folder / DUMP)], check=True
        )
        counts = postgres_table_counts(url)
    else:
        target = Path(
            database_url.removeprefix("sqlite:///") or settings.DATABASES["default"]["NAME"]
        )
        if target.exists() and target.stat().st_size:
            raise BackupError(f"the target database {target} is not empty")
        shutil.copyfile(folder / SQLITE, target)
        with sqlite3.connect(target) as connection:
            rows = connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            ).fetchall()
            counts = {
                name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]  # noqa: S608
                for (name,) in rows
            }

    with tarfile.open(folder / MEDIA, "r:gz") as archive:
        if into_store:
            for member in archive:
                stream = archive.extractfile(member) if member.isfile() else None
                if stream is not None:
                    name = os.path.normpath(member.name)
                    if name.startswith("..") or os.path.isabs(name):
                        raise BackupError(f"{member.name}: a name outside the store")
                    store.save(name, File(stream, name=name))
        else:
            media_root.mkdir(parents=True, exist_ok=True)
            archive.extractall(media_root, filter="data")

    expected = manifest["tables"]
    return {
        table: (expected.get(table), counts.get(table))
        for table in sorted(set(expected) | set(counts))
        if expected.get(table) != counts.get(table) and not table.startswith("sqlite_")
    }

"""Media in an S3-compatible store (django-storages' S3 backend, boto3), against a local
S3-compatible server (moto's server mode on a free loopback port): a membership document
uploaded through the real services lands in the bucket, is served only through its
right-checked view, and a backup holds it and restores it into another, empty bucket."""

from __future__ import annotations

import socket
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from moto.server import ThreadedMotoServer

from guichet.core import backups
from guichet.core.storage import s3_storage
from guichet.memberships.models import ApplicationDocument
from tests.billing.cast import holder
from tests.factories import AccountFactory
from tests.memberships.cast import applied, member_types
from tests.ops.test_backups import empty_database  # noqa: F401 (a fixture)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def bucket_storage(endpoint: str, bucket: str) -> dict[str, object]:
    """STORAGES["default"] as settings.py makes it from the GUICHET_S3_* variables."""
    variables = {
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": "ca-central-1",
        "S3_ACCESS_KEY_ID": "cle-essai",
        "S3_SECRET_ACCESS_KEY": "secret-essai",
        "S3_ADDRESSING_STYLE": "path",
        "S3_PREFIX": "guichet/",
    }
    storage = s3_storage(lambda name: variables.get(name, ""))
    assert storage is not None
    return storage


def new_bucket(endpoint: str) -> tuple[str, object]:
    name = f"guichet-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="ca-central-1",
        aws_access_key_id="cle-essai",
        aws_secret_access_key="secret-essai",
    )
    client.create_bucket(
        Bucket=name, CreateBucketConfiguration={"LocationConstraint": "ca-central-1"}
    )
    return name, client


def keys(client, bucket: str) -> list[str]:
    listed = client.list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listed.get("Contents", []))


@pytest.fixture
def in_bucket(settings, s3_endpoint, tmp_path):
    """The comaq preset (memberships) with its media in a new, empty bucket."""
    bucket, client = new_bucket(s3_endpoint)
    settings.GUICHET_PRESET = "comaq"
    settings.MEDIA_ROOT = tmp_path / "media"  # must stay empty: files go to the bucket
    settings.STORAGES = {**settings.STORAGES, "default": bucket_storage(s3_endpoint, bucket)}
    return bucket, client


def test_no_bucket_means_the_local_folder():
    assert s3_storage(lambda name: "") is None


@pytest.mark.django_db
def test_a_membership_document_is_stored_in_the_bucket_and_served_by_right(
    in_bucket, settings, tmp_path
):
    bucket, client = in_bucket
    account, dossier = holder()
    application = applied(account, dossier, member_types()["membre-regulier"])
    document = ApplicationDocument.objects.filter(application=application).first()
    assert document is not None
    stored = keys(client, bucket)
    assert f"guichet/{document.file.name}" in stored
    assert not (tmp_path / "media").exists()
    in_store = client.get_object(Bucket=bucket, Key=f"guichet/{document.file.name}")["Body"]
    content = in_store.read()
    assert content.startswith(b"%PDF-")

    url = reverse("memberships:document", args=[document.pk])
    owner = Client()
    owner.force_login(account)
    response = owner.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    stranger = Client()
    stranger.force_login(AccountFactory())
    assert stranger.get(url).status_code == 404
    # The bucket is private: the object is not readable without a signature.
    assert default_storage.url(document.file.name).count("Signature") == 1


@pytest.mark.django_db(transaction=True)
def test_a_backup_holds_the_bucket_and_restores_into_an_empty_one(
    in_bucket,
    settings,
    tmp_path,
    s3_endpoint,
    empty_database,  # noqa: F811 (the fixture imported above)
):
    bucket, client = in_bucket
    account, dossier = holder()
    application = applied(account, dossier, member_types()["membre-regulier"])
    document = ApplicationDocument.objects.filter(application=application).first()
    assert document is not None
    original = client.get_object(Bucket=bucket, Key=f"guichet/{document.file.name}")["Body"].read()

    folder = tmp_path / "sauvegarde"
    call_command("backup", str(folder), stdout=open("/dev/null", "w"))  # noqa: SIM115
    with tarfile.open(folder / backups.MEDIA) as archive:
        names = [m.name for m in archive if m.isfile()]
    assert f"./{document.file.name}" in names

    # Into a new database and a new, empty bucket.
    target, _ = new_bucket(s3_endpoint)
    settings.STORAGES = {**settings.STORAGES, "default": bucket_storage(s3_endpoint, target)}
    differences = backups.restore(folder, database_url=empty_database)
    assert differences == {}
    restored = client.get_object(Bucket=target, Key=f"guichet/{document.file.name}")["Body"]
    assert restored.read() == original
    assert keys(client, target) == keys(client, bucket)
    # A second restore into the same store is refused: it is not empty any more.
    with pytest.raises(backups.BackupError, match="not empty"):
        backups.restore(folder, database_url=empty_database)
    assert not Path(settings.MEDIA_ROOT).exists()

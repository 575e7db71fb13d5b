"""Media and uploaded documents in an S3-compatible store, when configured.

``s3_storage`` turns the ``GUICHET_S3_*`` variables into the ``STORAGES["default"]`` entry
of django-storages' S3 backend (boto3): any S3-compatible service (AWS S3, MinIO, Ceph,
Garage, an OVH or Scaleway bucket) by its endpoint. Objects stay private (the bucket's
policy; no public ACL is set), names are never overwritten, and a URL, if one is ever
asked for, is signed for five minutes: membership documents are served only through
their right-checked view, which reads them from the store.

``walk`` lists every file of a storage (the backups archive an S3 store's files as they
archive a folder's).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.core.files.storage import Storage


def s3_storage(env: Callable[[str], str]) -> dict[str, object] | None:
    """The storage of ``GUICHET_S3_BUCKET`` and its companions, or None without a bucket."""
    bucket = env("S3_BUCKET")
    if not bucket:
        return None
    options: dict[str, object] = {
        "bucket_name": bucket,
        "location": env("S3_PREFIX").strip("/"),
        "file_overwrite": False,
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": 300,
    }
    optional = {
        "endpoint_url": env("S3_ENDPOINT_URL"),
        "region_name": env("S3_REGION"),
        "access_key": env("S3_ACCESS_KEY_ID"),
        "secret_key": env("S3_SECRET_ACCESS_KEY"),
        "addressing_style": env("S3_ADDRESSING_STYLE"),  # "path" for most self-hosted stores
    }
    options.update({key: value for key, value in optional.items() if value})
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def walk(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file's name in ``storage`` under ``folder``, depth first."""
    folders, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for name in sorted(folders):
        yield from walk(storage, f"{folder}/{name}" if folder else name)

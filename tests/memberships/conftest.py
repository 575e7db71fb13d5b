import pytest


@pytest.fixture(autouse=True)
def _comaq(settings, tmp_path):
    settings.GUICHET_PRESET = "comaq"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }

"""Start-up checks of the operator's signing certificate settings."""

from __future__ import annotations

from guichet.credentials.checks import signing_files


def ids(messages) -> list[str]:
    return [message.id for message in messages]


def test_no_certificate_configured_is_fine(settings):
    settings.GUICHET_SIGNING_KEY_FILE = ""
    settings.GUICHET_SIGNING_CERT_FILE = ""
    settings.GUICHET_SIGNING_PKCS12_FILE = ""
    assert signing_files() == []


def test_a_missing_file_and_a_key_without_its_certificate_are_refused(settings, tmp_path):
    settings.GUICHET_SIGNING_PKCS12_FILE = str(tmp_path / "absent.p12")
    settings.GUICHET_SIGNING_KEY_FILE = str(tmp_path / "key.pem")
    (tmp_path / "key.pem").write_text("not checked here")
    settings.GUICHET_SIGNING_CERT_FILE = ""

    assert ids(signing_files()) == ["guichet.credentials.E001", "guichet.credentials.E002"]


def test_a_timestamping_authority_is_an_http_address(settings, tmp_path):
    settings.GUICHET_TSA_URL = "file:///etc/passwd"
    settings.GUICHET_SIGNING_TRUST_FILE = str(tmp_path / "absent.pem")

    assert ids(signing_files()) == ["guichet.credentials.E001", "guichet.credentials.E003"]

    settings.GUICHET_TSA_URL = "https://horodatage.exemple.ca/tsa"
    settings.GUICHET_SIGNING_TRUST_FILE = ""
    assert signing_files() == []

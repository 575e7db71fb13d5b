"""GUICHET_EMAIL_URL is the one email setting; each scheme maps to Django's settings."""

from __future__ import annotations

import email
import email.policy

import pytest

from guichet.settings import _email_settings


def test_smtp_url_with_credentials_and_starttls():
    config = _email_settings("smtp+tls://agent%40ville:s3cr%C3%A8t@mail.exemple.ca:587")
    assert config["EMAIL_HOST"] == "mail.exemple.ca"
    assert config["EMAIL_PORT"] == 587
    assert config["EMAIL_HOST_USER"] == "agent@ville"
    assert config["EMAIL_HOST_PASSWORD"] == "s3crèt"
    assert config["EMAIL_USE_TLS"] is True and config["EMAIL_USE_SSL"] is False


def test_plain_smtp_url_for_a_local_relay():
    config = _email_settings("smtp://127.0.0.1:1025")
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"]) == ("127.0.0.1", 1025)
    assert config["EMAIL_USE_TLS"] is False


def test_file_url_writes_eml_files(tmp_path):
    config = _email_settings(f"file://{tmp_path}")
    assert config["EMAIL_BACKEND"] == "guichet.core.mail.EmlFileBackend"
    assert config["EMAIL_FILE_PATH"] == str(tmp_path)


def test_unknown_scheme_is_refused_at_start_up():
    with pytest.raises(ValueError, match="unsupported scheme"):
        _email_settings("pigeon://coop")


def test_eml_backend_writes_one_file_per_message(tmp_path, settings):
    from django.core.mail import EmailMessage, get_connection

    connection = get_connection("guichet.core.mail.EmlFileBackend", file_path=str(tmp_path))
    sent = connection.send_messages(
        [
            EmailMessage("Bonjour", "Premier", "a@exemple.ca", ["b@exemple.ca"]),
            EmailMessage("Allô", "Deuxième", "a@exemple.ca", ["c@exemple.ca"]),
        ]
    )
    files = sorted(tmp_path.glob("*.eml"))
    assert sent == 2 and len(files) == 2
    subjects = {
        email.message_from_bytes(f.read_bytes(), policy=email.policy.default)["Subject"]
        for f in files
    }
    assert subjects == {"Bonjour", "Allô"}

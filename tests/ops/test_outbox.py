"""Emails through the outbox: committed with what caused them, sent once by whichever
delivery of the task comes first, none lost when a task is, and at most one duplicate —
with the same Message-ID — when the sender dies after the mail server took the message
and before the row was marked sent."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import Counter
from datetime import timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.core.mail import EmailMessage
from django.db import connection, transaction

from guichet.core import backups, crypto, mail, outbox
from guichet.core.models import OutboxEmail
from guichet.core.tasks import deliver_email, sweep_outbox
from tests.ops.conftest import closed_port

ROOT = Path(__file__).resolve().parents[2]


class Sink:
    """An SMTP server that records each message's Message-ID; ``kill`` is called with
    the DATA of the message it may interrupt (before answering 250)."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.lock = threading.Lock()
        self.on_data = None
        self.port = closed_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd API)
        with self.lock:
            self.ids.append(message_from_bytes(envelope.content)["Message-ID"])
        if self.on_data is not None:
            self.on_data()
        return "250 OK"


@pytest.fixture
def sink(settings):
    server = Sink()
    server.controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield server
    finally:
        server.controller.stop()


def message(to: str) -> EmailMessage:
    return EmailMessage("Inscription confirmée", "Votre place est confirmée.", "g@exemple.ca", [to])


@pytest.mark.django_db(transaction=True)
def test_an_email_is_a_row_committed_with_its_cause_and_sent_once(sink):
    with pytest.raises(RuntimeError), transaction.atomic():
        mail.dispatch(message("annule@exemple.ca"))
        raise RuntimeError("the registration is rolled back")
    assert not OutboxEmail.objects.exists()
    assert sink.ids == []

    with transaction.atomic():
        mail.dispatch(message("famille@exemple.ca"))
    row = OutboxEmail.objects.get()
    assert row.sent_at is not None and row.attempts == 1
    assert row.payload == ""  # nothing of the message kept once sent
    assert sink.ids == [row.message_id]
    # The task delivered again (late acknowledgement lost in a Redis restart): nothing sent.
    deliver_email.delay(row.pk)
    deliver_email.delay(row.pk)
    assert sink.ids == [row.message_id]


@pytest.mark.django_db
def test_the_message_waits_encrypted_with_the_key_ring():
    row = outbox.store(mail_payload("chiffre@exemple.ca"))
    stored = OutboxEmail.objects.filter(pk=row.pk, payload__icontains="chiffre@exemple.ca")
    assert not stored.exists()
    assert "Inscription" not in row.payload
    assert '"chiffre@exemple.ca"' in crypto.decrypt(row.payload)


@pytest.mark.django_db(transaction=True)
def test_a_lost_task_is_handed_over_again_by_the_sweeper(sink):
    row = outbox.store(mail_payload("perdu@exemple.ca"))  # its task never reached a worker
    assert sweep_outbox.delay().get(disable_sync_subtasks=False) == 0  # not presumed lost yet
    OutboxEmail.objects.filter(pk=row.pk).update(next_attempt_at=row.created_at)
    assert sweep_outbox.delay().get(disable_sync_subtasks=False) == 1
    assert sink.ids == [row.message_id]
    assert sweep_outbox.delay().get(disable_sync_subtasks=False) == 0
    assert sink.ids == [row.message_id]


@pytest.mark.django_db(transaction=True)
def test_a_refusing_mail_server_is_recorded_and_tried_again(sink, settings):
    settings.EMAIL_PORT = closed_port()
    row = outbox.store(mail_payload("refus@exemple.ca"))
    with pytest.raises(ConnectionRefusedError):
        outbox.send(row.pk)
    row.refresh_from_db()
    assert (row.attempts, row.last_error, row.sent_at) == (1, "ConnectionRefusedError", None)
    settings.EMAIL_PORT = sink.port
    assert outbox.send(row.pk) is True
    assert outbox.send(row.pk) is False
    assert sink.ids == [row.message_id]


def mail_payload(to: str) -> dict:
    return {
        "subject": "Inscription confirmée",
        "body": "Votre place est confirmée.",
        "from_email": "g@exemple.ca",
        "to": [to],
        "headers": {},
        "alternatives": [],
    }


@pytest.mark.django_db(transaction=True)
def test_killed_between_send_and_mark_one_duplicate_with_the_same_id_none_lost(
    sink, tmp_path, settings
):
    """A real process sends the row; the mail server has the message when the process
    is killed (SIGKILL), before the mark commits. The sweeper then sends it again: two
    copies with one Message-ID, and then never a third."""
    rows = [outbox.store(mail_payload(f"famille{n}@exemple.ca")) for n in range(3)]
    database_url = backups.postgres_url(connection.settings_dict)
    env = {
        **os.environ,
        "GUICHET_DATABASE_URL": database_url,
        "GUICHET_EMAIL_URL": f"smtp://127.0.0.1:{sink.port}?timeout=5",
        "GUICHET_REDIS_URL": "",
        "GUICHET_DATA_DIR": str(tmp_path),
        # The same key ring as this process: the rows are encrypted with it.
        "GUICHET_SECRET_KEY": settings.SECRET_KEY,
        "GUICHET_ENCRYPTION_KEYS": ",".join(settings.GUICHET_ENCRYPTION_KEYS),
        "DJANGO_SETTINGS_MODULE": "guichet.settings",
    }
    script = (
        "import django, sys; django.setup(); from guichet.core import outbox; "
        "[outbox.send(int(pk)) for pk in sys.argv[1:]]"
    )
    sender = subprocess.Popen(  # noqa: S603 (our own command)
        [sys.executable, "-c", script, *(str(r.pk) for r in rows)], cwd=ROOT, env=env
    )
    killed = threading.Event()

    def kill_on_the_second_message() -> None:
        if len(sink.ids) == 2 and not killed.is_set():
            sender.kill()
            sender.wait()
            killed.set()

    sink.on_data = kill_on_the_second_message
    try:
        assert sender.wait(timeout=60) != 0
    finally:
        sink.on_data = None
    assert killed.is_set()
    first, second, third = (OutboxEmail.objects.get(pk=r.pk) for r in rows)
    assert first.sent_at is not None  # marked before the kill
    assert second.sent_at is None  # the server has it; the mark never committed
    assert third.sent_at is None and third.attempts == 0  # never tried
    assert sink.ids == [first.message_id, second.message_id]

    # Presumed lost (the kill's process held them), the sweeper hands both over again.
    OutboxEmail.objects.filter(sent_at__isnull=True).update(next_attempt_at=first.created_at)
    assert sweep_outbox.delay().get(disable_sync_subtasks=False) == 2
    assert sweep_outbox.delay().get(disable_sync_subtasks=False) == 0
    copies = Counter(sink.ids)
    assert copies == {first.message_id: 1, second.message_id: 2, third.message_id: 1}
    assert sum(n - 1 for n in copies.values()) == 1  # one duplicate, recognisable by its id
    assert not OutboxEmail.objects.filter(sent_at__isnull=True).exists()  # none lost


@pytest.mark.django_db(transaction=True)
def test_old_rows_are_forgotten(sink):
    row = outbox.store(mail_payload("ancien@exemple.ca"))
    outbox.send(row.pk)
    row.refresh_from_db()
    OutboxEmail.objects.filter(pk=row.pk).update(
        sent_at=row.sent_at - timedelta(days=outbox.KEEP_SENT_DAYS + 1)
    )
    sweep_outbox.delay()
    assert not OutboxEmail.objects.exists()

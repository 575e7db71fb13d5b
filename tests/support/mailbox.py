"""A real SMTP server (aiosmtpd) for the whole run; every test reads what it received."""

from __future__ import annotations

import email
import email.policy
import re
import socket
import threading
import time
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

__all__ = ["smtp_server", "mailbox", "Mailbox"]


class _Collector:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.changed = threading.Condition()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd API)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.changed:
            self.messages.append(message)
            self.changed.notify_all()
        return "250 Message accepted for delivery"


class Mailbox:
    """What the SMTP server received since the test started."""

    def __init__(self, collector: _Collector) -> None:
        self.collector = collector
        self.start = len(collector.messages)

    @property
    def messages(self) -> list[EmailMessage]:
        return self.collector.messages[self.start :]

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address.lower() in m["To"].lower()]

    def wait_for(self, address: str, subject: str = "", count: int = 1, timeout: float = 10):
        """The newest message to ``address`` whose subject contains ``subject``."""
        deadline = time.monotonic() + timeout
        with self.collector.changed:
            while True:
                found = [m for m in self.to(address) if subject.lower() in m["Subject"].lower()]
                if len(found) >= count:
                    return found[-1]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    subjects = [(m["To"], m["Subject"]) for m in self.messages]
                    raise AssertionError(f"No email {subject!r} for {address}; got {subjects}")
                self.collector.changed.wait(remaining)

    @staticmethod
    def body(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("plain",))
        return part.get_content() if part else ""

    @classmethod
    def links(cls, message: EmailMessage) -> list[str]:
        return re.findall(r"https?://\S+", cls.body(message))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[_Collector, int]]:
    collector = _Collector()
    port = _free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    yield collector, port
    controller.stop()


@pytest.fixture(autouse=True)
def mailbox(smtp_server, settings) -> Mailbox:
    """Every test sends its email to the real SMTP server above."""
    collector, port = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    return Mailbox(collector)

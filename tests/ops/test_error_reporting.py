"""Error reporting with sentry-sdk: off unless configured; when on, an error reaches the
service (a local HTTP receiver of Sentry's envelopes, through the SDK's real transport)
with the request id and without the person's name, address, NAS or phone number."""

from __future__ import annotations

import gzip
import json
import threading
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import brotli
import pytest
import sentry_sdk
from django.test import Client

from guichet.core import errors
from tests.factories import AccountFactory


class Receiver(ThreadingHTTPServer):
    """Keeps each event of each envelope posted to /api/<project>/envelope/."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.events: list[dict] = []
        self.raw: list[bytes] = []
        self.arrived = threading.Condition()


class _Handler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:  # noqa: N802 (http.server's API)
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            body = brotli.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        lines = body.split(b"\n")
        events = [
            json.loads(lines[n + 1])
            for n, line in enumerate(lines[1:-1], start=1)
            if line.startswith(b"{") and json.loads(line).get("type") == "event"
        ]
        with self.server.arrived:
            self.server.raw.append(body)
            self.server.events.extend(events)
            self.server.arrived.notify_all()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver(settings) -> Iterator[Receiver]:
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    dsn = f"http://cle-publique@127.0.0.1:{server.server_address[1]}/1"
    settings.GUICHET_SENTRY_DSN = dsn
    errors.init(dsn, environment="essai")
    try:
        yield server
    finally:
        sentry_sdk.flush(timeout=5)
        sentry_sdk.get_client().close()
        sentry_sdk.get_global_scope().set_client(None)  # off again for the other tests
        server.shutdown()
        server.server_close()


def test_reporting_is_off_without_a_dsn(settings):
    assert not settings.GUICHET_SENTRY_DSN
    assert not sentry_sdk.get_client().is_active()


def test_an_error_is_reported_with_the_request_id_and_nothing_personal(
    receiver, settings, live_server, transactional_db
):
    """Through a real WSGI server (the SDK's own WSGI wrapper reads the request there)."""
    settings.ROOT_URLCONF = "tests.ops.failing_urls"
    ana = AccountFactory(first_name="Anaëlle", last_name="Tremblay-Ouimet", email="ana@exemple.ca")
    client = Client()
    client.force_login(ana)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    request = urllib.request.Request(  # noqa: S310 (the live server)
        f"{live_server.url}/panne-pour-essai/?courriel=ana%40exemple.ca",
        headers={
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; csrftoken=jeton",
            "X-Request-ID": "essai-erreur-42",
        },
    )
    with pytest.raises(urllib.error.HTTPError) as failed:
        urllib.request.urlopen(request, timeout=10)  # noqa: S310 (the live server)
    assert failed.value.code == 500
    sentry_sdk.flush(timeout=10)
    with receiver.arrived:
        receiver.arrived.wait_for(lambda: receiver.events, timeout=10)
    assert len(receiver.events) == 1
    event = receiver.events[0]
    assert event["tags"]["request_id"] == "essai-erreur-42"
    assert event["exception"]["values"][-1]["type"] == "ValueError"
    assert "[retiré]" in event["exception"]["values"][-1]["value"]
    assert event["request"]["method"] == "GET"
    assert event["request"]["url"] == f"{live_server.url}/panne-pour-essai/"
    assert set(event["request"]["headers"]) <= errors.SAFE_HEADERS
    assert "user" not in event
    assert not sentry_sdk.get_client().options["send_default_pii"]
    sent = b"".join(receiver.raw).decode()
    for personal in (
        "ana@exemple.ca",
        "ana%40exemple.ca",
        "Anaëlle",
        "Tremblay-Ouimet",
        "046 454 286",
        "514-555-0199",
        session,
        "jeton",
    ):
        assert personal not in sent, personal
        assert json.dumps(personal)[1:-1] not in sent, personal  # as JSON escapes it


def test_scrub_replaces_patterns_in_every_string():
    event = {
        "message": "Écrire à bruno.roy+2@exemple.qc.ca ou au (418) 555-0101",
        "breadcrumbs": {"values": [{"message": "NAS 046454286 refusé"}]},
        "request": {"url": "https://s.exemple.ca/a/?q=x", "headers": {"Cookie": "a=b"}},
    }
    cleaned = errors.scrub(event)
    assert "exemple.qc.ca" not in json.dumps(cleaned)
    assert "555-0101" not in json.dumps(cleaned)
    assert "046454286" not in json.dumps(cleaned)
    assert cleaned["request"] == {"method": None, "url": "https://s.exemple.ca/a/", "headers": {}}

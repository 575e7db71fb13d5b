"""A fake Stripe at its HTTP boundary: a real HTTP server on 127.0.0.1 (random port).

It answers what Guichet calls (``POST /v1/checkout/sessions``, ``POST /v1/refunds``, with
the Bearer key checked), serves the hosted checkout page whose « Payer » button sends the
app a ``checkout.session.completed`` webhook signed as Stripe signs it, then sends the
browser to the session's ``success_url``. The signature is computed here, independently of
Guichet's code, so the app's verification is tested for real.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import itertools
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

SECRET_KEY = "sk_test_guichet_fake"
WEBHOOK_SECRET = "whsec_test_guichet_fake"

__all__ = ["FakeStripe", "stripe_api", "sign", "stripe_header", "completed_event"]


def sign(body: bytes, secret: str, timestamp: int) -> str:
    return hmac.new(
        secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256
    ).hexdigest()


def stripe_header(body: bytes, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={sign(body, secret, timestamp)}"


_ids = itertools.count(1)


def completed_event(
    session_id: str,
    amount_cents: int,
    invoice_id: int | str,
    *,
    event_id: str | None = None,
    payment_intent: str | None = None,
    payment_status: str = "paid",
) -> bytes:
    n = next(_ids)
    event = {
        "id": event_id or f"evt_fake_{n}_{int(time.time() * 1000)}",
        "object": "event",
        "type": "checkout.session.completed",
        "data": {
            "object": {
                "id": session_id,
                "object": "checkout.session",
                "payment_status": payment_status,
                "amount_total": amount_cents,
                "currency": "cad",
                "payment_intent": payment_intent or f"pi_fake_{session_id}",
                "client_reference_id": str(invoice_id),
                "metadata": {"invoice": str(invoice_id)},
            }
        },
    }
    return json.dumps(event).encode()


@dataclass
class FakeStripe:
    secret_key: str = SECRET_KEY
    webhook_secret: str = WEBHOOK_SECRET
    app_url: str = ""  # the live server: where the webhook is sent
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: list[dict[str, str]] = field(default_factory=list)
    calls: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    webhook_answers: list[int] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> None:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                fake.get(self)

            def do_POST(self) -> None:  # noqa: N802
                fake.post(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    # --- HTTP handlers ------------------------------------------------------------------

    def get(self, request: BaseHTTPRequestHandler) -> None:
        session = self._session_of(request.path)
        if session is None:
            return self._answer(request, 404, {"error": {"message": "No such page"}})
        amount = f"{session['amount_total'] / 100:.2f}".replace(".", ",")
        page = f"""<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Paiement sécurisé (faux Stripe)</title></head><body><main>
<h1>Paiement sécurisé</h1>
<p>{html.escape(session["product"])}</p><p>Montant : {amount} $</p>
<form method="post"><button type="submit">Payer</button></form>
<p><a href="{html.escape(session["cancel_url"])}">Annuler</a></p>
</main></body></html>"""
        self._answer_html(request, 200, page)

    def post(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length)
        path = urllib.parse.urlsplit(request.path).path
        if path.startswith("/pay/"):
            return self._pay(request)
        form = dict(urllib.parse.parse_qsl(raw.decode()))
        self.calls.append((path, request.headers.get("Authorization", ""), form))
        if request.headers.get("Authorization") != f"Bearer {self.secret_key}":
            message = {"message": "Invalid API Key provided", "type": "invalid_request_error"}
            return self._answer(request, 401, {"error": message})
        if path == "/v1/checkout/sessions":
            return self._create_session(request, form)
        if path == "/v1/refunds":
            return self._refund(request, form)
        return self._answer(request, 404, {"error": {"message": "Unrecognized request URL"}})

    def _create_session(self, request: BaseHTTPRequestHandler, form: dict[str, str]) -> None:
        missing = [k for k in ("mode", "success_url", "cancel_url") if not form.get(k)]
        unit = form.get("line_items[0][price_data][unit_amount]", "")
        if missing or not unit.isdigit():
            message = f"Missing or bad parameter: {missing or 'unit_amount'}"
            return self._answer(request, 400, {"error": {"message": message}})
        session_id = f"cs_test_{next(_ids)}_{int(time.time() * 1000)}"
        session = {
            "id": session_id,
            "object": "checkout.session",
            "amount_total": int(unit) * int(form.get("line_items[0][quantity]", "1")),
            "currency": form.get("line_items[0][price_data][currency]"),
            "product": form.get("line_items[0][price_data][product_data][name]", ""),
            "success_url": form["success_url"],
            "cancel_url": form["cancel_url"],
            "customer_email": form.get("customer_email", ""),
            "locale": form.get("locale", ""),
            "client_reference_id": form.get("client_reference_id", ""),
            "metadata": {"invoice": form.get("metadata[invoice]", "")},
            "url": f"{self.url}/pay/{session_id}",
            "payment_intent": None,
        }
        self.sessions[session_id] = session
        self._answer(request, 200, session)

    def _refund(self, request: BaseHTTPRequestHandler, form: dict[str, str]) -> None:
        intents = {s["payment_intent"] for s in self.sessions.values()}
        if form.get("payment_intent") not in intents:
            return self._answer(request, 400, {"error": {"message": "No such payment_intent"}})
        refund = {"id": f"re_test_{next(_ids)}", "object": "refund", **form}
        self.refunds.append(refund)
        self._answer(request, 200, refund)

    def _pay(self, request: BaseHTTPRequestHandler) -> None:
        """« Payer »: capture, tell the app by a signed webhook, send the payer back."""
        session = self._session_of(request.path)
        if session is None:
            return self._answer(request, 404, {"error": {"message": "No such session"}})
        session["payment_intent"] = session["payment_intent"] or f"pi_test_{next(_ids)}"
        body = completed_event(
            session["id"],
            session["amount_total"],
            session["metadata"]["invoice"],
            payment_intent=session["payment_intent"],
        )
        self.webhook_answers.append(self.send_webhook(body))
        target = session["success_url"].replace("{CHECKOUT_SESSION_ID}", session["id"])
        request.send_response(303)
        request.send_header("Location", target)
        request.send_header("Content-Length", "0")
        request.end_headers()

    def send_webhook(self, body: bytes, header: str | None = None) -> int:
        """POST a webhook to the app as Stripe would; returns the HTTP status."""
        webhook = urllib.request.Request(  # noqa: S310 (the local live server)
            f"{self.app_url}/factures/webhook/stripe/",
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Stripe-Signature": header or stripe_header(body, self.webhook_secret),
            },
        )
        try:
            with urllib.request.urlopen(webhook, timeout=30) as response:  # noqa: S310
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    # --- helpers ------------------------------------------------------------------------

    def _session_of(self, path: str) -> dict[str, Any] | None:
        parts = urllib.parse.urlsplit(path).path.strip("/").split("/")
        if len(parts) == 2 and parts[0] == "pay":
            return self.sessions.get(parts[1])
        return None

    @staticmethod
    def _answer(request: BaseHTTPRequestHandler, status: int, payload: dict[str, Any]) -> None:
        body = json.dumps(payload).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    @staticmethod
    def _answer_html(request: BaseHTTPRequestHandler, status: int, page: str) -> None:
        body = page.encode()
        request.send_response(status)
        request.send_header("Content-Type", "text/html; charset=utf-8")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)


@pytest.fixture(name="fake_stripe")
def stripe_api(settings) -> Iterator[FakeStripe]:
    """Stripe is the active provider and its API is this local server."""
    fake = FakeStripe()
    fake.start()
    settings.GUICHET_PAYMENT_PROVIDER = "stripe"
    settings.GUICHET_STRIPE_SECRET_KEY = SECRET_KEY
    settings.GUICHET_STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.GUICHET_STRIPE_API_BASE = fake.url
    # Its checkout page is here too: the policy lets the « Payer maintenant » form lead
    # there, as settings.py lets it lead to Stripe's checkout when Stripe is the provider.
    policy = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**policy, "form-action": [*policy["form-action"], fake.url]}
    }
    try:
        yield fake
    finally:
        fake.stop()

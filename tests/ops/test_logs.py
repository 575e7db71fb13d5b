"""JSON logs: a request id on every line, in the response and the email; nothing personal."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from django.urls import reverse

from guichet.core.logs import JsonFormatter, RequestIdFilter
from tests.support.captcha import solved_captcha

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """The root logger also writes JSON lines here, the access log on, as in production."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root, access = logging.getLogger(), logging.getLogger("guichet.access")
    saved = (root.level, access.level)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    access.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(saved[0])
        access.setLevel(saved[1])


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_a_request_gets_an_id_in_its_response_and_its_access_line(client, json_log):
    response = client.get("/catalogue/")
    rid = response["X-Request-ID"]
    assert len(rid) == 32
    access = [line for line in lines(json_log) if line["logger"] == "guichet.access"]
    assert access[-1]["request_id"] == rid
    assert access[-1]["route"] == "/catalogue/"
    assert access[-1]["status"] == 200
    assert access[-1]["duration_ms"] >= 0


def test_the_proxys_request_id_is_kept_and_a_forged_one_is_replaced(client, json_log):
    kept = client.get("/", HTTP_X_REQUEST_ID="haproxy-0a1b2c")
    assert kept["X-Request-ID"] == "haproxy-0a1b2c"
    forged = client.get("/", HTTP_X_REQUEST_ID='x"\n{"level": "ERROR"}')
    assert forged["X-Request-ID"] != 'x"\n{"level": "ERROR"}'
    assert len(forged["X-Request-ID"]) == 32


def test_the_route_is_logged_never_the_path_with_its_numbers(client, json_log, account):
    client.force_login(account)
    client.get("/inscriptions/987654/")
    routes = [line.get("route") for line in lines(json_log) if line["logger"] == "guichet.access"]
    assert "/inscriptions/<int:pk>/" in routes
    assert "987654" not in json_log.getvalue()


def test_sign_up_sign_in_and_reset_log_nothing_personal_and_emails_carry_the_id(
    client, json_log, mailbox, django_capture_on_commit_callbacks
):
    secret = "Une phrase très secrète 2026"
    with django_capture_on_commit_callbacks(execute=True):
        signup = client.post(
            reverse("account_signup"),
            {
                "first_name": "Ludivine",
                "last_name": "Bouchard-Tremblay",
                "email": "ludivine.bt@exemple.ca",
                "password1": secret,
                "password2": secret,
                "accept_terms": "on",
                "captcha": solved_captcha(),
            },
        )
        client.post(
            reverse("account_login"), {"login": "ludivine.bt@exemple.ca", "password": "faux!"}
        )
        client.post(
            reverse("account_reset_password"),
            {"email": "ludivine.bt@exemple.ca", "captcha": solved_captcha()},
        )
    logged = json_log.getvalue()
    assert logged  # the access lines at least
    personal = ("ludivine", "Ludivine", "Bouchard-Tremblay", "exemple.ca", secret, "faux!")
    telling = [line for line in lines(json_log) if any(p in json.dumps(line) for p in personal)]
    assert telling == []
    for line in lines(json_log):
        assert line["request_id"]
    confirmation = mailbox.wait_for("ludivine.bt@exemple.ca", "Confirm")
    assert confirmation["X-Request-ID"] == signup["X-Request-ID"]

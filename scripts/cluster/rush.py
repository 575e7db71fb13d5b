"""The registration rush: 1,000 families (``--families``) on one free activity of 200 spots
(``--spots``), each through « S'inscrire » (who, review, submit) through the load balancer
and, when a spot is held, confirming it and reading its registration's status; 5 % leave
their hold unconfirmed (the sweeper must free it). Like people, families retry on a 503
« réessayez » or a load balancer's 502/504, never on a 500. And the throughput of a
signed-in page, through the cluster or one app server. Django is imported once the
cluster's environment is set (hence the imports inside the functions)."""

from __future__ import annotations

import http.client
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlencode

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY = re.compile(r'name="key" value="([^"]+)"')
RETRYABLE = {502, 503, 504}
# Submitting one registration answers with its page (a free spot confirmed at once).
REGISTRATION_PAGE = re.compile(r"^/inscriptions/(\d+)/$")
SHOWN = {
    "<dd>Confirmée</dd>": "confirmed",
    "<dd>Place retenue</dd>": "held",
    "<dd>Liste d": "waiting",  # the apostrophe is escaped
}


@dataclass
class Tally:
    statuses: Counter = field(default_factory=Counter)
    connection_errors: int = 0
    retries: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, status: int) -> None:
        with self.lock:
            self.statuses[status] += 1


class Browser:
    """One family's browser: its cookies, one connection, and a person's patience: a
    503 « réessayez », a 502/504 or a refused connection is tried again after a pause."""

    def __init__(self, port: int, cookies: dict[str, str], tally: Tally) -> None:
        self.port, self.cookies, self.tally = port, dict(cookies), tally
        self.connection: http.client.HTTPConnection | None = None

    def once(self, method: str, path: str, form: dict[str, str] | None) -> tuple[int, str]:
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = None
            raise
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
            self.connection = None
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value
        if response.status in (301, 302, 303):
            return response.status, response.headers.get("Location", "")
        return response.status, text

    def send(
        self, method: str, path: str, form: dict[str, str] | None = None, patience: int = 40
    ) -> tuple[int, str]:
        for attempt in range(patience):
            try:
                status, text = self.once(method, path, form)
            except (OSError, http.client.HTTPException):
                with self.tally.lock:
                    self.tally.connection_errors += 1
                time.sleep(min(0.5 * (attempt + 1), 3))
                continue
            self.tally.count(status)
            if status not in RETRYABLE:
                return status, text
            with self.tally.lock:
                self.tally.retries += 1
            time.sleep(min(0.5 * (attempt + 1), 3))
        raise RuntimeError(f"{method} {path}: no answer after {patience} tries")


def expect(status: int, text: str, wanted: int, what: str) -> None:
    if status != wanted:
        raise RuntimeError(f"{what}: HTTP {status} (expected {wanted}) {text[:120]!r}")


def prepare(families: int, spots: int) -> tuple[str, int, list[tuple[int, str, str]]]:
    from datetime import timedelta
    from decimal import Decimal
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
    from django.utils import timezone

    from guichet.accounts.models import Account
    from guichet.catalog.models import Offering
    from guichet.dossiers.models import Dossier, DossierLink, LinkMethod, LinkRole

    now = timezone.now()
    offering = Offering.objects.create(
        kind="activity",
        title="Camp de jour (grappe)",
        slug="camp-de-jour-grappe",
        starts_on=(now + timedelta(days=40)).date(),
        ends_on=(now + timedelta(days=80)).date(),
        capacity=spots,
        member_price=Decimal("0.00"),
        non_member_price=Decimal("0.00"),
        hold_minutes=1,  # an unconfirmed hold is freed by the sweeper within two minutes
        registration_opens_at=now - timedelta(minutes=1),
        registration_closes_at=now + timedelta(days=5),
        change_deadline=now + timedelta(days=3),
        published=True,
    )
    accounts = Account.objects.bulk_create(
        Account(
            email=f"famille{n}@grappe.exemple.ca",
            first_name="Famille",
            last_name=str(n),
            password=UNUSABLE_PASSWORD_PREFIX + "grappe",
        )
        for n in range(families)
    )
    dossiers = Dossier.objects.bulk_create(
        Dossier(number=f"G{n:06d}", first_name="Famille", last_name=str(n)) for n in range(families)
    )
    DossierLink.objects.bulk_create(
        DossierLink(account=a, dossier=d, role=LinkRole.HOLDER, method=LinkMethod.STAFF)
        for a, d in zip(accounts, dossiers, strict=True)
    )
    store = import_module(settings.SESSION_ENGINE).SessionStore
    sessions = []
    for account, dossier in zip(accounts, dossiers, strict=True):
        session = store()
        session[SESSION_KEY] = str(account.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = account.get_session_auth_hash()
        session.create()
        sessions.append((dossier.pk, session.session_key, account.email))
    return offering.slug, offering.pk, sessions


def registration_of(submission_key: str) -> tuple[int | None, str]:
    """(registration id, outcome) of a submission, read as the result page reads it."""
    from django.db import close_old_connections

    from guichet.registrations.models import Submission

    for _attempt in range(30):
        try:
            submission = Submission.objects.get(key=submission_key)
            break
        except Exception:  # noqa: BLE001 (the database restarting: wait for it)
            close_old_connections()
            time.sleep(1)
    else:
        raise RuntimeError(f"submission {submission_key} unreadable")
    line = (submission.result.get("lines") or [{}])[0]
    return line.get("registration"), str(line.get("outcome", ""))


@dataclass
class Rush:
    """What the families were told, and how long the rush took."""

    told: dict[int, str]  # family index → the status its registration page showed
    seconds: float


def run(
    families: list[tuple[int, str, str]],
    browsers: list[Browser],
    slug: str,
    tally: Tally,
    concurrency: int,
) -> Rush:
    start = f"/inscriptions/s-inscrire/{slug}/"
    told: dict[int, str] = {}
    skip_confirm = {i for i in range(len(families)) if i % 20 == 7}  # 5 % leave the hold

    def family(index: int, dossier: int) -> Callable[[], None]:
        def task() -> None:
            browser = browsers[index]
            status, text = browser.send("GET", start)
            expect(status, text, 200, "step who")
            form = {
                "csrfmiddlewaretoken": TOKEN.search(text).group(1),
                "step": "who",
                "q": "",
                "participants": str(dossier),
            }
            status, text = browser.send("POST", start, form)
            expect(status, text, 302, "post who")
            status, text = browser.send("GET", f"{start}?step=details")
            expect(status, text, 302, "step details (no questions)")
            status, text = browser.send("GET", f"{start}?step=review")
            expect(status, text, 200, "step review")
            submit = {
                "csrfmiddlewaretoken": TOKEN.search(text).group(1),
                "step": "review",
                "key": KEY.search(text).group(1),
            }
            status, text = browser.send("POST", start, submit)
            expect(status, text, 302, "submit")
            answered = REGISTRATION_PAGE.search(text)
            if answered:  # one registration: its own page says how it went
                registration = int(answered.group(1))
                status, text = browser.send("GET", f"/inscriptions/{registration}/")
                expect(status, text, 200, "registration page after submitting")
                outcome = next((said for shown, said in SHOWN.items() if shown in text), "other")
            elif "/inscriptions/resultat/" in text:
                registration, outcome = registration_of(text.rstrip("/").rsplit("/", 1)[-1])
            else:
                raise RuntimeError(f"submit redirected to {text!r}")
            if outcome != "held" or index in skip_confirm or registration is None:
                told[index] = outcome
                return
            status, text = browser.send("GET", f"/inscriptions/{registration}/")
            expect(status, text, 200, "registration page")
            token = TOKEN.search(text).group(1)
            status, text = browser.send(
                "POST",
                f"/inscriptions/{registration}/confirmer/",
                {"csrfmiddlewaretoken": token},
            )
            expect(status, text, 302, "confirm")
            status, text = browser.send("GET", f"/inscriptions/{registration}/")
            expect(status, text, 200, "registration page after confirming")
            told[index] = "confirmed" if "<dd>Confirmée</dd>" in text else "other"

        return task

    lock = threading.Lock()

    def one(task: Callable[[], None]) -> None:
        try:
            task()
        except Exception as error:  # noqa: BLE001 (counted and shown)
            with lock:
                tally.errors.append(repr(error)[:300])

    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, [family(i, d) for i, (d, _, _) in enumerate(families)]))
    return Rush(told=told, seconds=time.monotonic() - began)


def throughput(
    port: int, cookie: str, families: list[tuple[int, str, str]], seconds: float = 15
) -> float:
    """Signed-in pages answered 200 per second, 40 clients on ``port``."""
    own = Tally()
    clients = [Browser(port, {cookie: key}, own) for _, key, _ in families[:40]]
    stop_at = time.monotonic() + seconds
    answered: Counter[bool] = Counter()

    def loop(browser: Browser) -> None:
        while time.monotonic() < stop_at:
            status, _ = browser.send("GET", "/compte/securite/")
            answered[status == 200] += 1

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        list(pool.map(loop, clients))
    return answered[True] / seconds

"""A database, Redis or broker fault answers 503 « réessayez » or degrades; never a 500."""

from __future__ import annotations

import subprocess
import time

import pytest
import redis
from django.core.cache import caches
from django.db import connection
from django.test import Client

from guichet.celery import app as celery_app
from guichet.core.cache import ResilientRedisCache
from guichet.core.tasks import deliver_email
from tests.ops.conftest import REDIS_TEST_URL, closed_port
from tests.support.pages import text_of


def redis_caches(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "guichet.core.cache.ResilientRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_timeout": 0.5, "socket_connect_timeout": 0.5},
        }
    }


@pytest.fixture
def redis_db() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_TEST_URL)
    client.flushdb()
    yield client
    client.flushdb()


@pytest.mark.django_db(transaction=True)
def test_a_signed_in_page_while_the_database_is_down_is_a_503_retry_page(
    account, password, settings
):
    client = Client(raise_request_exception=False)
    client.force_login(account)
    settings.DEBUG = False
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["HOST"] = "127.0.0.1"
    connection.settings_dict["PORT"] = closed_port()
    try:
        response = client.get("/mon-dossier/")
        public = client.get("/catalogue/")
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
    for answer in (response, public):
        assert answer.status_code == 503
        assert answer["Retry-After"] == "10"
        assert "réessayez" in text_of(answer)
        assert "try again" in text_of(answer)
    # Back up: the same session works again.
    assert client.get("/compte/securite/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_other_errors_still_answer_500(settings, account):
    client = Client(raise_request_exception=False)
    settings.ROOT_URLCONF = "tests.core.urls_with_failure"
    response = client.get("/panne/")
    assert response.status_code == 500


def test_the_cache_degrades_to_no_cache_while_redis_is_down():
    cache = ResilientRedisCache(
        f"redis://127.0.0.1:{closed_port()}/0", redis_caches("x")["default"]
    )
    assert cache.get("k", "absent") == "absent"
    cache.set("k", 1)
    assert cache.add("k", 1) is True
    assert cache.get_many(["k"]) == {}
    assert cache.delete("k") is False
    assert cache.has_key("k") is False


def test_the_cache_works_when_redis_answers(redis_db):
    cache = ResilientRedisCache(REDIS_TEST_URL, redis_caches(REDIS_TEST_URL)["default"])
    cache.set("k", {"n": 1})
    assert cache.get("k") == {"n": 1}
    assert cache.add("k", 2) is False


@pytest.mark.django_db
def test_sessions_survive_a_redis_flush_and_a_redis_outage(account, settings, redis_db):
    settings.CACHES = redis_caches(REDIS_TEST_URL)
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client = Client(raise_request_exception=False)
    client.force_login(account)
    assert client.get("/compte/securite/").status_code == 200
    assert redis_db.dbsize() > 0  # the session is cached in Redis…
    redis_db.flushdb()  # …and Redis restarts empty
    assert client.get("/compte/securite/").status_code == 200
    # Redis down altogether: the session is read from the database, the page is served.
    settings.CACHES = redis_caches(f"redis://127.0.0.1:{closed_port()}/0")
    assert caches["default"].get("anything") is None
    response = client.get("/compte/securite/")
    assert response.status_code == 200


@pytest.fixture
def broker_down():
    """Celery publishes to a broker on a closed port (tasks are not eager)."""
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.broker_url)
    conf.task_always_eager = False
    conf.broker_url = f"redis://127.0.0.1:{closed_port()}/0"
    celery_app._pool = None  # no connection made to the former broker is reused
    celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        conf.task_always_eager, conf.broker_url = saved
        celery_app._pool = None
        celery_app.amqp._producer_pool = None


def test_a_task_the_broker_cannot_take_runs_in_process(broker_down, mailbox):
    payload = {
        "subject": "Confirmation",
        "body": "Inscrit.",
        "from_email": "guichet@exemple.ca",
        "to": ["famille@exemple.ca"],
        "headers": {},
        "alternatives": [],
    }
    result = deliver_email.delay(payload)
    assert result.successful()
    mailbox.wait_for("famille@exemple.ca", "Confirmation")
    assert len(mailbox.to("famille@exemple.ca")) == 1


def test_a_write_missed_while_redis_restarts_is_not_read_stale_afterwards(tmp_path):
    """Redis keeps its append-only file across a restart: a session written to the database
    while Redis was down must not be read back from the cache at its former value."""
    port = closed_port()
    command = [
        "redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "yes", "--dir", str(tmp_path),
    ]  # fmt: skip

    def start() -> subprocess.Popen:
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        for _ in range(50):
            try:
                redis.Redis(port=port).ping()
                return server
            except redis.exceptions.ConnectionError:
                time.sleep(0.1)
        raise AssertionError("redis-server did not start")

    url = f"redis://127.0.0.1:{port}/0"
    cache = ResilientRedisCache(url, redis_caches(url)["default"])
    server = start()
    try:
        cache.set("session", "before")
        assert cache.get("session") == "before"
        server.terminate()  # a clean shutdown: the append-only file keeps « before »
        server.wait()
        cache.set("session", "after")  # dropped: Redis is down
        assert cache.get("session") is None  # a miss, so the database is read
        server = start()
        assert redis.Redis(port=port).get(":1:session") is not None  # « before », restored
        assert cache.get("session") is None  # forgotten on the first answer, not stale
    finally:
        server.terminate()
        server.wait()


def test_a_task_that_fails_in_process_is_tried_again_in_the_background(
    broker_down, mailbox, settings
):
    """Redis and the mail server down together: the email is not lost, this process tries
    it again after a pause and it arrives once the mail server answers."""
    good_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = closed_port()
    payload = {
        "subject": "Rappel",
        "body": "Votre activité commence demain.",
        "from_email": "guichet@exemple.ca",
        "to": ["retard@exemple.ca"],
        "headers": {},
        "alternatives": [],
    }
    assert deliver_email.delay(payload).failed()
    settings.EMAIL_PORT = good_port
    mailbox.wait_for("retard@exemple.ca", "Rappel", timeout=20)
    assert len(mailbox.to("retard@exemple.ca")) == 1

"""`manage.py check --deploy` warns about what breaks a cluster or loses keys."""

from __future__ import annotations

import os
import subprocess
import sys

from django.core.checks import run_checks


def deploy_warnings(*ids: str) -> list[str]:
    return [m.id for m in run_checks(include_deployment_checks=True) if m.id in ids]


def test_derived_encryption_keys_are_warned_about(settings):
    settings.GUICHET_ENCRYPTION_KEYS = []
    assert deploy_warnings("guichet.W003") == ["guichet.W003"]
    settings.GUICHET_ENCRYPTION_KEYS = ["x" * 44]
    assert deploy_warnings("guichet.W003") == []


def test_cache_only_sessions_are_warned_about(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    assert deploy_warnings("guichet.W004") == ["guichet.W004"]
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    assert deploy_warnings("guichet.W004") == []


def test_media_on_one_servers_disk_is_warned_about_with_several_servers(settings):
    settings.GUICHET_APP_SERVERS = 1
    assert deploy_warnings("guichet.W005") == []
    settings.GUICHET_APP_SERVERS = 2
    settings.GUICHET_MEDIA_SHARED = False
    assert deploy_warnings("guichet.W005") == ["guichet.W005"]
    settings.GUICHET_MEDIA_SHARED = True
    assert deploy_warnings("guichet.W005") == []


def test_the_cluster_settings_are_the_defaults_with_redis():
    """With GUICHET_REDIS_URL the settings module itself chooses cached_db sessions and the
    degrading cache (read in a fresh interpreter, as a server starts)."""
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='guichet.settings';"
        "from django.conf import settings as s;"
        "print(s.SESSION_ENGINE, s.CACHES['default']['BACKEND'], s.CELERY_TASK_ALWAYS_EAGER,"
        " s.DATABASES['default']['CONN_HEALTH_CHECKS'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "GUICHET_REDIS_URL": "redis://127.0.0.1:6379/15"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == [
        "guichet.core.sessions",  # cached_db, a database outage a 503
        "guichet.core.cache.ResilientRedisCache",
        "False",
        "True",
    ]

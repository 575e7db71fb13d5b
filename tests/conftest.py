"""Shared test parts: a real SMTP server, a real browser, axe-core, and the standard cast."""

from __future__ import annotations

import logging
import os

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by
# tests and by the live server are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from django.core.cache import cache  # noqa: E402

from tests.support.browser import *  # noqa: E402,F403  (browser fixtures)
from tests.support.mailbox import *  # noqa: E402,F403  (SMTP fixtures)


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # No collectstatic in tests: serve the source files.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # A cheap proof of work keeps browser tests quick; verification stays real.
    settings.GUICHET_ALTCHA_MAX_NUMBER = 2000
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's chatter


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that drives the browser is a browser test: `make test` runs those in one
    process with one Chromium, after the others (run in parallel)."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate limits and used CAPTCHA solutions live in the cache: start each test clean."""
    cache.clear()


@pytest.fixture
def password() -> str:
    return "Un mot de passe assez long 2026"


@pytest.fixture
def account(db, password):
    from tests.factories import AccountFactory

    return AccountFactory(password=password)


@pytest.fixture
def staff(db, password):
    from tests.factories import AccountFactory

    return AccountFactory(password=password, is_staff=True, is_superuser=True)


@pytest.fixture
def outsider(db, password):
    from tests.factories import AccountFactory

    return AccountFactory(password=password, first_name="Olivier", last_name="Étranger")

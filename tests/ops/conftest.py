"""Shared parts of the operations tests: a closed port, and the database made unreachable."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from django.db import connection

from guichet.core import health


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def database_down() -> Iterator[None]:
    """The default connection points at a port where no PostgreSQL answers (connection
    refused), as while the database restarts; put back afterwards."""
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["HOST"] = "127.0.0.1"
    connection.settings_dict["PORT"] = closed_port()
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


@pytest.fixture(autouse=True)
def _forget_migrations_state() -> Iterator[None]:
    health._migrated.clear()
    yield
    health._migrated.clear()


REDIS_TEST_URL = "redis://127.0.0.1:6379/15"

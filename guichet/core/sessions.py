"""Sessions in PostgreSQL, cached in Redis (``cached_db``), and a database outage told
apart from a deleted session.

Django's database session store turns any ``DatabaseError`` while saving an existing
session into ``UpdateError``, which ``SessionMiddleware`` answers with a 400 « Bad
Request » (``SessionInterrupted``: « the session was deleted before the request
completed »). The cluster test saw three families get that 400 as PostgreSQL shut down
(fast) under them. Here a database that cannot be reached is raised as what it is, so the
person gets the 503 « réessayez » page (``core/outage.py``) and retries; a session really
deleted meanwhile still gives Django's answer.
"""

from __future__ import annotations

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.base import UpdateError
from django.db import InterfaceError, OperationalError


class SessionStore(cached_db.SessionStore):
    def save(self, must_create: bool = False) -> None:
        try:
            super().save(must_create=must_create)
        except UpdateError as error:
            cause = error.__context__
            if isinstance(cause, OperationalError | InterfaceError):
                raise cause from None
            raise

"""A session saved while PostgreSQL is unreachable: the outage (a 503 « réessayez »), not
Django's 400 « the session was deleted » (what the cluster test saw at a fast shutdown)."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.db import OperationalError

from guichet.core.sessions import SessionStore


@pytest.mark.django_db(transaction=True)
def test_saving_while_the_database_is_down_raises_the_outage(request):
    session = SessionStore()
    session["step"] = "who"
    session.create()
    key = session.session_key
    request.getfixturevalue("database_down")
    again = SessionStore(session_key=key)
    again._session_cache = {"step": "review"}  # as loaded from the cache before the outage
    again.modified = True
    with pytest.raises(OperationalError):
        again.save()


@pytest.mark.django_db(transaction=True)
def test_a_session_deleted_meanwhile_is_still_djangos_update_error():
    session = SessionStore()
    session["step"] = "who"
    session.create()
    Session.objects.filter(session_key=session.session_key).delete()
    session["step"] = "review"
    with pytest.raises(UpdateError):
        session.save()

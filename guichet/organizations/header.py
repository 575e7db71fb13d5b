"""Whether the header offers « Mon organisation », « Catalogue de services » and
« Profil : … »: only to an account with at least one relation in force that gives it
something to act on (an authorized subject, or the responsible's right to manage).

The answer is kept in the session, like the profile acted as, so the header costs no
database query. It is computed again when it may have changed:

- when a relation of the account's person is added, ended or loses subjects, when the
  account links a dossier, and when it switches profile: those writes ``bump`` a stamp
  the account has in the cache, and a session whose stamp differs computes again (the
  cache is Redis's in production, shared by every process);
- on another day (a relation may start or end with the date);
- at sign-in (computed then, so that no page pays for it).

Without a cache (Redis down), a stamp bumped by someone else's change is seen at the next
sign-in or the next day; the organization's pages check the right on every request
anyway, so a stale header never opens anything.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from guichet import presets
from guichet.dossiers.models import DossierLink, LinkRole
from guichet.organizations import grants
from guichet.organizations.models import Relation
from guichet.presets import Feature

SESSION_KEY = "organizations.header"


def _stamp_key(account_id: int | None) -> str:
    return f"organizations.profiles.{account_id}"


def has_something_to_act_on(account: Any) -> bool:
    day = timezone.localdate()
    return (
        grants.relations_managed(account, day).exists()
        or grants.subjects_held(account, day).exists()
    )


def shown(request: HttpRequest) -> bool:
    """The header's answer for this session, computed again only when stale."""
    account = request.user
    if not hasattr(request, "session"):  # a request made outside the middleware (a test's)
        return has_something_to_act_on(account)
    state = request.session.get(SESSION_KEY) or {}
    stamp = cache.get(_stamp_key(account.pk), "")
    if state.get("stamp") != stamp or state.get("day") != timezone.localdate().isoformat():
        state = _compute(request, account, stamp)
    return bool(state["show"])


def _compute(request: HttpRequest, account: Any, stamp: str) -> dict[str, Any]:
    today = timezone.localdate().isoformat()
    state = {"stamp": stamp, "day": today, "show": has_something_to_act_on(account)}
    request.session[SESSION_KEY] = state
    return state


def forget(request: HttpRequest) -> None:
    """Compute again on the next page (sign-in, link, switch)."""
    session = getattr(request, "session", None)
    if session is not None:
        session.pop(SESSION_KEY, None)


def bump(account_ids: Iterable[int]) -> None:
    """Once the transaction commits, every session of these accounts computes again."""
    ids = sorted(set(account_ids))

    def stamp() -> None:
        cache.set_many({_stamp_key(pk): uuid.uuid4().hex for pk in ids}, timeout=None)

    if ids:
        transaction.on_commit(stamp)


def bump_holders_of(*dossier_ids: int) -> None:
    """The accounts holding these dossiers: their relations changed. For an association
    (a contact of an employer), also its people's, whose delegated subjects flow through
    it."""
    through = Relation.objects.filter(through_id__in=dossier_ids).values("contact")
    accounts = (
        DossierLink.objects.active()
        .filter(Q(dossier_id__in=dossier_ids) | Q(dossier_id__in=through), role=LinkRole.HOLDER)
        .values_list("account_id", flat=True)
    )
    bump(accounts)


def on_link_saved(sender: Any, instance: DossierLink, **kwargs: Any) -> None:
    """A dossier linked (or its link ended): its relations become (or stop being) the
    account's."""
    bump([instance.account_id])


def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Computed at sign-in, so that no page pays for it."""
    session = getattr(request, "session", None)
    if session is not None and presets.active().has(Feature.ORGANIZATIONS):
        _compute(request, user, cache.get(_stamp_key(user.pk), ""))

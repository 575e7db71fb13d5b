"""Who acts and who asks, as the apps above accounts type them (docs/architecture.md,
« Types »). Audit and core sit beneath accounts and use Django's own types instead.

- ``Actor``: who acts in a service and is recorded as having acted (``registered_by``,
  ``issued_by``, the audit trail's actor): a signed-in ``Account``. A service the system
  may run too (the sweeper, an import run by a task) takes ``Actor | None``.
- ``Visitor``: whoever sent a request, ``request.user``: an ``Account`` or, not signed in,
  Django's ``AnonymousUser``. The permissions API answers a ``Visitor``; ``is_signed_in``
  narrows one to its ``Account``. A view behind ``login_required`` may type its request
  as a ``SignedInRequest``, whose ``user`` is an ``Actor``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias, TypeGuard

from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from guichet.accounts.models import Account

# Strings, so that importing this module loads no model: only type checkers read them.
Actor: TypeAlias = "Account"
Visitor: TypeAlias = "Account | AnonymousUser"


class SignedInRequest(HttpRequest):
    """The request of a view behind ``login_required`` (or ``staff_required``)."""

    user: Actor  # narrower than HttpRequest's: the decorator saw to it


def is_signed_in(visitor: Visitor | None) -> TypeGuard[Account]:
    """Whether someone signed in is there (narrows a ``Visitor`` to its ``Account``)."""
    return visitor is not None and visitor.is_authenticated

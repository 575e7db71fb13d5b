"""Progressive lockout of password sign-in after repeated failures.

Counted per email address, whether an account exists or not, so that the answer never
tells whether an address is registered. After ``GUICHET_LOCKOUT_THRESHOLD`` failures
the address is locked for ``GUICHET_LOCKOUT_BASE_MINUTES``; every further lock doubles
the time, up to a day. A successful sign-in or a password reset lifts it. The owner of
a real account is told by email each time it locks.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from guichet.accounts.models import Account, LoginThrottle
from guichet.audit.models import Action, Right
from guichet.audit.services import record
from guichet.core.mail import send_templated

MAX_LOCK = timedelta(days=1)


def throttle_key(email: str) -> str:
    normalized = (email or "").strip().lower()
    return hashlib.sha256(normalized.encode()).hexdigest()


def locked_until(email: str) -> datetime | None:
    throttle = LoginThrottle.objects.filter(key=throttle_key(email)).first()
    if throttle and throttle.locked_until and throttle.locked_until > timezone.now():
        return throttle.locked_until
    return None


def lock_duration(lock_count: int) -> timedelta:
    base = timedelta(minutes=settings.GUICHET_LOCKOUT_BASE_MINUTES)
    return min(base * (2**lock_count), MAX_LOCK)


@transaction.atomic
def register_failure(email: str, *, request: HttpRequest | None = None) -> datetime | None:
    """Count one failed sign-in; return the lock's end when this failure locks."""
    now = timezone.now()
    throttle, _created = LoginThrottle.objects.select_for_update().get_or_create(
        key=throttle_key(email)
    )
    throttle.failures += 1
    throttle.last_failure_at = now
    account = Account.objects.filter(email__iexact=(email or "").strip()).first()
    if account is not None:
        record(Action.LOGIN_FAILED, subject=account, right=Right.SYSTEM, request=request)
    until = None
    if throttle.failures >= settings.GUICHET_LOCKOUT_THRESHOLD:
        until = now + lock_duration(throttle.lock_count)
        throttle.locked_until = until
        throttle.lock_count += 1
        throttle.failures = 0
        if account is not None:
            record(
                Action.LOCKED,
                subject=account,
                right=Right.SYSTEM,
                request=request,
                data={"until": until.isoformat()},
            )
            notify_locked(account, until)
    throttle.save()
    return until


def clear(email: str) -> None:
    LoginThrottle.objects.filter(key=throttle_key(email)).delete()


def notify_locked(account: Account, until: datetime) -> None:
    send_templated(
        "accounts/email/locked",
        to=account.email,
        context={"account": account, "until": until},
        language=account.language,
    )

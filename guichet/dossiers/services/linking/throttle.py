"""Throttling guesses: per dossier (a lock, told to the address on file), per account and
per client address. Every attempt is a ``LinkAttempt`` row committed with the refusal, so
no rollback erases the count."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from guichet.audit import services as audit
from guichet.audit.models import Action
from guichet.core.mail import send_templated
from guichet.dossiers.models import Dossier, DossierLink, LinkAttempt, LinkMethod, LinkRole
from guichet.dossiers.services.linking.organizations import links_organizations
from guichet.dossiers.services.linking.outcomes import Outcome, Status

DOSSIER_MAX_FAILURES = 5
DOSSIER_WINDOW = timedelta(minutes=15)
DOSSIER_LOCK = timedelta(minutes=30)
ACCOUNT_MAX_FAILURES = 10
ACCOUNT_WINDOW = timedelta(hours=1)
# One address may carry several people (a household, a library): twice an account's.
ADDRESS_MAX_FAILURES = 20


def account_throttled(account: Any) -> bool:
    since = timezone.now() - ACCOUNT_WINDOW
    failures = LinkAttempt.objects.filter(
        account=account, succeeded=False, created_at__gte=since
    ).count()
    return failures >= ACCOUNT_MAX_FAILURES


def address_throttled(address: str | None) -> bool:
    """Failures from one client address, whatever the account: many accounts from one
    address do not each get their own allowance."""
    if address is None:
        return False
    since = timezone.now() - ACCOUNT_WINDOW
    failures = LinkAttempt.objects.filter(
        ip_address=address, succeeded=False, created_at__gte=since
    ).count()
    return failures >= ADDRESS_MAX_FAILURES


def record_attempt(
    account: Any,
    dossier: Dossier | None,
    method: str,
    request: HttpRequest | None,
    *,
    succeeded: bool = False,
) -> LinkAttempt:
    return LinkAttempt.objects.create(
        account=account,
        dossier=dossier,
        method=method,
        succeeded=succeeded,
        ip_address=audit.client_ip(request),
    )


def dossier_locked(dossier: Dossier) -> bool:
    return (
        dossier.linking_locked_until is not None and dossier.linking_locked_until > timezone.now()
    )


def holds_a_dossier(account: Any) -> bool:
    return DossierLink.objects.active().filter(account=account, role=LinkRole.HOLDER).exists()


def fail(
    account: Any,
    dossier: Dossier | None,
    method: str,
    request: HttpRequest | None,
    reason: str,
    status: Status = Status.REFUSED,
) -> Outcome:
    """Count and audit a wrong answer; the dossier's fifth within the window locks it."""
    record_attempt(account, dossier, method, request)
    audit.record(
        Action.LINK_FAILED,
        actor=account,
        subject=account,
        dossier=dossier,
        request=request,
        data={"method": method, "reason": reason},
    )
    if dossier is None:
        return Outcome(status)
    since = timezone.now() - DOSSIER_WINDOW
    failures = LinkAttempt.objects.filter(
        dossier=dossier, succeeded=False, created_at__gte=since
    ).count()
    if failures >= DOSSIER_MAX_FAILURES and not dossier_locked(dossier):
        lock_dossier(account, dossier, request)
        return Outcome(Status.LOCKED, dossier)
    return Outcome(status, dossier)


def lock_dossier(account: Any, dossier: Dossier, request: HttpRequest | None) -> None:
    dossier.linking_locked_until = timezone.now() + DOSSIER_LOCK
    dossier.save(update_fields=["linking_locked_until", "updated_at"])
    audit.record(
        Action.LINK_LOCKED,
        actor=account,
        subject=account,
        dossier=dossier,
        request=request,
        data={"until": dossier.linking_locked_until.isoformat()},
    )
    if dossier.email:
        send_templated(
            "dossiers/email/link_locked",
            to=dossier.email,
            context={"dossier": dossier, "until": dossier.linking_locked_until},
            language=dossier.language,
        )


def guard(
    account: Any,
    dossier: Dossier | None,
    method: str,
    request: HttpRequest | None,
    role: LinkRole = LinkRole.HOLDER,
) -> Outcome | None:
    """Refusals that come before any secret is checked; audited like any failure."""
    # Said before the answer is checked, so it tells nothing about the answer. Where
    # organizations are linked, a holder may still prove an organization's secret (legacy
    # credentials, an issued code): ``conclude`` refuses a second person's dossier once
    # the secret is proven, which tells a guesser nothing either.
    proven_by_secret = method in (LinkMethod.LEGACY_CREDENTIALS, LinkMethod.LINKING_CODE)
    exempt = proven_by_secret and links_organizations()
    if role == LinkRole.HOLDER and holds_a_dossier(account) and not exempt:
        return Outcome(Status.ALREADY_HOLDER)
    outcome = None
    if account_throttled(account):
        outcome = Outcome(Status.ACCOUNT_THROTTLED)
    elif address_throttled(audit.client_ip(request)):
        outcome = Outcome(Status.ADDRESS_THROTTLED)
    elif dossier is not None and dossier_locked(dossier):
        # Even the right secret is refused while locked; the attempt still counts.
        record_attempt(account, dossier, method, request)
        outcome = Outcome(Status.LOCKED, dossier)
    if outcome is not None:
        audit.record(
            Action.LINK_FAILED,
            actor=account,
            subject=account,
            dossier=dossier if outcome.status == Status.LOCKED else None,
            request=request,
            data={"method": method, "reason": outcome.status},
        )
    return outcome

"""The operator's retention rule, applied by a scheduled job: an account nobody has signed
in to for ``GUICHET_RETENTION_INACTIVE_YEARS`` years is closed and anonymized like a
closure the person asked for (every contributor erases its part, accounting documents
stay), unless an app says it must wait (an invoice still open, a registration still live:
``Contributor.holds``). The job reports what it did and why it left the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from guichet.accounts.models import Account
from guichet.audit.models import Right
from guichet.privacy import registry
from guichet.privacy.models import ClosureRequest
from guichet.privacy.services.closing import apply_closure, pending_closure


@dataclass
class Report:
    closed: list[int] = field(default_factory=list)  # account ids
    waiting: dict[int, list[str]] = field(default_factory=dict)  # account id: reasons

    def lines(self) -> list[str]:
        out = [f"closed and anonymized: {len(self.closed)}"]
        out += [f"account {pk} waits: {', '.join(why)}" for pk, why in self.waiting.items()]
        return out


def inactive_years() -> int | None:
    return getattr(settings, "GUICHET_RETENTION_INACTIVE_YEARS", None)


def inactive_accounts(years: int, now: datetime | None = None) -> Any:
    """Active people (not staff) who have not signed in for ``years`` years."""
    now = now or timezone.now()
    limit = (
        now.replace(year=now.year - years)
        if not (now.month == 2 and now.day == 29)
        else (now.replace(year=now.year - years, day=28))
    )
    quiet = Q(last_login__lt=limit) | Q(last_login__isnull=True, date_joined__lt=limit)
    return Account.objects.filter(quiet, is_active=True, is_staff=False).order_by("id")


def apply_retention(years: int, *, dry_run: bool = False, now: datetime | None = None) -> Report:
    report = Report()
    for account in inactive_accounts(years, now):
        reasons = [
            str(reason)
            for contributor in registry.contributors()
            if contributor.holds is not None and (reason := contributor.holds(account))
        ]
        if reasons:
            report.waiting[account.pk] = reasons
            continue
        report.closed.append(account.pk)
        if not dry_run:
            close_inactive(account)
    return report


@transaction.atomic
def close_inactive(account: Any) -> ClosureRequest:
    closure = pending_closure(account) or ClosureRequest.objects.create(account=account)
    return apply_closure(closure.pk, actor=None, right=Right.SYSTEM)

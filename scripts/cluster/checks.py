"""What is waited for and counted after the rush: the families' sessions after the Redis
restart, every confirmation email (at least once; duplicates counted, and those that are
one message sent twice — the same Message-ID — told apart), the holds left unconfirmed
freed by beat's sweeper, and the registrations against what each family was told."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass

from cluster.processes import SmtpSink
from cluster.rush import Browser


def sessions_valid(browsers: list[Browser]) -> int:
    """Of the first 100 families, how many are still signed in."""
    time.sleep(3)
    valid = 0
    for browser in browsers[:100]:
        status, _ = browser.send("GET", "/compte/securite/")
        valid += status == 200
    return valid


@dataclass
class Emails:
    expected: int
    missing: set[str]
    duplicates: int  # copies beyond the first, per address
    same_message: int  # of which copies of one message (the same Message-ID)


def confirmations(offering_id: int, smtp: SmtpSink, wait_seconds: float) -> Emails:
    """Every confirmed registration's confirmation, waited for at most ``wait_seconds``."""
    from django.db import close_old_connections

    from guichet.registrations.models import Registration, RegistrationStatus

    close_old_connections()
    confirmed = set(
        Registration.objects.filter(
            offering_id=offering_id, status=RegistrationStatus.CONFIRMED
        ).values_list("registered_by__email", flat=True)
    )
    deadline = time.monotonic() + wait_seconds
    while True:
        with smtp.lock:
            got = Counter(to for to, subject in smtp.received if "confirmée" in subject)
            ids = Counter(smtp.message_ids)
        if confirmed <= set(got) or time.monotonic() >= deadline:
            break
        time.sleep(5)
    confirmation_ids = Counter({key: n for key, n in ids.items() if key[0] in got})
    return Emails(
        expected=len(confirmed),
        missing=confirmed - set(got),
        duplicates=sum(n - 1 for n in got.values() if n > 1),
        same_message=sum(n - 1 for n in confirmation_ids.values() if n > 1),
    )


def holds_left(offering_id: int, wait_seconds: float = 200) -> int:
    """Holds still unconfirmed after beat's sweeper had its time (holds of one minute)."""
    from django.db import close_old_connections

    from guichet.registrations.models import Registration, RegistrationStatus

    deadline = time.monotonic() + wait_seconds
    while True:
        close_old_connections()
        left = Registration.objects.filter(
            offering_id=offering_id, status=RegistrationStatus.HELD
        ).count()
        if left == 0 or time.monotonic() >= deadline:
            return left
        time.sleep(5)


@dataclass
class Registrations:
    capacity: int
    spots_taken: int
    by_status: dict[str, int]
    oversold: int
    told_confirmed: set[int]
    wrongly_told: list[int]  # told « Confirmée » without exactly one confirmed registration
    untold: set[int]  # confirmed but never told


def registrations(
    offering_id: int, families: list[tuple[int, str, str]], told: dict[int, str]
) -> Registrations:
    from django.db import close_old_connections
    from django.db.models import Count

    from guichet.catalog.models import Offering
    from guichet.registrations.models import Registration, RegistrationStatus

    close_old_connections()
    offering = Offering.objects.get(pk=offering_id)
    rows = Registration.objects.filter(offering_id=offering_id)
    by_status = dict(rows.values_list("status").annotate(n=Count("id")))
    per_dossier = Counter(rows.values_list("participant_id", flat=True))
    taken = sum(by_status.get(s, 0) for s in RegistrationStatus.HOLDS_SPOT)
    oversold = max(0, offering.spots_taken - offering.capacity, taken - offering.capacity)
    confirmed_dossiers = set(
        rows.filter(status=RegistrationStatus.CONFIRMED).values_list("participant_id", flat=True)
    )
    told_confirmed = {families[i][0] for i, said in told.items() if said == "confirmed"}
    return Registrations(
        capacity=offering.capacity,
        spots_taken=offering.spots_taken,
        by_status=by_status,
        oversold=oversold,
        told_confirmed=told_confirmed,
        wrongly_told=[
            d for d in told_confirmed if per_dossier[d] != 1 or d not in confirmed_dossiers
        ],
        untold=confirmed_dossiers - told_confirmed,
    )

"""The waiting list and the sweeper: freed spots go to the next in arrival order.

A freed spot is given back (``spots_taken - 1``) then taken again for the next waiting
registration, which becomes ``offered`` for ``offering.offer_hours``; it keeps the spot
until it accepts, declines or lets the offer expire (then it passes to the next).
Rows are claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` so several sweepers or a
sweeper and a cancellation never handle the same registration twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from guichet.audit import services as audit
from guichet.audit.models import Action, Right
from guichet.catalog.models import Offering
from guichet.registrations.models import ACTIVE_STATUSES, Registration, RegistrationStatus
from guichet.registrations.services import capacity
from guichet.registrations.services.register import LineRefused, confirm, notify

BATCH = 200


def release(registration: Registration) -> None:
    """Give back the spot, and the options if they were counted: an offered spot's options
    are taken only when the offer is accepted."""
    capacity.release_spot(registration.offering_id)
    if registration.status not in ACTIVE_STATUSES:
        return
    for line in registration.option_lines.all():
        capacity.release_option(line.option_id, line.quantity)


def fill_from_waiting_list(offering_id: int, now: datetime | None = None) -> int:
    """Offer free spots to waiting registrations in arrival order; returns how many."""
    now = now or timezone.now()
    offered = 0
    offering = Offering.objects.get(pk=offering_id)
    while True:
        with transaction.atomic():
            waiting = (
                Registration.objects.select_for_update(skip_locked=True)
                .filter(offering_id=offering_id, status=RegistrationStatus.WAITING)
                .order_by("created_at", "id")
                .select_related("registered_by", "participant")
                .first()
            )
            if waiting is None or not capacity.take_spot(offering_id):
                return offered
            waiting.status = RegistrationStatus.OFFERED
            waiting.offer_expires_at = now + timedelta(hours=offering.offer_hours)
            waiting.save(update_fields=["status", "offer_expires_at"])
            audit.record(
                Action.WAITLIST_OFFERED,
                dossier=waiting.participant,
                right=Right.SYSTEM,
                data={"registration": waiting.pk},
            )
            notify(waiting, "registrations/email/offer")
            offered += 1


def _expire(
    status: str,
    due: Q,
    now: datetime,
    then: Callable[[Registration], None] | None = None,
) -> int:
    """Expire the registrations of ``status`` matching ``due`` in batches (``then`` runs on
    each), then pass their spots on. ``due`` is a condition on the registration row itself
    (an ``Exists`` for its invoices), so a registration is never returned, and its spot
    never released, twice."""
    touched: set[int] = set()
    count = 0
    while True:
        with transaction.atomic():
            due_now = list(
                Registration.objects.select_for_update(skip_locked=True)
                .filter(due, status=status)
                .order_by("id")[:BATCH]
            )
            for registration in due_now:
                release(registration)
                registration.status = RegistrationStatus.EXPIRED
                registration.save(update_fields=["status"])
                touched.add(registration.offering_id)
                if then is not None:
                    then(registration)
            count += len(due_now)
        if len(due_now) < BATCH:
            break
    for offering_id in sorted(touched):
        fill_from_waiting_list(offering_id, now)
    return count


def fill_free_spots(now: datetime | None = None) -> int:
    """Offer spots that are free while people wait (a spot freed while a rush was
    deciding « complet » from a plain read); returns how many were offered."""
    offerings = (
        Registration.objects.filter(status=RegistrationStatus.WAITING)
        .filter(offering__spots_taken__lt=F("offering__capacity"))
        .values_list("offering_id", flat=True)
        .distinct()
    )
    return sum(fill_from_waiting_list(pk, now) for pk in sorted(set(offerings)))


def release_expired_holds(now: datetime | None = None) -> int:
    """Holds never confirmed in time free their spot (no « complet » from abandoned carts)."""
    now = now or timezone.now()
    return _expire(RegistrationStatus.HELD, Q(held_until__lt=now), now)


def expire_offers(now: datetime | None = None) -> int:
    """Unanswered waiting-list offers pass to the next person."""
    now = now or timezone.now()
    return _expire(RegistrationStatus.OFFERED, Q(offer_expires_at__lt=now), now)


def expire_unpaid(now: datetime | None = None) -> int:
    """Registrations whose invoice stayed unpaid past its due time give their spot back
    (and the waiting list moves)."""
    from guichet.billing.models import Invoice
    from guichet.billing.services.settlement import settle_cancellation

    now = now or timezone.now()
    overdue = Exists(Invoice.objects.filter(registration=OuterRef("pk"), due_at__lt=now))
    return _expire(
        RegistrationStatus.PENDING_PAYMENT,
        Q(overdue),
        now,
        then=lambda registration: settle_cancellation(registration, actor=None, expired=True),
    )


class OfferClosed(Exception):
    pass


def accept_offer(registration: Registration, *, actor: Any) -> Registration:
    """Take the offered spot (with the options still available) and confirm it."""
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != RegistrationStatus.OFFERED or (
            registration.offer_expires_at and registration.offer_expires_at <= timezone.now()
        ):
            raise OfferClosed
        for line in list(registration.option_lines.select_related("option")):
            # An option filled up while waiting: the spot is kept, the option dropped.
            try:
                with transaction.atomic():
                    if not capacity.take_option(line.option_id, line.quantity):
                        raise LineRefused
            except LineRefused:
                line.delete()
        registration.status = RegistrationStatus.HELD
        registration.offer_expires_at = None
        registration.save(update_fields=["status", "offer_expires_at"])
        return confirm(registration, actor=actor)


def decline_offer(registration: Registration, *, actor: Any) -> Registration:
    from guichet.registrations.services.changes import cancel

    with transaction.atomic():
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.status != RegistrationStatus.OFFERED:
            raise OfferClosed
    return cancel(registration, actor=actor, force=True)

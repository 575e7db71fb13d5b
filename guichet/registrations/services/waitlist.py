"""The waiting list and the sweeper: freed spots go to the next in arrival order.

A freed spot is given back (``spots_taken - 1``) then taken again for the next waiting
registration, which becomes ``offered`` for ``offering.offer_hours``; it keeps the spot
until it accepts, declines or lets the offer expire (then it passes to the next).
Rows are claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` so several sweepers or a
sweeper and a cancellation never handle the same registration twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from guichet.accounts.types import Actor
from guichet.audit import services as audit
from guichet.audit.models import Action, Right
from guichet.billing import sources
from guichet.billing.services.overdue import announce_overdue
from guichet.catalog.models import Offering
from guichet.registrations import signals
from guichet.registrations.models import Registration, RegistrationStatus
from guichet.registrations.services import capacity
from guichet.registrations.services.capacity import release
from guichet.registrations.services.confirmation import notify
from guichet.registrations.services.register import LineRefused, confirm

BATCH = 200


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
            signals.announce(signals.registration_offered, waiting)
            offered += 1


def _expire(status: str, due: Q, now: datetime) -> int:
    """Expire the registrations of ``status`` matching ``due`` in batches, then pass their
    spots on. ``due`` is a condition on the registration row itself, so a registration is
    never returned, and its spot never released, twice."""
    touched: set[int] = set()
    count = 0
    while True:
        with transaction.atomic():
            due_now = list(
                Registration.objects.select_for_update(skip_locked=True)
                .filter(due, status=status)
                .select_related("participant")
                .order_by("id")[:BATCH]
            )
            for registration in due_now:
                release(registration)
                registration.status = RegistrationStatus.EXPIRED
                registration.save(update_fields=["status"])
                audit.record(
                    Action.REGISTRATION_EXPIRED,
                    dossier=registration.participant,
                    right=Right.SYSTEM,
                    data={"registration": registration.pk, "status": status},
                )
                touched.add(registration.offering_id)
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
    and the waiting list moves. Billing announces each overdue invoice
    (``invoice_overdue``); our receiver expires its registration
    (``services.billing.expire_overdue``). Returns how many registrations expired."""
    now = now or timezone.now()
    announced = announce_overdue(now)
    ids = {invoice.source_id for invoice in announced if sources.is_for(invoice, Registration)}
    expired = list(
        Registration.objects.filter(pk__in=ids, status=RegistrationStatus.EXPIRED).values_list(
            "offering_id", flat=True
        )
    )
    for offering_id in sorted(set(expired)):
        fill_from_waiting_list(offering_id, now)
    return len(expired)


class OfferClosed(Exception):
    pass


def accept_offer(registration: Registration, *, actor: Actor) -> Registration:
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

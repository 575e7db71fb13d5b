"""A membership's life: opened with its fee invoiced through billing's ledger, started when
the fee is paid (or at approval), renewed in one click, lapsed after its grace period.

The fee is billed exactly as docs/ledger.md shows: the membership is the invoice's source,
``receivers.py`` hears ``invoice_settled`` (start it) and ``invoice_overdue`` (cancel it and
credit the invoice). Nothing in billing knows memberships.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from guichet.audit.models import Action, Right
from guichet.audit.services import record
from guichet.billing.models import Invoice
from guichet.billing.services.invoicing import DraftLine, Payer, credit_invoice, issue_invoice
from guichet.core.mail import send_templated
from guichet.dossiers import permissions
from guichet.dossiers.models import Dossier
from guichet.dossiers.services.identity import mirror_membership
from guichet.memberships import signals
from guichet.memberships.models import Membership, MembershipStatus, MemberType

# How long the fee's invoice may stay unpaid before the membership is cancelled.
PAYMENT_DELAY = timedelta(days=30)


class NotRenewable(Exception):
    """Nothing to renew, or a renewal already waits for its fee."""


def describe(membership: Membership) -> str:
    """How invoice pages and PDFs name a membership (« Adhésion : Membre régulier 2027 »)."""
    return _("Membership: %(type)s %(year)s") % {
        "type": membership.member_type.label,
        "year": membership.year,
    }


def page_for(membership: Membership, account: Any) -> str | None:
    """The membership's page, for whoever holds its dossier."""
    if permissions.right_over(account, membership.dossier) is None:
        return None
    return reverse("memberships:standing")


def payer_of(membership: Membership, fallback: Any = None) -> Payer:
    """The member pays their own fee: the dossier's holder (or the applicant)."""
    return Payer(membership.dossier, permissions.holder_of(membership.dossier) or fallback)


def _dates(member_type: MemberType, start: date) -> dict[str, date]:
    ends_on = member_type.period_from(start)
    return {
        "starts_on": start,
        "ends_on": ends_on,
        "grace_ends_on": ends_on + timedelta(days=member_type.grace_days),
    }


def _bill(membership: Membership, *, actor: Any, payer: Payer) -> Invoice:
    with override(membership.dossier.language):
        line = DraftLine(describe(membership), membership.fee, tax_exempt=True)
    return issue_invoice(
        payer=payer,
        lines=[line],
        actor=actor,
        source=membership,
        participant=membership.dossier,
        due_at=timezone.now() + PAYMENT_DELAY,
    )


@transaction.atomic
def open_membership(
    dossier: Dossier,
    member_type: MemberType,
    *,
    actor: Any,
    applicant: Any = None,
    renews: Membership | None = None,
) -> tuple[Membership, Invoice | None]:
    """A membership waiting for its fee, with the fee's invoice; or, free or starting on
    approval, one in force at once (and its invoice, if any, to pay later)."""
    start = renews.ends_on + timedelta(days=1) if renews else timezone.localdate()
    membership = Membership.objects.create(
        dossier=dossier,
        member_type=member_type,
        fee=member_type.fee,
        renews=renews,
        **_dates(member_type, start),
    )
    invoice = None
    if membership.fee > 0:
        invoice = _bill(membership, actor=actor, payer=payer_of(membership, applicant))
    if membership.fee == 0 or (member_type.starts_on_approval and renews is None):
        start_membership(membership, actor=actor)
    return membership, invoice


@transaction.atomic
def start_membership(membership: Membership, *, actor: Any) -> Membership:
    """The membership comes into force (its fee paid, or at approval). A first membership
    started on payment runs from that day; a renewal keeps the day after the last one."""
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.status != MembershipStatus.PENDING_PAYMENT:
        return locked  # a second payment of the same invoice changes nothing
    today = timezone.localdate()
    if locked.renews_id is None and locked.starts_on != today:
        for name, value in _dates(locked.member_type, today).items():
            setattr(locked, name, value)
    locked.status = MembershipStatus.ACTIVE
    locked.started_at = timezone.now()
    locked.save()
    mirror_membership(locked.dossier, locked.ends_on)
    record(
        Action.MEMBERSHIP_STARTED,
        actor=actor,
        subject=permissions.holder_of(locked.dossier),
        dossier=locked.dossier,
        right=Right.SYSTEM,
        data={
            "membership": locked.pk,
            "member_type": locked.member_type.slug,
            "ends_on": locked.ends_on.isoformat(),
        },
    )
    answers = signals.membership_started.send(
        Membership, membership=locked, renewal=locked.renews_id is not None, actor=actor
    )
    if not any(answer for _receiver, answer in answers):  # nobody welcomed the member
        _tell_member(locked, "memberships/email/started")
    return locked


@transaction.atomic
def cancel_unpaid(invoice: Invoice, *, now: datetime) -> Membership | None:
    """The fee stayed unpaid past its due date: the waiting membership is cancelled and the
    invoice credited (billing stops announcing it)."""
    membership = Membership.objects.select_for_update().filter(pk=invoice.source_id or 0).first()
    if membership is None:
        return None
    if membership.status == MembershipStatus.PENDING_PAYMENT:
        membership.status = MembershipStatus.CANCELLED
        membership.ended_at = now
        membership.save(update_fields=["status", "ended_at"])
        record(
            Action.MEMBERSHIP_CANCELLED,
            dossier=membership.dossier,
            right=Right.SYSTEM,
            data={"membership": membership.pk, "invoice": invoice.pk},
        )
    credit_invoice(invoice, actor=None, reason=gettext_lazy("Membership fee unpaid"))
    return membership


@transaction.atomic
def renew(membership: Membership, *, actor: Any, right: Right = Right.SELF) -> Invoice | None:
    """« Renouveler »: the next period, billed at today's fee of the same type. The invoice
    is returned for the person to pay right away."""
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.status != MembershipStatus.ACTIVE or not locked.member_type.active:
        raise NotRenewable
    if Membership.objects.filter(
        dossier=locked.dossier, status=MembershipStatus.PENDING_PAYMENT
    ).exists() or (
        Membership.objects.filter(renews=locked).exclude(status=MembershipStatus.CANCELLED).exists()
    ):
        raise NotRenewable
    cancelled = Membership.objects.filter(renews=locked, status=MembershipStatus.CANCELLED)
    cancelled.update(renews=None)  # an unpaid earlier attempt gives way to this one
    renewal, invoice = open_membership(
        locked.dossier, locked.member_type, actor=actor, applicant=actor, renews=locked
    )
    record(
        Action.MEMBERSHIP_RENEWAL,
        actor=actor,
        subject=actor,
        dossier=locked.dossier,
        right=right,
        data={"membership": renewal.pk, "renews": locked.pk},
    )
    return invoice


def unpaid_invoice(membership: Membership) -> Invoice | None:
    """The fee's invoice, while something is owed on it."""
    for invoice in Invoice.objects.for_source(membership).order_by("-issued_at"):
        if invoice.balance > 0:
            return invoice
    return None


@transaction.atomic
def lapse(membership: Membership, *, now: datetime) -> bool:
    """Past its grace period without a renewal in force: the membership lapses."""
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.status != MembershipStatus.ACTIVE or locked.grace_ends_on >= timezone.localdate(now):
        return False
    locked.status = MembershipStatus.LAPSED
    locked.ended_at = now
    locked.save(update_fields=["status", "ended_at"])
    following = Membership.objects.filter(
        dossier=locked.dossier, status=MembershipStatus.ACTIVE, ends_on__gt=locked.ends_on
    ).first()
    mirror_membership(locked.dossier, following.ends_on if following else None)
    record(
        Action.MEMBERSHIP_LAPSED,
        subject=permissions.holder_of(locked.dossier),
        dossier=locked.dossier,
        right=Right.SYSTEM,
        data={"membership": locked.pk},
    )
    signals.membership_ended.send(Membership, membership=locked, reason="lapsed")
    if following is None:
        _tell_member(locked, "memberships/email/lapsed")
    return True


def _tell_member(membership: Membership, template: str, **context: Any) -> None:
    holder = permissions.holder_of(membership.dossier)
    address = holder.email if holder is not None else membership.dossier.email
    if not address:
        return
    language = getattr(holder, "language", "") or membership.dossier.language
    send_templated(
        template,
        to=address,
        context={
            "membership": membership,
            "dossier": membership.dossier,
            "url": settings.GUICHET_SITE_URL + reverse("memberships:standing"),
            **context,
        },
        language=language,
    )

"""A registration confirmed, and the emails a registration sends.

Low in the package on purpose: ``register.confirm`` (a free registration) and
``billing.confirm_if_settled`` (a paid one) both end here, and neither imports the other.
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from guichet.accounts.types import Actor
from guichet.audit import services as audit
from guichet.audit.models import Action, Right
from guichet.billing.owed import Billed, billed_for
from guichet.core.mail import send_templated
from guichet.registrations import signals
from guichet.registrations.models import Registration, RegistrationStatus


def notify(registration: Registration, template: str, **context: Any) -> None:
    """Email the account that registered, in its language."""
    account = registration.registered_by
    if not account.email:
        return
    send_templated(
        template,
        to=account.email,
        context={
            "registration": registration,
            "offering": registration.offering,
            "site_url": getattr(settings, "GUICHET_SITE_URL", ""),
            **context,
        },
        language=account.language,
    )


def record_confirmed(
    registration: Registration, actor: Actor | None, *, billed: Billed | None = None
) -> None:
    """The audit row and the confirmation email (with what was invoiced: ``billed``, read
    from its invoices unless the caller knows, as for a registration created in this very
    transaction, which has none yet)."""
    audit.record(
        Action.REGISTRATION_CONFIRMED,
        actor=actor,  # audit.record keeps only a saved account
        dossier=registration.participant,
        right=cast(Right, registration.right) if getattr(actor, "pk", None) else Right.SYSTEM,
        data={"registration": registration.pk},
    )
    notify(
        registration,
        "registrations/email/confirmation",
        billed=billed_for(registration, registration.registered_by) if billed is None else billed,
    )
    signals.announce(signals.registration_confirmed, registration)


@transaction.atomic
def mark_paid(registration: Registration, *, actor: Actor | None) -> Registration:
    """Its invoices are paid in full: a registration waiting for payment is confirmed."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != RegistrationStatus.PENDING_PAYMENT:
        return registration
    registration.status = RegistrationStatus.CONFIRMED
    registration.confirmed_at = timezone.now()
    registration.save(update_fields=["status", "confirmed_at"])
    record_confirmed(registration, actor)
    return registration

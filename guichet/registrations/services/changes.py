"""Changing one's mind: modify options and answers, or cancel, before the deadline.

After ``offering.change_deadline`` only staff may change a registration. A cancelled
spot (and its options) is given back and offered to the waiting list at once.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet import presets
from guichet.accounts.types import Actor
from guichet.audit import services as audit
from guichet.audit.models import Action, Right
from guichet.catalog.models import Option, OptionKind
from guichet.core.roles import Role
from guichet.core.staff import has_role
from guichet.dossiers import permissions
from guichet.registrations import signals
from guichet.registrations.choices import Choices
from guichet.registrations.models import Registration, RegistrationStatus
from guichet.registrations.services import capacity
from guichet.registrations.services.billing import (
    billing_applies,
    reinvoice_options,
    settle_cancellation,
)
from guichet.registrations.services.capacity import release
from guichet.registrations.services.confirmation import notify
from guichet.registrations.services.register import set_option_rows
from guichet.registrations.services.waitlist import OfferClosed, fill_from_waiting_list


class ChangeRefused(Exception):
    """The change is not allowed; the message is shown to the person."""


def past_deadline() -> str:
    """The refusal after the deadline, with the way to reach the operator's staff."""
    preset = presets.active()
    message = _("The deadline to modify or cancel online has passed.")
    contact = preset.contact
    if contact is None:
        return message
    if contact.phone:
        reach = _("Contact %(operator)s: %(email)s or %(phone)s.") % {
            "operator": preset.operator_name,
            "email": contact.email,
            "phone": contact.phone,
        }
    else:
        reach = _("Contact %(operator)s: %(email)s.") % {
            "operator": preset.operator_name,
            "email": contact.email,
        }
    return f"{message} {reach}"


def may_change(registration: Registration, actor: Actor) -> bool:
    """Before the offering's deadline; staff after it too."""
    return (
        has_role(actor, Role.REGISTRAR, Role.COUNTER) or registration.offering.can_change_online()
    )


def change_right(registration: Registration, actor: Actor) -> Right | None:
    """Under which right ``actor`` may change this registration today, or None: staff
    anyone's; a guardian only the registrations they made, never another guardian's, even
    where the preset lets guardians see each other's (``permissions.right_on``)."""
    return permissions.right_on(
        actor,
        registration.participant_id,
        made_by=registration.registered_by_id,
        act=permissions.REGISTER,
    )


def _right(registration: Registration, actor: Actor) -> Right:
    right = change_right(registration, actor)
    if right is None:
        raise ChangeRefused(_("You may not change this registration."))
    return right


def cancel(registration: Registration, *, actor: Actor, force: bool = False) -> Registration:
    """Cancel; ``force`` skips the deadline (declining a waiting-list offer)."""
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update()
            .select_related("offering", "participant", "registered_by")
            .get(pk=registration.pk)
        )
        if registration.status not in RegistrationStatus.LIVE:
            raise ChangeRefused(_("This registration is already cancelled."))
        right = _right(registration, actor)
        if not force and not may_change(registration, actor):
            raise ChangeRefused(past_deadline())
        held_spot = registration.status in RegistrationStatus.HOLDS_SPOT
        if held_spot:
            release(registration)
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.cancelled_by = actor
        registration.save(update_fields=["status", "cancelled_at", "cancelled_by"])
        audit.record(
            Action.REGISTRATION_CANCELLED,
            actor=actor,
            dossier=registration.participant,
            right=right,
            data={"registration": registration.pk},
        )
        notify(registration, "registrations/email/cancellation")
        signals.announce(signals.registration_cancelled, registration)
        if billing_applies():
            settle_cancellation(registration, actor=actor)
    if held_spot:
        fill_from_waiting_list(registration.offering_id)
    return registration


@transaction.atomic
def modify(
    registration: Registration,
    options: dict[int, int],
    answers: dict[str, Any],
    *,
    actor: Actor,
    companions: dict[int, list[str]] | None = None,
) -> Registration:
    """Change options (within their capacity), companions' names and answers; all or
    nothing. An option absent from ``companions`` keeps its companions' names."""
    registration = (
        Registration.objects.select_for_update()
        .select_related("offering", "participant")
        .get(pk=registration.pk)
    )
    if registration.status not in RegistrationStatus.LIVE:
        raise ChangeRefused(_("This registration is cancelled."))
    right = _right(registration, actor)
    if not may_change(registration, actor):
        raise ChangeRefused(past_deadline())
    counts_capacity = registration.status in RegistrationStatus.ACTIVE
    current = Choices.from_registration(registration)
    wanted = {int(pk): int(qty) for pk, qty in options.items() if int(qty) > 0}
    names = {**current.companions, **{int(pk): list(v) for pk, v in (companions or {}).items()}}
    known = {o.pk: o for o in Option.objects.filter(offering=registration.offering)}
    for pk in sorted(set(current.options) | set(wanted)):
        option = known.get(pk)
        new, old = wanted.get(pk, 0), current.options.get(pk, 0)
        if option is None or new > option.max_per_registration:
            raise ChangeRefused(_("One of the chosen options is not available."))
        renamed = names.get(pk) != current.companions.get(pk)
        if new == old and not (option.kind == OptionKind.COMPANION and renamed):
            continue
        if counts_capacity and new > old and not capacity.take_option(pk, new - old):
            raise ChangeRefused(_("The option « %(name)s » is full.") % {"name": option.name})
        if counts_capacity and new < old:
            capacity.release_option(pk, old - new)
        set_option_rows(registration, option, new, names.get(pk, []))
    registration.answers = answers
    registration.save(update_fields=["answers"])
    if counts_capacity and billing_applies():
        reinvoice_options(registration, actor=actor)
    audit.record(
        Action.REGISTRATION_CHANGED,
        actor=actor,
        dossier=registration.participant,
        right=right,
        data={"registration": registration.pk, "options": wanted},
    )
    return registration


def decline_offer(registration: Registration, *, actor: Actor) -> Registration:
    """Refuse a spot offered from the waiting list: the registration is cancelled and the
    spot passes to the next in line."""
    with transaction.atomic():
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.status != RegistrationStatus.OFFERED:
            raise OfferClosed
    return cancel(registration, actor=actor, force=True)

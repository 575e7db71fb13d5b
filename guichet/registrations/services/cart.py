"""The household cart: lines prepared before registration opens, then submitted at once.

A cart line is the account's own (who, which offering, which choices); every change to it
goes through here with its audit row, and submitting the cart registers every line
(``register.submit_cart``) and takes off the cart those that were not refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction

from guichet.audit import services as audit
from guichet.audit.models import Action, Right
from guichet.catalog.models import Offering
from guichet.dossiers.models import Dossier
from guichet.registrations.choices import Choices
from guichet.registrations.models import CartLine
from guichet.registrations.services.register import (
    Outcome,
    ToRegister,
    registration_right,
    submit_cart,
)

if TYPE_CHECKING:
    from guichet.accounts.models import Account


def _right(actor: Account, participant: Dossier) -> Right:
    return registration_right(actor, participant) or Right.SELF


def kept(line: CartLine) -> Choices:
    """The choices kept on a cart line (JSON, like the wizard's session)."""
    return Choices.from_json(
        {"options": line.options, "answers": line.answers, "companions": line.companions}
    )


@transaction.atomic
def add_line(*, actor: Account, offering: Offering, participant_id: int) -> CartLine:
    """Put the participant for ``offering`` in the actor's cart (once). The form offers
    only the people the actor may register."""
    participant = Dossier.objects.get(pk=participant_id)
    line, created = CartLine.objects.get_or_create(
        account=actor, offering=offering, participant=participant
    )
    if created:
        audit.record(
            Action.CART_LINE_ADDED,
            actor=actor,
            dossier=participant,
            right=_right(actor, participant),
            data={"offering": offering.pk},
        )
    return line


@transaction.atomic
def keep_choices(line: CartLine, choices: Choices, *, actor: Account) -> CartLine:
    """Keep the options, companions and answers chosen for a cart line."""
    json = choices.to_json()
    line.options, line.answers, line.companions = (
        json["options"],
        json["answers"],
        json["companions"],
    )
    line.save(update_fields=["options", "answers", "companions"])
    audit.record(
        Action.CART_LINE_CHANGED,
        actor=actor,
        dossier=line.participant,
        right=_right(actor, line.participant),
        data={"offering": line.offering_id},
    )
    return line


@transaction.atomic
def remove_line(*, actor: Account, pk: Any) -> bool:
    """Take a line off the actor's cart; False when it is not there (or not theirs)."""
    line = (
        CartLine.objects.select_for_update()
        .select_related("participant")
        .filter(account=actor, pk=pk)
        .first()
    )
    if line is None:
        return False
    line.delete()
    audit.record(
        Action.CART_LINE_REMOVED,
        actor=actor,
        dossier=line.participant,
        right=_right(actor, line.participant),
        data={"offering": line.offering_id},
    )
    return True


@transaction.atomic
def submit(
    *,
    actor: Account,
    lines: Sequence[CartLine],
    idempotency_key: str,
    confirm_free: bool = False,
) -> dict[str, Any]:
    """Register every line of the cart (``register.submit_cart``, audited there); the lines
    registered or put on a waiting list leave the cart, the refused ones stay.
    ``confirm_free``: see ``submit_cart``."""
    result = submit_cart(
        actor=actor,
        lines=[
            ToRegister(line.offering, line.participant, c.options, c.answers, c.companions)
            for line in lines
            for c in [kept(line)]
        ],
        idempotency_key=idempotency_key,
        confirm_free=confirm_free,
    )
    done = {
        (r["offering"], r["participant"])
        for r in result["lines"]
        if r["outcome"] != Outcome.REFUSED
    }
    gone = [line.pk for line in lines if (line.offering_id, line.participant_id) in done]
    CartLine.objects.filter(account=actor, pk__in=gone).delete()
    return result

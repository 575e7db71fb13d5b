"""What registrations give to a person's archive and erase when their account closes.

Registered with privacy from ``RegistrationsConfig.ready``. A registration's financial
part (offering, status, prices, dates) is kept with its invoices; the answers (which may
say something about health) and the companions' names are erased.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.dossiers.models import Dossier
from guichet.privacy.registry import Closing, Contributor, Kept, Portion, SensitiveView, Table
from guichet.registrations.models import (
    CartLine,
    QueueTicket,
    Registration,
    RegistrationOption,
    RegistrationStatus,
    Submission,
)


def export(account: Any) -> Portion:
    registrations = (
        Registration.objects.visible_to(account)
        .select_related("offering", "participant")
        .prefetch_related("option_lines__option")
        .order_by("created_at", "id")
    )
    rows = [
        {
            "id": r.pk,
            "offering": r.offering.title,
            "participant_file": r.participant.number,
            "participant": r.participant.display_name,
            "registered_by_you": r.registered_by_id == account.pk,
            "right": r.right,
            "status": r.status,
            "price_category": r.price_category,
            "unit_price": r.unit_price,
            "answers": r.answers,
            "created_at": r.created_at,
            "confirmed_at": r.confirmed_at,
            "cancelled_at": r.cancelled_at,
            "attended": r.attended,
        }
        for r in registrations
    ]
    options = [
        {
            "registration": line.registration_id,
            "option": line.option.name,
            "quantity": line.quantity,
            "unit_price": line.unit_price,
            "companion_name": line.companion_name,
        }
        for r in registrations
        for line in r.option_lines.all()
    ]
    cart = [
        {
            "offering": line.offering.title,
            "participant_file": line.participant.number,
            "answers": line.answers,
            "companions": line.companions,
            "added_at": line.added_at,
        }
        for line in CartLine.objects.filter(account=account).select_related(
            "offering", "participant"
        )
    ]
    return Portion(
        tables=[
            Table("registrations", _("Registrations you made or that were made for you."), rows),
            Table("options", _("Options chosen, with the companions' names."), options),
            Table("cart", _("What waits in your cart."), cart),
        ]
    )


def holds(account: Any) -> str | None:
    """A registration still live (held, paid for, waiting): the account stays until it is
    over."""
    live = Registration.objects.filter(
        Q(registered_by=account) | Q(participant__links__account=account),
        status__in=RegistrationStatus.LIVE,
    )
    return "live_registrations" if live.exists() else None


def anonymize(closing: Closing) -> dict[str, int]:
    account = closing.account
    # Those of the files that close, and those the account made (a child who stays with
    # another guardian keeps the registration, without what this account answered).
    theirs = Registration.objects.filter(
        Q(participant__in=[d.pk for d in closing.dossiers]) | Q(registered_by=account)
    )
    options = RegistrationOption.objects.filter(registration__in=theirs).exclude(companion_name="")
    closing.forget(*options.values_list("companion_name", flat=True))
    return {
        "answers_erased": theirs.exclude(answers={}).update(answers={}),
        "companions_erased": options.update(companion_name=""),
        "cart_lines": CartLine.objects.filter(
            Q(account=account) | Q(participant__in=[d.pk for d in closing.dossiers])
        ).delete()[0],
        "queue_tickets": QueueTicket.objects.filter(account=account).delete()[0],
        "submissions": Submission.objects.filter(account=account).delete()[0],
    }


def attendance_sheet(kwargs: dict[str, Any]) -> list[Any]:
    """A training's attendance sheet lists its registered participants."""
    shown = Registration.objects.filter(
        offering_id=kwargs.get("pk") or 0, status__in=RegistrationStatus.ACTIVE
    )
    return list(Dossier.objects.filter(pk__in=shown.values("participant_id")))


CONTRIBUTOR = Contributor(
    "registrations",
    _("Registrations"),
    order=200,
    export=export,
    anonymize=anonymize,
    holds=holds,
    sensitive_views=(
        SensitiveView(
            "registrations:attendance", "attendance", attendance_sheet, _("Attendance sheet")
        ),
    ),
    erases=(
        _(
            "The answers to registration questions, on your registrations and on those you "
            "made, and the companions' names."
        ),
        _("Your cart and your places in the virtual queue."),
    ),
    kept=(
        Kept(
            _("Each registration's offering, status, price and dates."),
            _("Six years, with its invoices"),
            _("The financial part of a registration backs its invoices (tax law)."),
        ),
    ),
)

"""How billing names what an invoice is for, without importing the domain that issued it.

A domain registers its source model once, in its ``AppConfig.ready``::

    sources.register(
        Registration,
        describe=lambda registration: _("Registration: %(what)s") % {...},
        url=lambda registration, account: reverse("registrations:detail", ...),
        others_heading=_("Other invoices of this registration"),
    )

Invoice pages and PDFs then read « Inscription : Camp de jour — Léa Tremblay » with a link
to the registration for those who may open it. An invoice without a source (one carried
over from the operator's former system) or of a kind nobody registered shows nothing more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from guichet.accounts.models import Account
    from guichet.billing.models import Invoice


def _no_url(_source: Any, _account: Account) -> str | None:
    return None


OTHER_INVOICES = gettext_lazy("Other invoices")


@dataclass(frozen=True)
class SourceKind:
    """What billing knows of one kind of source: how to name and link it."""

    model: type[models.Model]
    # « Inscription : Camp de jour — Léa Tremblay », in the active language.
    describe: Callable[[Any], str]
    # The source's page for this account, or None when it may not open it.
    url: Callable[[Any, Account], str | None] = _no_url
    # The invoice page's heading over the source's other invoices.
    others_heading: str | Promise = OTHER_INVOICES
    # Said under that list (e.g. « confirmed once all its invoices are paid »).
    others_help: str | Promise = ""
    # Said beside « Payable before » (what happens to the source once it is overdue).
    overdue_note: str | Promise = ""


_KINDS: dict[str, SourceKind] = {}


def _key(model: type[models.Model]) -> str:
    return model._meta.label_lower


def register(
    model: type[models.Model],
    *,
    describe: Callable[[Any], str],
    url: Callable[[Any, Account], str | None] = _no_url,
    others_heading: str | Promise = OTHER_INVOICES,
    others_help: str | Promise = "",
    overdue_note: str | Promise = "",
) -> SourceKind:
    """Tell billing how to name and link invoices issued for ``model`` (idempotent)."""
    kind = SourceKind(model, describe, url, others_heading, others_help, overdue_note)
    _KINDS[_key(model)] = kind
    return kind


def unregister(model: type[models.Model]) -> None:
    """For tests that register a kind of their own."""
    _KINDS.pop(_key(model), None)


def kind_of(invoice: Invoice) -> SourceKind | None:
    if invoice.source_type_id is None:
        return None
    content_type = ContentType.objects.get_for_id(invoice.source_type_id)
    return _KINDS.get(f"{content_type.app_label}.{content_type.model}")


def is_for(invoice: Invoice, model: type[models.Model]) -> bool:
    """Was ``invoice`` issued for a source of ``model``? (A receiver's first question.)"""
    return (
        invoice.source_type_id is not None
        and invoice.source_type_id == ContentType.objects.get_for_model(model).pk
    )


@dataclass(frozen=True)
class Described:
    """What an invoice is for, as its page shows it."""

    text: str
    url: str | None
    others_heading: str | Promise
    others_help: str | Promise
    overdue_note: str | Promise


def describe(invoice: Invoice, account: Account | None = None) -> Described | None:
    """« Inscription : Camp de jour — Léa Tremblay », with the link ``account`` may follow
    (none without an account: a PDF prints no link)."""
    kind = kind_of(invoice)
    if kind is None:
        return None
    source = invoice.source
    if source is None:
        return None
    return Described(
        text=kind.describe(source),
        url=kind.url(source, account) if account is not None else None,
        others_heading=kind.others_heading,
        others_help=kind.others_help,
        overdue_note=kind.overdue_note,
    )

"""The one way a template writes an amount: ``{% load guichet_money %}``, then
``{{ invoice.total|money }}`` (« 1 250,00 $ » in French, « $1,250.00 » in English).
Catalog's library re-exports the filter, so ``{% load catalog %}`` keeps it too."""

from __future__ import annotations

from decimal import Decimal

from django import template

from guichet.core.money import format_money

register = template.Library()


@register.filter
def money(amount: Decimal | int | str | None) -> str:
    """« 1 250,00 $ » in French, « $1,250.00 » in English; Decimal in, never float."""
    if amount is None or amount == "":
        return ""
    return format_money(amount)

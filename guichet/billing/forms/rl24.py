"""Relevé 24 forms: the payer's NAS, the split between separated guardians, the staff year."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.billing import sin


class SinForm(forms.Form):
    sin = forms.CharField(
        label=_("Social insurance number (NAS)"),
        max_length=20,
        help_text=_(
            "The 9 digits on your card, with or without spaces. It is kept encrypted and "
            "only printed on your Relevé 24; we never show more than its last 3 digits."
        ),
        error_messages={"required": _("Enter your social insurance number.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def clean_sin(self) -> str:
        return sin.clean_sin(self.cleaned_data["sin"])


class SplitForm(forms.Form):
    """« I share what I paid for this child with their other guardian »."""

    other_payer = forms.TypedChoiceField(label=_("Other guardian"), coerce=int)
    percent = forms.DecimalField(
        label=_("Share of what you paid that goes on their slip (%)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=2,
        initial=Decimal(50),
        help_text=_("50 shares it equally; 0 stops sharing."),
        localize=True,
    )

    def __init__(self, *args: Any, others: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other_payer"].choices = others


class BatchYearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        years = range(this_year, this_year - 6, -1)
        self.fields["year"].choices = [(year, str(year)) for year in years]
        self.fields["year"].initial = this_year - 1

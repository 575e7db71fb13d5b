"""Forms of the payment pages: the offline choice (« Envoyer ») and the staff receipts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.billing.models import OFFLINE_METHODS, PaymentMethod
from guichet.core.forms import DateField


class OfflineChoiceForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Pay by"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how you will pay.")},
    )

    def __init__(self, *args: Any, methods: list[PaymentMethod], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = [(m.value, m.label) for m in methods]


class MoneyMovementForm(forms.Form):
    """An amount received (or sent back), how, when, and the reference to find it again."""

    amount = forms.DecimalField(
        label=_("Amount"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        localize=True,
        help_text=_("In dollars, for example 114,98."),
    )
    method = forms.ChoiceField(label=_("Method"))
    received_on = DateField(label=_("Date received"))
    reference = forms.CharField(
        label=_("Reference"),
        max_length=100,
        required=False,
        help_text=_("The cheque number or the transfer's confirmation number."),
    )

    def __init__(self, *args: Any, methods: tuple[PaymentMethod, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = [(m.value, m.label) for m in methods]
        self.fields["amount"].widget.attrs["inputmode"] = "decimal"

    def clean_received_on(self) -> Any:
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


class ReceiptForm(MoneyMovementForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, methods=OFFLINE_METHODS, **kwargs)


class RefundSentForm(MoneyMovementForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, methods=(*OFFLINE_METHODS, PaymentMethod.CARD), **kwargs)
        self.fields["received_on"].label = _("Date sent")

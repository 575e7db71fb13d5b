"""The staff page's forms for a new API key and a new webhook endpoint (the admin's
twins, outside the admin)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.api import keys
from guichet.api.models import ORGANIZATION_SCOPES, READ_ONLY, SCOPES, ApiKey, Resource
from guichet.api.webhooks.events import EVENT_LABELS, EVENT_TYPES
from guichet.core.forms import DateField
from guichet.dossiers.models import Dossier, DossierKind
from guichet.organizations.queries import organizations_of


def scope_label(scope: str) -> str:
    resource, _sep, access = scope.partition(":")
    name = Resource(resource).label
    if access == "read" or Resource(resource) in READ_ONLY:
        return _("%(resource)s: read") % {"resource": name}
    return _("%(resource)s: read and write") % {"resource": name}


class NewKeyForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the key"), max_length=100)
    account = forms.EmailField(
        label=gettext_lazy("Acts as (the account's email)"),
        help_text=gettext_lazy(
            "The key sees and does what this account's pages show and allow: a staff "
            "account's key, what staff do."
        ),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Scopes"), widget=forms.CheckboxSelectMultiple
    )
    organization = forms.CharField(
        label=gettext_lazy("For one organization only (its file number)"),
        required=False,
        max_length=32,
        help_text=gettext_lazy(
            "Optional. The key then sees what « Mon organisation » shows this account for "
            "that organization: its relations and its invoices (scopes « Organizations and "
            "relations » and « Invoices, credit notes and payments », read)."
        ),
    )
    allowed_ips = forms.CharField(
        label=gettext_lazy("Allowed addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One address or network (CIDR) a line; empty: any address."),
    )
    expires_on = DateField(label=gettext_lazy("Expires on"), required=False)
    rate_per_minute = forms.IntegerField(
        label=gettext_lazy("Requests per minute"), min_value=1, max_value=100_000, initial=120
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [(scope, scope_label(scope)) for scope in SCOPES]

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        if ApiKey.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(_("A key already has this name."))
        return name

    def clean_account(self) -> Any:
        email = self.cleaned_data["account"]
        account = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if account is None:
            raise forms.ValidationError(_("No active account has this email."))
        return account

    def clean_allowed_ips(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["allowed_ips"].splitlines()]
        networks = [line for line in lines if line]
        try:
            keys.check_networks(networks)
        except keys.BadKeySettings as error:
            raise forms.ValidationError(
                _("Enter one address or network a line (e.g. 203.0.113.7 or 10.0.0.0/8).")
            ) from error
        return networks

    def clean_organization(self) -> Dossier | None:
        number = str(self.cleaned_data["organization"]).strip()
        if not number:
            return None
        found = Dossier.objects.filter(number=number, kind=DossierKind.ORGANIZATION).first()
        if found is None:
            raise forms.ValidationError(_("No organization has this file number."))
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        organization, account = data.get("organization"), data.get("account")
        if organization is None:
            return data
        if account is not None and not organizations_of(account).filter(pk=organization.pk):
            self.add_error("organization", _("This account is not a contact of this organization."))
        if set(data.get("scopes", [])) - set(ORGANIZATION_SCOPES):
            self.add_error(
                "scopes",
                _("A key for one organization may only read organizations and invoices."),
            )
        return data

    def clean_expires_on(self) -> datetime | None:
        day = self.cleaned_data["expires_on"]
        if day is None:
            return None
        if day <= timezone.localdate():
            raise forms.ValidationError(_("Choose a day after today."))
        return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


class NewEndpointForm(forms.Form):
    url = forms.URLField(
        label=gettext_lazy("Address (URL)"),
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy("Where Guichet sends each event, by POST (https://…)."),
    )
    description = forms.CharField(label=gettext_lazy("Description"), max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Events sent"), widget=forms.CheckboxSelectMultiple
    )
    notify_email = forms.EmailField(
        label=gettext_lazy("Email to warn if it gets disabled"),
        required=False,
        help_text=gettext_lazy("Empty: yours."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = [
            (name, f"{EVENT_LABELS[name]} ({name})") for name in EVENT_TYPES
        ]

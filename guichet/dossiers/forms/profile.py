"""Forms of « Mon dossier »: each cleans and normalizes; the services save."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from guichet.core.forms import DateField
from guichet.dossiers.models import AddressKind, Dossier, Function, Interest
from guichet.dossiers.services.profile import missing_information, phone_required, required_fields
from guichet.dossiers.validators import (
    normalize_phone,
    normalize_postal_code,
    validate_phone,
    validate_postal_code,
)
from guichet.privacy.models import MailingList
from guichet.privacy.services import shown_wording, wording_fingerprint

PROVINCES = [
    ("QC", "Québec"),
    ("ON", "Ontario"),
    ("NB", _("New Brunswick")),
    ("NS", _("Nova Scotia")),
    ("PE", _("Prince Edward Island")),
    ("NL", _("Newfoundland and Labrador")),
    ("MB", "Manitoba"),
    ("SK", "Saskatchewan"),
    ("AB", "Alberta"),
    ("BC", _("British Columbia")),
    ("YT", "Yukon"),
    ("NT", _("Northwest Territories")),
    ("NU", "Nunavut"),
]
LINKEDIN_PROFILE = re.compile(r"^https://(www\.)?linkedin\.com/in/[^/?#\s]+/?$", re.IGNORECASE)
PHOTO_MAX_BYTES = 8 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000  # refuses decompression bombs well before Pillow would

HOME_FIELDS = ("home_street", "home_city", "home_province", "home_postal_code")
WORK_FIELDS = ("work_employer", "work_street", "work_city", "work_province", "work_postal_code")
PHONE_FIELDS = ("home_phone", "mobile_phone", "work_phone")


def _text(label: Any, max_length: int, required: bool = False) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required)


def _postal_code(required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=_("Postal code"),
        max_length=7,
        required=required,
        help_text=_("For example H2X 1Y4."),
        widget=forms.TextInput({"autocomplete": "postal-code"}),
    )


def _province() -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Province"), choices=PROVINCES, initial="QC")


def _phone(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=32,
        required=False,
        widget=forms.TextInput({"type": "tel", "autocomplete": "tel"}),
    )


def _clean_postal_code(value: str) -> str:
    validate_postal_code(value)
    return normalize_postal_code(value)


def _clean_phone(value: str) -> str:
    validate_phone(value)
    return normalize_phone(value)


class InformationForm(forms.Form):
    """« Mes informations »: addresses, phones and language (not names nor birth date)."""

    home_street = _text(_("Street address"), 255)
    home_city = _text(_("City"), 120)
    home_province = _province()
    home_postal_code = _postal_code()
    work_employer = _text(_("Employer"), 255)
    work_street = _text(_("Street address"), 255)
    work_city = _text(_("City"), 120)
    work_province = _province()
    work_postal_code = _postal_code()
    main_address = forms.ChoiceField(
        label=_("Main address"), choices=AddressKind.choices, widget=forms.RadioSelect
    )
    home_phone = _phone(_("Home phone"))
    mobile_phone = _phone(_("Mobile phone"))
    work_phone = _phone(_("Work phone"))
    language = forms.ChoiceField(label=_("Language of communication"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # What the operator needs is required, marked as such beside its label; the main
        # address is the one posted, else the one on file.
        main = (self.data.get("main_address") if self.is_bound else None) or self.initial.get(
            "main_address", AddressKind.HOME
        )
        for name, reason in required_fields(main).items():
            self.fields[name].required = True
            self.fields[name].error_messages = {
                **self.fields[name].error_messages,
                "required": reason,
            }
        self.phone_required = phone_required()

    @classmethod
    def for_dossier(cls, dossier: Dossier, data: Any = None) -> InformationForm:
        initial = {name: getattr(dossier, name) for name in cls.base_fields}
        return cls(data=data, initial=initial)

    def clean_home_postal_code(self) -> str:
        return _clean_postal_code(self.cleaned_data["home_postal_code"])

    def clean_work_postal_code(self) -> str:
        return _clean_postal_code(self.cleaned_data["work_postal_code"])

    def clean_home_phone(self) -> str:
        return _clean_phone(self.cleaned_data["home_phone"])

    def clean_mobile_phone(self) -> str:
        return _clean_phone(self.cleaned_data["mobile_phone"])

    def clean_work_phone(self) -> str:
        return _clean_phone(self.cleaned_data["work_phone"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("main_address") == AddressKind.WORK and not cleaned.get("work_street"):
            self.add_error(
                "main_address", _("Enter your work address before making it your main address.")
            )
        phone_errors = any(name in self.errors for name in PHONE_FIELDS)
        for name, reason in missing_information(cleaned).items():
            if name not in self.errors and not (name in PHONE_FIELDS and phone_errors):
                self.add_error(name, reason)
        return cleaned

    def group(self, names: tuple[str, ...]) -> list[forms.BoundField]:
        return [self[name] for name in names]

    def home_fields(self) -> list[forms.BoundField]:
        return self.group(HOME_FIELDS)

    def work_fields(self) -> list[forms.BoundField]:
        return self.group(WORK_FIELDS)

    def phone_fields(self) -> list[forms.BoundField]:
        return self.group(PHONE_FIELDS)


class CardForm(forms.Form):
    """« Ma fiche »."""

    allergies = forms.CharField(
        label=_("Allergies and intolerances"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 3}),
    )
    expertise = forms.CharField(
        label=_("Exceptional expertise"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 3}),
    )
    professional_orders = forms.CharField(
        label=_("Professional orders and associations"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 3}),
    )
    linkedin_url = forms.URLField(
        label=_("LinkedIn profile link"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("For example https://www.linkedin.com/in/your-name"),
    )
    photo = forms.ImageField(
        label=_("Profile photo"),
        required=False,
        help_text=_("JPEG, PNG or WebP, 8 MB at most. It is resized and its metadata removed."),
        widget=forms.FileInput({"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_photo = forms.BooleanField(label=_("Remove my photo"), required=False)
    in_directory = forms.BooleanField(
        label=_("Show my profile in the members directory"), required=False
    )

    def clean_linkedin_url(self) -> str:
        url = self.cleaned_data["linkedin_url"]
        if url and not LINKEDIN_PROFILE.match(url):
            raise ValidationError(
                _(
                    "Enter the link to your LinkedIn profile, such as https://www.linkedin.com/in/your-name."
                )
            )
        return url

    def clean_photo(self) -> UploadedFile | None:
        photo = self.cleaned_data.get("photo")
        if not photo:
            return None
        if photo.size > PHOTO_MAX_BYTES:
            raise ValidationError(_("The photo is too large: 8 MB at most."))
        # forms.ImageField has already opened it with Pillow and kept the image's size.
        image = getattr(photo, "image", None)
        if image is None or image.width * image.height > PHOTO_MAX_PIXELS:
            raise ValidationError(_("This image is too large to be used."))
        return photo


class FunctionForm(forms.Form):
    """« Ajouter une fonction »."""

    title = _text(_("Function title"), 200, required=True)
    employer = _text(_("Employer"), 255, required=True)
    street = _text(_("Employer's street address"), 255)
    city = _text(_("City"), 120)
    province = _province()
    postal_code = _postal_code()
    started_on = DateField(label=_("Start date"))
    ended_on = DateField(
        label=_("End date"),
        required=False,
        help_text=_("Leave empty for your current function."),
    )

    def clean_postal_code(self) -> str:
        return _clean_postal_code(self.cleaned_data["postal_code"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        started_on, ended_on = cleaned.get("started_on"), cleaned.get("ended_on")
        if started_on and started_on > timezone.localdate():
            self.add_error("started_on", _("The start date cannot be in the future."))
        if started_on and ended_on and ended_on < started_on:
            self.add_error("ended_on", _("The end date cannot be before the start date."))
        if not ended_on:
            # The current employer's address becomes the main address: it must be whole.
            for name in ("street", "city", "postal_code"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("Required for your current function."))
        return cleaned


class EndFunctionForm(forms.Form):
    """« Indiquer la fin de ma fonction »."""

    ended_on = DateField(label=_("End date"))

    def __init__(self, *args: Any, function: Function, **kwargs: Any) -> None:
        self.function = function
        kwargs.setdefault("prefix", f"fin-{function.pk}")
        super().__init__(*args, **kwargs)

    def clean_ended_on(self) -> date:
        ended_on = self.cleaned_data["ended_on"]
        if ended_on < self.function.started_on:
            raise ValidationError(_("The end date cannot be before the start date."))
        if ended_on > timezone.localdate():
            raise ValidationError(_("The end date cannot be in the future."))
        return ended_on


class SubscriptionsForm(forms.Form):
    """« Mes abonnements »: one checkbox per list; its label is the wording recorded.

    Each list carries a fingerprint of the wording shown. If staff reword a list while
    the page is open, the answer is refused and the new wording shown, so the consent
    recorded is always to the sentence the person actually read.
    """

    def __init__(
        self, data: Any = None, *, lists: list[MailingList], granted: set[int], **kwargs: Any
    ) -> None:
        language = get_language() or "fr"
        self.lists = lists
        self.shown = {ml.pk: shown_wording(ml, language) for ml in lists}
        self.stale = False
        if data is not None:
            self.stale = any(
                data.get(f"shown_{pk}") != wording_fingerprint(wording)
                for pk, wording in self.shown.items()
            )
            data = data.copy()  # a re-shown page carries the current fingerprints
            for pk, wording in self.shown.items():
                data[f"shown_{pk}"] = wording_fingerprint(wording)
        super().__init__(data, **kwargs)
        for mailing_list in lists:
            wording = self.shown[mailing_list.pk]
            self.fields[f"list_{mailing_list.pk}"] = forms.BooleanField(
                label=wording, required=False, initial=mailing_list.pk in granted
            )
            self.fields[f"shown_{mailing_list.pk}"] = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=wording_fingerprint(wording)
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.stale:
            raise ValidationError(
                _(
                    "The wording of a subscription changed while you were reading it. "
                    "Please read it again and save."
                )
            )
        return cleaned

    def choices(self) -> dict[MailingList, bool]:
        return {
            mailing_list: bool(self.cleaned_data.get(f"list_{mailing_list.pk}"))
            for mailing_list in self.lists
        }


class InterestChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Interest) -> str:
        if (get_language() or "fr").startswith("en") and obj.name_en:
            return obj.name_en
        return obj.name


class InterestsForm(forms.Form):
    """« Mes intérêts »: the topics staff offer."""

    interests = InterestChoiceField(
        label=_("My interests"),
        queryset=Interest.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, offered: QuerySet[Interest], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["interests"].queryset = offered

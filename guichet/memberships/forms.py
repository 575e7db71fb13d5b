"""The steps of the participant file and of « Formulaire d'adhésion », and staff's decisions.

Labels are the COMAQ guide's. Each step is a plain form; the wizard (``views/wizard.py``)
keeps what was typed in the session, so « Précédent » loses nothing.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from guichet.core.forms import BirthDateField, DateField
from guichet.dossiers.validators import validate_phone, validate_postal_code
from guichet.memberships.models import DocumentKind, MemberType
from guichet.memberships.services import applications
from guichet.memberships.services.applications import StashedDocument

PDF_HELP = _("A PDF file of at most 10 MB.")


class MemberTypeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: MemberType) -> str:
        return f"{obj.label} — {obj.fee} $"


class MembershipForm(forms.Form):
    """1. Membership: the type of member."""

    member_type = MemberTypeChoice(
        label=_("Type of member"),
        queryset=MemberType.objects.filter(active=True),
        widget=forms.RadioSelect,
        empty_label=None,
    )


class GeneralForm(forms.Form):
    """Informations générales."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    birth_date = BirthDateField(label=_("Birth date"))
    email = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    mobile_phone = forms.CharField(
        label=_("Phone"), max_length=32, validators=[validate_phone], required=False
    )
    language = forms.ChoiceField(
        label=_("Language of communications"), choices=settings.LANGUAGES, initial="fr"
    )

    def __init__(self, *args: Any, locked: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if locked:  # a file on record: names and birth date change by a change request
            for name in ("first_name", "last_name", "birth_date"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "To correct it, send a change request from « Mes informations »."
                )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class AddressForm(forms.Form):
    """Adresse (personnelle)."""

    home_street = forms.CharField(label=_("Street address"), max_length=255)
    home_city = forms.CharField(label=_("City"), max_length=120)
    home_province = forms.CharField(label=_("Province"), max_length=2, initial="QC")
    home_postal_code = forms.CharField(
        label=_("Postal code"), max_length=7, validators=[validate_postal_code]
    )

    def clean_home_postal_code(self) -> str:
        return self.cleaned_data["home_postal_code"].strip().upper()


class PdfField(forms.FileField):
    widget = forms.ClearableFileInput(attrs={"accept": "application/pdf"})


class DocumentsStep(forms.Form):
    """A step with PDF uploads: a file already joined is kept when nothing new is sent."""

    documents: dict[str, DocumentKind] = {}

    def __init__(self, *args: Any, joined: dict[str, dict[str, Any]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.joined = joined or {}
        self.stashed: dict[str, StashedDocument] = {}
        for name in self.documents:
            if name in self.joined:
                self.fields[name].required = False
                self.fields[name].help_text = _(
                    "Already joined: %(name)s. Send another file to replace it."
                ) % {"name": self.joined[name]["name"]}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name, kind in self.documents.items():
            upload: UploadedFile | None = cleaned.get(name)
            if upload:
                try:
                    self.stashed[name] = applications.stash(upload, kind)
                except ValidationError as error:
                    self.add_error(name, error)
        return cleaned


class FunctionsForm(forms.Form):
    """Mes fonctions: the current job."""

    title = forms.CharField(label=_("Function title"), max_length=200)
    employer = forms.CharField(label=_("Employer (municipality or organization)"), max_length=255)
    started_on = DateField(label=_("Start date"))


class MembershipFunctionsForm(DocumentsStep, FunctionsForm):
    """Mes fonctions, in the membership application: with the hiring resolution."""

    documents = {"hiring_resolution": DocumentKind.HIRING_RESOLUTION}
    hiring_resolution = PdfField(label=_("Hiring resolution (PDF)"), help_text=PDF_HELP)

    def __init__(self, *args: Any, member_type: MemberType | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if member_type is not None and not member_type.requires_hiring_resolution:
            self.fields["hiring_resolution"].required = False


class DiplomasForm(DocumentsStep):
    """Mes diplômes: copies of diplomas."""

    documents = {"diploma": DocumentKind.DIPLOMA, "diploma_2": DocumentKind.DIPLOMA}
    diploma = PdfField(label=_("Diploma copy (PDF)"), help_text=PDF_HELP, required=False)
    diploma_2 = PdfField(label=_("Another diploma copy (PDF)"), help_text=PDF_HELP, required=False)

    def __init__(self, *args: Any, member_type: MemberType | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if (
            member_type is not None
            and member_type.requires_diploma
            and "diploma" not in self.joined
        ):
            self.fields["diploma"].required = True


class MoreForm(forms.Form):
    """Informations supplémentaires (« Ma fiche »)."""

    expertise = forms.CharField(
        label=_("Exceptional expertise"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    professional_orders = forms.CharField(
        label=_("Professional orders and associations"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    linkedin_url = forms.URLField(
        label=_("LinkedIn profile"), required=False, assume_scheme="https"
    )


class ConfirmForm(forms.Form):
    """Identifiant, for a person already signed in: nothing to type."""


class MoreDocumentsForm(DocumentsStep):
    """What staff asked for: one or two more PDFs."""

    documents = {"document": DocumentKind.OTHER, "document_2": DocumentKind.OTHER}
    document = PdfField(label=_("Document (PDF)"), help_text=PDF_HELP)
    document_2 = PdfField(label=_("Another document (PDF)"), help_text=PDF_HELP, required=False)


class DecisionForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the person (the reason, or what is missing)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

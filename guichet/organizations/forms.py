"""The service catalog's forms (4b, 5a, 5c, 6) as Django forms, labelled as the guide."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from guichet.core.forms import DateField
from guichet.dossiers.forms.profile import PROVINCES
from guichet.dossiers.models import Dossier
from guichet.dossiers.validators import (
    normalize_phone,
    normalize_postal_code,
    validate_phone,
    validate_postal_code,
)
from guichet.organizations import phones
from guichet.organizations.models import NO_END, AuthorizedSubject, Relation, RelationType
from guichet.organizations.services.relations import Target

ATTEST_AUTHORIZATION = _(
    "I attest that this authorization will allow the person named in the section "
    "Information on the authorized person to obtain information or to act on my behalf."
)
ATTEST_EXACT = _(
    "I attest that the requested changes are accurate and I consent to their taking "
    "effect in my file."
)
ATTEST_EXACT_DOCUMENTS = _(
    "I attest that the requested changes are accurate and, where applicable, I confirm "
    "that I have attached the documents needed to process my request."
)
ATTEST_REMOVAL = _(
    "I attest that the requested changes are accurate and, where applicable, I confirm "
    "that I have attached the documents needed to process my request and I consent to "
    "the changes taking effect in my file."
)


def _phone_types() -> list[tuple[str, Any]]:
    return [("", _("- None -")), *((column, _(label)) for column, label in phones.TYPES.items())]


class TypeSelect(forms.Select):
    """A number's type, in a group of that name (« Type du numéro de téléphone principal »)
    and itself named « Type »: so that the number's own field is the only one whose label
    holds « Numéro de téléphone principal » (a search by label finds it alone)."""

    use_fieldset = True


def phone_fields(form: forms.Form, main: str = "phone", other: str = "other_phone") -> None:
    """The guide's phone fields: the main number's type, territory, prefix and number, and
    « Ajouter un autre numéro de téléphone » (another number and its type)."""
    form.fields[f"{main}_type"] = forms.ChoiceField(
        label=_("Type of the main phone number"),
        choices=_phone_types(),
        required=False,
        widget=TypeSelect(attrs={"aria-label": _("Type")}),
    )
    form.fields["territory"] = forms.ChoiceField(
        label=_("Phone territory"),
        choices=[(phones.NORTH_AMERICA, _("North America"))],
        required=False,
    )
    form.fields["prefix"] = forms.ChoiceField(
        label=_("Prefix"), choices=[("+1", "+1")], required=False
    )
    form.fields[main] = forms.CharField(
        label=_("Main phone number"),
        max_length=32,
        required=False,
        validators=[validate_phone],
        widget=forms.TextInput(attrs={"placeholder": "999 999-9999", "autocomplete": "tel"}),
    )
    form.fields[f"{other}_type"] = forms.ChoiceField(
        label=_("Type of the other phone number"),
        choices=_phone_types(),
        required=False,
        widget=TypeSelect(attrs={"aria-label": _("Type")}),
    )
    form.fields[other] = forms.CharField(
        label=_("Other phone number"),
        max_length=32,
        required=False,
        validators=[validate_phone],
        widget=forms.TextInput(attrs={"placeholder": "999 999-9999"}),
    )


def clean_phones(
    form: forms.Form, data: dict[str, Any], main: str = "phone", other: str = "other_phone"
) -> None:
    """Numbers written as the file keeps them; another number needs its type, one the
    main number does not have."""
    for name in (main, other):
        if data.get(name):
            data[name] = normalize_phone(data[name])
    if data.get(other) and not data.get(f"{other}_type"):
        form.add_error(f"{other}_type", _("Choose the type of this phone number."))
    if data.get(other) and data.get(f"{other}_type") == data.get(f"{main}_type"):
        form.add_error(f"{other}_type", _("Choose another type than the main number's."))


def current_value(value: Any) -> Any:
    """« Valeur actuelle : … », under a field."""
    return format_lazy("{} {}", _("Current value:"), value)


class EndDateField(DateField):
    """An end date, 9999-12-31 (« aucune ») when the relation has none."""

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, str) and value.strip() in ("", NO_END.isoformat()):
            return NO_END
        return super().to_python(value)


class ContactChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Dossier) -> str:
        return obj.display_name


class SubjectChoices(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: AuthorizedSubject) -> str:
        return obj.name


def subjects() -> QuerySet[AuthorizedSubject]:
    return AuthorizedSubject.objects.filter(is_active=True)


class AddRelationForm(forms.Form):
    contact = ContactChoice(
        label=_("Contact in this profile"), queryset=Dossier.objects.none(), required=False
    )
    new_contact = forms.BooleanField(label=_("The contact does not exist"), required=False)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email address"), required=False)
    language = forms.ChoiceField(
        label=_("Language of communication"), choices=settings.LANGUAGES, initial="fr"
    )
    phone = forms.CharField(
        label=_("Main phone number"), max_length=32, required=False, validators=[validate_phone]
    )
    target = forms.ChoiceField(
        label=_("To whom do you want to add a relation?"),
        choices=[
            (Target.MINE, _("My organization")),
            (Target.OTHER, _("Another organization")),
            (Target.INDIVIDUAL, _("An individual")),
        ],
        widget=forms.RadioSelect,
        initial=Target.MINE,
    )
    client = ContactChoice(
        label=_("Organization or individual"), queryset=Dossier.objects.none(), required=False
    )
    kind = forms.ChoiceField(label=_("Choose the relation to add"), choices=RelationType.choices)
    start_date = DateField(label=_("Start date"))
    end_date = EndDateField(label=_("End date"), help_text=_("9999-12-31: none."))
    write_subjects = SubjectChoices(
        label=_("Authorized subjects in read and write (select every subject that applies)"),
        queryset=AuthorizedSubject.objects.none(),
        required=False,
    )
    read_subjects = SubjectChoices(
        label=_("Authorized subjects in read only (select every subject that applies)"),
        queryset=AuthorizedSubject.objects.none(),
        required=False,
    )
    attest_authorization = forms.BooleanField(label=ATTEST_AUTHORIZATION)
    attest_exact = forms.BooleanField(label=ATTEST_EXACT)

    def __init__(
        self, *args: Any, contacts: QuerySet[Dossier], clients: QuerySet[Dossier], **kwargs: Any
    ) -> None:
        kwargs.setdefault("initial", {"start_date": timezone.localdate(), "end_date": NO_END})
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = contacts
        self.fields["client"].queryset = clients
        self.fields["write_subjects"].queryset = subjects()
        self.fields["read_subjects"].queryset = subjects()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_contact"):
            for name in ("first_name", "last_name", "email"):
                if not data.get(name):
                    self.add_error(name, _("This field is required for a new contact."))
        elif not data.get("contact"):
            self.add_error(
                "contact", _("Choose a contact, or tick « The contact does not exist ».")
            )
        if data.get("target") in (Target.OTHER, Target.INDIVIDUAL) and not data.get("client"):
            self.add_error("client", _("Choose the organization or the individual."))
        return data


class ChangeKind:
    COMMUNICATION = "communication"
    PERSONAL = "personal"
    END_DATE = "end_date"


class ChangeContactForm(forms.Form):
    contact = ContactChoice(
        label=_("Authorized individual or contact in this profile"),
        queryset=Dossier.objects.none(),
    )
    what = forms.ChoiceField(
        label=_("What do you want to change?"),
        choices=[
            (ChangeKind.COMMUNICATION, _("Communication details")),
            (ChangeKind.PERSONAL, _("Personal information")),
            (ChangeKind.END_DATE, _("End date of a relation")),
        ],
        widget=forms.RadioSelect,
        initial=ChangeKind.COMMUNICATION,
        help_text=_("Select the type of information to update among the following options."),
    )
    language = forms.ChoiceField(
        label=_("Language of communication"),
        choices=[("", _("- None -")), *settings.LANGUAGES],
        required=False,
    )
    email = forms.EmailField(label=_("Email address"), required=False)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    relation = forms.ModelChoiceField(
        label=_("Relation"), queryset=Relation.objects.none(), required=False
    )
    end_date = EndDateField(label=_("End date"), required=False, help_text=_("9999-12-31: none."))
    new_code = forms.BooleanField(label=_("Issue a new linking code"), required=False)
    attest_exact = forms.BooleanField(label=ATTEST_EXACT_DOCUMENTS)

    def __init__(
        self,
        *args: Any,
        contacts: QuerySet[Dossier],
        relations: QuerySet[Relation],
        person: Dossier | None = None,
        has_account: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = contacts
        self.fields["relation"].queryset = relations
        phone_fields(self)
        if person is not None:
            number, column = phones.current(person)
            shown = {
                "language": person.get_language_display(),
                "phone_type": _(phones.TYPES[column]) if column else "—",
                "phone": f"+1 {number}" if number else "—",
                "email": person.email or "—",
                "first_name": person.first_name or "—",
                "last_name": person.last_name or "—",
            }
            for name, value in shown.items():
                self.fields[name].help_text = current_value(value)
            self.fields["email"].initial = person.email
        if has_account:
            # Guide 003: « L'adresse courriel est modifiable dans la section Paramètres du
            # compte » — by the account's owner only.
            self.fields["email"].disabled = True
            self.fields["email"].help_text = format_lazy(
                "{} {}",
                self.fields["email"].help_text,
                _("The email address is changed in the account settings section."),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        clean_phones(self, data)
        if data.get("what") == ChangeKind.END_DATE and not data.get("relation"):
            self.add_error("relation", _("Choose the relation."))
        return data


class RemoveScope:
    ALL = "all"
    RELATIONS = "relations"
    SUBJECTS = "subjects"


class RemoveForm(forms.Form):
    contact = ContactChoice(label=_("Contact in this profile"), queryset=Dossier.objects.none())
    scope = forms.ChoiceField(
        label=_("Which authorized subject(s) or relation(s) do you want to remove?"),
        choices=[
            (RemoveScope.ALL, _("All the relations")),
            (RemoveScope.RELATIONS, _("One or more relation(s)")),
            (RemoveScope.SUBJECTS, _("One or more authorized subject(s) tied to a relation")),
        ],
        widget=forms.RadioSelect,
        help_text=_(
            "Removing all the relations also removes the authorized subjects tied to them."
        ),
    )
    relations = forms.TypedMultipleChoiceField(
        label=_("Relation(s) already granted"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    subjects = forms.TypedMultipleChoiceField(
        label=_("Authorized subject(s)"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attest_exact = forms.BooleanField(label=ATTEST_REMOVAL)

    def __init__(
        self,
        *args: Any,
        contacts: QuerySet[Dossier],
        relation_choices: list[tuple[int, str]],
        subject_choices: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = contacts
        self.fields["relations"].choices = relation_choices
        self.fields["subjects"].choices = subject_choices

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("scope") == RemoveScope.RELATIONS and not data.get("relations"):
            self.add_error("relations", _("Choose at least one relation."))
        if data.get("scope") == RemoveScope.SUBJECTS and not data.get("subjects"):
            self.add_error("subjects", _("Choose at least one authorized subject."))
        return data


class SendCodesForm(forms.Form):
    contacts = forms.ModelMultipleChoiceField(
        label=_("Contacts"), queryset=Dossier.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    attest_exact = forms.BooleanField(label=ATTEST_EXACT_DOCUMENTS)

    def __init__(self, *args: Any, contacts: QuerySet[Dossier], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contacts"].queryset = contacts
        self.fields["contacts"].label_from_instance = lambda obj: obj.display_name


class EndRelationForm(forms.Form):
    """« Retirer cette relation »: one relation, from the email or a contact's page."""

    attest_exact = forms.BooleanField(label=ATTEST_REMOVAL)


def address_fields(form: forms.Form, dossier: Dossier | None, prefix: str) -> None:
    """Street, city, province and postal code of the file's ``prefix`` address (« home »
    for a person, « work » for an organization), each with its current value."""
    form.fields["street"] = forms.CharField(label=_("Street address"), max_length=255)
    form.fields["city"] = forms.CharField(label=_("City"), max_length=120)
    form.fields["province"] = forms.ChoiceField(
        label=_("Province"), choices=PROVINCES, initial="QC"
    )
    form.fields["postal_code"] = forms.CharField(
        label=_("Postal code"),
        max_length=7,
        help_text=_("For example H2X 1Y4."),
        widget=forms.TextInput({"autocomplete": "postal-code"}),
    )
    if dossier is not None:
        for name in ADDRESS_PARTS:
            value = getattr(dossier, f"{prefix}_{name}")
            form.fields[name].initial = value
            shown = dict(PROVINCES).get(value, value) if name == "province" else value
            form.fields[name].help_text = current_value(shown or "—")


ADDRESS_PARTS = ("street", "city", "province", "postal_code")


def clean_postal_code(value: str) -> str:
    validate_postal_code(value)
    return normalize_postal_code(value)


class ChangeAddressForm(forms.Form):
    """« Modifier l'adresse d'un individu autorisé ou d'un contact »."""

    contact = ContactChoice(
        label=_("Authorized individual or contact in this profile"),
        queryset=Dossier.objects.none(),
    )
    attest_exact = forms.BooleanField(label=ATTEST_EXACT_DOCUMENTS)

    def __init__(
        self, *args: Any, contacts: QuerySet[Dossier], person: Dossier | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = contacts
        address_fields(self, person, "home")
        self.order_fields(["contact", *ADDRESS_PARTS, "attest_exact"])

    def clean_postal_code(self) -> str:
        return clean_postal_code(self.cleaned_data["postal_code"])


class ChangeOrganizationForm(forms.Form):
    """« Modifier les informations d'une organisation »: its address, phones and email
    (its name is the registry's: shown, not changed here)."""

    email = forms.EmailField(label=_("Email address"), required=False)
    attest_exact = forms.BooleanField(label=ATTEST_EXACT_DOCUMENTS)

    def __init__(self, *args: Any, organization: Dossier, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        address_fields(self, organization, "work")
        phone_fields(self)
        number, column = phones.current(organization)
        self.fields["email"].initial = organization.email
        self.fields["email"].help_text = current_value(organization.email or "—")
        self.fields["phone_type"].help_text = current_value(
            _(phones.TYPES[column]) if column else "—"
        )
        self.fields["phone"].help_text = current_value(f"+1 {number}" if number else "—")
        self.order_fields(
            [
                *ADDRESS_PARTS,
                "phone_type",
                "territory",
                "prefix",
                "phone",
                "other_phone_type",
                "other_phone",
                "email",
                "attest_exact",
            ]
        )

    def clean_postal_code(self) -> str:
        return clean_postal_code(self.cleaned_data["postal_code"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        clean_phones(self, data)
        return data

"""Contacts: a new one (« Le contact n'existe pas »), a contact's information (5a) and a
new linking code (5a, 6), one by one or several at once; and what staff apply of the
forms they review (``apply_add_relation``, ``apply_change_contact``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from guichet.audit import services as audit
from guichet.audit.models import Action, Right
from guichet.dossiers import permissions
from guichet.dossiers.models import Dossier
from guichet.dossiers.services import linking
from guichet.dossiers.services.identity import NewDossier, open_dossier
from guichet.organizations import phones, service_catalog
from guichet.organizations.models import Submission
from guichet.organizations.services.common import (
    RIGHT,
    Refused,
    conclude,
    diff_lines,
    locked_organization,
    save_changes,
    send_for_review,
    submit,
)
from guichet.organizations.services.relations import (
    NewRelation,
    contact_in,
    create_relation,
    describe,
    new_relation_from,
    payload_of,
)


@dataclass(frozen=True)
class NewContact:
    first_name: str
    last_name: str
    email: str
    language: str
    phone: str = ""


def open_contact(
    *,
    actor: Any,
    organization: Dossier,
    person: NewContact,
    request: HttpRequest | None,
    right: Right = RIGHT,
) -> Dossier:
    """The new contact's own dossier (in the caller's transaction, under its lock); a
    linking code goes to them once the relation is made (``send_code``)."""
    contact = open_dossier(
        NewDossier(
            first_name=person.first_name,
            last_name=person.last_name,
            birth_date=None,
            language=person.language,
            email=person.email,
        ),
        actor=actor,
        request=request,
        because={"organization": organization.number},
        right=right,
    )
    if person.phone:
        contact.mobile_phone = person.phone
        contact.save(update_fields=["mobile_phone", "updated_at"])
    audit.record(
        Action.CONTACT_CREATED,
        actor=actor,
        dossier=organization,
        right=right,
        request=request,
        data={"contact": contact.number},
    )
    return contact


@transaction.atomic
def add_new_contact(
    *,
    actor: Any,
    organization_id: int,
    person: NewContact,
    new: NewRelation,
    attestations: Sequence[str],
    request: HttpRequest | None = None,
) -> Submission:
    """« Le contact n'existe pas »: their dossier, the relation, then a linking code by
    email so that they link their own account. Named « Personne responsable », all of it
    waits for staff review."""
    organization = locked_organization(actor, organization_id)
    if service_catalog.reviewed("add-relation", {"kind": new.kind}):
        return send_for_review(
            actor=actor,
            organization=organization,
            form="add-relation",
            attestations=attestations,
            changes=[
                {
                    "what": gettext_noop("New contact"),
                    "value": f"{person.first_name} {person.last_name} ({person.email})",
                },
                *describe(new, organization),
            ],
            payload={**payload_of(new), "new_contact": asdict(person)},
            request=request,
        )
    contact = open_contact(actor=actor, organization=organization, person=person, request=request)
    submission = create_relation(
        actor=actor,
        organization=organization,
        new=replace(new, contact=contact),
        attestations=attestations,
        request=request,
    )
    send_code(actor=actor, contact=contact, request=request)
    return submission


def send_code(
    *, actor: Any, contact: Dossier, request: HttpRequest | None, right: Right = RIGHT
) -> None:
    """A linking code to the contact's address on file, to link their own account."""
    if not contact.email:
        raise Refused(_("This contact has no email address: add one first."))
    linking.issue_linking_code(actor=actor, dossier=contact, request=request, right=right)


@dataclass(frozen=True)
class ContactChange:
    language: str | None = None
    phone: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None  # only while the contact has no account of their own
    # The guide's phone fields: the file's phone column (``phones.TYPES``) → its number.
    phones: dict[str, str] | None = None


FIELDS = {
    "language": gettext_noop("Language of communication"),
    "phone": gettext_noop("Main phone number"),
    "first_name": gettext_noop("First name"),
    "last_name": gettext_noop("Last name"),
    "email": gettext_noop("Email address"),
}
COLUMNS = {"phone": "mobile_phone"}


def _diff(contact: Dossier, change: ContactChange) -> dict[str, tuple[str, dict[str, str]]]:
    """column → (new value, the line « Mes demandes » shows), for what really changes."""
    has_account = permissions.holder_of(contact) is not None
    found: dict[str, tuple[str, dict[str, str]]] = {}
    for name, label in FIELDS.items():
        value = getattr(change, name)
        column = COLUMNS.get(name, name)
        if value is None or value == getattr(contact, column):
            continue
        if name == "email" and has_account:
            raise Refused(_("Only its owner changes the email address of an account."))
        line = {"what": label, "value": f"{getattr(contact, column) or '—'} → {value or '—'}"}
        found[column] = (value, line)
    for column, number in (change.phones or {}).items():
        if column not in phones.TYPES:
            raise ValueError(f"Not a phone column: {column}")
        if number and number != getattr(contact, column):
            before = getattr(contact, column) or "—"
            found[column] = (
                number,
                {"what": phones.TYPES[column], "value": f"{before} → {number}"},
            )
    return found


def _code_line(contact: Dossier) -> dict[str, str]:
    return {"what": gettext_noop("New linking code"), "value": contact.email}


def _apply_change(
    *,
    actor: Any,
    organization: Dossier,
    contact: Dossier,
    change: ContactChange,
    new_code: bool,
    attestations: Sequence[str],
    request: HttpRequest | None,
    submission: Submission | None = None,
    right: Right = RIGHT,
) -> Submission:
    diff = _diff(contact, change)
    for column, (value, _line) in diff.items():
        setattr(contact, column, value)
    if diff:
        contact.full_clean(exclude=[f.name for f in Dossier._meta.fields if f.name not in diff])
        contact.save(update_fields=[*diff, "updated_at"])
    changes = [line for _value, line in diff.values()]
    if new_code:
        changes.append(_code_line(contact))
    if not changes and submission is None:
        raise Refused(_("Nothing was changed."))
    submission = conclude(
        actor=actor,
        organization=organization,
        form="change-contact",
        attestations=attestations,
        changes=changes,
        action=Action.CONTACT_CHANGED,
        data={"contact": contact.number, "fields": list(diff), "new_code": new_code},
        request=request,
        told=contact,
        right=right,
        submission=submission,
    )
    if new_code:
        send_code(actor=actor, contact=contact, request=request, right=right)
    return submission


@transaction.atomic
def change_contact(
    *,
    actor: Any,
    organization_id: int,
    contact_id: int,
    change: ContactChange,
    new_code: bool,
    attestations: Sequence[str],
    request: HttpRequest | None = None,
) -> Submission:
    """5a, 6. A change of « Informations personnelles » (the names) waits for staff
    review (``service_catalog``); the rest applies at once."""
    organization = locked_organization(actor, organization_id)
    contact = contact_in(organization, contact_id)
    contact = Dossier.objects.select_for_update().get(pk=contact.pk)
    diff = _diff(contact, change)
    if service_catalog.reviewed("change-contact", {k: v for k, (v, _line) in diff.items()}):
        changes = [line for _value, line in diff.values()]
        if new_code:
            changes.append(_code_line(contact))
        return send_for_review(
            actor=actor,
            organization=organization,
            form="change-contact",
            attestations=attestations,
            changes=[{"what": gettext_noop("Contact"), "value": contact.display_name}, *changes],
            payload={"contact": contact.pk, "change": asdict(change), "new_code": new_code},
            request=request,
        )
    return _apply_change(
        actor=actor,
        organization=organization,
        contact=contact,
        change=change,
        new_code=new_code,
        attestations=attestations,
        request=request,
    )


ADDRESS_LABELS = {
    "home_street": gettext_noop("Street address"),
    "home_city": gettext_noop("City"),
    "home_province": gettext_noop("Province"),
    "home_postal_code": gettext_noop("Postal code"),
}


@transaction.atomic
def change_address(
    *,
    actor: Any,
    organization_id: int,
    contact_id: int,
    address: Mapping[str, str],
    attestations: Sequence[str],
    request: HttpRequest | None = None,
) -> Submission:
    """« Modifier l'adresse d'un individu autorisé ou d'un contact »: the contact's home
    address (``ADDRESS_LABELS``' columns), applied at once; the contact is told."""
    organization = locked_organization(actor, organization_id)
    contact = contact_in(organization, contact_id)
    contact = Dossier.objects.select_for_update().get(pk=contact.pk)
    if set(address) - set(ADDRESS_LABELS):
        raise ValueError(f"Not an address column: {sorted(set(address) - set(ADDRESS_LABELS))}")
    diff = save_changes(contact, address)
    return conclude(
        actor=actor,
        organization=organization,
        form="change-address",
        attestations=attestations,
        changes=diff_lines(diff, ADDRESS_LABELS),
        action=Action.CONTACT_CHANGED,
        data={"contact": contact.number, "fields": list(diff)},
        request=request,
        told=contact,
    )


@transaction.atomic
def send_codes(
    *,
    actor: Any,
    organization_id: int,
    contact_ids: Sequence[int],
    attestations: Sequence[str],
    request: HttpRequest | None = None,
) -> Submission:
    """Step 6 in bulk: a new linking code to each chosen contact."""
    organization = locked_organization(actor, organization_id)
    contacts = [contact_in(organization, pk) for pk in contact_ids]
    if not contacts:
        raise Refused(_("Choose at least one contact."))
    for contact in contacts:
        send_code(actor=actor, contact=contact, request=request)
    changes = [
        {"what": gettext_noop("New linking code"), "value": contact.display_name}
        for contact in contacts
    ]
    return submit(
        actor=actor,
        organization=organization,
        form="send-codes",
        attestations=attestations,
        changes=changes,
    )


# What staff apply of a reviewed form (services/review.py), under the organization's lock.
def apply_add_relation(
    submission: Submission, *, actor: Any, organization: Dossier, request: HttpRequest | None
) -> None:
    payload = submission.payload
    contact = None
    if person := payload.get("new_contact"):
        contact = open_contact(
            actor=actor,
            organization=organization,
            person=NewContact(**person),
            request=request,
            right=Right.STAFF,
        )
    new = new_relation_from(payload, contact)
    if new.contact is None or (contact is None and not _still_a_contact(organization, new)):
        raise Refused(_("This person is no longer a contact of the organization."))
    create_relation(
        actor=actor,
        organization=organization,
        new=new,
        attestations=[a["text"] for a in submission.attestations],
        request=request,
        submission=submission,
        right=Right.STAFF,
    )
    if contact is not None:
        send_code(actor=actor, contact=contact, request=request, right=Right.STAFF)


def _still_a_contact(organization: Dossier, new: NewRelation) -> bool:
    try:
        contact_in(organization, new.contact.pk if new.contact else 0)
    except Http404:
        return False
    return True


def apply_change_contact(
    submission: Submission, *, actor: Any, organization: Dossier, request: HttpRequest | None
) -> None:
    payload = submission.payload
    contact = contact_in(organization, payload["contact"])
    _apply_change(
        actor=actor,
        organization=organization,
        contact=Dossier.objects.select_for_update().get(pk=contact.pk),
        change=ContactChange(**payload["change"]),
        new_code=payload["new_code"],
        attestations=[a["text"] for a in submission.attestations],
        request=request,
        submission=submission,
        right=Right.STAFF,
    )

"""Contacts: a new one (« Le contact n'existe pas »), a contact's information (5a) and a
new linking code (5a, 6), one by one or several at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from guichet.audit import services as audit
from guichet.audit.models import Action
from guichet.dossiers import permissions
from guichet.dossiers.models import Dossier
from guichet.dossiers.services import linking
from guichet.dossiers.services.identity import NewDossier, open_dossier
from guichet.organizations.models import Submission
from guichet.organizations.services.common import (
    RIGHT,
    Refused,
    locked_organization,
    submit,
    tell,
)
from guichet.organizations.services.relations import NewRelation, add_relation, contact_in


@dataclass(frozen=True)
class NewContact:
    first_name: str
    last_name: str
    email: str
    language: str
    phone: str = ""


def open_contact(
    *, actor: Any, organization: Dossier, person: NewContact, request: HttpRequest | None
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
        right=RIGHT,
    )
    if person.phone:
        contact.mobile_phone = person.phone
        contact.save(update_fields=["mobile_phone", "updated_at"])
    audit.record(
        Action.CONTACT_CREATED,
        actor=actor,
        dossier=organization,
        right=RIGHT,
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
    email so that they link their own account."""
    organization = locked_organization(actor, organization_id)
    contact = open_contact(actor=actor, organization=organization, person=person, request=request)
    submission = add_relation(
        actor=actor,
        organization_id=organization_id,
        new=replace(new, contact=contact),
        attestations=attestations,
        request=request,
    )
    send_code(actor=actor, contact=contact, request=request)
    return submission


def send_code(*, actor: Any, contact: Dossier, request: HttpRequest | None) -> None:
    """A linking code to the contact's address on file, to link their own account."""
    if not contact.email:
        raise Refused(_("This contact has no email address: add one first."))
    linking.issue_linking_code(actor=actor, dossier=contact, request=request, right=RIGHT)


@dataclass(frozen=True)
class ContactChange:
    language: str | None = None
    phone: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None  # only while the contact has no account of their own


FIELDS = {
    "language": gettext_noop("Language of communication"),
    "phone": gettext_noop("Main phone number"),
    "first_name": gettext_noop("First name"),
    "last_name": gettext_noop("Last name"),
    "email": gettext_noop("Email address"),
}
COLUMNS = {"phone": "mobile_phone"}


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
    organization = locked_organization(actor, organization_id)
    contact = contact_in(organization, contact_id)
    contact = Dossier.objects.select_for_update().get(pk=contact.pk)
    has_account = permissions.holder_of(contact) is not None
    changes: list[dict[str, str]] = []
    updated: list[str] = []
    for name, label in FIELDS.items():
        value = getattr(change, name)
        column = COLUMNS.get(name, name)
        if value is None or value == getattr(contact, column):
            continue
        if name == "email" and has_account:
            raise Refused(_("Only its owner changes the email address of an account."))
        changes.append(
            {"what": label, "value": f"{getattr(contact, column) or '—'} → {value or '—'}"}
        )
        setattr(contact, column, value)
        updated.append(column)
    if updated:
        contact.full_clean(exclude=[f.name for f in Dossier._meta.fields if f.name not in updated])
        contact.save(update_fields=[*updated, "updated_at"])
    if new_code:
        changes.append({"what": gettext_noop("New linking code"), "value": contact.email})
    if not changes:
        raise Refused(_("Nothing was changed."))
    submission = submit(
        actor=actor,
        organization=organization,
        form="change-contact",
        attestations=attestations,
        changes=changes,
    )
    audit.record(
        Action.CONTACT_CHANGED,
        actor=actor,
        dossier=organization,
        right=RIGHT,
        request=request,
        data={
            "contact": contact.number,
            "fields": updated,
            "new_code": new_code,
            "attestations": [str(t) for t in attestations],
            "submission": submission.pk,
        },
    )
    tell(contact, organization, changes)
    if new_code:
        send_code(actor=actor, contact=contact, request=request)
    return submission


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

"""The service catalog's forms: add (4b, 5b, 7), change (5a, 6), remove (5c), and
« Mes demandes »; each change audited with its attestations and emailed."""

from __future__ import annotations

import re

import pytest

from guichet.audit.models import Action, AuditEvent, Right
from guichet.dossiers import permissions
from guichet.dossiers.grants import READ_BILLING
from guichet.dossiers.models import LinkingCode
from guichet.organizations.grants import MANAGE_RELATIONS
from guichet.organizations.models import (
    AuthorizedSubject,
    Relation,
    RelationSubject,
    RelationType,
    Submission,
    SubmissionStatus,
)
from tests.organizations.cast import contact_with_account, organization, relate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ccq")]

ADD = "/organisation/catalogue/ajouter-une-relation/"
CHANGE = "/organisation/catalogue/modifier-un-contact/"
REMOVE = "/organisation/catalogue/retirer-une-relation/"
CODES = "/organisation/catalogue/coordonnees-de-liaison/"
ATTESTED = {"attest_authorization": "on", "attest_exact": "on"}


def subject_pk(code: str) -> int:
    return AuthorizedSubject.objects.get(code=code).pk


def add_form(**fields):
    return {
        "target": "mine",
        "kind": RelationType.STAFF,
        "start_date": "2026-01-01",
        "end_date": "9999-12-31",
        "language": "fr",
        **ATTESTED,
        **fields,
    }


def test_add_a_relation_with_subjects_to_an_existing_contact(
    responsible_client, local, responsible, mailbox, django_capture_on_commit_callbacks
):
    account, person = contact_with_account(first_name="Zoé", last_name="Ouellet")
    relate(person, local, RelationType.STAFF)
    with django_capture_on_commit_callbacks(execute=True):
        response = responsible_client.post(
            ADD,
            add_form(
                contact=person.pk,
                kind=RelationType.REPRESENTATIVE,
                write_subjects=[subject_pk("paiements")],
                read_subjects=[subject_pk("profil")],
            ),
        )
    assert response.status_code == 302
    relation = Relation.objects.get(contact=person, kind=RelationType.REPRESENTATIVE)
    assert {(s.authorized_subject.code, s.level) for s in relation.subjects.all()} == {
        ("paiements", "write"),
        ("profil", "read"),
    }
    assert permissions.right_over(account, local, act=READ_BILLING) == Right.RELATION
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.APPLIED
    assert submission.attestations[0]["text"].startswith("J'atteste que cette autorisation")
    assert submission.attestations[0]["at"]
    event = AuditEvent.objects.get(action=Action.RELATION_ADDED)
    assert event.actor == responsible[0] and event.right == Right.RELATION
    assert event.data["attestations"] == [a["text"] for a in submission.attestations]
    message = mailbox.wait_for(person.email, "Vos relations avec Syndicat local 1234 ont changé")
    assert "Représentant" in mailbox.body(message)
    mine = responsible_client.get("/organisation/demandes/").content.decode()
    assert "Ajouter une relation ou des sujets autorisés à un contact" in mine
    assert "Appliquée" in mine
    detail = responsible_client.get(f"/organisation/demandes/{submission.pk}/").content.decode()
    assert "Paiements et relevés (Écriture)" in detail and "J&#x27;atteste" in detail


def test_attestations_are_required(responsible_client, local):
    _account, person = contact_with_account()
    relate(person, local, RelationType.STAFF)
    response = responsible_client.post(ADD, add_form(contact=person.pk, attest_exact=""))
    assert response.status_code == 200
    assert Relation.objects.filter(contact=person).count() == 1
    assert not Submission.objects.exists()


def test_a_new_contact_gets_a_dossier_and_a_linking_code(
    responsible_client, local, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = responsible_client.post(
            ADD,
            add_form(
                new_contact="on",
                first_name="Nouveau",
                last_name="Contact",
                email="nouveau.contact@exemple.ca",
                language="en",
                phone="514 555-0123",
                read_subjects=[subject_pk("rapport-mensuel")],
            ),
        )
    assert response.status_code == 302
    relation = Relation.objects.get(contact__last_name="Contact")
    assert relation.organization == local and relation.contact.language == "en"
    assert LinkingCode.objects.filter(dossier=relation.contact).count() == 1
    message = mailbox.wait_for("nouveau.contact@exemple.ca", "Your linking code")
    assert relation.contact.number in mailbox.body(message)
    assert AuditEvent.objects.filter(action=Action.CONTACT_CREATED, dossier=local).exists()


def test_a_responsible_delegates_an_employers_subject_to_a_staff_member(responsible_client, local):
    employer = organization("Construction Boréal inc.")
    relate(local, employer, RelationType.REPRESENTATIVE, {"paiements": "write"})
    account, person = contact_with_account()
    relate(person, local, RelationType.STAFF)
    form = add_form(contact=person.pk, target="other", client=employer.pk)
    refused = responsible_client.post(
        ADD, {**form, "write_subjects": [subject_pk("scrutin")]}
    ).content.decode()
    assert "n&#x27;a pas été délégué" in refused or "n'a pas été délégué" in refused
    response = responsible_client.post(ADD, {**form, "read_subjects": [subject_pk("paiements")]})
    assert response.status_code == 302
    assert Relation.objects.get(contact=person, organization=employer).through == local
    assert permissions.right_over(account, employer, act=READ_BILLING) == Right.RELATION


def test_naming_another_responsible_waits_for_staff(responsible_client, local):
    """Step 7 goes to staff review (service_catalog): nothing is given before they apply
    it (tests/organizations/test_review.py)."""
    account, person = contact_with_account()
    relate(person, local, RelationType.STAFF)
    response = responsible_client.post(
        ADD, add_form(contact=person.pk, kind=RelationType.RESPONSIBLE)
    )
    assert response.status_code == 302
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED
    assert permissions.right_over(account, local, act=MANAGE_RELATIONS) is None
    page = responsible_client.get(response["Location"], follow=True).content.decode()
    assert "notre personnel la révise" in page and "Soumise" in page


def test_change_a_contacts_information_and_send_a_new_code(
    responsible_client, local, mailbox, django_capture_on_commit_callbacks
):
    _account, person = contact_with_account()
    relate(person, local, RelationType.STAFF)
    page = responsible_client.get(CHANGE, {"contact": person.pk}).content.decode()
    assert "Valeur actuelle" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = responsible_client.post(
            CHANGE,
            {
                "contact": person.pk,
                "what": "communication",
                "language": "en",
                "phone_type": "mobile_phone",
                "phone": "514 555-0199",
                "new_code": "on",
                "attest_exact": "on",
            },
        )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.language, person.mobile_phone) == ("en", "514 555-0199")
    assert mailbox.wait_for(person.email, "Your linking code")
    # In the account's language (French): the file's is only for those without an account.
    changed = mailbox.wait_for(person.email, "Vos relations avec Syndicat local 1234 ont changé")
    assert "Langue de communication" in mailbox.body(changed)


def test_the_email_of_an_account_holder_is_changed_only_by_its_owner(responsible_client, local):
    _account, person = contact_with_account()
    relate(person, local, RelationType.STAFF)
    page = responsible_client.post(
        CHANGE,
        {
            "contact": person.pk,
            "what": "communication",
            "email": "x@exemple.ca",
            "attest_exact": "on",
        },
    ).content.decode()
    # Guide 003: « L'adresse courriel est modifiable dans la section Paramètres du compte »;
    # the field is shown, not taken (disabled), and the service refuses it anyway.
    assert "modifiable dans la section Paramètres du compte" in page
    assert re.search(r'<input[^>]*name="email"[^>]*disabled', page)
    assert f'value="{person.email}"' in page  # shown as it is
    person.refresh_from_db()
    assert person.email != "x@exemple.ca"


def test_change_the_end_date_of_a_relation(responsible_client, local):
    _account, person = contact_with_account()
    relation = relate(person, local, RelationType.STAFF)
    response = responsible_client.post(
        CHANGE,
        {
            "contact": person.pk,
            "what": "end_date",
            "relation": relation.pk,
            "end_date": "2030-06-30",
            "attest_exact": "on",
        },
    )
    assert response.status_code == 302
    relation.refresh_from_db()
    assert relation.end_date.isoformat() == "2030-06-30"
    assert AuditEvent.objects.filter(action=Action.RELATION_END_CHANGED).exists()


def test_remove_all_relations_keeps_the_history_as_false(responsible_client, local):
    account, person = contact_with_account(first_name="Marie-Hélène", last_name="Demers")
    relate(person, local, RelationType.STAFF, {"profil": "write"})
    relate(person, local, RelationType.LEADER)
    page = responsible_client.get(REMOVE, {"contact": person.pk}).content.decode()
    assert "Relation(s) déjà octroyée(s)" in page and "Membre du personnel" in page
    response = responsible_client.post(
        REMOVE, {"contact": person.pk, "scope": "all", "attest_exact": "on"}
    )
    assert response.status_code == 302
    assert Relation.objects.filter(contact=person).count() == 2
    assert not any(r.is_active for r in Relation.objects.filter(contact=person))
    assert not RelationSubject.objects.filter(relation__contact=person, removed_at=None).exists()
    assert permissions.right_over(account, local) is None
    contacts = responsible_client.get("/organisation/relations/").content.decode()
    assert "Marie-Hélène Demers" in contacts and "Faux" in contacts


def test_remove_some_subjects(responsible_client, local):
    account, person = contact_with_account()
    relation = relate(person, local, RelationType.STAFF, {"profil": "write", "paiements": "read"})
    row = relation.subjects.get(authorized_subject__code="paiements")
    response = responsible_client.post(
        REMOVE,
        {"contact": person.pk, "scope": "subjects", "subjects": [row.pk], "attest_exact": "on"},
    )
    assert response.status_code == 302
    assert permissions.right_over(account, local, act=READ_BILLING) is None
    assert relation.subjects.filter(removed_at=None).count() == 1
    assert AuditEvent.objects.filter(action=Action.SUBJECTS_REMOVED).exists()


def test_the_last_responsible_cannot_be_removed(responsible_client, local, responsible):
    _account, person, _relation = responsible
    page = responsible_client.post(
        REMOVE, {"contact": person.pk, "scope": "all", "attest_exact": "on"}
    ).content.decode()
    assert "doit garder au moins une personne responsable" in page
    assert Relation.objects.get(contact=person).is_active
    assert not Submission.objects.exists()


def test_send_linking_codes_in_bulk(
    responsible_client, local, mailbox, django_capture_on_commit_callbacks
):
    people = []
    for _ in range(2):
        _account, person = contact_with_account()
        relate(person, local, RelationType.STAFF)
        people.append(person)
    with django_capture_on_commit_callbacks(execute=True):
        response = responsible_client.post(
            CODES, {"contacts": [p.pk for p in people], "attest_exact": "on"}
        )
    assert response.status_code == 302
    for person in people:
        body = mailbox.body(mailbox.wait_for(person.email, "Votre code de liaison"))
        assert re.search(person.number, body)


def test_a_contact_of_another_organization_is_404(responsible_client):
    elsewhere = organization("Ailleurs")
    _account, stranger = contact_with_account()
    relate(stranger, elsewhere, RelationType.STAFF)
    response = responsible_client.post(
        REMOVE, {"contact": stranger.pk, "scope": "all", "attest_exact": "on"}
    )
    assert response.status_code == 200  # not among the choices: the form refuses it
    assert Relation.objects.get(contact=stranger).is_active

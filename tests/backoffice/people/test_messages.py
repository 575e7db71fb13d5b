"""Messages to an offering's participants: Inscriptions (or the offering's activity leader)
writes one; it goes by email through core's mail path to each participant's guardians (an
adult: themself), once per address, in each one's language; it is stored, audited and
listed under « Envoyé le » / « Envoyé par »; the participants read it in « Mon dossier »."""

from __future__ import annotations

import pytest
from django.urls import reverse

from guichet.audit.models import Action, AuditEvent
from guichet.backoffice import privacy as backoffice_privacy
from guichet.backoffice.models import OfferingLeader, ParticipantMessage
from guichet.core.roles import Role
from guichet.registrations.models import RegistrationStatus
from tests.backoffice.people.support import day_camp, family_child
from tests.dossiers.factories import ChildDossierFactory, DossierLinkFactory
from tests.factories import AccountFactory
from tests.registrations.factories_mine import RegistrationFactory, holder_of
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

MESSAGE = {
    "subject": "Piscine fermée jeudi",
    "body": "La piscine est fermée jeudi : l'activité a lieu au gymnase.",
    "subject_en": "Pool closed on Thursday",
    "body_en": "The pool is closed on Thursday: the activity moves to the gym.",
}


def page(offering) -> str:
    return reverse("backoffice:roster_messages", args=[offering.pk])


@pytest.fixture
def camp():
    """A day camp: Léa (French guardian), two children of one English guardian, an adult
    registered for herself, and someone on the waiting list."""
    camp = day_camp(title="Camp de jour des Explorateurs", title_en="Explorers day camp")
    lea = family_child(camp)
    english = AccountFactory(email="john@example.com", language="en", first_name="John")
    for name in ("Amy", "Ben"):
        child = ChildDossierFactory(first_name=name, last_name="Smith")
        DossierLinkFactory(account=english, dossier=child, role="guardian")
        RegistrationFactory(offering=camp, participant=child, registered_by=english)
    adult = AccountFactory(email="adulte@exemple.ca", language="fr")
    RegistrationFactory(offering=camp, participant=holder_of(adult), registered_by=adult)
    waiting = AccountFactory(email="attente@exemple.ca")
    RegistrationFactory(
        offering=camp,
        participant=holder_of(waiting),
        registered_by=waiting,
        status=RegistrationStatus.WAITING,
    )
    camp.french_guardian = lea.registered_by
    return camp


def test_the_registrar_writes_to_the_participants_in_their_languages(
    staff_with, client_of, camp, mailbox, django_capture_on_commit_callbacks
):
    registrar = staff_with(Role.REGISTRAR, first_name="Nadia", last_name="Roy")
    client = client_of(registrar)
    roster = text_of(client.get(reverse("backoffice:roster", args=[camp.pk])))
    assert "Écrire aux participants" in roster

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page(camp), MESSAGE)
    assert response["Location"] == page(camp)

    message = ParticipantMessage.objects.get()
    assert message.emails_count == 3  # one per address: John once for his two children
    assert message.recipients.count() == 4  # the waiting list is not written to
    assert message.sent_by == registrar and message.role == Role.REGISTRAR
    french = mailbox.wait_for(camp.french_guardian.email, "Piscine fermée jeudi")
    assert "l'activité a lieu au gymnase" in mailbox.body(french)
    assert "Camp de jour des Explorateurs" in mailbox.body(french)
    assert "/mon-dossier/mes-messages/" in mailbox.body(french)
    english = mailbox.wait_for("john@example.com", "Pool closed on Thursday")
    assert "the activity moves to the gym" in mailbox.body(english)
    assert "Explorers day camp" in mailbox.body(english)
    mailbox.wait_for("adulte@exemple.ca", "Piscine fermée jeudi")
    addressed = [item["To"] for item in mailbox.messages]
    assert sorted(addressed) == sorted(
        [camp.french_guardian.email, "john@example.com", "adulte@exemple.ca"]
    )

    event = AuditEvent.objects.get(action=Action.PARTICIPANTS_MESSAGED)
    assert event.actor == registrar and event.role == Role.REGISTRAR
    assert event.data["registrations"] == 4 and event.data["emails"] == 3

    listing = text_of(client.get(page(camp)))
    assert "Envoyé le" in listing and "Envoyé par" in listing
    assert "Piscine fermée jeudi" in listing and "Nadia Roy" in listing


def test_participants_read_the_message_in_mon_dossier(staff_with, client_of, camp):
    client_of(staff_with(Role.REGISTRAR)).post(page(camp), MESSAGE)
    mine = reverse("dossiers:messages")
    french = text_of(client_of(camp.french_guardian).get(mine))
    assert "Piscine fermée jeudi" in french and "Camp de jour des Explorateurs" in french
    english = client_of(AccountFactory._meta.model.objects.get(email="john@example.com"))
    assert "Pool closed on Thursday" in text_of(english.get(mine))
    # Someone on the waiting list, or a stranger, sees nothing of it.
    waiting = AccountFactory._meta.model.objects.get(email="attente@exemple.ca")
    assert "Piscine" not in text_of(client_of(waiting).get(mine))
    assert "Piscine" not in text_of(client_of(AccountFactory()).get(mine))


def test_the_offerings_activity_leader_writes_too(staff_with, client_of, camp):
    leader = staff_with(Role.ANIMATION)
    OfferingLeader.objects.create(offering=camp, account=leader)
    response = client_of(leader).post(page(camp), MESSAGE)
    assert response.status_code == 302
    assert ParticipantMessage.objects.get().role == Role.ANIMATION


@pytest.mark.parametrize("role", [Role.COUNTER, Role.ACCOUNTING, Role.PRIVACY, Role.ANIMATION])
def test_other_roles_get_a_404_and_nothing_is_sent(staff_with, client_of, camp, role, mailbox):
    client = client_of(staff_with(role))
    assert client.get(page(camp)).status_code == 404
    assert client.post(page(camp), MESSAGE).status_code == 404
    assert not ParticipantMessage.objects.exists()
    assert client_of(AccountFactory()).get(page(camp)).status_code == 404


def test_a_message_without_subject_is_explained_and_nothing_typed_is_lost(
    staff_with, client_of, camp
):
    client = client_of(staff_with(Role.REGISTRAR))
    response = client.post(page(camp), {**MESSAGE, "subject": ""})
    assert response.status_code == 400
    text = text_of(response)
    assert "Ce champ est obligatoire." in text
    assert MESSAGE["body"] in response.content.decode().replace("&#x27;", "'")
    assert not ParticipantMessage.objects.exists()


def test_the_message_is_in_the_participants_archive(staff_with, client_of, camp):
    client_of(staff_with(Role.REGISTRAR)).post(page(camp), MESSAGE)
    (table,) = backoffice_privacy.export(camp.french_guardian).tables
    assert table.name == "messages"
    assert [(row["offering"], row["subject"]) for row in table.rows] == [
        ("Camp de jour des Explorateurs", "Piscine fermée jeudi")
    ]
    assert backoffice_privacy.export(AccountFactory()).tables[0].rows == []

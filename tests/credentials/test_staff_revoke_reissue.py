"""Staff revoke an attestation with a reason, and re-issue one; each audited. Others 404."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator

from guichet.audit.models import Action, AuditEvent, Right
from guichet.credentials.models import Attestation, AttestationStatus
from tests.credentials.cast import attended, member_of, past_training
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, staff):
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(staff)
    return client


@pytest.fixture
def attestation(comaq, account, staff):
    dossier = member_of(account, first_name="Mathilde", last_name="Bérubé")
    registration = attended(dossier, past_training(title="Budget municipal"), by=staff)
    return Attestation.objects.get(registration=registration)


def test_staff_find_an_attestation_by_code_file_number_or_name(desk, attestation):
    for query in (attestation.display_code, attestation.dossier.number, "bérubé"):
        html = text_of(desk.get("/attestations/personnel/", {"q": query}))
        assert attestation.display_code in html, query
    html = text_of(desk.get("/attestations/personnel/", {"q": "personne"}))
    assert "Aucune attestation trouvée." in html


def test_revoking_needs_a_reason_and_is_audited(desk, staff, attestation):
    url = f"/attestations/personnel/{attestation.pk}/revoquer/"
    refused = desk.post(url, {"reason": ""})
    assert refused.status_code == 200
    attestation.refresh_from_db()
    assert attestation.status == AttestationStatus.VALID

    response = desk.post(url, {"reason": "Présence saisie par erreur"}, follow=True)

    assert "L'attestation est révoquée." in text_of(response)
    attestation.refresh_from_db()
    assert attestation.is_revoked
    assert attestation.revoked_by == staff
    assert attestation.revocation_reason == "Présence saisie par erreur"
    event = AuditEvent.objects.get(action=Action.ATTESTATION_REVOKED)
    assert (event.actor, event.right, event.dossier) == (staff, Right.STAFF, attestation.dossier)
    assert event.data["reason"] == "Présence saisie par erreur"
    # Twice is refused (404: nothing valid to revoke).
    assert desk.post(url, {"reason": "encore"}).status_code == 404


def test_reissuing_gives_a_new_code_and_revokes_the_old_one(desk, staff, attestation):
    dossier = attestation.dossier
    dossier.last_name = "Bérubé-Tremblay"
    dossier.save()

    response = desk.post(
        f"/attestations/personnel/{attestation.pk}/reemettre/",
        {"reason": "Changement de nom"},
        follow=True,
    )

    new = Attestation.objects.get(replaces=attestation)
    assert "Une nouvelle attestation a été émise" in text_of(response)
    assert new.code != attestation.code
    assert new.holder_name == "Mathilde Bérubé-Tremblay"
    assert new.registration_id == attestation.registration_id
    attestation.refresh_from_db()
    assert attestation.is_revoked and attestation.revocation_reason == "Changement de nom"
    issued = AuditEvent.objects.filter(action=Action.ATTESTATION_ISSUED, actor=staff)
    assert issued.get().data["replaces"] == attestation.pk
    # Re-issuing the same one again is refused: its replacement exists.
    again = desk.post(f"/attestations/personnel/{attestation.pk}/reemettre/", {})
    assert again.status_code == 404


@pytest.mark.parametrize("path", ["/attestations/personnel/", "/attestations/personnel/{pk}/"])
def test_people_who_are_not_staff_get_404(client, account, attestation, path):
    client.force_login(account)
    assert client.get(path.format(pk=attestation.pk)).status_code == 404
    revoke = f"/attestations/personnel/{attestation.pk}/revoquer/"
    assert client.post(revoke, {"reason": "x"}).status_code == 404
    attestation.refresh_from_db()
    assert not attestation.is_revoked


def test_the_journal_reads_a_revocation_with_its_attestation_and_reason(desk, attestation):
    desk.post(f"/attestations/personnel/{attestation.pk}/revoquer/", {"reason": "Présence erronée"})

    html = text_of(desk.get("/personnel/journal/"))

    assert "Attestation révoquée" in html
    assert attestation.display_code in html
    assert f"/attestations/personnel/{attestation.pk}/" in html
    assert "Attestation de présence" in html
    assert "Présence erronée" in html

"""The public page /verifier/<code>/ confirms an attestation (name, what, date, status),
says so when it is revoked, and shows nothing else; an unknown code is a neutral 404."""

from __future__ import annotations

import pytest
from django.test import Client

from guichet.credentials.models import Attestation
from guichet.credentials.services import attestations
from tests.credentials.cast import attended, member_of, past_training
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def attestation(comaq, account, staff):
    dossier = member_of(
        account, first_name="Mathilde", last_name="Bérubé", email="mathilde@exemple.ca"
    )
    registration = attended(
        dossier, past_training("OMA-101-A", title="Rédaction des procès-verbaux"), by=staff
    )
    return Attestation.objects.get(registration=registration)


def test_a_valid_attestation_is_confirmed_to_anyone(attestation):
    response = Client().get(f"/verifier/{attestation.code}/")

    assert response.status_code == 200
    html = text_of(response)
    assert "Cette attestation est authentique" in html
    assert "Mathilde Bérubé" in html
    assert "A suivi la formation « Rédaction des procès-verbaux »" in html
    assert "Valide" in html
    assert attestation.display_code in html
    # Nothing else: no file number, no email, no link into the person's file.
    assert attestation.dossier.number not in html
    assert "mathilde@exemple.ca" not in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]


def test_the_code_may_be_typed_with_dashes_and_in_lower_case(attestation):
    typed = attestation.display_code.lower()
    assert Client().get(f"/verifier/{typed}/").status_code == 200
    response = Client().get("/verifier/", {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/verifier/{attestation.code}/"


def test_a_revoked_attestation_says_so(attestation, staff):
    attestations.revoke(attestation, reason="Présence saisie par erreur", actor=staff)

    html = text_of(Client().get(f"/verifier/{attestation.code}/"))

    assert "Cette attestation a été révoquée le" in html
    assert "elle n'est plus valide" in html
    assert "Révoquée" in html
    assert "Présence saisie par erreur" not in html  # the reason stays with staff


@pytest.mark.parametrize("code", ["ABCDEFGHJKMNPQRSTVWX", "trop-court", "0" * 20])
def test_an_unknown_code_is_a_neutral_404(attestation, code):
    response = Client().get(f"/verifier/{code}/")
    assert response.status_code == 404
    html = text_of(response)
    assert "Page introuvable" in html
    assert "Mathilde" not in html


def test_lookups_are_rate_limited_per_address(attestation):
    visitor = Client()
    statuses = [visitor.get("/verifier/ABCDEFGHJKMNPQRSTVWX/").status_code for _ in range(30)]
    assert set(statuses) == {404}
    assert visitor.get(f"/verifier/{attestation.code}/").status_code == 429

"""« Formulaire d'adhésion » without a file: the 7 steps, « Précédent » keeping what was
typed, and at « Identifiant » the account, the file (next number) and the application
with its PDFs, created together."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import Account
from guichet.dossiers.models import Dossier, DossierLink
from guichet.memberships.models import Application
from tests.memberships.cast import member_types, real_pdf, upload

pytestmark = pytest.mark.django_db

PASSWORD = "Officier-Municipal-2027!"
STEPS = {
    2: {
        "first_name": "Hélène",
        "last_name": "Dubé",
        "birth_date": "1979-02-11",
        "email": "helene.dube@exemple.ca",
        "mobile_phone": "",
        "language": "en",
    },
    3: {
        "home_street": "8, rue du Parc",
        "home_city": "Lévis",
        "home_province": "QC",
        "home_postal_code": "G6V 1A1",
    },
    6: {"expertise": "", "professional_orders": "", "linkedin_url": ""},
}


def step(client: Client, number: int, data: dict, **extra) -> object:
    return client.post(reverse("memberships:apply", args=[number]), {**data, **extra})


def test_seven_steps_create_the_account_the_file_and_the_application(
    mailbox, django_capture_on_commit_callbacks
):
    regular = member_types()["membre-regulier"]
    client = Client()
    assert step(client, 1, {"member_type": regular.pk}).status_code == 302
    assert step(client, 2, STEPS[2]).status_code == 302
    # « Précédent » from step 3 keeps what was typed there.
    step(client, 3, {"home_street": "8, rue du Parc"}, previous="1")
    page = client.get(reverse("memberships:apply", args=[3])).content.decode()
    assert 'value="8, rue du Parc"' in page
    assert step(client, 3, STEPS[3]).status_code == 302
    functions = {
        "title": "Greffière",
        "employer": "Ville de Lévis",
        "started_on": "2020-01-06",
        "hiring_resolution": upload(real_pdf(), "resolution.pdf"),
    }
    assert step(client, 4, functions).status_code == 302
    # A renamed HTML file is refused with the reason; the step is not passed.
    refused = step(client, 5, {"diploma": upload(b"<html></html>", "diplome.pdf")})
    assert refused.status_code == 200
    assert "n&#x27;est pas un document PDF" in refused.content.decode()
    assert step(client, 5, {"diploma": upload(real_pdf(), "diplome.pdf")}).status_code == 302
    assert step(client, 6, STEPS[6]).status_code == 302
    identifier = {
        "email": "helene.dube@exemple.ca",
        "email2": "helene.dube@exemple.ca",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "accept_terms": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = step(client, 7, identifier)
    assert response.status_code in (200, 302)

    account = Account.objects.get(email="helene.dube@exemple.ca")
    assert account.language == "en"
    dossier = Dossier.objects.get(last_name="Dubé")
    assert DossierLink.objects.get(dossier=dossier).account == account
    application = Application.objects.get(dossier=dossier)
    assert application.applicant == account
    assert sorted(application.documents.values_list("kind", flat=True)) == [
        "diploma",
        "hiring_resolution",
    ]
    mailbox.wait_for("helene.dube@exemple.ca", "membership application")  # in English
    assert "memberships.application" not in client.session  # the wizard forgets


def test_steps_cannot_be_skipped():
    member_types()
    response = Client().get(reverse("memberships:apply", args=[5]))
    assert response.status_code == 302
    assert response["Location"] == reverse("memberships:apply", args=[1])

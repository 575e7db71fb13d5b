"""Every date a person types in the project goes through the one core date field: the
expected form is said beside the field, a date that cannot be read is answered with a
form error beside the field (never an HTTP 400), and what was typed is kept."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.billing.services.payments import choose_offline
from guichet.dossiers.models import Dossier, Function, LinkRole
from guichet.requests.models import Request
from tests.billing.cast import holder, invoiced
from tests.dossiers.factories import DossierFactory, DossierLinkFactory
from tests.factories import AccountFactory
from tests.support.captcha import solved_captcha
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

HINT = "AAAA-MM-JJ ou JJ/MM/AAAA, par exemple 2015-09-14."
IMPOSSIBLE = "31/02/2015"
REASON = "Cette date n'existe pas : vérifiez le jour et le mois."


@dataclass
class DateInput:
    """One date input of one page: how to reach it and what else the form needs."""

    name: str
    field: str  # the field's HTML name (with its form prefix)
    send: Callable[[Client, str], object]  # posts (or gets) the form with the typed date


def signed_in(client: Client, *, staff: bool = False) -> object:
    account = AccountFactory(is_staff=staff, is_superuser=staff)
    if staff:
        Authenticator.objects.create(user=account, type=Authenticator.Type.TOTP, data={})
    client.force_login(account)
    return account


def with_dossier(client: Client) -> tuple[object, Dossier]:
    account = signed_in(client)
    dossier = DossierFactory(birth_date=datetime.date(1984, 5, 12))
    DossierLinkFactory(account=account, dossier=dossier, role=LinkRole.HOLDER)
    return account, dossier


def login_id_reminder(client: Client, typed: str):
    return client.post(
        "/mon-dossier/identifiant-oublie/",
        {"number": "104523", "birth_date": typed, "captcha": solved_captcha()},
    )


def household_add(client: Client, typed: str):
    with_dossier(client)
    return client.post("/mon-dossier/famille/ajouter/", {"number": "104524", "birth_date": typed})


def link_by_number(client: Client, typed: str):
    signed_in(client)
    return client.post("/mon-dossier/activer/numero/", {"number": "104523", "birth_date": typed})


def link_by_member_identity(client: Client, typed: str):
    signed_in(client)
    return client.post(
        "/mon-dossier/activer/membre/",
        {"number": "00875", "last_name": "Côté", "birth_date": typed, "postal_code": "G5C 1A1"},
    )


def member_signup(client: Client, typed: str):
    return client.post(
        "/mon-dossier/premiere-visite/",
        {
            "number": "00875",
            "last_name": "Côté",
            "birth_date": typed,
            "postal_code": "G5C 1A1",
            "captcha": solved_captcha(),
        },
    )


def statement(client: Client, typed: str):
    signed_in(client)
    return client.get(reverse("billing:statement"), {"start": typed, "end": "2026-12-31"})


def statement_pdf(client: Client, typed: str):
    signed_in(client)
    return client.get(reverse("billing:statement_pdf"), {"start": typed, "end": "2026-12-31"})


def dossier_number_request(client: Client, typed: str):
    signed_in(client)
    return client.post(
        "/demandes/numero-de-dossier/",
        {
            "first_name": "Léa",
            "last_name": "Roy",
            "birth_date": typed,
            "street": "12, rue des Pins",
            "city": "Baie-Comeau",
            "postal_code": "G4Z 1A1",
            "phone": "418 555-0142",
            "email": "lea@exemple.ca",
        },
    )


def change_request(client: Client, typed: str):
    _, dossier = with_dossier(client)
    return client.post(
        f"/demandes/modification/{dossier.pk}/",
        {"first_name": "Léa", "last_name": "Roy", "birth_date": typed, "reason": "Erreur"},
    )


def add_function(client: Client, typed: str):
    with_dossier(client)
    return client.post(
        "/mon-dossier/mes-fonctions/",
        {
            "title": "Greffière",
            "employer": "Ville de Baie-Comeau",
            "street": "19, avenue Marquette",
            "city": "Baie-Comeau",
            "province": "QC",
            "postal_code": "G4Z 1K5",
            "started_on": typed,
        },
    )


def end_function(client: Client, typed: str):
    _, dossier = with_dossier(client)
    function = Function.objects.create(
        dossier=dossier, title="Greffière", employer="Ville", started_on=datetime.date(2020, 1, 6)
    )
    return client.post(
        f"/mon-dossier/mes-fonctions/{function.pk}/fin/", {f"fin-{function.pk}-ended_on": typed}
    )


def end_function_field(response) -> str:
    return re.search(r'name="(fin-\d+-ended_on)"', text_of(response)).group(1)


def grant_delegation(client: Client, typed: str):
    signed_in(client, staff=True)
    delegate = AccountFactory()
    return client.post(
        reverse("dossiers:staff_delegation_grant", args=[delegate.pk]), {"starts_on": typed}
    )


def audit_journal(client: Client, typed: str):
    signed_in(client, staff=True)
    return client.get("/personnel/journal/", {"since": typed})


def staff_receipt(client: Client, typed: str):
    account, dossier = holder()
    _, invoice = invoiced(account, dossier, non_member_price=Decimal("100.00"))
    choose_offline(invoice, "cheque", actor=account)
    signed_in(client, staff=True)
    return client.post(
        reverse("billing:staff_invoice_payments", args=[invoice.pk]),
        {
            "action": "receipt",
            "receipt-amount": "10,00",
            "receipt-method": "cheque",
            "receipt-received_on": typed,
            "receipt-reference": "1042",
        },
    )


def catalog_filter(client: Client, typed: str):
    return client.get("/catalogue/", {"starts_after": typed})


INPUTS = [
    DateInput("« Identifiant oublié ? »", "birth_date", login_id_reminder),
    DateInput("« Ma famille », ajouter un membre", "birth_date", household_add),
    DateInput("« Activez votre dossier », numéro", "birth_date", link_by_number),
    DateInput("« Activez votre dossier », matricule", "birth_date", link_by_member_identity),
    DateInput("« Première visite »", "birth_date", member_signup),
    DateInput("Relevé de compte", "start", statement),
    DateInput("Relevé de compte, PDF", "start", statement_pdf),
    DateInput("Demande de numéro de dossier", "birth_date", dossier_number_request),
    DateInput("Demande de modification", "birth_date", change_request),
    DateInput("« Mes fonctions », ajouter", "started_on", add_function),
    DateInput("« Mes fonctions », fin", "", end_function),
    DateInput("Personnel : délégation", "starts_on", grant_delegation),
    DateInput("Personnel : journal", "since", audit_journal),
    DateInput("Personnel : réception d'un paiement", "receipt-received_on", staff_receipt),
    DateInput("Catalogue : filtre", "starts_after", catalog_filter),
]


@pytest.mark.parametrize("date_input", INPUTS, ids=[i.name for i in INPUTS])
def test_an_impossible_date_is_a_form_error_beside_the_field_with_the_expected_form(
    client, date_input
):
    response = date_input.send(client, IMPOSSIBLE)
    assert response.status_code == 200
    page = text_of(response)
    field = date_input.field or end_function_field(response)
    widget = re.search(rf'<input[^>]*name="{field}"[^>]*>', page).group(0)
    assert f'value="{IMPOSSIBLE}"' in widget  # what was typed is kept
    assert 'type="text"' in widget
    field_id = re.search(r' id="([^"]+)"', widget).group(1)
    assert f"{field_id}_errors" in widget and f"{field_id}_helptext" in widget
    errors = re.search(rf'<ul class="errorlist" id="{field_id}_errors">(.*?)</ul>', page, re.S)
    assert errors and REASON in errors.group(1)
    helptext = re.search(rf'<div class="helptext" id="{field_id}_helptext">(.*?)</div>', page)
    assert helptext and HINT in helptext.group(1)


BIRTH_DATE_INPUTS = [i for i in INPUTS if i.field == "birth_date"]


@pytest.mark.parametrize("date_input", BIRTH_DATE_INPUTS, ids=[i.name for i in BIRTH_DATE_INPUTS])
def test_every_birth_date_refuses_the_future(client, date_input):
    tomorrow = timezone.localdate() + datetime.timedelta(days=2)
    response = date_input.send(client, tomorrow.strftime("%d/%m/%Y"))
    assert "La date de naissance ne peut pas être dans le futur." in text_of(response)


@pytest.mark.parametrize("typed", ["1984-09-14", "1984/09/14", "14/09/1984"])
def test_a_request_reads_the_three_usual_forms(client, typed):
    response = dossier_number_request(client, typed)
    assert response.status_code == 302, text_of(response)
    assert Request.objects.get().data["birth_date"] == "1984-09-14"


@pytest.mark.parametrize("typed", ["2026-01-01", "2026/01/01", "01/01/2026"])
def test_the_statement_reads_the_three_usual_forms(client, typed):
    response = statement(client, typed)
    assert response.status_code == 200
    assert "Solde d'ouverture" in text_of(response)

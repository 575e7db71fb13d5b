"""At the counter: find the person, register their child with the online rules, take a
debit payment through billing, print the receipt."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from guichet.audit.models import Action, AuditEvent
from guichet.billing.models import Invoice, Payment
from guichet.core.roles import Role
from guichet.registrations.models import Registration, RegistrationStatus
from tests.catalog.factories import OfferingFactory
from tests.dossiers.factories import ChildDossierFactory, DossierFactory, DossierLinkFactory
from tests.factories import AccountFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def family():
    """Marie, resident, holds her file; she is guardian of Thomas (born 2016)."""
    marie = AccountFactory(first_name="Marie", last_name="Tremblay")
    own = DossierFactory(
        first_name="Marie",
        last_name="Tremblay",
        number="104523",
        mobile_phone="418-555-0142",
        email="marie@exemple.ca",
        is_resident=True,
    )
    DossierLinkFactory(account=marie, dossier=own)
    thomas = ChildDossierFactory(first_name="Thomas", last_name="Tremblay", is_resident=True)
    DossierLinkFactory(account=marie, dossier=thomas, role="guardian")
    return own, thomas


@pytest.fixture
def clerk(staff_with):
    return staff_with(Role.COUNTER)


def search(client, query):
    return text_of(client.get(reverse("backoffice:counter"), {"q": query}))


@pytest.mark.parametrize("query", ["Tremblay Marie", "104523", "418 555 0142", "MARIE@exemple.ca"])
def test_find_the_person_and_their_child(client_of, clerk, family, query):
    page = search(client_of(clerk), query)
    assert "Marie Tremblay" in page
    assert "Thomas Tremblay" in page
    assert reverse("backoffice:counter_register", args=[family[1].pk]) in page


def test_a_short_or_unknown_search_finds_nobody(client_of, clerk, family):
    client = client_of(clerk)
    assert "au moins deux caractères" in search(client, "T")
    assert "Personne ne correspond" in search(client, "Zzyzx")


def test_register_a_child_then_take_a_debit_payment(client_of, clerk, family):
    _marie, thomas = family
    swim = OfferingFactory(title="Natation — Junior 3", capacity=10)
    client = client_of(clerk)
    url = reverse("backoffice:counter_register", args=[thomas.pk])
    assert "Natation — Junior 3" in text_of(client.get(url))

    response = client.post(url, {"offre": swim.pk, "key": uuid.uuid4().hex})
    registration = Registration.objects.get(participant=thomas)
    assert registration.status == RegistrationStatus.PENDING_PAYMENT
    invoice = Invoice.objects.for_source(registration).get()
    assert response["Location"] == reverse("backoffice:counter_payment", args=[invoice.pk])
    registered = AuditEvent.objects.get(action=Action.REGISTERED, dossier=thomas)
    assert (registered.actor, registered.right, registered.role) == (clerk, "staff", Role.COUNTER)

    payment_page = reverse("backoffice:counter_payment", args=[invoice.pk])
    assert "Carte de débit" in text_of(client.get(payment_page))
    response = client.post(
        payment_page, {"amount": str(invoice.balance).replace(".", ","), "method": "debit"}
    )
    paid = Payment.objects.get(invoice=invoice)
    assert (paid.method, paid.amount, paid.recorded_by) == ("debit", invoice.total, clerk)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert response["Location"] == reverse("backoffice:counter_receipt", args=[paid.pk])
    pdf = client.get(response["Location"], {"format": "pdf"})
    assert pdf.content.startswith(b"%PDF")


def test_the_same_rules_as_online(client_of, clerk, family):
    _marie, thomas = family
    adults = OfferingFactory(title="Aquaforme", min_age=18)
    client = client_of(clerk)
    url = reverse("backoffice:counter_register", args=[thomas.pk])
    page = text_of(client.post(url, {"offre": adults.pk, "key": uuid.uuid4().hex}, follow=True))
    assert "18" in page
    assert not Registration.objects.filter(participant=thomas).exists()

    full = OfferingFactory(title="Complet", capacity=1, spots_taken=1)
    client.post(url, {"offre": full.pk, "key": uuid.uuid4().hex})
    assert Registration.objects.get(participant=thomas).status == RegistrationStatus.WAITING


def test_a_double_click_registers_once(client_of, clerk, family):
    _marie, thomas = family
    swim = OfferingFactory()
    client = client_of(clerk)
    url = reverse("backoffice:counter_register", args=[thomas.pk])
    key = uuid.uuid4().hex
    client.post(url, {"offre": swim.pk, "key": key})
    client.post(url, {"offre": swim.pk, "key": key})
    assert Registration.objects.filter(participant=thomas).count() == 1


def test_more_than_the_balance_is_refused_and_kept(client_of, clerk, family):
    _marie, thomas = family
    client = client_of(clerk)
    client.post(
        reverse("backoffice:counter_register", args=[thomas.pk]),
        {"offre": OfferingFactory().pk, "key": uuid.uuid4().hex},
    )
    invoice = Invoice.objects.get()
    page = text_of(
        client.post(
            reverse("backoffice:counter_payment", args=[invoice.pk]),
            {"amount": "9999,00", "method": "cash", "reference": "tiroir 2"},
        )
    )
    assert "solde" in page and "tiroir 2" in page
    assert not Payment.objects.exists()


@pytest.mark.parametrize("role", [Role.ANIMATION, Role.PRIVACY, Role.ACCOUNTING])
def test_other_roles_get_404(staff_with, client_of, family, role):
    client = client_of(staff_with(role))
    assert client.get(reverse("backoffice:counter"), {"q": "Tremblay"}).status_code == 404
    url = reverse("backoffice:counter_register", args=[family[1].pk])
    assert client.post(url, {"offre": OfferingFactory().pk, "key": "x"}).status_code == 404
    assert not Registration.objects.exists()

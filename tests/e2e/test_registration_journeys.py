"""Registering as a new user would: a guardian's cart, a delegate for someone else."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from guichet.catalog.models import Question
from guichet.registrations.models import Registration
from tests.e2e.test_account_journeys import sign_in
from tests.registrations.engine_support import (
    add_child,
    make_delegate,
    make_offering,
    make_option,
    make_person,
)
from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_guardian_registers_two_children_in_one_cart(page: Page, password):
    guardian, _ = make_person(password=password)
    add_child(guardian, first_name="Léa", last_name="Gagnon")
    add_child(guardian, first_name="Noé", last_name="Gagnon")
    swim = make_offering(title="Natation junior", capacity=5)
    skate = make_offering(title="Patin libre", capacity=5)
    sign_in(page, guardian.email, password)
    page.goto("/inscriptions/panier/")
    expect(page.get_by_role("heading", name="Panier familial")).to_be_visible()
    assert_accessible(page)
    for child, activity in (("Léa Gagnon", "Natation junior"), ("Noé Gagnon", "Patin libre")):
        page.get_by_label("Activité").select_option(label=activity)
        page.get_by_label("Participant").select_option(label=child)
        page.get_by_role("button", name="Ajouter au panier").click()
    page.get_by_role("button", name="Soumettre le panier").click()
    expect(page.get_by_role("heading", name="Résultat de votre inscription")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_text("Place réservée", exact=False)).to_have_count(2)
    page.get_by_role("button", name="Confirmer l'inscription de Léa Gagnon").click()
    # Something is owed: the spot is kept while the invoice waits to be paid.
    expect(page.get_by_text("Votre place est réservée", exact=False)).to_be_visible()
    expect(page.get_by_role("heading", name="Payer cette facture")).to_be_visible()
    assert Registration.objects.filter(offering=swim, status="pending_payment").count() == 1
    assert Registration.objects.filter(offering=skate, status="held").count() == 1


def test_guardian_gives_each_child_their_own_answers(page: Page, password):
    guardian, _ = make_person(password=password)
    lea = add_child(guardian, first_name="Léa", last_name="Gagnon")
    noe = add_child(guardian, first_name="Noé", last_name="Gagnon")
    camp = make_offering(title="Camp de jour", capacity=5)
    Question.objects.create(
        offering=camp,
        label="Taille du chandail",
        kind="choice",
        choices=["P", "M", "G"],
        required=True,
    )
    make_option(camp, name="Dîner chaud", capacity=10, max_per_registration=5)
    sign_in(page, guardian.email, password)
    page.goto(f"/inscriptions/s-inscrire/{camp.slug}/")
    page.get_by_label("Léa Gagnon").check()
    page.get_by_label("Noé Gagnon").check()
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("heading", name="Questions et options")).to_be_visible()
    lea_answers = page.get_by_role("group", name="Léa Gagnon")
    noe_answers = page.get_by_role("group", name="Noé Gagnon")
    lea_answers.get_by_label("Taille du chandail").select_option("P")
    lea_answers.get_by_label("Dîner chaud", exact=False).fill("2")
    page.get_by_role("button", name="Continuer").click()  # Noé's size is missing
    expect(noe_answers.get_by_text("Ce champ est obligatoire.")).to_be_visible()
    expect(lea_answers.get_by_text("Ce champ est obligatoire.")).to_have_count(0)
    expect(lea_answers.get_by_label("Dîner chaud", exact=False)).to_have_value("2")
    assert_accessible(page)
    noe_answers.get_by_label("Taille du chandail").select_option("G")
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("heading", name="Vérifier et soumettre")).to_be_visible()
    expect(page.get_by_role("heading", name="Léa Gagnon")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Soumettre l'inscription").click()
    expect(page.get_by_text("Place réservée", exact=False)).to_have_count(2)
    lea_registration = Registration.objects.get(participant=lea)
    noe_registration = Registration.objects.get(participant=noe)
    assert lea_registration.answers == {"Taille du chandail": "P"}
    assert noe_registration.answers == {"Taille du chandail": "G"}
    assert lea_registration.option_lines.get().quantity == 2
    assert not noe_registration.option_lines.exists()


def test_delegate_registers_another_person_and_a_companion(page: Page, password):
    delegate, _ = make_delegate()
    delegate.set_password(password)
    delegate.save()
    _, member = make_person(first_name="Gaston", last_name="Bélanger")
    offering = make_offering(kind="event", title="Congrès annuel")
    make_option(offering, name="Accompagnateur au gala", kind="companion", capacity=10)
    sign_in(page, delegate.email, password)
    page.goto(f"/inscriptions/s-inscrire/{offering.slug}/")
    assert_accessible(page)
    page.get_by_label("Nom de la personne").fill("Bélanger")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_label("Gaston Bélanger", exact=False).check()
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("heading", name="Questions et options")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Accompagnateur au gala", exact=False).fill("1")
    page.get_by_label("Noms des accompagnateurs").fill("Rita Bélanger")
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("heading", name="Vérifier et soumettre")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Soumettre l'inscription").click()
    expect(page.get_by_text("Place réservée", exact=False)).to_be_visible()
    registration = Registration.objects.get(participant=member)
    assert registration.right == "delegate" and registration.registered_by == delegate
    assert registration.option_lines.get().companion_name == "Rita Bélanger"


def test_cancellation_before_and_refusal_after_the_deadline(page: Page, password):
    import datetime
    import uuid

    from django.utils import timezone

    from guichet.registrations.services.register import submit_cart

    account, dossier = make_person(password=password)
    offerings = [make_offering(title="Yoga"), make_offering(title="Poterie")]
    for offering in offerings:
        submit_cart(
            actor=account,
            lines=[(offering, dossier, {}, {})],
            idempotency_key=uuid.uuid4().hex,
        )
    late = offerings[1]
    late.change_deadline = timezone.now() - datetime.timedelta(minutes=1)
    late.save()
    yoga, pottery = (Registration.objects.get(offering=o) for o in offerings)
    sign_in(page, account.email, password)
    page.goto(f"/inscriptions/{yoga.pk}/annuler/")
    assert_accessible(page)
    page.get_by_role("button", name="Oui, annuler").click()
    expect(page.get_by_text("L'inscription est annulée.")).to_be_visible()
    page.goto(f"/inscriptions/{pottery.pk}/annuler/")
    expect(
        page.get_by_text("La date limite pour modifier ou annuler en ligne est passée.")
    ).to_be_visible()
    expect(page.get_by_role("link", name="loisirs@valdeserables.exemple.ca")).to_be_visible()
    expect(page.get_by_role("button", name="Oui, annuler")).to_have_count(0)
    yoga.refresh_from_db()
    pottery.refresh_from_db()
    assert (yoga.status, pottery.status) == ("cancelled", "held")

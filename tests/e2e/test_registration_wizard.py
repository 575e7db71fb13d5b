"""The registration pages as a family and a congress participant go through them: who may be
registered and why not, the steps, the total before « Soumettre », what to do after a
refusal, and modifying a registration with companions."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from guichet.catalog import eligibility
from guichet.registrations.models import Registration
from guichet.registrations.services.register import ToRegister, submit_cart
from tests.e2e.test_account_journeys import sign_in
from tests.registrations.engine_support import add_child, make_offering, make_option, make_person
from tests.support.browser import assert_accessible, assert_no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

D = Decimal


def aged(years: int) -> datetime.date:
    """A birth date making the person ``years`` old when the offering starts (in 30 days)."""
    day = timezone.localdate() + datetime.timedelta(days=30)
    return day.replace(year=day.year - years) - datetime.timedelta(days=10)


def test_a_parent_sees_who_may_be_registered_and_the_total_before_submitting(page: Page, password):
    guardian, parent = make_person(password=password, first_name="Marie", last_name="Tremblay")
    parent.birth_date = aged(38)
    parent.save()
    lea = add_child(guardian, first_name="Léa", last_name="Tremblay", birth_date=aged(7))
    noe = add_child(guardian, first_name="Noé", last_name="Tremblay", birth_date=aged(8))
    swim = make_offering(title="Natation 6-8 ans", min_age=6, max_age=8, non_member_price=D("60"))
    submit_cart(actor=guardian, lines=[(swim, noe, {}, {})], idempotency_key=uuid.uuid4().hex)

    sign_in(page, guardian.email, password)
    page.goto(f"/inscriptions/s-inscrire/{swim.slug}/")
    expect(page.get_by_text("Étape 1 de 2 : qui")).to_be_visible()
    marie = page.get_by_role("checkbox", name="Marie Tremblay")
    expect(marie).to_be_disabled()
    expect(marie).to_have_accessible_description(eligibility.age_rule(swim))
    expect(page.get_by_role("checkbox", name="Noé Tremblay")).to_be_disabled()
    expect(page.get_by_role("checkbox", name="Noé Tremblay")).to_have_accessible_description(
        "Noé Tremblay a déjà une inscription ou une place sur la liste d'attente."
    )
    assert_accessible(page)
    page.set_viewport_size({"width": 360, "height": 800})
    assert_no_horizontal_scroll(page)

    page.get_by_role("checkbox", name="Léa Tremblay").check()
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("heading", name="Vérifier et soumettre")).to_be_visible()
    expect(page.get_by_text("Étape 2 de 2 : vérification")).to_be_visible()
    owed = page.get_by_role("table")
    expect(owed.get_by_role("row", name="Léa Tremblay (Non-membre) 68,99 $")).to_be_visible()
    expect(owed.get_by_role("row", name="Total, taxes incluses", exact=False)).to_contain_text(
        "68,99 $"
    )
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.get_by_role("button", name="Soumettre l'inscription").click()
    expect(page.get_by_text("Place réservée", exact=False)).to_be_visible()
    assert Registration.objects.get(participant=lea).status == "held"


def test_a_refusal_offers_to_start_again_without_the_full_option(page: Page, password):
    account, dossier = make_person(password=password, first_name="Gaston", last_name="Bélanger")
    congress = make_offering(kind="event", title="Congrès annuel")
    gala = make_option(congress, name="Soirée gala", capacity=1)

    sign_in(page, account.email, password)
    page.goto(f"/inscriptions/s-inscrire/{congress.slug}/")
    expect(page.get_by_text("Étape 1 de 3 : qui")).to_be_visible()
    page.get_by_role("checkbox", name="Gaston Bélanger").check()
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_text("Étape 2 de 3 : questions et options")).to_be_visible()
    page.get_by_label("Soirée gala", exact=False).fill("1")
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_text("Étape 3 de 3 : vérification")).to_be_visible()
    # Meanwhile, somebody else takes the gala's last seat.
    other, other_dossier = make_person()
    submit_cart(
        actor=other, lines=[(congress, other_dossier, {gala.pk: 1}, {})], idempotency_key="x"
    )
    page.get_by_role("button", name="Soumettre l'inscription").click()

    expect(
        page.get_by_text("Inscription refusée : L'option « Soirée gala » est complète.")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Voir les autres évènements")).to_be_visible()
    expect(page.get_by_role("link", name="loisirs@valdeserables.exemple.ca")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Recommencer sans cette option").click()
    expect(page.get_by_role("heading", name="Inscription à Congrès annuel")).to_be_visible()
    page.get_by_role("checkbox", name="Gaston Bélanger").check()
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("button", name="Soumettre l'inscription").click()
    expect(page.get_by_text("Place réservée", exact=False)).to_be_visible()


def test_modifying_a_registration_with_companions_keeps_and_changes_their_names(
    page: Page, password
):
    account, dossier = make_person(password=password, first_name="Gaston", last_name="Bélanger")
    congress = make_offering(kind="event", title="Congrès annuel")
    companion = make_option(
        congress,
        name="Accompagnateur au gala",
        kind="companion",
        capacity=10,
        max_per_registration=3,
    )
    submit_cart(
        actor=account,
        lines=[
            ToRegister(congress, dossier, {companion.pk: 1}, {}, {companion.pk: ["Rita Bélanger"]})
        ],
        idempotency_key=uuid.uuid4().hex,
    )
    registration = Registration.objects.get(participant=dossier)

    sign_in(page, account.email, password)
    page.goto(f"/inscriptions/{registration.pk}/")
    page.get_by_role("link", name="Modifier").click()
    names = page.get_by_label("Noms des accompagnateurs (un par ligne)")
    expect(names).to_have_value("Rita Bélanger")
    assert_accessible(page)
    page.get_by_label("Accompagnateur au gala", exact=False).fill("2")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Indiquez le nom de chaque accompagnateur.")).to_be_visible()
    expect(names).to_have_value("Rita Bélanger")
    names.fill("Rita Bélanger\nPaul Bélanger")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Vos modifications sont enregistrées.")).to_be_visible()
    expect(page.get_by_text("(Paul Bélanger)")).to_be_visible()

    rows = registration.option_lines.order_by("id")
    assert [(row.quantity, row.companion_name) for row in rows] == [
        (1, "Rita Bélanger"),
        (1, "Paul Bélanger"),
    ]

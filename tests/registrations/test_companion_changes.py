"""Modifying a registration with companions keeps their names, and writes the same rows as
registering does (one row per named companion)."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from guichet.catalog.models import OptionKind
from guichet.registrations.models import CartLine, Registration
from guichet.registrations.services.register import ToRegister, submit_cart
from tests.registrations.engine_support import make_offering, make_option, make_person
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


def rows(registration: Registration) -> list[tuple[str, int, str, str]]:
    return [
        (row.option.name, row.quantity, str(row.unit_price), row.companion_name)
        for row in registration.option_lines.select_related("option").order_by("id")
    ]


def registered(offering, who, options, companions) -> Registration:
    account, dossier = who
    result = submit_cart(
        actor=account,
        lines=[ToRegister(offering, dossier, options, {}, companions)],
        idempotency_key=uuid.uuid4().hex,
    )
    return Registration.objects.get(pk=result["lines"][0]["registration"])


@pytest.fixture
def gala():
    offering = make_offering(kind="event", title="Congrès annuel")
    companion = make_option(
        offering,
        name="Accompagnateur au gala",
        kind=OptionKind.COMPANION,
        capacity=10,
        max_per_registration=3,
    )
    return offering, companion


def test_the_modify_page_shows_the_companions_names_and_saves_them_as_they_are(client, gala):
    offering, companion = gala
    who = make_person()
    registration = registered(
        offering, who, {companion.pk: 2}, {companion.pk: ["Rita Bélanger", "Paul Bélanger"]}
    )
    before = rows(registration)
    client.force_login(who[0])
    url = reverse("registrations:modify", args=[registration.pk])

    page = client.get(url)
    shown = page.context["form"].initial
    response = client.post(url, {k: v for k, v in shown.items() if v not in (None, "")})

    assert "Rita Bélanger\nPaul Bélanger" in text_of(page)
    assert response.status_code == 302, response.context["form"].errors
    assert rows(registration) == before


def test_adding_a_companion_writes_the_rows_registering_would_have_written(client, gala):
    offering, companion = gala
    who = make_person()
    registration = registered(offering, who, {companion.pk: 1}, {companion.pk: ["Rita Bélanger"]})
    client.force_login(who[0])

    client.post(
        reverse("registrations:modify", args=[registration.pk]),
        {f"o{companion.pk}": "2", f"c{companion.pk}": "Rita Bélanger\nPaul Bélanger"},
    )

    names = {companion.pk: ["Rita Bélanger", "Paul Bélanger"]}
    at_once = registered(offering, make_person(), {companion.pk: 2}, names)
    assert (
        rows(registration)
        == rows(at_once)
        == [
            ("Accompagnateur au gala", 1, "75.00", "Rita Bélanger"),
            ("Accompagnateur au gala", 1, "75.00", "Paul Bélanger"),
        ]
    )
    companion.refresh_from_db()
    assert companion.taken == 4


def test_renaming_a_companion_keeps_the_count_and_the_rows(client, gala):
    offering, companion = gala
    who = make_person()
    registration = registered(offering, who, {companion.pk: 1}, {companion.pk: ["Rita Bélanger"]})
    row_ids = list(registration.option_lines.values_list("id", flat=True))
    client.force_login(who[0])

    client.post(
        reverse("registrations:modify", args=[registration.pk]),
        {f"o{companion.pk}": "1", f"c{companion.pk}": "Rita Tremblay"},
    )

    assert rows(registration) == [("Accompagnateur au gala", 1, "75.00", "Rita Tremblay")]
    assert list(registration.option_lines.values_list("id", flat=True)) == row_ids
    companion.refresh_from_db()
    assert companion.taken == 1


def test_a_missing_name_is_refused_beside_the_field_keeping_what_was_typed(client, gala):
    offering, companion = gala
    who = make_person()
    registration = registered(offering, who, {companion.pk: 1}, {companion.pk: ["Rita Bélanger"]})
    client.force_login(who[0])

    response = client.post(
        reverse("registrations:modify", args=[registration.pk]),
        {f"o{companion.pk}": "2", f"c{companion.pk}": "Rita Bélanger"},
    )

    html = text_of(response)
    assert response.status_code == 200
    assert "Indiquez le nom de chaque accompagnateur." in html
    assert f'aria-describedby="id_c{companion.pk}_errors"' in html
    assert "Rita Bélanger" in html
    assert rows(registration) == [("Accompagnateur au gala", 1, "75.00", "Rita Bélanger")]


def test_the_cart_line_and_the_wizard_keep_companions_the_same_way(client, gala):
    offering, companion = gala
    account, dossier = make_person()
    client.force_login(account)
    client.post(
        reverse("registrations:cart"),
        {"add": "1", "offering": offering.pk, "participant": dossier.pk},
    )
    line = CartLine.objects.get()
    client.post(
        reverse("registrations:cart_line", args=[line.pk]),
        {f"p{dossier.pk}-o{companion.pk}": "1", f"p{dossier.pk}-c{companion.pk}": "Rita Bélanger"},
    )
    line.refresh_from_db()
    url = reverse("registrations:start", args=[offering.slug])
    client.post(url, {"step": "who", "participants": [dossier.pk]})
    client.post(
        url,
        {
            "step": "details",
            f"p{dossier.pk}-o{companion.pk}": "1",
            f"p{dossier.pk}-c{companion.pk}": "Rita Bélanger",
        },
    )
    wizard = client.session[f"registration:{offering.pk}"]["choices"][str(dossier.pk)]

    kept = {"options": line.options, "companions": line.companions, "answers": line.answers}
    assert (
        kept
        == wizard
        == {
            "options": {str(companion.pk): 1},
            "companions": {str(companion.pk): ["Rita Bélanger"]},
            "answers": {},
        }
    )

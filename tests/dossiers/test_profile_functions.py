"""« Mes fonctions »: end a function, add one; the current employer's address becomes main."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from guichet.audit.models import Action, AuditEvent
from guichet.dossiers.models import Function
from tests.dossiers.factories import DossierLinkFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

MIDDLEWARE_QUERIES = 7


@pytest.fixture
def link(client):
    link = DossierLinkFactory()
    client.force_login(link.account)
    return link


def new_function(**changes):
    data = {
        "title": "Greffière",
        "employer": "Municipalité de Ragueneau",
        "street": "523, route 138",
        "city": "Ragueneau",
        "province": "QC",
        "postal_code": "g0h1s0",
        "started_on": "2024-03-01",
        "ended_on": "",
    }
    data.update(changes)
    return data


def test_adding_a_current_function_makes_the_employer_address_the_main_address(client, link):
    response = client.post(reverse("dossiers:functions"), new_function())
    assert response.status_code == 302
    function = Function.objects.get(dossier=link.dossier)
    assert function.postal_code == "G0H 1S0" and function.ended_on is None
    dossier = link.dossier
    dossier.refresh_from_db()
    assert dossier.main_address == "work"
    assert dossier.work_employer == "Municipalité de Ragueneau"
    assert dossier.work_street == "523, route 138"
    assert dossier.work_postal_code == "G0H 1S0"
    assert dossier.postal_code == "G0H 1S0"
    html = text_of(client.get(response["Location"]))
    assert "L'adresse de votre employeur est maintenant votre adresse principale" in html
    event = AuditEvent.objects.get(action=Action.PROFILE_CHANGED)
    assert event.data["function_added"]["employer"] == "Municipalité de Ragueneau"
    assert event.data["before"]["main_address"] == "home"
    assert event.data["after"]["main_address"] == "work"


def test_adding_a_past_function_leaves_the_main_address_alone(client, link):
    client.post(
        reverse("dossiers:functions"),
        new_function(started_on="2010-01-01", ended_on="2015-06-30", street="", postal_code=""),
    )
    link.dossier.refresh_from_db()
    assert link.dossier.main_address == "home"
    assert Function.objects.get(dossier=link.dossier).ended_on == datetime.date(2015, 6, 30)


def test_a_current_function_needs_the_employer_address(client, link):
    response = client.post(
        reverse("dossiers:functions"), new_function(street="", title="Directrice générale")
    )
    assert response.status_code == 200
    html = text_of(response)
    assert "Requis pour votre fonction actuelle." in html
    assert 'value="Directrice générale"' in html
    assert not Function.objects.exists()


def test_bad_dates_and_postal_code_are_refused_in_french(client, link):
    response = client.post(
        reverse("dossiers:functions"),
        new_function(started_on="2020-01-01", ended_on="2019-01-01", postal_code="ABC"),
    )
    html = text_of(response)
    assert "La date de fin ne peut pas précéder la date de début." in html
    assert "Entrez un code postal canadien" in html
    assert 'value="ABC"' in html


def test_ending_a_function(client, link):
    function = Function.objects.create(
        dossier=link.dossier,
        title="Trésorier",
        employer="Ville",
        started_on=datetime.date(2019, 1, 1),
    )
    html = text_of(client.get(reverse("dossiers:functions")))
    assert "Indiquer la fin de ma fonction" in html
    response = client.post(
        reverse("dossiers:end_function", args=[function.pk]),
        {f"fin-{function.pk}-ended_on": "2024-02-29"},
    )
    assert response.status_code == 302
    function.refresh_from_db()
    assert function.ended_on == datetime.date(2024, 2, 29)
    event = AuditEvent.objects.get(action=Action.PROFILE_CHANGED)
    assert event.data["before"] == {"ended_on": None}
    assert event.data["after"] == {"ended_on": "2024-02-29"}
    html = text_of(client.get(reverse("dossiers:functions")))
    assert "Fonctions passées" in html and "29 février 2024" in html


def test_an_end_before_the_start_is_refused_and_kept(client, link):
    function = Function.objects.create(
        dossier=link.dossier,
        title="Trésorier",
        employer="Ville",
        started_on=datetime.date(2019, 1, 1),
    )
    response = client.post(
        reverse("dossiers:end_function", args=[function.pk]),
        {f"fin-{function.pk}-ended_on": "2018-12-31"},
    )
    assert response.status_code == 200
    html = text_of(response)
    assert "La date de fin ne peut pas précéder la date de début." in html
    assert 'value="2018-12-31"' in html
    function.refresh_from_db()
    assert function.ended_on is None


def test_ending_another_persons_function_is_a_404(client, link, outsider):
    function = Function.objects.create(
        dossier=link.dossier,
        title="Trésorier",
        employer="Ville",
        started_on=datetime.date(2019, 1, 1),
    )
    DossierLinkFactory(account=outsider)
    client.force_login(outsider)
    response = client.post(
        reverse("dossiers:end_function", args=[function.pk]),
        {f"fin-{function.pk}-ended_on": "2024-01-01"},
    )
    assert response.status_code == 404
    function.refresh_from_db()
    assert function.ended_on is None


def test_ending_requires_post(client, link):
    function = Function.objects.create(
        dossier=link.dossier,
        title="Trésorier",
        employer="Ville",
        started_on=datetime.date(2019, 1, 1),
    )
    assert client.get(reverse("dossiers:end_function", args=[function.pk])).status_code == 405


def test_page_query_count_does_not_grow_with_functions(client, link, django_assert_max_num_queries):
    for year in range(2000, 2010):
        Function.objects.create(
            dossier=link.dossier,
            title=f"Fonction {year}",
            employer="Ville",
            started_on=datetime.date(year, 1, 1),
            ended_on=None if year > 2006 else datetime.date(year, 12, 31),
        )
    client.get(reverse("dossiers:functions"))
    with django_assert_max_num_queries(MIDDLEWARE_QUERIES + 2):
        response = client.get(reverse("dossiers:functions"))
    assert response.status_code == 200

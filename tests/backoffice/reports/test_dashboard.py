"""The staff home: what needs doing today with counts, and the charts each role may see,
every figure also in a table, in a fixed number of queries whatever the rows."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guichet import presets
from guichet.backoffice.reports import dashboard_charts
from guichet.backoffice.tasks import refresh_dashboard_charts
from guichet.billing.models import PaymentMethod
from guichet.billing.services.ledger import record_payment
from guichet.core.roles import Role
from guichet.registrations.models import Registration, RegistrationStatus
from guichet.requests.models import Request
from tests.billing.cast import holder, invoiced, plain_invoice
from tests.catalog.factories import OfferingFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

HOME = reverse("backoffice:home")


def test_the_old_staff_address_leads_to_the_dashboard(client, staff_with):
    client.force_login(staff_with(Role.COUNTER))
    response = client.get(reverse("core:staff"))
    assert response.status_code == 302
    assert response["Location"] == HOME


def test_people_and_staff_without_a_role_get_a_404(client, account, staff_with):
    client.force_login(account)
    assert client.get(HOME).status_code == 404
    client.force_login(staff_with())
    assert client.get(HOME).status_code == 404


def test_visitors_are_sent_to_sign_in(client):
    assert client.get(HOME)["Location"].startswith(reverse("account_login"))


def test_each_role_sees_its_own_tools_and_figures(client, staff_with):
    client.force_login(staff_with(Role.ACCOUNTING))
    html = text_of(client.get(HOME))
    assert f'href="{reverse("billing:staff_payments")}"' in html
    assert f'href="{reverse("backoffice:accounting")}"' in html
    assert "Revenus par mois" in html and "Soldes impayés selon l’âge" in html
    assert "Taux de remplissage" not in html
    assert reverse("requests:queue") not in html
    assert reverse("audit:journal") not in html

    client.force_login(staff_with(Role.REGISTRAR))
    html = text_of(client.get(HOME))
    assert f'href="{reverse("requests:queue")}"' in html
    assert "Taux de remplissage" in html
    assert "Revenus par mois" not in html
    assert reverse("billing:staff_payments") not in html
    assert reverse("backoffice:accounting") not in html


def test_the_counts_of_what_needs_doing_today(client, staff_with, account):
    Request.objects.create(kind="file_number", submitted_by=account, data={})
    offering = OfferingFactory(capacity=1)
    _account, dossier = holder()
    soon = timezone.now() + datetime.timedelta(hours=3)
    Registration.objects.create(
        offering=offering,
        participant=dossier,
        registered_by=_account,
        right="self",
        status=RegistrationStatus.OFFERED,
        unit_price=Decimal("10.00"),
        offer_expires_at=soon,
    )
    client.force_login(staff_with(Role.REGISTRAR))
    html = text_of(client.get(HOME))
    # Counted here; linked once, under « À traiter » (one name, one link).
    assert '<span class="todo-count">1</span> <span>Demandes à traiter' in " ".join(html.split())
    assert html.count('href="/demandes/personnel/"') == 1
    assert '<span class="todo-count">1</span> <span>Offres de la liste d’attente' in " ".join(
        html.split()
    )


def _season(staff, n: int):
    """``n`` registrations, each invoiced, half paid; some waiting; an old unpaid invoice."""
    offering = OfferingFactory(title="Natation", capacity=n)
    for _i in range(n):
        account, dossier = holder()
        _registration, invoice = invoiced(account, dossier, offering)
        if _i % 2:
            record_payment(invoice, amount=invoice.total, method=PaymentMethod.CHEQUE, actor=staff)
    full = OfferingFactory(title="Patin", capacity=0)
    for _i in range(n):
        account, dossier = holder()
        Registration.objects.create(
            offering=full,
            participant=dossier,
            registered_by=account,
            right="self",
            status=RegistrationStatus.WAITING,
            unit_price=Decimal("10.00"),
        )
    account, dossier = holder()
    with time_machine.travel(timezone.now() - datetime.timedelta(days=75), tick=False):
        plain_invoice(account, dossier, "100.00")


def test_the_charts_show_their_numbers_in_a_table(client, staff_with):
    admin = staff_with(Role.ADMINISTRATION)
    _season(admin, 4)
    client.force_login(admin)
    html = " ".join(text_of(client.get(HOME)).split())
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') >= 6
    assert 'role="img" aria-labelledby="chart-opening-title chart-opening-desc"' in html
    # Natation: 4 of 4 spots; Patin has 4 waiting.
    assert '<th scope="row">Natation</th><td class="num">4</td><td class="num">4</td>' in html
    assert '<th scope="row">Patin</th><td class="num">4</td>' in html
    # The 75-day-old invoice of 114,98 $ is in the 61–90 column.
    assert '<th scope="row">61 à 90 jours</th><td class="num">1</td><td class="num">114,98' in html
    # Patterns, not colour alone, tell the two revenue series apart.
    assert "url(#chart-revenue-months-hatched)" in html


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    return len(queries)


def test_the_dashboard_reads_the_same_queries_for_any_number_of_rows(client, staff_with):
    admin = staff_with(Role.ADMINISTRATION)
    client.force_login(admin)
    _season(admin, 1)
    computing = _queries(client)  # the first visit computes the charts (every language)
    _season(admin, 6)
    # The data changed: the task computes them again (in-process, without a broker).
    assert _queries(client) == computing
    # Unchanged data: the page reads the cached charts, not the rows.
    reading = _queries(client)
    assert reading < computing and reading <= 25


def test_the_charts_are_kept_until_a_new_row_changes_them(client, staff_with):
    admin = staff_with(Role.REGISTRAR)
    client.force_login(admin)
    _season(admin, 2)
    assert "2 personnes attendent une place." in text_of(client.get(HOME))
    _season(admin, 1)  # a new registration: the figures are computed again
    assert "3 personnes attendent une place." in text_of(client.get(HOME))


def test_the_charts_are_computed_by_the_task_and_the_page_only_reads_them(client, staff_with):
    admin = staff_with(Role.REGISTRAR)
    client.force_login(admin)
    _season(admin, 2)
    cache.clear()
    refresh_dashboard_charts()  # what Celery beat runs every two minutes
    for language in ("fr", "en"):
        assert cache.get(f"backoffice:charts:{presets.active().slug}:{language}")["charts"]
    with CaptureQueriesContext(connection) as queries:
        assert "2 personnes attendent une place." in text_of(client.get(HOME))
    assert not any(
        "registrations_registration" in query["sql"]
        for query in queries
        if "GROUP BY" in query["sql"]
    )


def test_with_a_refresh_already_asked_the_page_shows_the_figures_it_has(client, staff_with):
    """With a broker, the task runs in a worker: until it has, the page shows the figures
    computed before and says when."""
    admin = staff_with(Role.REGISTRAR)
    client.force_login(admin)
    _season(admin, 2)
    assert "2 personnes attendent une place." in text_of(client.get(HOME))
    cache.set(dashboard_charts.REFRESH_LOCK, "asked", 30)  # a worker has it in hand
    _season(admin, 1)
    assert "2 personnes attendent une place." in text_of(client.get(HOME))
    dashboard_charts.refresh()
    assert "3 personnes attendent une place." in text_of(client.get(HOME))

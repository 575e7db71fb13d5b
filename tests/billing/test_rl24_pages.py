"""The Relevé 24 pages: the payer's slips, amounts, NAS and split; the staff batch."""

from __future__ import annotations

import datetime
import html
import subprocess
from decimal import Decimal

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from guichet.billing.models import ChildcareSplit, PayerTaxInfo, TaxSlipBatch, TaxSlipRL24
from guichet.billing.services.rl24_batch import run_batch
from tests.billing.cast import child_of, holder
from tests.billing.rl24_cast import SIN_A, childcare_invoice, pay, with_sin
from tests.factories import AccountFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("pinned_clock"),
]

D = datetime.date
PAGE = reverse("billing:rl24")


@pytest.fixture
def pinned_clock():
    # January 2027: the page shows what was paid in 2026 (and so far in 2027).
    with time_machine.travel(datetime.datetime(2027, 1, 20, 15, 0, tzinfo=datetime.UTC)):
        yield


def family(price="200.00"):
    mother, mother_file = holder(first_name="Marie", last_name="Tremblay")
    father, father_file = holder(first_name="Jean", last_name="Gagnon")
    child = child_of(mother, father, first_name="Léa", last_name="Gagnon")
    pay(childcare_invoice(mother, child, price), price, D(2026, 6, 1))
    return (mother, mother_file), (father, father_file), child


def text(response) -> str:
    return html.unescape(response.content.decode())


def signed_in(account) -> Client:
    client = Client()
    client.force_login(account)
    return client


def slip_for(account, dossier) -> TaxSlipRL24:
    with_sin(account, dossier)
    run_batch(TaxSlipBatch.objects.create(year=2026))
    return TaxSlipRL24.objects.get(payer=dossier)


def test_a_payer_with_amounts_and_no_nas_is_asked_for_it(django_assert_max_num_queries):
    (mother, _), (father, _), _child = family("200.00")
    for name in ("Noé", "Zoé"):  # more children, same number of queries
        sibling = child_of(mother, father, first_name=name)
        pay(childcare_invoice(mother, sibling, "50.00"), "50.00", D(2026, 7, 1))
    client = signed_in(mother)
    with django_assert_max_num_queries(16):
        response = client.get(PAGE)
    page = text(response)
    assert response.status_code == 200
    assert "Votre numéro d'assurance sociale est requis" in page
    assert 'name="nas-sin"' in page
    assert "Léa Gagnon" in page and "200,00 $" in page


def test_a_payer_without_amounts_is_not_asked_for_a_nas():
    account, _dossier = holder()
    page = text(signed_in(account).get(PAGE))
    assert 'name="nas-sin"' not in page


def test_a_wrong_nas_shows_a_french_error_and_keeps_what_was_typed():
    (mother, mother_file), _father, _child = family()
    response = signed_in(mother).post(PAGE, {"nas-sin": "104 796 668"})
    page = text(response)
    assert response.status_code == 200
    assert "Ce n'est pas un numéro d'assurance sociale valide" in page
    assert 'value="104 796 668"' in page
    assert not PayerTaxInfo.objects.filter(dossier=mother_file).exists()


def test_a_valid_nas_is_recorded_and_only_shown_masked():
    (mother, mother_file), _father, _child = family()
    client = signed_in(mother)
    response = client.post(PAGE, {"nas-sin": "104-796-669"})
    assert response.status_code == 302
    assert PayerTaxInfo.objects.get(dossier=mother_file).sin_last3 == "669"
    page = text(client.get(PAGE))
    assert "*** *** 669" in page
    assert SIN_A not in page and "104-796" not in page and "104 796" not in page


def test_the_payer_downloads_their_slip_and_the_pdf_reads_right(tmp_path):
    (mother, mother_file), _father, _child = family("230.00")
    slip = slip_for(mother, mother_file)
    client = signed_in(mother)
    page = text(client.get(PAGE))
    assert reverse("billing:rl24_slip", args=[slip.pk]) in page
    response = client.get(reverse("billing:rl24_slip", args=[slip.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "rl24.pdf"
    pdf.write_bytes(response.content)
    content = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf), str(tmp_path / "rl24")],
        check=True,
    )
    assert (tmp_path / "rl24.png").stat().st_size > 0  # looked at while writing the template
    for expected in (
        "Relevé 24",
        "Frais de garde d'enfants",
        slip.number,
        "230,00 $",
        "*** *** 669",
        "Gagnon, Léa",
        "Tremblay, Marie",
        "RS0001234567",
        "Municipalité de Val-des-Érables",
    ):
        assert expected in content, expected
    assert SIN_A not in content


def test_another_payers_slip_is_a_404_even_for_the_other_guardian():
    (mother, mother_file), (father, _), _child = family()
    slip = slip_for(mother, mother_file)
    url = reverse("billing:rl24_slip", args=[slip.pk])
    assert signed_in(father).get(url).status_code == 404
    assert signed_in(AccountFactory()).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to sign in


def test_the_pages_answer_404_when_the_preset_has_no_tax_slips(settings):
    (mother, mother_file), _father, _child = family()
    slip = slip_for(mother, mother_file)
    settings.GUICHET_PRESET = "comaq"
    client = signed_in(mother)
    assert client.get(PAGE).status_code == 404
    assert client.get(reverse("billing:rl24_slip", args=[slip.pk])).status_code == 404


def test_a_guardian_shares_with_the_other_guardian_named_only_by_first_name_and_initial():
    (mother, mother_file), (father, father_file), child = family("95.01")
    client = signed_in(mother)
    page = text(client.get(PAGE))
    assert "Jean G." in page and "Gagnon, Jean" not in page
    url = reverse("billing:rl24_split", args=[2026, child.pk])
    prefix = f"partage-2026-{child.pk}"
    response = client.post(
        url, {f"{prefix}-other_payer": father_file.pk, f"{prefix}-percent": "50"}
    )
    assert response.status_code == 302
    split = ChildcareSplit.objects.get(child=child, year=2026, payer=mother_file)
    assert split.other_payer == father_file and split.percent == Decimal("50.00")
    mothers_page = text(client.get(PAGE))
    assert "47,50 $" in mothers_page
    # The father sees what comes to his slip, not the mother's invoices.
    fathers_page = text(signed_in(father).get(PAGE))
    assert "47,51 $" in fathers_page
    assert "Camp de jour" not in fathers_page and "F-2027" not in fathers_page


def test_a_bad_share_keeps_the_form_with_an_error():
    (mother, _), (_father, father_file), child = family()
    prefix = f"partage-2026-{child.pk}"
    response = signed_in(mother).post(
        reverse("billing:rl24_split", args=[2026, child.pk]),
        {f"{prefix}-other_payer": father_file.pk, f"{prefix}-percent": "150"},
    )
    assert response.status_code == 200
    assert 'value="150"' in text(response)
    assert not ChildcareSplit.objects.exists()


def test_sharing_for_someone_elses_child_is_a_404():
    (_mother, _), (_father, father_file), child = family()
    stranger, _ = holder()
    prefix = f"partage-2026-{child.pk}"
    response = signed_in(stranger).post(
        reverse("billing:rl24_split", args=[2026, child.pk]),
        {f"{prefix}-other_payer": father_file.pk, f"{prefix}-percent": "50"},
    )
    assert response.status_code == 404


# --- Staff ---------------------------------------------------------------------------------


@pytest.fixture
def staff_client(staff) -> Client:
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    return signed_in(staff)


def test_staff_produce_the_slips_and_see_the_missing_nas(
    staff_client, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    (mother, mother_file), (father, _father_file), child = family()
    pay(childcare_invoice(father, child, "40.00"), "40.00", D(2026, 8, 1))
    with_sin(mother, mother_file)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("billing:rl24_staff"), {"year": "2026"})
    batch = TaxSlipBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("billing:rl24_staff_batch", args=[batch.pk])
    progress = staff_client.get(reverse("billing:rl24_staff_progress", args=[batch.pk])).json()
    assert progress == {
        "status": "done",
        "percent": 100,
        "processed_rows": 2,
        "total_rows": 2,
        "done": True,
    }
    with django_assert_max_num_queries(15):
        page = text(staff_client.get(response["Location"]))
    assert "NAS manquant" in page and "Jean Gagnon" in page
    slip = TaxSlipRL24.objects.get()
    assert reverse("billing:rl24_staff_slip", args=[slip.pk]) in page
    pdf = staff_client.get(reverse("billing:rl24_staff_slip", args=[slip.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_running_batch_shows_its_progress(staff_client):
    batch = TaxSlipBatch.objects.create(year=2026, status="running", total=8, done=2)
    page = text(staff_client.get(reverse("billing:rl24_staff_batch", args=[batch.pk])))
    assert 'value="25"' in page and "2 sur 8" in page


def test_the_staff_pages_are_a_404_for_others():
    batch = TaxSlipBatch.objects.create(year=2026)
    client = signed_in(AccountFactory())
    for url in (
        reverse("billing:rl24_staff"),
        reverse("billing:rl24_staff_batch", args=[batch.pk]),
        reverse("billing:rl24_staff_progress", args=[batch.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_the_staff_page_links_to_the_batch(staff_client):
    assert reverse("billing:rl24_staff") in text(staff_client.get("/personnel/", follow=True))


def test_the_slip_is_rendered_in_the_payers_language(tmp_path):
    (mother, mother_file), _father, _child = family("120.00")
    mother.language = "en"
    mother.save(update_fields=["language"])
    slip = slip_for(mother, mother_file)
    response = signed_in(mother).get(reverse("billing:rl24_slip", args=[slip.pk]))
    pdf = tmp_path / "rl24-en.pdf"
    pdf.write_bytes(response.content)
    content = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Childcare expenses paid in the year" in content and "$120.00" in content

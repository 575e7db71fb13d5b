"""The admin lists the new models; secrets stay out of it."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.dossiers.models import (
    Delegation,
    DossierImport,
    Function,
    Interest,
    LinkingCode,
    LinkingCodePurpose,
)
from guichet.privacy.models import Consent, MailingList
from tests.dossiers.factories import DossierFactory, DossierLinkFactory
from tests.requests.factories import DossierNumberRequestFactory

pytestmark = pytest.mark.django_db

MODELS = [
    "dossiers/dossier",
    "dossiers/dossierlink",
    "dossiers/delegation",
    "dossiers/interest",
    "dossiers/function",
    "dossiers/linkingcode",
    "dossiers/dossierimport",
    "privacy/mailinglist",
    "privacy/consent",
    "service_requests/request",
]


@pytest.fixture
def filled(account, staff):
    dossier = DossierFactory(number="31415", last_name="Gagnon", legacy_password_hash="$2b$12$x")
    DossierLinkFactory(account=account, dossier=dossier)
    Delegation.objects.create(account=account, starts_on=datetime.date(2026, 1, 1))
    Interest.objects.create(name="Urbanisme")
    Function.objects.create(
        dossier=dossier, title="Greffière", employer="Ville", started_on=datetime.date(2020, 1, 1)
    )
    LinkingCode.objects.create(
        dossier=dossier,
        purpose=LinkingCodePurpose.ISSUED,
        code_hash="pbkdf2_sha256$secret-hash",
        sent_to="a@exemple.ca",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    DossierImport.objects.create(original_name="dossiers.csv", started_by=staff)
    mailing_list = MailingList.objects.create(name="Infolettre", wording="J'accepte")
    Consent.objects.create(dossier=dossier, mailing_list=mailing_list, granted=True, language="fr")
    DossierNumberRequestFactory(submitted_by=account)
    return dossier


@pytest.fixture
def admin_client(client, staff):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(staff)
    return client


@pytest.mark.parametrize("model", MODELS)
def test_each_model_has_a_working_admin_list_and_page(admin_client, filled, model):
    app_label, model_name = model.split("/")
    changelist = reverse(f"admin:{app_label}_{model_name}_changelist")
    response = admin_client.get(changelist)
    assert response.status_code == 200
    assert "secret-hash" not in response.content.decode()
    first = response.context["cl"].result_list[0]
    page = admin_client.get(reverse(f"admin:{app_label}_{model_name}_change", args=[first.pk]))
    assert page.status_code == 200
    assert "secret-hash" not in page.content.decode()
    assert "$2b$12$x" not in page.content.decode()


def test_dossiers_are_found_by_number_name_or_email(admin_client, filled):
    changelist = reverse("admin:dossiers_dossier_changelist")
    for query in ("31415", "gagnon", filled.email):
        assert admin_client.get(changelist, {"q": query}).context["cl"].result_count == 1
    assert admin_client.get(changelist, {"q": "personne"}).context["cl"].result_count == 0


def test_consents_and_linking_codes_are_read_only(admin_client, filled):
    for model in ("privacy/consent", "dossiers/linkingcode", "dossiers/dossierimport"):
        app_label, model_name = model.split("/")
        assert admin_client.get(reverse(f"admin:{app_label}_{model_name}_add")).status_code == 403

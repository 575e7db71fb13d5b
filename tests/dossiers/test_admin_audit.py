"""A staff edit of a dossier in the admin is written to the dossier's audit trail."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from guichet.audit.models import Action, AuditEvent
from tests.dossiers.factories import DossierFactory

pytestmark = pytest.mark.django_db


def test_admin_change_records_before_and_after(client, staff):
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(staff)
    dossier = DossierFactory(last_name="Tremblay", email="avant@exemple.ca")
    url = reverse("admin:dossiers_dossier_change", args=[dossier.pk])
    form = client.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update(
        {
            "last_name": "Tremblay-Côté",
            "birth_date": dossier.birth_date.isoformat(),
            "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0",
            "functions-TOTAL_FORMS": "0",
            "functions-INITIAL_FORMS": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(dossier=dossier, action=Action.PROFILE_CHANGED)
    assert event.data["before"]["last_name"] == "Tremblay"
    assert event.data["after"]["last_name"] == "Tremblay-Côté"
    assert event.actor == staff


def test_functions_are_read_only_in_the_admin(client, staff):
    """Functions change through « Mes fonctions », which audits them; not in the admin."""
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(staff)
    assert client.get(reverse("admin:dossiers_function_add")).status_code == 403

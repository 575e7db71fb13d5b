"""The staff page lists the staff's tools and is nobody else's (it is the back office's
dashboard: tests/backoffice/reports/test_dashboard.py)."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


def test_staff_see_their_tools(client, staff):
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(staff)
    html = text_of(client.get(reverse("core:staff"), follow=True))
    for url in (
        reverse("requests:queue"),
        reverse("dossiers:staff_import"),
        reverse("dossiers:staff_issue_code"),
        reverse("dossiers:staff_delegations"),
        reverse("audit:journal"),
    ):
        assert f'href="{url}"' in html


def test_people_get_a_404(client, account):
    client.force_login(account)
    assert client.get(reverse("core:staff")).status_code == 404


def test_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("core:staff"))
    assert response["Location"].startswith(reverse("account_login"))


def test_delegations_are_offered_only_where_the_preset_has_them(client, staff, settings):
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(staff)
    settings.GUICHET_PRESET = "baie-comeau"
    html = text_of(client.get(reverse("core:staff"), follow=True))
    assert reverse("dossiers:staff_delegations") not in html

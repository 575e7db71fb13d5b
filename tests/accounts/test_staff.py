"""Staff: second factor required, admin reached through the portal's login."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


def test_admin_login_page_sends_to_the_portal_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=/admin/" in response["Location"]


def test_staff_without_second_factor_is_sent_to_set_one_up(client, staff):
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")
    assert client.get(reverse("mfa_index")).status_code == 200


def test_staff_with_second_factor_reaches_the_admin(client, staff):
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def test_people_are_not_forced_to_use_a_second_factor(client, account):
    client.force_login(account)
    assert client.get(reverse("accounts:security")).status_code == 200


def test_admin_refuses_people_who_are_not_staff(client, account):
    client.force_login(account)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 200
    assert not response.redirect_chain[-1][0].startswith("/admin/")
    assert b"Administration de Django" not in response.content


def test_admin_sign_in_is_rate_limited_like_the_portal(client, staff):
    """The admin has no login form of its own: failures hit the portal's limits."""
    for _ in range(5):
        client.post(reverse("account_login"), {"login": staff.email, "password": "faux"})
    response = client.post(
        reverse("account_login") + "?next=/admin/", {"login": staff.email, "password": "faux"}
    )
    assert "bloquée jusqu'à" in text_of(response)

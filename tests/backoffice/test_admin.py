"""Who may open the Django admin, checked on the server, and the group page's permissions
named in the page's language (docs/backoffice.md, « The admin »)."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation

from guichet.backoffice.admin import permission_label
from tests.catalog.factories import OfferingFactory
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

ADMIN_PAGES = ["/admin/", "/admin/catalog/offering/", "/admin/auth/group/add/"]


def test_a_person_who_is_not_staff_never_sees_the_admin(client_of):
    client = client_of(AccountFactory())
    offering = OfferingFactory()
    for path in [*ADMIN_PAGES, f"/admin/catalog/offering/{offering.pk}/change/"]:
        response = client.get(path, follow=True)
        # The admin's sign-in page sends a signed-in person who is not staff home.
        assert (reverse("core:home"), 302) in response.redirect_chain, path
        assert not response.redirect_chain[-1][0].startswith("/admin/"), path
        assert offering.title not in response.content.decode()


def test_a_visitor_is_sent_to_the_portals_sign_in(client):
    response = client.get("/admin/catalog/offering/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))


def test_staff_without_a_second_factor_are_sent_to_set_one_up(client_of):
    client = client_of(AccountFactory(is_staff=True, is_superuser=True))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")


def test_staff_with_a_role_but_no_admin_permission_cannot_open_a_model(staff_with, client_of):
    client = client_of(staff_with("registrar"))
    assert client.get("/admin/catalog/offering/").status_code == 403
    assert client.get("/admin/auth/group/add/").status_code == 403


def test_a_superuser_opens_the_admin_in_french(client_of):
    account = AccountFactory(is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=account, type=Authenticator.Type.TOTP, data={})
    client = client_of(account)
    for path in ADMIN_PAGES:
        assert client.get(path, HTTP_ACCEPT_LANGUAGE="fr").status_code == 200, path
    page = client.get("/admin/auth/group/add/").content.decode()
    assert "Catalogue | offres | ajouter" in page
    assert 'type="checkbox" name="permissions"' in page


def test_a_permission_is_named_in_the_pages_language():
    permission = Permission.objects.get(codename="view_invoice")
    with translation.override("fr"):
        assert permission_label(permission) == "Facturation | factures | voir"
    with translation.override("en"):
        assert permission_label(permission) == "Billing | invoices | view"

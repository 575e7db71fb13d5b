"""Staff roles: each staff page names its roles, and the server answers 404 to the rest."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from guichet.accounts.models import StaffRole
from guichet.core.staff import Role, acting_role, has_role, role_required, roles_of
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


@role_required(Role.ACCOUNTING)
def accounting_page(request):
    return HttpResponse("ok")


def _request(user):
    request = RequestFactory().get("/personnel/comptabilite/")
    request.user = user
    return request


def _staff(*roles):
    account = AccountFactory(is_staff=True)
    for role in roles:
        StaffRole.objects.create(account=account, role=role)
    return account


def test_a_role_opens_its_pages_only():
    clerk = _staff(Role.COUNTER)
    assert roles_of(clerk) == {Role.COUNTER}
    assert has_role(clerk, Role.COUNTER, Role.REGISTRAR)
    assert not has_role(clerk, Role.ACCOUNTING)
    with pytest.raises(Http404):
        accounting_page(_request(clerk))
    assert accounting_page(_request(_staff(Role.ACCOUNTING))).status_code == 200


def test_administration_and_superusers_hold_every_role():
    assert roles_of(_staff(Role.ADMINISTRATION)) == set(Role.values)
    superuser = AccountFactory(is_staff=True, is_superuser=True)
    assert accounting_page(_request(superuser)).status_code == 200
    assert acting_role(superuser, [Role.ACCOUNTING]) == Role.ACCOUNTING


def test_a_role_without_the_staff_flag_gives_nothing():
    former = AccountFactory(is_staff=False)
    StaffRole.objects.create(account=former, role=Role.ACCOUNTING)
    assert roles_of(former) == frozenset()
    with pytest.raises(Http404):
        accounting_page(_request(former))


def test_visitors_are_sent_to_sign_in():
    response = accounting_page(_request(AnonymousUser()))
    assert response.status_code == 302
    assert "next=/personnel/comptabilite/" in response["Location"]


def test_roles_are_read_once_per_request(django_assert_num_queries):
    clerk = _staff(Role.COUNTER, Role.REGISTRAR)
    with django_assert_num_queries(1):
        has_role(clerk, Role.ACCOUNTING)
        has_role(clerk, Role.COUNTER)
        roles_of(clerk)

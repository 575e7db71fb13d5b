"""Every staff page opens to its roles only: the rest of the staff get a 404, like anyone."""

from __future__ import annotations

import pytest
from django.urls import reverse

from guichet.accounts.models import StaffRole
from guichet.audit.models import Action, AuditEvent
from guichet.core.roles import Role
from tests.registrations.factories_mine import (
    OfferingFactory,
    RegistrationFactory,
    days_from_today,
)
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

# Each staff page and the roles that open it (Administration opens them all).
PAGES = {
    "requests:queue": {Role.REGISTRAR},
    "memberships:queue": {Role.REGISTRAR},
    "dossiers:staff_issue_code": {Role.REGISTRAR, Role.COUNTER},
    "registrations:attendance_index": {Role.REGISTRAR},
    "credentials:staff_index": {Role.REGISTRAR},
    "billing:staff_payments": {Role.ACCOUNTING},
    "billing:rl24_staff": {Role.ACCOUNTING},
    "dossiers:staff_delegations": set(),
    "dossiers:staff_import": set(),
    "audit:journal": {Role.PRIVACY},
    "privacy:staff_index": {Role.PRIVACY},
    "backoffice:roles": set(),
    "backoffice:rosters": {Role.REGISTRAR, Role.COUNTER, Role.ANIMATION},
    "backoffice:home": set(Role.values),  # the staff home (core's /personnel/ leads there)
    "backoffice:counter": {Role.REGISTRAR, Role.COUNTER},
    "backoffice:offering_list": {Role.REGISTRAR},
    "backoffice:accounting": {Role.ACCOUNTING},
    "backoffice:newsletters": set(),
    "api:staff": set(),
}


@pytest.mark.parametrize("role", [role for role in Role.values if role != Role.ADMINISTRATION])
def test_each_role_opens_its_pages_and_gets_404_elsewhere(staff_with, client_of, role):
    client = client_of(staff_with(role))
    for name, roles in PAGES.items():
        status = client.get(reverse(name)).status_code
        assert status == (200 if role in roles else 404), (role, name, status)


def test_administration_opens_every_page(staff_with, client_of):
    client = client_of(staff_with(Role.ADMINISTRATION))
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 200, name


def test_staff_without_a_role_and_people_get_404(staff_with, client_of, account):
    for who in (staff_with(), account):
        client = client_of(who)
        for name in PAGES:
            assert client.get(reverse(name)).status_code == 404, name


def test_the_staff_home_links_only_what_the_roles_open(staff_with, client_of):
    page = client_of(staff_with(Role.COUNTER)).get(reverse("core:staff"), follow=True)
    html = page.content.decode()
    assert reverse("dossiers:staff_issue_code") in html
    for name, roles in PAGES.items():
        if name != "backoffice:home" and Role.COUNTER not in roles:
            assert reverse(name) not in html, name


def test_administration_gives_and_takes_roles_audited_and_told(
    staff_with, client_of, mailbox, django_capture_on_commit_callbacks
):
    admin = staff_with(Role.ADMINISTRATION, first_name="Nathalie")
    clerk = staff_with(Role.COUNTER, first_name="Karine")
    client = client_of(admin)
    assert "Karine" in text_of(client.get(reverse("backoffice:roles")))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("backoffice:role_edit", args=[clerk.pk]), {"roles": [Role.REGISTRAR]}
        )
    assert response.status_code == 302
    assert set(StaffRole.objects.filter(account=clerk).values_list("role", flat=True)) == {
        Role.REGISTRAR
    }
    events = AuditEvent.objects.filter(subject=clerk).order_by("action")
    assert [(e.action, e.data["staff_role"], e.role, e.actor_id) for e in events] == [
        (Action.STAFF_ROLE_GRANTED, Role.REGISTRAR, Role.ADMINISTRATION, admin.pk),
        (Action.STAFF_ROLE_REVOKED, Role.COUNTER, Role.ADMINISTRATION, admin.pk),
    ]
    told = mailbox.wait_for(clerk.email, "rôles")
    assert "Inscriptions" in mailbox.body(told)
    assert "Accueil" in mailbox.body(told)


def test_an_administrator_cannot_take_their_own_administration(staff_with, client_of):
    admin = staff_with(Role.ADMINISTRATION)
    response = client_of(admin).post(
        reverse("backoffice:role_edit", args=[admin.pk]), {"roles": [Role.COUNTER]}
    )
    assert response.status_code == 200
    assert "autre administrat" in text_of(response)
    assert StaffRole.objects.filter(account=admin, role=Role.ADMINISTRATION).exists()


def test_an_unknown_role_is_refused_without_change(staff_with, client_of):
    clerk = staff_with(Role.COUNTER)
    client = client_of(staff_with(Role.ADMINISTRATION))
    response = client.post(reverse("backoffice:role_edit", args=[clerk.pk]), {"roles": ["boss"]})
    assert response.status_code == 200
    assert list(StaffRole.objects.filter(account=clerk).values_list("role", flat=True)) == [
        Role.COUNTER
    ]


def test_staff_acts_are_audited_with_the_role_they_acted_under(staff_with, client_of):
    """A role_required page records the role it was opened under on the rows its services
    write, without the service naming it: attendance marked by Inscriptions."""
    registrar = staff_with(Role.REGISTRAR)
    training = OfferingFactory(starts_on=days_from_today(-1))
    registration = RegistrationFactory(offering=training)
    client_of(registrar).post(
        reverse("registrations:attendance", args=[training.pk]), {"present": [registration.pk]}
    )
    event = AuditEvent.objects.get(action=Action.ATTENDANCE_MARKED)
    assert (event.actor, event.role) == (registrar, Role.REGISTRAR)

    officer = staff_with(Role.PRIVACY)
    journal = text_of(client_of(officer).get(reverse("audit:journal")))
    assert "Personnel — Inscriptions" in journal


def test_the_roles_page_reads_in_flat_queries(staff_with, client_of, django_assert_max_num_queries):
    client = client_of(staff_with(Role.ADMINISTRATION))
    for _ in range(10):
        staff_with(Role.COUNTER, Role.ANIMATION)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("backoffice:roles")).status_code == 200

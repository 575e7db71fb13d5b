"""The trail a person reads names who acted for them, but never a stranger who tried to
link their file, and shows addresses only for the person's own actions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from guichet.audit.models import Action, AuditEvent, Right
from tests.dossiers.factories import DossierLinkFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


def test_a_stranger_who_tried_to_link_my_file_stays_anonymous(client, account, outsider):
    link = DossierLinkFactory(account=account)
    AuditEvent.objects.create(
        action=Action.LINK_FAILED,
        actor=outsider,
        subject=outsider,
        dossier=link.dossier,
        right=Right.SELF,
        ip_address="203.0.113.9",
    )
    client.force_login(account)

    html = text_of(client.get(reverse("dossiers:activity")))

    assert "Un autre compte" in html
    assert outsider.email not in html and outsider.last_name not in html
    assert "203.0.113.9" not in html


def test_staff_decisions_show_who_but_not_from_where(client, account, staff):
    AuditEvent.objects.create(
        action=Action.REQUEST_REFUSED,
        actor=staff,
        subject=account,
        right=Right.STAFF,
        ip_address="198.51.100.7",
    )
    client.force_login(account)

    html = text_of(client.get(reverse("accounts:activity")))

    assert staff.get_full_name() in html
    assert "198.51.100.7" not in html

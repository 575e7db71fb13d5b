"""Staff opening a membership application or one of its documents (a hiring resolution, a
diploma) leave « Dossier consulté par le personnel » on the applicant's file, as for the
other sensitive staff pages (docs/privacy.md); the applicant opening their own records
nothing."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from guichet.audit.models import Action, AuditEvent
from tests.billing.cast import holder
from tests.memberships.cast import applied, member_types

pytestmark = pytest.mark.django_db


def viewed(dossier):
    return AuditEvent.objects.filter(action=Action.STAFF_VIEWED, dossier=dossier)


def test_the_review_and_each_document_staff_open_are_registered(client, staff):
    account, dossier = holder()
    application = applied(account, dossier, member_types()["membre-regulier"])
    document = application.documents.first()

    client.force_login(account)
    assert client.get(reverse("memberships:document", args=[document.pk])).status_code == 200
    assert not viewed(dossier).exists()

    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(staff)
    assert client.get(reverse("memberships:review", args=[application.pk])).status_code == 200
    assert client.get(reverse("memberships:document", args=[document.pk])).status_code == 200
    assert sorted(viewed(dossier).values_list("data__what", flat=True)) == [
        "membership_application",
        "membership_document",
    ]
    assert set(viewed(dossier).values_list("data__viewed_by", flat=True)) == {staff.pk}

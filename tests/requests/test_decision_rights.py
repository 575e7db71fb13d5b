"""Only staff decide requests; a change is applied only while the requester still has a
right over the file."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from guichet.dossiers.models import DossierLink
from guichet.requests import services
from guichet.requests.models import Request, RequestKind
from tests.dossiers.factories import DossierLinkFactory

pytestmark = pytest.mark.django_db


def change_request(account, dossier) -> Request:
    return Request.objects.create(
        kind=RequestKind.DOSSIER_CHANGE,
        submitted_by=account,
        dossier=dossier,
        data={
            "before": {"first_name": dossier.first_name},
            "after": {"first_name": "Nouveau"},
            "reason": "Erreur",
        },
    )


def test_people_who_are_not_staff_cannot_decide(account):
    link = DossierLinkFactory(account=account)
    pending = change_request(account, link.dossier)
    with pytest.raises(PermissionDenied):
        services.approve_change_request(pending.pk, actor=account)
    with pytest.raises(PermissionDenied):
        services.refuse_request(pending.pk, reason="Non", actor=account)


def test_a_change_is_not_applied_once_the_requester_lost_the_right(account, staff):
    link = DossierLinkFactory(account=account)
    pending = change_request(account, link.dossier)
    DossierLink.objects.filter(pk=link.pk).update(ended_at=timezone.now())

    with pytest.raises(services.RequesterNoLongerAllowed):
        services.approve_change_request(pending.pk, actor=staff)

    link.dossier.refresh_from_db()
    assert link.dossier.first_name != "Nouveau"

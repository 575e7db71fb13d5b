"""Who may act for whom: the one place that answers it.

Every view that shows or changes a dossier gets it through ``dossier_for`` (a 404 for
anyone without a right), and every service records the ``Right`` returned here in the
audit trail. Organizations' relations and authorized subjects join this module later.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone

from guichet.audit.models import Right
from guichet.dossiers.models import Delegation, Dossier, DossierLink, LinkRole


def right_over(account: Any, dossier: Dossier) -> Right | None:
    """The right under which ``account`` may act for ``dossier``, or None."""
    if not account.is_authenticated:
        return None
    link = DossierLink.objects.active().filter(account=account, dossier=dossier).first()
    return _right_of(link)


def _right_of(link: DossierLink | None) -> Right | None:
    if link is None:
        return None
    return Right.SELF if link.role == LinkRole.HOLDER else Right.GUARDIAN


def dossier_for(account: Any, pk: int) -> tuple[Dossier, Right]:
    """The dossier if the account may act for it, with the right; else 404."""
    link = None
    if account.is_authenticated:
        link = (
            DossierLink.objects.active()
            .filter(account=account, dossier_id=pk)
            .select_related("dossier")
            .first()
        )
    right = _right_of(link)
    if right is None:
        raise Http404
    return link.dossier, right


def held_dossier(account: Any) -> Dossier | None:
    """The account's own dossier (« titulaire »), if linked."""
    if not account.is_authenticated:
        return None
    link = (
        DossierLink.objects.active()
        .filter(account=account, role=LinkRole.HOLDER)
        .select_related("dossier")
        .first()
    )
    return link.dossier if link else None


def active_delegation(account: Any) -> Delegation | None:
    """The account's delegation in force today (UMQ « super-utilisateur »), if any."""
    if not account.is_authenticated:
        return None
    return Delegation.objects.filter(account=account).in_force(timezone.localdate()).first()


def is_staff(account: Any) -> bool:
    return bool(account.is_authenticated and account.is_staff)

"""« Identifiant oublié ? »: the address on file is told which email the holder uses."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.http import HttpRequest

from guichet.audit import services as audit
from guichet.audit.models import Action, Right
from guichet.core.mail import send_templated
from guichet.dossiers.models import DossierLink, LinkRole
from guichet.dossiers.services.linking.by_number import dossier_numbered
from guichet.dossiers.services.linking.throttle import dossier_locked


@transaction.atomic
def send_login_id_reminder(
    *, number: str, birth_date: date, request: HttpRequest | None = None
) -> None:
    """Tell the address on file which email the holder's account uses; silent otherwise."""
    dossier = dossier_numbered(number)
    link = None
    if dossier is not None and dossier.birth_date == birth_date and not dossier_locked(dossier):
        link = (
            DossierLink.objects.active()
            .filter(dossier=dossier, role=LinkRole.HOLDER)
            .select_related("account")
            .first()
        )
    sent = bool(link and dossier and dossier.email)
    if sent:
        assert link is not None and dossier is not None  # sent says so
        send_templated(
            "dossiers/email/link_login_id",
            to=dossier.email,
            context={"dossier": dossier, "login_email": link.account.email},
            language=dossier.language,
        )
    audit.record(
        Action.LOGIN_ID_REMINDER,
        subject=link.account if link else None,
        dossier=dossier if sent else None,
        right=Right.SYSTEM,
        request=request,
        data={"sent": sent},
    )

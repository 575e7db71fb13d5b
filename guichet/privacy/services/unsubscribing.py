"""Withdrawing consent from an email, without signing in (CASL; RFC 8058 one-click).

Every message sent to a mailing list carries ``list_headers(dossier, mailing_list)``:
``List-Unsubscribe`` with a signed link, and ``List-Unsubscribe-Post:
List-Unsubscribe=One-Click``, so the mail client's « unsubscribe » button POSTs to the
link and the withdrawal is recorded at once, like any consent (append-only, audited). The
link names the file and the list, signed: it cannot be forged for another; it does not
expire (the law wants unsubscribing to keep working).
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest
from django.urls import reverse

from guichet.privacy.models import Consent, MailingList
from guichet.privacy.services.consents import granted_lists, record_consents

SALT = "guichet.privacy.unsubscribe"


def token_for(dossier: Any, mailing_list: MailingList) -> str:
    return signing.dumps([dossier.pk, mailing_list.pk], salt=SALT, compress=True)


def link_for(dossier: Any, mailing_list: MailingList) -> str:
    path = reverse("unsubscribe", args=[token_for(dossier, mailing_list)])
    return f"{settings.GUICHET_SITE_URL}{path}"


def list_headers(dossier: Any, mailing_list: MailingList) -> dict[str, str]:
    """The headers of a message sent to ``mailing_list`` for ``dossier``."""
    return {
        "List-Unsubscribe": f"<{link_for(dossier, mailing_list)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def read_token(token: str) -> tuple[Any, MailingList] | None:
    """The file and the list a link names, or None for a link that was not ours."""
    try:
        dossier_id, list_id = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    dossier_model = cast(type[Model], Consent._meta.get_field("dossier").related_model)
    dossier = dossier_model._default_manager.filter(pk=dossier_id).first()
    mailing_list = MailingList.objects.filter(pk=list_id).first()
    if dossier is None or mailing_list is None:
        return None
    return dossier, mailing_list


@transaction.atomic
def unsubscribe(token: str, *, request: HttpRequest | None = None) -> MailingList | None:
    """Withdraw the consent the link names; None for a link that was not ours. A second
    click changes nothing and records nothing."""
    found = read_token(token)
    if found is None:
        return None
    dossier, mailing_list = found
    if mailing_list.pk in granted_lists(dossier):
        record_consents(
            dossier, {mailing_list: False}, actor=None, request=request, via="email_link"
        )
    return mailing_list

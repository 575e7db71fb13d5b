"""Recording consents (« Mes abonnements »): append-only proof for Law 25 and CASL.

A decision adds a ``Consent`` row holding the exact sentence the person saw, in the
language they saw it, when, by whom and from where. The latest row per list is in force.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import translation

from guichet.accounts.types import Actor
from guichet.audit.models import Action, Right
from guichet.audit.services import client_ip, record
from guichet.privacy.models import Consent, ConsentChannel, MailingList


def shown_wording(mailing_list: MailingList, language: str) -> str:
    """The sentence shown beside the checkbox in ``language`` (French when no English)."""
    if language.startswith("en") and mailing_list.wording_en:
        return mailing_list.wording_en
    return mailing_list.wording


def wording_fingerprint(wording: str) -> str:
    """Identifies a wording in the page, to notice one reworded while it was read."""
    return hashlib.sha256(wording.encode()).hexdigest()[:16]


def shown_name(mailing_list: MailingList, language: str) -> str:
    if language.startswith("en") and mailing_list.name_en:
        return mailing_list.name_en
    return mailing_list.name


def granted_lists(dossier: Any) -> set[int]:
    """Ids of the lists the dossier currently consents to."""
    current = Consent.objects.current_for(dossier)
    return {list_id for list_id, consent in current.items() if consent.granted}


@dataclass(frozen=True)
class Purpose:
    """One purpose of « Mes abonnements » as the person reads it: its name, the wording
    they are asked to agree to, whether they agree now (never answered: no), and every
    change, newest first (what was given or withdrawn, when, how, and the wording then)."""

    mailing_list: MailingList
    name: str
    wording: str
    granted: bool
    history: list[Consent]


def purposes(dossier: Any, lists: list[MailingList], language: str) -> list[Purpose]:
    """The lists offered with the dossier's history of each (one query)."""
    rows: dict[int, list[Consent]] = {}
    for consent in Consent.objects.filter(dossier=dossier, mailing_list__in=lists).order_by(
        "-recorded_at", "-id"
    ):
        rows.setdefault(consent.mailing_list_id, []).append(consent)
    return [
        Purpose(
            mailing_list=mailing_list,
            name=shown_name(mailing_list, language),
            wording=shown_wording(mailing_list, language),
            granted=bool(rows.get(mailing_list.pk)) and rows[mailing_list.pk][0].granted,
            history=rows.get(mailing_list.pk, []),
        )
        for mailing_list in lists
    ]


@transaction.atomic
def record_consents(
    dossier: Any,
    choices: Mapping[MailingList, bool],
    *,
    actor: Actor | None,
    right: Right = Right.SELF,
    language: str | None = None,
    request: HttpRequest | None = None,
    via: str = "",
) -> list[Consent]:
    """Adds one row per list whose answer changed; a list never answered counts as no."""
    language = language or translation.get_language() or "fr"
    if via == "email_link":
        channel = ConsentChannel.EMAIL_LINK
    elif right == Right.STAFF:
        channel = ConsentChannel.STAFF
    else:
        channel = ConsentChannel.PAGE
    granted_now = granted_lists(dossier)
    ip_address = client_ip(request)
    rows = [
        Consent(
            dossier=dossier,
            mailing_list=mailing_list,
            granted=granted,
            wording=shown_wording(mailing_list, language),
            language=language,
            recorded_by=actor if getattr(actor, "pk", None) else None,
            ip_address=ip_address,
            channel=channel,
        )
        for mailing_list, granted in choices.items()
        if granted != (mailing_list.pk in granted_now)
    ]
    if not rows:
        return []
    Consent.objects.bulk_create(rows)
    record(
        Action.CONSENT_CHANGED,
        actor=actor,
        subject=actor,
        dossier=dossier,
        right=right,
        request=request,
        data={
            **({"via": via} if via else {}),
            "lists": [
                {"list": row.mailing_list.pk, "name": row.mailing_list.name, "granted": row.granted}
                for row in rows
            ],
        },
    )
    return rows

"""Grants, and the sources that make them: the extension point of the permissions API.

A *grant* says that an account acts for a dossier under a ``Right``, with an ``Access`` on
a *subject*, and with an access over what *other accounts made* for that dossier
(registrations, invoices). Every kind of relation between accounts and dossiers is a
*grant source*: a function of an account and a day that returns a queryset whose rows
carry five names:

=========  =======================================================================
dossier    the dossier's id
right      the audit ``Right`` the account acts under (``self``, ``guardian``…)
access     ``Access.READ`` or ``Access.WRITE`` (read and write) on ``subject``
subject    a ``Subject`` (or an app's own subject string); ``Subject.ALL``: all of them
others     the access over what other accounts made for the dossier (``Access.NONE``
           when only one's own)
=========  =======================================================================

``dossiers.permissions`` holds the first two sources (holder and guardian links, and
delegations) and ``DossiersConfig.ready`` registers them. An app above dossiers adds its
own from its ``AppConfig.ready``, and dossiers never imports it::

    class OrganizationsConfig(AppConfig):
        def ready(self) -> None:
            grants.register_source(relations.grants)  # relations in force on ``day``

Sources are asked in the order they were registered: where several grant the same act,
the first names the right (a holder acts as ``self`` even when a delegation covers them).
This module imports no model, so that ``dossiers.models`` may build on it.
"""

from __future__ import annotations

import enum
import functools
import operator
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from guichet.accounts.types import Visitor, is_signed_in

if TYPE_CHECKING:
    from guichet.accounts.models import Account


class Access(enum.StrEnum):
    NONE = ""
    READ = "read"  # « lecture »
    WRITE = "write"  # « lecture et écriture »: writing includes reading

    def met_by(self) -> list[str]:
        """The grant levels that give this access."""
        return [Access.WRITE] if self == Access.WRITE else [Access.READ, Access.WRITE]


class Subject(enum.StrEnum):
    """What a grant covers (CCQ's « sujets autorisés »). Apps may name their own."""

    ALL = "*"
    PROFILE = "profile"  # the dossier itself: its pages, its photo, a change to it
    REGISTRATIONS = "registrations"
    BILLING = "billing"  # invoices, credit notes, payments, Relevé 24 (« Paiements et relevés »)


@dataclass(frozen=True)
class Act:
    """What an account wants to do for a dossier: a subject, and the access it needs."""

    subject: str
    access: Access


READ = Act(Subject.PROFILE, Access.READ)
WRITE = Act(Subject.PROFILE, Access.WRITE)
READ_REGISTRATIONS = Act(Subject.REGISTRATIONS, Access.READ)
REGISTER = Act(Subject.REGISTRATIONS, Access.WRITE)  # register the person, change a registration
READ_BILLING = Act(Subject.BILLING, Access.READ)
WRITE_BILLING = Act(Subject.BILLING, Access.WRITE)  # pay, share a child's amounts

GrantSource = Callable[["Account", date], QuerySet[Any]]
_SOURCES: list[GrantSource] = []


def register_source(source: GrantSource) -> GrantSource:
    """Add a kind of grant (from an ``AppConfig.ready``); registering twice adds it once."""
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def granting(
    account: Account,
    act: Act,
    *,
    others: bool = False,
    rights: Collection[str] | None = None,
    day: date | None = None,
) -> Iterator[QuerySet[Any]]:
    """Each source's rows that grant ``act`` to ``account`` (an anonymous visitor's pk is
    None: no row). ``others``: over what other accounts made for the dossier.
    ``rights``: only under these rights."""
    day = day or timezone.localdate()
    level = "others" if others else "access"
    for source in _SOURCES:
        rows = source(account, day).filter(
            subject__in=[act.subject, Subject.ALL], **{f"{level}__in": act.access.met_by()}
        )
        if rights is not None:
            rows = rows.filter(right__in=list(rights))
        yield rows.order_by()


def acting_for(
    account: Account,
    act: Act = READ,
    *,
    others: bool = False,
    rights: Collection[str] | None = None,
    day: date | None = None,
) -> QuerySet[Any]:
    """The ids of the dossiers ``account`` may ``act`` for, as one subquery: every
    ``visible_to`` and ``for_account`` is built from it (``field__in=acting_for(…)``)."""
    first, *rest = [
        rows.values("dossier")
        for rows in granting(account, act, others=others, rights=rights, day=day)
    ]
    return first.union(*rest, all=True) if rest else first


def first_right(
    account: Account,
    dossier_id: int,
    act: Act,
    *,
    others: bool = False,
    day: date | None = None,
) -> str | None:
    """The right of the first source that grants ``act`` over this dossier: a query per
    source until one does (the links, first, answer for most people)."""
    for rows in granting(account, act, others=others, day=day):
        right = rows.filter(dossier=dossier_id).values_list("right", flat=True).first()
        if right is not None:
            return str(right)
    return None


def seen_by(
    account: Visitor,
    act: Act = READ,
    *,
    made_by: str | Sequence[str] = (),
    dossier: str | None = None,
    rights: Collection[str] | None = None,
) -> Q:
    """The filter of a ``visible_to``: rows made by ``account`` (any of the ``made_by``
    fields: one keeps seeing what one made once one's right has ended), or whose
    ``dossier`` field is a dossier it may ``act`` for over what others made."""
    if not is_signed_in(account):
        return Q(pk__in=[])
    fields = [made_by] if isinstance(made_by, str) else list(made_by)
    seen = [Q(**{field: account}) for field in fields]
    if dossier is not None:
        found = acting_for(account, act, others=True, rights=rights)
        seen.append(Q(**{f"{dossier}__in": found}))
    return functools.reduce(operator.or_, seen) if seen else Q(pk__in=[])

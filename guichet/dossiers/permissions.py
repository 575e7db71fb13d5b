"""Who may act for whom: the one place that answers it, for every app.

« May this account do this act for this dossier, and under which right? »
- ``right_over(account, dossier, act=…)``: the ``Right``, or None;
- ``right_on(account, dossier, made_by=…, act=…)``: the same for something an account
  made for the dossier (a registration to change); staff act on anyone's;
- ``dossier_for(account, pk, act=…)``: the dossier and the right, or a 404 (never a 403:
  an id reveals nothing), what every view that takes a dossier id calls;
- ``acting_for(account, act=…)`` and ``seen_by(…)``: the one subquery every app's
  ``visible_to`` is built from (what one made, and what was made for a dossier one acts
  for), so the lists and ``right_over`` agree (``tests/dossiers/test_permissions_api.py``).

Every service records the right returned here in the audit trail. Rules that are not
rights (a deadline, a status, a preset's feature) stay with their domain. The rights come
from grant sources (``guichet.dossiers.grants``): holder and guardian links and delegations
here; organizations add their relations from their own app, without this module knowing.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Case, Exists, F, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from guichet import presets
from guichet.accounts.models import Account
from guichet.accounts.types import Visitor, is_signed_in
from guichet.audit.models import Right
from guichet.dossiers.grants import (
    READ,
    READ_BILLING,
    READ_REGISTRATIONS,
    REGISTER,
    WRITE,
    WRITE_BILLING,
    Access,
    Act,
    Subject,
    acting_for,
    first_right,
    register_source,
    seen_by,
)
from guichet.dossiers.models import Delegation, Dossier, DossierKind, DossierLink, LinkRole

__all__ = [
    "READ",
    "READ_BILLING",
    "READ_REGISTRATIONS",
    "REGISTER",
    "WRITE",
    "WRITE_BILLING",
    "Act",
    "acting_for",
    "active_delegation",
    "dossier_for",
    "held_dossier",
    "holder_of",
    "is_staff",
    "people_with_an_account",
    "register_source",
    "right_on",
    "right_on_addressed",
    "right_over",
    "seen_by",
]


# The grant sources of this app (registered by ``DossiersConfig.ready``) --------------------
def links(account: Account, day: date) -> QuerySet[DossierLink]:
    """Holder (``self``) and guardian links in force: everything about the dossier, read
    and write. A holder also changes what others made for their dossier (a registration
    their guardian made); a guardian reads another guardian's only where the preset says
    guardians share, and never changes it."""
    shared = Access.READ if presets.active().guardians_share else Access.NONE
    holder = Q(role=LinkRole.HOLDER)
    return (
        DossierLink.objects.active()
        .filter(account_id=account.pk)
        .annotate(
            right=Case(When(holder, then=Value(Right.SELF)), default=Value(Right.GUARDIAN)),
            access=Value(Access.WRITE),
            subject=Value(Subject.ALL),
            others=Case(When(holder, then=Value(Access.WRITE)), default=Value(shared)),
        )
    )


def people_with_an_account() -> QuerySet[Dossier]:
    """Person dossiers held by an active account: those a delegate may register."""
    holders = DossierLink.objects.active().filter(role=LinkRole.HOLDER, account__is_active=True)
    return Dossier.objects.filter(kind=DossierKind.PERSON, pk__in=holders.values("dossier"))


def delegations(account: Account, day: date) -> QuerySet[Dossier]:
    """A delegation in force (UMQ « super-utilisateur »): register people who hold their
    dossier with an active account, and see only what one made for them."""
    in_force = Delegation.objects.filter(account_id=account.pk).in_force(day)
    return (
        people_with_an_account()
        .filter(Exists(in_force))
        .annotate(
            dossier=F("pk"),
            right=Value(Right.DELEGATE),
            access=Value(Access.WRITE),
            subject=Value(Subject.REGISTRATIONS),
            others=Value(Access.NONE),
        )
    )


# The questions ----------------------------------------------------------------------------
def right_over(
    account: Visitor, dossier: Dossier | int, *, act: Act = READ, made_by: int | None = None
) -> Right | None:
    """The right under which ``account`` may ``act`` for ``dossier``, or None. With
    ``made_by``, the act is on something that account made for the dossier: one's own
    needs the act's access, another account's a grant over what others made."""
    if not is_signed_in(account):
        return None
    dossier_id = dossier if isinstance(dossier, int) else dossier.pk
    others = made_by is not None and made_by != account.pk
    found = first_right(account, dossier_id, act, others=others)
    return Right(found) if found else None


def right_on(
    account: Visitor, dossier: Dossier | int, *, made_by: int | None, act: Act
) -> Right | None:
    """Under which right ``account`` may ``act`` on what ``made_by`` made for ``dossier``
    (a registration, to change it): staff on anyone's, as staff; everyone else as
    ``right_over`` says, so a guardian never changes another guardian's registration."""
    if is_staff(account) and made_by != account.pk:
        return Right.STAFF
    right = right_over(account, dossier, act=act, made_by=made_by)
    return Right.STAFF if right is None and is_staff(account) else right


def right_on_addressed(account: Visitor, *, addressee: int | None, made_by: int | None) -> Right:
    """Under which right ``account`` acts on what is addressed to ``addressee`` (an invoice,
    to its payer) and was made by ``made_by``; whether it may see it at all is its
    queryset's ``visible_to``. The addressee acts for themselves, staff for someone else as
    staff, the account that caused it for someone else as delegate."""
    if account.pk == addressee:
        return Right.SELF
    if is_staff(account):
        return Right.STAFF
    if account.pk == made_by:
        return Right.DELEGATE
    return Right.SELF  # a guardian who shares, paying what the other guardian owes


def dossier_for(account: Visitor, pk: int, *, act: Act = READ) -> tuple[Dossier, Right]:
    """The dossier if the account may ``act`` for it, with the right; else 404."""
    right = right_over(account, pk, act=act)
    if right is None:
        raise Http404
    return get_object_or_404(Dossier, pk=pk), right


def held_dossier(account: Visitor) -> Dossier | None:
    """The account's own dossier (« titulaire »), if linked."""
    if not is_signed_in(account):
        return None
    link = (
        DossierLink.objects.active()
        .filter(account=account, role=LinkRole.HOLDER)
        .select_related("dossier")
        .first()
    )
    return link.dossier if link else None


def holder_of(dossier: Dossier) -> Account | None:
    """The account that holds ``dossier`` (acts for it as ``self``), or None."""
    link = (
        DossierLink.objects.active()
        .filter(dossier=dossier, role=LinkRole.HOLDER)
        .select_related("account")
        .first()
    )
    return link.account if link else None


def active_delegation(account: Visitor) -> Delegation | None:
    """The account's delegation in force today (UMQ « super-utilisateur »), if any."""
    if not is_signed_in(account):
        return None
    return Delegation.objects.filter(account=account).in_force(timezone.localdate()).first()


def is_staff(account: Visitor | None) -> bool:
    return is_signed_in(account) and account.is_staff

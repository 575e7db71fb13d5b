"""CAOMSC's own sign-up path (« Première visite ? Créer votre accès »): identify, then create.

Step 1 identifies a dossier before any account exists, so the linking service's
per-account throttle has nobody to count: a visitor is counted by address instead, and
each failure is an anonymous ``LINK_FAILED`` audit event that counts toward the same
per-dossier lock as the failures of ``linking`` (``LinkAttempt`` rows), with the same
thresholds, the same lock and the same email to the address on file.

When is the link made? Step 2 creates the account through allauth and hands the
dossier to ``linking.conclusion.conclude``, the very step that ends every linking method:

* when the preset asks for a confirmation and the dossier has an email on file, it sends
  the single-use code there and nothing is linked until the person, signed in, types it
  on « Activez votre dossier » (the existing confirmation page);
* otherwise the link is made with the account. allauth's mandatory email verification
  keeps anyone from signing in before the address is confirmed, so the link cannot be
  used before then, and the address on file is told of it as for any link.

This keeps a single place that decides what a link needs (adult holder, one holder per
dossier, the code sent to the address on file) instead of a second, deferred path.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from allauth.account.internal.flows.signup import complete_signup
from allauth.core.exceptions import ImmediateHttpResponse
from django.contrib.sessions.backends.base import SessionBase
from django.core import signing
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from guichet.audit import services as audit
from guichet.audit.models import Action, AuditEvent, Right
from guichet.dossiers.models import (
    Dossier,
    DossierKind,
    DossierLink,
    LinkAttempt,
    LinkMethod,
    LinkRole,
)
from guichet.dossiers.services import linking
from guichet.dossiers.services.linking import Outcome, Status
from guichet.dossiers.services.linking.conclusion import conclude
from guichet.dossiers.services.linking.throttle import lock_dossier

METHOD = LinkMethod.MEMBER_IDENTITY
SESSION_KEY = "dossiers.member_signup"
SESSION_SALT = "guichet.dossiers.member_signup"
SESSION_MAX_AGE = timedelta(minutes=30)


# The identified dossier between the two steps -------------------------------------------
def remember(session: SessionBase, dossier: Dossier) -> None:
    """Signed and timestamped, so a stale or forged value is refused after 30 minutes."""
    session[SESSION_KEY] = signing.dumps({"dossier": dossier.pk}, salt=SESSION_SALT)


def remembered(session: SessionBase) -> Dossier | None:
    token = session.get(SESSION_KEY)
    if not token:
        return None
    try:
        data = signing.loads(token, salt=SESSION_SALT, max_age=SESSION_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired included
        forget(session)
        return None
    return Dossier.objects.filter(pk=data.get("dossier")).first()


def forget(session: SessionBase) -> None:
    session.pop(SESSION_KEY, None)


# Step 1: identify ------------------------------------------------------------------------
@dataclass(frozen=True)
class Identification:
    dossier: Dossier | None = None
    refusal: Outcome | None = None


def _anonymous_failures(since: datetime) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        action=Action.LINK_FAILED, actor__isnull=True, occurred_at__gte=since
    )


def visitor_throttled(request: HttpRequest | None) -> bool:
    """The per-account limit of ``linking``, applied to the visitor's address."""
    address = audit.client_ip(request)
    if address is None:
        return False
    since = timezone.now() - linking.ACCOUNT_WINDOW
    failures = _anonymous_failures(since).filter(ip_address=address).count()
    return failures >= linking.ACCOUNT_MAX_FAILURES


def _dossier_failures(dossier: Dossier) -> int:
    since = timezone.now() - linking.DOSSIER_WINDOW
    by_accounts = LinkAttempt.objects.filter(
        dossier=dossier, succeeded=False, created_at__gte=since
    ).count()
    return by_accounts + _anonymous_failures(since).filter(dossier=dossier).count()


def _fail(
    dossier: Dossier | None, request: HttpRequest | None, reason: str, status: Status
) -> Identification:
    audit.record(
        Action.LINK_FAILED,
        dossier=dossier,
        right=Right.SYSTEM,
        request=request,
        data={"method": METHOD, "reason": reason, "step": "signup"},
    )
    if dossier is None:
        return Identification(refusal=Outcome(status))
    if _dossier_failures(dossier) >= linking.DOSSIER_MAX_FAILURES and not linking.dossier_locked(
        dossier
    ):
        lock_dossier(None, dossier, request)
        return Identification(refusal=Outcome(Status.LOCKED, dossier))
    return Identification(refusal=Outcome(status, dossier))


def _holder_exists(dossier: Dossier) -> bool:
    return DossierLink.objects.active().filter(dossier=dossier, role=LinkRole.HOLDER).exists()


@transaction.atomic
def identify(
    *,
    number: str,
    last_name: str,
    birth_date: date,
    postal_code: str,
    request: HttpRequest | None = None,
) -> Identification:
    """« Inscrivez-vous »: the member's own dossier, adult and not yet held, or a refusal.

    A dossier that already has a holder gets the same answer as a wrong identity, and
    counts as a failure, so the page never tells whether a matricule exists.
    """
    if visitor_throttled(request):
        audit.record(
            Action.LINK_FAILED,
            right=Right.SYSTEM,
            request=request,
            data={"method": METHOD, "reason": Status.ACCOUNT_THROTTLED, "step": "signup"},
        )
        return Identification(refusal=Outcome(Status.ACCOUNT_THROTTLED))
    dossier = Dossier.objects.filter(number=number.strip()).first()
    if dossier is not None and linking.dossier_locked(dossier):
        # Even the right answer is refused while locked; the attempt still counts.
        return _fail(dossier, request, Status.LOCKED, Status.LOCKED)
    if not linking.identity_matches(
        dossier, last_name=last_name, birth_date=birth_date, postal_code=postal_code
    ):
        return _fail(dossier, request, "mismatch", Status.REFUSED)
    if dossier.kind == DossierKind.PERSON and dossier.birth_date and not dossier.is_adult():
        # Nothing proves the identity here: the refusal reads like a wrong answer.
        return _fail(dossier, request, "minor", Status.REFUSED)
    if _holder_exists(dossier):
        return _fail(dossier, request, "already_held", Status.REFUSED)
    return Identification(dossier=dossier)


# Step 2: create the account, then conclude the link ---------------------------------------
@dataclass(frozen=True)
class SignupResult:
    response: HttpResponse | None = None  # allauth's answer once the account exists
    outcome: Outcome | None = None  # the link's outcome, or why nothing was created


@transaction.atomic
def create_account(*, form: Any, dossier: Dossier, request: HttpRequest) -> SignupResult:
    """Create the account through allauth (confirmation email, no sign-in) and conclude.

    ``form`` is a valid allauth sign-up form. An address that already has an account gets
    allauth's usual answer (an email to that address, nothing created), so this page does
    not reveal which addresses are registered either.
    """
    if linking.dossier_locked(dossier):
        return SignupResult(outcome=_fail(dossier, request, Status.LOCKED, Status.LOCKED).refusal)
    if _holder_exists(dossier):
        # Taken since step 1: the generic answer, counted like any failure.
        return SignupResult(outcome=_fail(dossier, request, "already_held", Status.REFUSED).refusal)
    form.cleaned_data["first_name"] = dossier.first_name
    form.cleaned_data["last_name"] = dossier.last_name
    user, response = form.try_save(request)
    if response is not None:
        return SignupResult(response=response)
    outcome = conclude(
        user, dossier, role=LinkRole.HOLDER, method=METHOD, request=request, confirm_by_email=True
    )
    if outcome.status not in (Status.LINKED, Status.CONFIRMATION_SENT):
        # Another account took the dossier at the same moment: create nothing.
        transaction.set_rollback(True)
        return SignupResult(outcome=outcome)
    try:
        response = complete_signup(request, user=user)
    except ImmediateHttpResponse as immediate:
        response = immediate.response
    return SignupResult(response=response, outcome=outcome)

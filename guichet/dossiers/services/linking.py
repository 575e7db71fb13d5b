"""Linking an account to its dossier (« Activez votre dossier »), by each preset's methods.

Every method ends in ``_conclude``: a wrong answer is recorded and may lock the dossier,
a right one either links at once or, when knowledge alone is only a hint (the preset's
``linking_requires_confirmation``), sends a single-use code to the address on file. A
child who already has a guardian is never linked on knowledge: the account's request
waits for an existing guardian or for staff (``GuardianRequest``, decided in
``services.guardians``).
Outcomes are returned, never raised, so that a failure is committed with its
``LinkAttempt`` and audit rows: the throttle must count what a rollback would erase.
Answers never say which field was wrong nor whether a number exists, and a refusal that
depends on the dossier (a minor as holder, an adult as family member) reads like a wrong
answer until the pair is proven.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from guichet import presets
from guichet.audit import services as audit
from guichet.audit.models import Action, Right
from guichet.core.mail import send_templated
from guichet.dossiers.legacy import verify_legacy_password
from guichet.dossiers.models import (
    Dossier,
    DossierKind,
    DossierLink,
    GuardianRequest,
    LinkAttempt,
    LinkingCode,
    LinkingCodePurpose,
    LinkMethod,
    LinkRole,
)

DOSSIER_MAX_FAILURES = 5
DOSSIER_WINDOW = timedelta(minutes=15)
DOSSIER_LOCK = timedelta(minutes=30)
ACCOUNT_MAX_FAILURES = 10
ACCOUNT_WINDOW = timedelta(hours=1)
# One address may carry several people (a household, a library): twice an account's.
ADDRESS_MAX_FAILURES = 20
CONFIRMATION_VALIDITY = timedelta(hours=1)
CONFIRMATION_MAX_FAILURES = 5
ISSUED_CODE_VALIDITY = timedelta(hours=24)
# The accept-or-refuse link emailed to a child's existing guardians.
GUARDIAN_LINK_VALIDITY = timedelta(days=7)
# Each request emails guardians: an account cannot flood them by asking again and again.
GUARDIAN_REQUESTS_PER_DAY = 5
# Compared against when a legacy username is unknown, so both paths take as long.
_DUMMY_BCRYPT = "$2b$10$N1Ao3e/mT0jWSyOVu2tdQ.GhwSbGNogIWfgtAAwHHw4q3t7k57djq"


class Status(enum.StrEnum):
    LINKED = "linked"
    CONFIRMATION_SENT = "confirmation_sent"
    REFUSED = "refused"  # generic: nothing matched, or the dossier cannot take this link
    LOCKED = "locked"  # the dossier is locked for linking
    ACCOUNT_THROTTLED = "account_throttled"
    ADDRESS_THROTTLED = "address_throttled"  # too many failures from the client's address
    MINOR = "minor"  # « Il ne faut pas créer un compte avec les informations d'un enfant »
    ADULT = "adult"  # a guardian adds minors; an adult dependant goes through staff
    ALREADY_HOLDER = "already_holder"  # the account already holds a dossier
    ALREADY_LINKED = "already_linked"  # the account already has this dossier
    APPROVAL_NEEDED = "approval_needed"  # the child has a guardian: the request waits
    APPROVAL_PENDING = "approval_pending"  # the account's request for this child waits
    TOO_MANY_REQUESTS = "too_many_requests"  # guardian requests by this account today


@dataclass(frozen=True)
class Outcome:
    status: Status
    dossier: Dossier | None = None
    link: DossierLink | None = None
    code: LinkingCode | None = None
    guardian_request: GuardianRequest | None = None


def normalize_name(value: str) -> str:
    """Case, accents, spaces and hyphens do not matter: « Côté » is « cote »."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(c for c in decomposed if c.isalnum())


def normalize_code(value: str) -> str:
    return "".join(c for c in value.upper() if c.isalnum())


def code_digest(code: str) -> str:
    """Codes are stored as a keyed hash: a database leak does not reveal them."""
    key = f"linking-code:{settings.SECRET_KEY}".encode()
    return hmac.new(key, normalize_code(code).encode(), hashlib.sha256).hexdigest()


def token_digest(token: str) -> str:
    """The emailed guardian link's token, stored as a keyed hash like the codes."""
    key = f"guardian-request:{settings.SECRET_KEY}".encode()
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


def mask_email(address: str) -> str:
    local, _sep, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"


def absolute_url(request: HttpRequest | None, path: str) -> str:
    """A link for an email: on the host the person used, else the configured site."""
    if request is not None:
        return request.build_absolute_uri(path)
    return f"{settings.GUICHET_SITE_URL}{path}"


# Throttling -------------------------------------------------------------------------
def account_throttled(account: Any) -> bool:
    since = timezone.now() - ACCOUNT_WINDOW
    failures = LinkAttempt.objects.filter(
        account=account, succeeded=False, created_at__gte=since
    ).count()
    return failures >= ACCOUNT_MAX_FAILURES


def address_throttled(address: str | None) -> bool:
    """Failures from one client address, whatever the account: many accounts from one
    address do not each get their own allowance."""
    if address is None:
        return False
    since = timezone.now() - ACCOUNT_WINDOW
    failures = LinkAttempt.objects.filter(
        ip_address=address, succeeded=False, created_at__gte=since
    ).count()
    return failures >= ADDRESS_MAX_FAILURES


def _attempt(
    account: Any,
    dossier: Dossier | None,
    method: str,
    request: HttpRequest | None,
    *,
    succeeded: bool = False,
) -> LinkAttempt:
    return LinkAttempt.objects.create(
        account=account,
        dossier=dossier,
        method=method,
        succeeded=succeeded,
        ip_address=audit.client_ip(request),
    )


def dossier_locked(dossier: Dossier) -> bool:
    return (
        dossier.linking_locked_until is not None and dossier.linking_locked_until > timezone.now()
    )


def _fail(
    account: Any,
    dossier: Dossier | None,
    method: str,
    request: HttpRequest | None,
    reason: str,
    status: Status = Status.REFUSED,
) -> Outcome:
    _attempt(account, dossier, method, request)
    audit.record(
        Action.LINK_FAILED,
        actor=account,
        subject=account,
        dossier=dossier,
        request=request,
        data={"method": method, "reason": reason},
    )
    if dossier is None:
        return Outcome(status)
    since = timezone.now() - DOSSIER_WINDOW
    failures = LinkAttempt.objects.filter(
        dossier=dossier, succeeded=False, created_at__gte=since
    ).count()
    if failures >= DOSSIER_MAX_FAILURES and not dossier_locked(dossier):
        _lock(account, dossier, request)
        return Outcome(Status.LOCKED, dossier)
    return Outcome(status, dossier)


def _lock(account: Any, dossier: Dossier, request: HttpRequest | None) -> None:
    dossier.linking_locked_until = timezone.now() + DOSSIER_LOCK
    dossier.save(update_fields=["linking_locked_until", "updated_at"])
    audit.record(
        Action.LINK_LOCKED,
        actor=account,
        subject=account,
        dossier=dossier,
        request=request,
        data={"until": dossier.linking_locked_until.isoformat()},
    )
    if dossier.email:
        send_templated(
            "dossiers/email/link_locked",
            to=dossier.email,
            context={"dossier": dossier, "until": dossier.linking_locked_until},
            language=dossier.language,
        )


def _guard(
    account: Any,
    dossier: Dossier | None,
    method: str,
    request: HttpRequest | None,
    role: LinkRole = LinkRole.HOLDER,
) -> Outcome | None:
    """Refusals that come before any secret is checked; audited like any failure."""
    if role == LinkRole.HOLDER and _holds_a_dossier(account):
        # Said before the answer is checked, so it tells nothing about the answer.
        return Outcome(Status.ALREADY_HOLDER)
    outcome = None
    if account_throttled(account):
        outcome = Outcome(Status.ACCOUNT_THROTTLED)
    elif address_throttled(audit.client_ip(request)):
        outcome = Outcome(Status.ADDRESS_THROTTLED)
    elif dossier is not None and dossier_locked(dossier):
        # Even the right secret is refused while locked; the attempt still counts.
        _attempt(account, dossier, method, request)
        outcome = Outcome(Status.LOCKED, dossier)
    if outcome is not None:
        audit.record(
            Action.LINK_FAILED,
            actor=account,
            subject=account,
            dossier=dossier if outcome.status == Status.LOCKED else None,
            request=request,
            data={"method": method, "reason": outcome.status},
        )
    return outcome


# Concluding a proven (or hinted) link -------------------------------------------------
def _holds_a_dossier(account: Any) -> bool:
    return DossierLink.objects.active().filter(account=account, role=LinkRole.HOLDER).exists()


def _unfit(dossier: Dossier, role: LinkRole) -> str | None:
    """Why this dossier cannot take this role: "minor" as holder, "adult" as guardian."""
    if role == LinkRole.HOLDER:
        minor = (
            dossier.kind == DossierKind.PERSON
            and dossier.birth_date is not None
            and not dossier.is_adult()
        )
        return "minor" if minor else None
    # Knowing an adult's number and birth date must not make anyone their guardian.
    return "adult" if dossier.kind != DossierKind.PERSON or dossier.is_adult() else None


def guardian_links(dossier: Dossier, *, besides: Any = None) -> QuerySet[DossierLink]:
    """The child's guardians in force (other than ``besides``), with their accounts."""
    links = DossierLink.objects.active().filter(dossier=dossier, role=LinkRole.GUARDIAN)
    if besides is not None:
        links = links.exclude(account=besides)
    return links.select_related("account").order_by("created_at", "pk")


def _conclude(
    account: Any,
    dossier: Dossier,
    *,
    role: LinkRole,
    method: LinkMethod,
    request: HttpRequest | None,
    confirm_by_email: bool,
) -> Outcome:
    """``confirm_by_email``: the answer was knowledge (a hint); False once it is proven by
    a code sent to the address on file, legacy credentials or a code staff issued."""
    if DossierLink.objects.active().filter(account=account, dossier=dossier).exists():
        return Outcome(Status.ALREADY_LINKED, dossier)
    if role == LinkRole.HOLDER and _holds_a_dossier(account):
        return Outcome(Status.ALREADY_HOLDER, dossier)
    # A dossier's holder answers for it: nobody else takes it, not even as a guardian.
    if DossierLink.objects.active().filter(dossier=dossier, role=LinkRole.HOLDER).exists():
        return _fail(account, dossier, method, request, "already_held")
    waiting = GuardianRequest.objects.pending().filter(account=account, dossier=dossier)
    if role == LinkRole.GUARDIAN and waiting.exists():
        return Outcome(Status.APPROVAL_PENDING, dossier, guardian_request=waiting.first())
    unfit = _unfit(dossier, role)
    # A child who has a guardian is not linked on knowledge, nor on a code sent to an
    # address on file that is often that guardian's: the guardian or staff decide.
    asks_guardians = (
        role == LinkRole.GUARDIAN and unfit is None and guardian_links(dossier).exists()
    )
    needs_code = (
        confirm_by_email and presets.active().linking_requires_confirmation and dossier.email
    )
    if needs_code and not asks_guardians:
        _attempt(account, dossier, method, request, succeeded=True)
        return Outcome(
            Status.CONFIRMATION_SENT,
            dossier,
            code=_send_confirmation(account, dossier, role=role, method=method, request=request),
        )
    if unfit is not None:
        # Explained only once the pair is proven: before, the explanation would tell a
        # guesser that the number and birth date match.
        proven = not confirm_by_email
        explained = Status.MINOR if unfit == "minor" else Status.ADULT
        return _fail(
            account, dossier, method, request, unfit, explained if proven else Status.REFUSED
        )
    if asks_guardians:
        return _ask_existing_guardians(account, dossier, method=method, request=request)
    try:
        with transaction.atomic():
            link = make_link(account, dossier, role=role, method=method, request=request)
    except IntegrityError:
        # Another account took the dossier at the same moment: the constraints decide.
        return _fail(account, dossier, method, request, "already_held")
    return Outcome(Status.LINKED, dossier, link=link)


def make_link(
    account: Any,
    dossier: Dossier,
    *,
    role: LinkRole,
    method: LinkMethod,
    request: HttpRequest | None,
    actor: Any = None,
    right: Right | None = None,
) -> DossierLink:
    """Link ``account``; ``actor`` and ``right`` say who made it when it is not the account
    itself (a guardian or staff approving a request). The address on file is told, and so
    is every other guardian of a child, who can report the addition."""
    actor = actor or account
    link = DossierLink.objects.create(account=account, dossier=dossier, role=role, method=method)
    if actor == account:
        _attempt(account, dossier, method, request, succeeded=True)
    audit.record(
        Action.DOSSIER_LINKED,
        actor=actor,
        subject=account,
        dossier=dossier,
        right=right or (Right.SELF if role == LinkRole.HOLDER else Right.GUARDIAN),
        request=request,
        data={"method": method, "role": role},
    )
    if dossier.email:
        send_templated(
            "dossiers/email/link_made",
            to=dossier.email,
            context={"dossier": dossier, "account": account, "role": role},
            language=dossier.language,
        )
    if role == LinkRole.GUARDIAN:
        report = reverse("requests:report_guardian", args=[link.pk])
        for other in guardian_links(dossier, besides=account):
            send_templated(
                "dossiers/email/guardian_added",
                to=other.account.email,
                context={
                    "guardian": other.account,
                    "added": account,
                    "dossier": dossier,
                    "report_url": absolute_url(request, report),
                },
                language=other.account.language,
            )
    return link


def _ask_existing_guardians(
    account: Any, dossier: Dossier, *, method: LinkMethod, request: HttpRequest | None
) -> Outcome:
    """Knowledge proven, the child has a guardian: record the request and email each
    guardian a single-use link to accept or refuse it. Staff see it in their queue."""
    today = GuardianRequest.objects.filter(
        account=account, created_at__gte=timezone.now() - timedelta(days=1)
    )
    if today.count() >= GUARDIAN_REQUESTS_PER_DAY:
        return Outcome(Status.TOO_MANY_REQUESTS, dossier)
    token = secrets.token_urlsafe(20)
    try:
        with transaction.atomic():
            asked = GuardianRequest.objects.create(
                dossier=dossier,
                account=account,
                method=method,
                token_hash=token_digest(token),
                token_expires_at=timezone.now() + GUARDIAN_LINK_VALIDITY,
            )
    except IntegrityError:
        # The same account asked at the same moment (a double click): one request.
        waiting = GuardianRequest.objects.pending().filter(account=account, dossier=dossier)
        return Outcome(Status.APPROVAL_PENDING, dossier, guardian_request=waiting.first())
    _attempt(account, dossier, method, request, succeeded=True)
    audit.record(
        Action.REQUEST_SUBMITTED,
        actor=account,
        subject=account,
        dossier=dossier,
        right=Right.GUARDIAN,
        request=request,
        data={"kind": "guardian_link", "guardian_request": asked.pk, "method": method},
    )
    decide = reverse("dossiers:guardian_request_link", args=[asked.pk, token])
    for existing in guardian_links(dossier):
        send_templated(
            "dossiers/email/guardian_request",
            to=existing.account.email,
            context={
                "guardian": existing.account,
                "asker": account,
                "dossier": dossier,
                "decide_url": absolute_url(request, decide),
                "expires_at": asked.token_expires_at,
            },
            language=existing.account.language,
        )
    return Outcome(Status.APPROVAL_NEEDED, dossier, guardian_request=asked)


def _send_confirmation(
    account: Any, dossier: Dossier, *, role: LinkRole, method: LinkMethod, request: Any
) -> LinkingCode:
    # One pending confirmation per account: asking again replaces the previous code.
    LinkingCode.objects.filter(
        account=account, purpose=LinkingCodePurpose.CONFIRMATION, used_at__isnull=True
    ).update(expires_at=timezone.now())
    code = f"{secrets.randbelow(10**6):06d}"
    record = LinkingCode.objects.create(
        dossier=dossier,
        purpose=LinkingCodePurpose.CONFIRMATION,
        code_hash=code_digest(code),
        sent_to=dossier.email,
        account=account,
        role=role,
        method=method,
        expires_at=timezone.now() + CONFIRMATION_VALIDITY,
    )
    send_templated(
        "dossiers/email/link_confirmation",
        to=dossier.email,
        context={"dossier": dossier, "code": code, "validity_minutes": 60},
        language=dossier.language,
    )
    audit.record(
        Action.LINK_CODE_SENT,
        actor=account,
        subject=account,
        dossier=dossier,
        right=Right.SELF if role == LinkRole.HOLDER else Right.GUARDIAN,
        request=request,
        data={"purpose": LinkingCodePurpose.CONFIRMATION, "sent_to": mask_email(dossier.email)},
    )
    return record


# The methods -------------------------------------------------------------------------
def _by_number(number: str) -> Dossier | None:
    return Dossier.objects.filter(number=number.strip()).first()


@transaction.atomic
def link_by_number(
    *,
    actor: Any,
    number: str,
    birth_date: date,
    role: LinkRole = LinkRole.HOLDER,
    request: HttpRequest | None = None,
) -> Outcome:
    """Baie-Comeau's « Numéro de dossier » and « Date de naissance »; also households."""
    method = LinkMethod.NUMBER_AND_BIRTH_DATE
    dossier = _by_number(number)
    if refused := _guard(actor, dossier, method, request, role):
        return refused
    if dossier is None or dossier.birth_date != birth_date:
        return _fail(actor, dossier, method, request, "mismatch")
    return _conclude(
        actor, dossier, role=role, method=method, request=request, confirm_by_email=True
    )


def identity_matches(
    dossier: Dossier | None, *, last_name: str, birth_date: date, postal_code: str
) -> bool:
    """CAOMSC's identity: birth date, last name (case and accents aside), postal code."""
    return (
        dossier is not None
        and dossier.birth_date == birth_date
        and normalize_name(dossier.last_name) == normalize_name(last_name)
        and normalize_code(postal_code)
        in {normalize_code(dossier.home_postal_code), normalize_code(dossier.postal_code)}
    )


@transaction.atomic
def link_by_member_identity(
    *,
    actor: Any,
    number: str,
    last_name: str,
    birth_date: date,
    postal_code: str,
    request: HttpRequest | None = None,
) -> Outcome:
    """CAOMSC: matricule, « Nom de famille », « Date de naissance », « Code postal »."""
    method = LinkMethod.MEMBER_IDENTITY
    dossier = _by_number(number)
    if refused := _guard(actor, dossier, method, request):
        return refused
    matching = identity_matches(
        dossier, last_name=last_name, birth_date=birth_date, postal_code=postal_code
    )
    if not matching:
        return _fail(actor, dossier, method, request, "mismatch")
    return _conclude(
        actor, dossier, role=LinkRole.HOLDER, method=method, request=request, confirm_by_email=True
    )


@transaction.atomic
def link_by_legacy_credentials(
    *, actor: Any, username: str, password: str, request: HttpRequest | None = None
) -> Outcome:
    """CCQ « anciens accès »: proven by the old password, which is then erased."""
    method = LinkMethod.LEGACY_CREDENTIALS
    username = username.strip()
    dossier = Dossier.objects.filter(legacy_username__iexact=username).first() if username else None
    if refused := _guard(actor, dossier, method, request):
        return refused
    if dossier is None or not dossier.legacy_password_hash:
        verify_legacy_password(_DUMMY_BCRYPT, password)
        return _fail(actor, dossier, method, request, "mismatch")
    if not verify_legacy_password(dossier.legacy_password_hash, password):
        return _fail(actor, dossier, method, request, "mismatch")
    outcome = _conclude(
        actor, dossier, role=LinkRole.HOLDER, method=method, request=request, confirm_by_email=False
    )
    if outcome.status == Status.LINKED:
        dossier.legacy_username = ""
        dossier.legacy_password_hash = ""
        dossier.save(update_fields=["legacy_username", "legacy_password_hash", "updated_at"])
    return outcome


@transaction.atomic
def link_by_code(
    *, actor: Any, number: str, code: str, request: HttpRequest | None = None
) -> Outcome:
    """A code staff issued to the address on file: single use, bound to that address."""
    method = LinkMethod.LINKING_CODE
    dossier = _by_number(number)
    if refused := _guard(actor, dossier, method, request):
        return refused
    issued = None
    if dossier is not None:
        issued = (
            LinkingCode.objects.select_for_update()
            .filter(
                dossier=dossier,
                purpose=LinkingCodePurpose.ISSUED,
                code_hash=code_digest(code),
                used_at__isnull=True,
                expires_at__gt=timezone.now(),
                sent_to__iexact=dossier.email,
            )
            .exclude(sent_to="")
            .first()
        )
    if dossier is None or issued is None:
        return _fail(actor, dossier, method, request, "mismatch")
    outcome = _conclude(
        actor, dossier, role=issued.role, method=method, request=request, confirm_by_email=False
    )
    if outcome.status == Status.LINKED:
        issued.used_at = timezone.now()
        issued.account = actor
        issued.save(update_fields=["used_at", "account"])
    return outcome


@transaction.atomic
def confirm_link(*, actor: Any, code: str, request: HttpRequest | None = None) -> Outcome:
    """The second step: the code sent to the address on file makes the link."""
    pending = pending_confirmation(actor, for_update=True)
    if pending is None:
        return Outcome(Status.REFUSED)
    dossier = pending.dossier
    if refused := _guard(actor, dossier, pending.method, request, LinkRole(pending.role)):
        return refused
    if not hmac.compare_digest(pending.code_hash, code_digest(code)):
        pending.failed_attempts += 1
        if pending.failed_attempts >= CONFIRMATION_MAX_FAILURES:
            pending.expires_at = timezone.now()
        pending.save(update_fields=["failed_attempts", "expires_at"])
        return _fail(actor, dossier, pending.method, request, "wrong_confirmation_code")
    pending.used_at = timezone.now()
    pending.save(update_fields=["used_at"])
    return _conclude(
        actor,
        dossier,
        role=LinkRole(pending.role),
        method=LinkMethod(pending.method),
        request=request,
        confirm_by_email=False,
    )


def pending_confirmation(account: Any, *, for_update: bool = False) -> LinkingCode | None:
    codes = LinkingCode.objects.filter(
        account=account,
        purpose=LinkingCodePurpose.CONFIRMATION,
        used_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("dossier")
    if for_update:
        codes = codes.select_for_update(of=("self",))
    return codes.order_by("-created_at").first()


# Staff: the email on file no longer works ---------------------------------------------
@transaction.atomic
def link_checked_by_staff(
    *, account: Any, dossier: Dossier, actor: Any, request: HttpRequest | None = None
) -> Outcome:
    """Staff checked the person's identity themselves because the code sent to the
    address on file cannot be read: the account becomes the dossier's holder without the
    code, under the staff's right, and the account's (verified) address replaces the one
    on file. The same rules as any link: one holder per dossier, an adult, one held
    dossier per account."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if DossierLink.objects.active().filter(account=account, role=LinkRole.HOLDER).exists():
        return Outcome(Status.ALREADY_HOLDER, dossier)
    if DossierLink.objects.active().filter(dossier=dossier, role=LinkRole.HOLDER).exists():
        return Outcome(Status.REFUSED, dossier)
    if dossier.kind == DossierKind.PERSON and dossier.birth_date and not dossier.is_adult():
        return Outcome(Status.MINOR, dossier)
    LinkingCode.objects.filter(
        account=account, purpose=LinkingCodePurpose.CONFIRMATION, used_at__isnull=True
    ).update(expires_at=timezone.now())
    if dossier.email.lower() != account.email.lower():
        audit.record(
            Action.PROFILE_CHANGED,
            actor=actor,
            subject=account,
            dossier=dossier,
            right=Right.STAFF,
            request=request,
            data={"before": {"email": dossier.email}, "after": {"email": account.email}},
        )
        dossier.email = account.email
        dossier.save(update_fields=["email", "updated_at"])
    link = DossierLink.objects.create(
        account=account, dossier=dossier, role=LinkRole.HOLDER, method=LinkMethod.STAFF
    )
    audit.record(
        Action.DOSSIER_LINKED,
        actor=actor,
        subject=account,
        dossier=dossier,
        right=Right.STAFF,
        request=request,
        data={"method": LinkMethod.STAFF, "role": LinkRole.HOLDER, "identity": "checked_by_staff"},
    )
    send_templated(
        "dossiers/email/link_made",
        to=dossier.email,
        context={"dossier": dossier, "account": account, "role": LinkRole.HOLDER},
        language=dossier.language,
    )
    return Outcome(Status.LINKED, dossier, link=link)


# Staff: issue a linking code ----------------------------------------------------------
def new_issued_code() -> str:
    """80 random bits in base 32 (no 0/1 confusion with O/I), read in groups of four."""
    raw = base64.b32encode(secrets.token_bytes(10)).decode()
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@transaction.atomic
def issue_linking_code(
    *, actor: Any, dossier: Dossier, request: HttpRequest | None = None
) -> LinkingCode:
    """Email a new code to the dossier's address on file; earlier unused codes stop working."""
    if not dossier.email:
        raise ValueError("The dossier has no email on file.")
    now = timezone.now()
    LinkingCode.objects.filter(
        dossier=dossier, purpose=LinkingCodePurpose.ISSUED, used_at__isnull=True
    ).update(expires_at=now)
    code = new_issued_code()
    issued = LinkingCode.objects.create(
        dossier=dossier,
        purpose=LinkingCodePurpose.ISSUED,
        code_hash=code_digest(code),
        sent_to=dossier.email,
        role=LinkRole.HOLDER,
        method=LinkMethod.LINKING_CODE,
        issued_by=actor,
        created_at=now,
        expires_at=now + ISSUED_CODE_VALIDITY,
    )
    send_templated(
        "dossiers/email/link_code",
        to=dossier.email,
        context={"dossier": dossier, "code": code, "expires_at": issued.expires_at},
        language=dossier.language,
    )
    audit.record(
        Action.LINK_CODE_SENT,
        actor=actor,
        dossier=dossier,
        right=Right.STAFF,
        request=request,
        data={"purpose": LinkingCodePurpose.ISSUED, "sent_to": mask_email(dossier.email)},
    )
    return issued


# « Identifiant oublié ? » -------------------------------------------------------------
@transaction.atomic
def send_login_id_reminder(
    *, number: str, birth_date: date, request: HttpRequest | None = None
) -> None:
    """Tell the address on file which email the holder's account uses; silent otherwise."""
    dossier = _by_number(number)
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

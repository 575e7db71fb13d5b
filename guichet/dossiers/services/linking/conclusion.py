"""Where every method ends: the answer proven (or only hinted), link, ask for a code sent
to the address on file, or ask the child's guardians."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse

from guichet import presets
from guichet.accounts.types import Actor
from guichet.audit import services as audit
from guichet.audit.models import Action, Right
from guichet.core.mail import send_templated
from guichet.dossiers.models import (
    Dossier,
    DossierKind,
    DossierLink,
    GuardianRequest,
    LinkMethod,
    LinkRole,
)
from guichet.dossiers.services.linking.confirmation import send_confirmation
from guichet.dossiers.services.linking.guardian_requests import (
    absolute_url,
    ask_existing_guardians,
    guardian_links,
)
from guichet.dossiers.services.linking.organizations import is_organization, link_organization
from guichet.dossiers.services.linking.outcomes import Outcome, Status
from guichet.dossiers.services.linking.throttle import fail, holds_a_dossier, record_attempt
from guichet.dossiers.signals import announce_link


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


def conclude(
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
    if is_organization(dossier):
        # A person acts for an organization through a relation, never as its holder.
        linked = link_organization(account, dossier, method, request)
        return linked or fail(account, dossier, method, request, "organization")
    if DossierLink.objects.active().filter(account=account, dossier=dossier).exists():
        return Outcome(Status.ALREADY_LINKED, dossier)
    if role == LinkRole.HOLDER and holds_a_dossier(account):
        return Outcome(Status.ALREADY_HOLDER, dossier)
    # A dossier's holder answers for it: nobody else takes it, not even as a guardian.
    if DossierLink.objects.active().filter(dossier=dossier, role=LinkRole.HOLDER).exists():
        return fail(account, dossier, method, request, "already_held")
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
        record_attempt(account, dossier, method, request, succeeded=True)
        return Outcome(
            Status.CONFIRMATION_SENT,
            dossier,
            code=send_confirmation(account, dossier, role=role, method=method, request=request),
        )
    if unfit is not None:
        # Explained only once the pair is proven: before, the explanation would tell a
        # guesser that the number and birth date match.
        proven = not confirm_by_email
        explained = Status.MINOR if unfit == "minor" else Status.ADULT
        return fail(
            account, dossier, method, request, unfit, explained if proven else Status.REFUSED
        )
    if asks_guardians:
        return ask_existing_guardians(account, dossier, method=method, request=request)
    try:
        with transaction.atomic():
            link = make_link(account, dossier, role=role, method=method, request=request)
    except IntegrityError:
        # Another account took the dossier at the same moment: the constraints decide.
        return fail(account, dossier, method, request, "already_held")
    return Outcome(Status.LINKED, dossier, link=link)


def make_link(
    account: Any,
    dossier: Dossier,
    *,
    role: LinkRole,
    method: LinkMethod,
    request: HttpRequest | None,
    actor: Actor | None = None,
    right: Right | None = None,
) -> DossierLink:
    """Link ``account``; ``actor`` and ``right`` say who made it when it is not the account
    itself (a guardian or staff approving a request). The address on file is told, and so
    is every other guardian of a child, who can report the addition."""
    actor = actor or account
    link = DossierLink.objects.create(account=account, dossier=dossier, role=role, method=method)
    if actor == account:
        record_attempt(account, dossier, method, request, succeeded=True)
    audit.record(
        Action.DOSSIER_LINKED,
        actor=actor,
        subject=account,
        dossier=dossier,
        right=right or (Right.SELF if role == LinkRole.HOLDER else Right.GUARDIAN),
        request=request,
        data={"method": method, "role": role},
    )
    announce_link(link)
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

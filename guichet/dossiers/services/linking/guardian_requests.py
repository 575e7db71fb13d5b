"""A child who already has a guardian: knowledge alone never links another account. The
request is recorded and each guardian gets a single-use link to accept or refuse it
(decided in ``services.guardians``); staff see it in their queue."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from guichet.audit import services as audit
from guichet.audit.models import Action, Right
from guichet.core.mail import send_templated
from guichet.dossiers.models import Dossier, DossierLink, GuardianRequest, LinkMethod, LinkRole
from guichet.dossiers.services.linking.codes import token_digest
from guichet.dossiers.services.linking.outcomes import Outcome, Status
from guichet.dossiers.services.linking.throttle import record_attempt

# The accept-or-refuse link emailed to a child's existing guardians.
GUARDIAN_LINK_VALIDITY = timedelta(days=7)
# Each request emails guardians: an account cannot flood them by asking again and again.
GUARDIAN_REQUESTS_PER_DAY = 5


def absolute_url(request: HttpRequest | None, path: str) -> str:
    """A link for an email: on the host the person used, else the configured site."""
    if request is not None:
        return request.build_absolute_uri(path)
    return f"{settings.GUICHET_SITE_URL}{path}"


def guardian_links(dossier: Dossier, *, besides: Any = None) -> QuerySet[DossierLink]:
    """The child's guardians in force (other than ``besides``), with their accounts."""
    links = DossierLink.objects.active().filter(dossier=dossier, role=LinkRole.GUARDIAN)
    if besides is not None:
        links = links.exclude(account=besides)
    return links.select_related("account").order_by("created_at", "pk")


def ask_existing_guardians(
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
    record_attempt(account, dossier, method, request, succeeded=True)
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

"""What a linking attempt ends in: returned, never raised (see the package's docstring)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from guichet.dossiers.models import Dossier, DossierLink, GuardianRequest, LinkingCode


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
    next_url: str = ""  # where to go on (an organization's contact picks a profile)

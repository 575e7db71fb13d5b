"""Linking an account to its dossier (« Activez votre dossier »), by each preset's methods.

One module per concern, like allauth's ``account/internal/flows/``:

- ``by_number``, ``by_member_identity``, ``by_legacy_credentials``, ``by_code`` (a code
  staff issued), ``by_confirmation`` (the code sent to the address on file) and
  ``by_staff`` (staff checked the identity): the methods;
- ``conclusion``: where every method ends (``conclude``, ``make_link``);
- ``throttle``: guesses counted per dossier, account and client address, the lock;
- ``codes``: codes and tokens, hashed; staff issue a linking code;
- ``confirmation``: the code sent when knowledge alone is only a hint;
- ``guardian_requests``: a child who has a guardian waits for that guardian or staff;
- ``reminder``: « Identifiant oublié ? »;
- ``organizations``: an organization's dossier is never held: the organizations app
  registers how its proven credentials make a contact's relation instead.

Every method ends in ``conclude``: a wrong answer is recorded and may lock the dossier, a
right one either links at once or, when knowledge alone is only a hint (the preset's
``linking_requires_confirmation``), sends a single-use code to the address on file. A
child who already has a guardian is never linked on knowledge: the account's request
waits for an existing guardian or for staff (``GuardianRequest``, decided in
``services.guardians``). Outcomes are returned, never raised, so that a failure is
committed with its ``LinkAttempt`` and audit rows: the throttle must count what a rollback
would erase. Answers never say which field was wrong nor whether a number exists, and a
refusal that depends on the dossier (a minor as holder, an adult as family member) reads
like a wrong answer until the pair is proven.

Callers use this package's names: ``linking.link_by_number(...)``.
"""

from guichet.dossiers.services.linking.by_code import link_by_code
from guichet.dossiers.services.linking.by_confirmation import confirm_link
from guichet.dossiers.services.linking.by_legacy_credentials import link_by_legacy_credentials
from guichet.dossiers.services.linking.by_member_identity import (
    identity_matches,
    link_by_member_identity,
)
from guichet.dossiers.services.linking.by_number import link_by_number
from guichet.dossiers.services.linking.by_staff import link_checked_by_staff
from guichet.dossiers.services.linking.codes import (
    ISSUED_CODE_VALIDITY,
    code_digest,
    issue_linking_code,
    mask_email,
    new_issued_code,
    normalize_code,
    normalize_name,
    token_digest,
)
from guichet.dossiers.services.linking.conclusion import make_link
from guichet.dossiers.services.linking.confirmation import (
    CONFIRMATION_MAX_FAILURES,
    CONFIRMATION_VALIDITY,
    pending_confirmation,
)
from guichet.dossiers.services.linking.guardian_requests import (
    GUARDIAN_LINK_VALIDITY,
    GUARDIAN_REQUESTS_PER_DAY,
    absolute_url,
    guardian_links,
)
from guichet.dossiers.services.linking.organizations import (
    links_organizations,
    register_organization_linker,
)
from guichet.dossiers.services.linking.outcomes import Outcome, Status
from guichet.dossiers.services.linking.reminder import send_login_id_reminder
from guichet.dossiers.services.linking.throttle import (
    ACCOUNT_MAX_FAILURES,
    ACCOUNT_WINDOW,
    ADDRESS_MAX_FAILURES,
    DOSSIER_LOCK,
    DOSSIER_MAX_FAILURES,
    DOSSIER_WINDOW,
    account_throttled,
    address_throttled,
    dossier_locked,
)

__all__ = [
    "ACCOUNT_MAX_FAILURES",
    "ACCOUNT_WINDOW",
    "ADDRESS_MAX_FAILURES",
    "CONFIRMATION_MAX_FAILURES",
    "CONFIRMATION_VALIDITY",
    "DOSSIER_LOCK",
    "DOSSIER_MAX_FAILURES",
    "DOSSIER_WINDOW",
    "GUARDIAN_LINK_VALIDITY",
    "GUARDIAN_REQUESTS_PER_DAY",
    "ISSUED_CODE_VALIDITY",
    "Outcome",
    "Status",
    "absolute_url",
    "account_throttled",
    "address_throttled",
    "code_digest",
    "confirm_link",
    "dossier_locked",
    "guardian_links",
    "identity_matches",
    "issue_linking_code",
    "link_by_code",
    "link_by_legacy_credentials",
    "link_by_member_identity",
    "link_by_number",
    "link_checked_by_staff",
    "links_organizations",
    "make_link",
    "mask_email",
    "new_issued_code",
    "normalize_code",
    "normalize_name",
    "pending_confirmation",
    "register_organization_linker",
    "send_login_id_reminder",
    "token_digest",
]

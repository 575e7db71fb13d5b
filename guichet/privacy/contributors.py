"""What privacy itself exports and anonymizes: the account (sign-in identity, addresses,
sessions, second factors) and the audit trail of what was done by or for it.

Accounts and audit sit below privacy, so privacy speaks for them; every app above
registers its own contributor (``guichet/<app>/privacy.py``).
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.accounts.lockout import throttle_key
from guichet.accounts.models import LoginThrottle
from guichet.accounts.services import end_all_sessions
from guichet.audit.models import AuditEvent
from guichet.privacy.models import Consent, ConsentChannel
from guichet.privacy.registry import Closing, Contributor, Kept, Portion, Table, scrub


def export_account(account: Any) -> Portion:
    profile = {
        "email": account.email,
        "first_name": account.first_name,
        "last_name": account.last_name,
        "language": account.language,
        "date_joined": account.date_joined,
        "terms_accepted_at": account.terms_accepted_at,
        "last_login": account.last_login,
    }
    addresses = [
        {"email": row.email, "primary": row.primary, "verified": row.verified}
        for row in EmailAddress.objects.filter(user=account).order_by("id")
    ]
    sessions = [
        {
            "created_at": row.created_at,
            "last_seen_at": row.last_seen_at,
            "ip": row.ip,
            "user_agent": row.user_agent,
        }
        for row in UserSession.objects.filter(user=account).order_by("id")
    ]
    factors = [
        {"type": row.type, "created_at": row.created_at, "last_used_at": row.last_used_at}
        for row in Authenticator.objects.filter(user=account).order_by("id")
    ]
    return Portion(
        tables=[
            Table("account", _("Your account: name, email, language, dates."), [profile]),
            Table("email_addresses", _("The email addresses of your account."), addresses),
            Table("sessions", _("Where and when your account is signed in."), sessions),
            Table(
                "second_factors",
                _("Your second factors (their kind and dates; never their secrets)."),
                factors,
            ),
        ]
    )


def anonymize_account(closing: Closing) -> dict[str, int]:
    account = closing.account
    closing.forget(account.email, account.first_name, account.last_name)
    LoginThrottle.objects.filter(key=throttle_key(account.email)).delete()
    end_all_sessions(account)
    counts = {
        "email_addresses": EmailAddress.objects.filter(user=account).delete()[0],
        "second_factors": Authenticator.objects.filter(user=account).delete()[0],
        "sessions": UserSession.objects.filter(user=account).delete()[0],
    }
    account.first_name = "Anonyme"
    account.last_name = ""
    account.email = f"anonyme-{account.pk}@anonyme.invalid"
    account.is_active = False
    account.set_unusable_password()
    account.save(update_fields=["first_name", "last_name", "email", "is_active", "password"])
    counts["accounts"] = 1
    return counts


def export_trail(account: Any) -> Portion:
    events = AuditEvent.objects.concerning(account).order_by("occurred_at", "id")
    rows = [
        {
            "occurred_at": event.occurred_at,
            "action": event.get_action_display(),
            "by_you": event.actor_id == account.pk,
            "right": event.get_right_display(),
            # An address is shown only for the person's own actions, as « Mon activité » does.
            "ip_address": event.ip_address if event.actor_id == account.pk else None,
            "data": event.data,
        }
        for event in events
    ]
    return Portion(
        tables=[Table("activity", _("What was done by you or for you (« My activity »)."), rows)]
    )


def anonymize_trail(closing: Closing) -> dict[str, int]:
    """The trail is kept (who did what, when) but says no more who the person was."""
    account = closing.account
    mine = Q(actor=account) | Q(subject=account)
    touched = AuditEvent.objects.filter(mine | Q(dossier__in=[d.pk for d in closing.dossiers]))
    scrubbed = 0
    for event in touched.iterator():
        data = scrub(event.data, closing.forgotten)
        if data != event.data:
            AuditEvent.objects.filter(pk=event.pk).update(data=data)
            scrubbed += 1
    addresses = AuditEvent.objects.filter(mine).exclude(ip_address=None, user_agent="")
    cleared = addresses.update(ip_address=None, user_agent="")
    return {"audit_details_scrubbed": scrubbed, "audit_addresses_cleared": cleared}


def anonymize_consents(closing: Closing) -> dict[str, int]:
    """Consents stay as proof of what was agreed, without where from; a closed file
    receives nothing more (every list still granted is withdrawn, by the system)."""
    consents = Consent.objects.filter(dossier__in=[d.pk for d in closing.dossiers])
    withdrawn = [
        Consent(
            dossier_id=consent.dossier_id,
            mailing_list_id=consent.mailing_list_id,
            granted=False,
            wording=consent.wording,
            language=consent.language,
            channel=ConsentChannel.CLOSURE,
        )
        for consent in latest_granted(consents)
    ]
    Consent.objects.bulk_create(withdrawn)
    return {
        "consent_addresses_cleared": consents.exclude(ip_address=None).update(ip_address=None),
        "consents_withdrawn": len(withdrawn),
    }


def latest_granted(consents: Any) -> list[Consent]:
    latest: dict[tuple[int, int], Consent] = {}
    for consent in consents.order_by("recorded_at", "id"):
        latest[(consent.dossier_id, consent.mailing_list_id)] = consent
    return [consent for consent in latest.values() if consent.granted]


CONSENTS = Contributor(
    "consents",
    _("Consents"),
    order=800,
    anonymize=anonymize_consents,
    erases=(_("Where your consents were given from; every subscription ends."),),
    kept=(
        Kept(
            _("Your consents and their wording, as given."),
            _("Three years after the last one"),
            _("The proof of consent that Canada's anti-spam law asks for."),
        ),
    ),
)


ACCOUNT = Contributor(
    "account",
    _("Account"),
    order=900,
    export=export_account,
    anonymize=anonymize_account,
    erases=(
        _("Your name and email address on the account, and its password."),
        _("Your email addresses, sessions and second factors."),
    ),
    kept=(
        Kept(
            _("The account itself, without name or email, closed for good."),
            _("As long as the records that point to it"),
            _("Invoices and registrations name who made them; an anonymous row stands in."),
        ),
    ),
)

TRAIL = Contributor(
    "audit",
    _("Audit trail"),
    order=1000,
    export=export_trail,
    anonymize=anonymize_trail,
    erases=(_("Your names, addresses and network addresses in the audit trail's details."),),
    kept=(
        Kept(
            _("The audit trail: what was done, when, under which right."),
            _("As long as the operator keeps its trail"),
            _("It proves who acted on a file; it no longer says who you were."),
        ),
    ),
)

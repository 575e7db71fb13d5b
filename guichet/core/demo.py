"""The demo operator's data: Val-des-Érables and the people who use its portal.

``load()`` is idempotent: it finds each demo record by its natural key (an email
address for accounts), creates what is missing and puts the rest back in its demo
state, so ``manage.py load_demo`` can run on every ``make demo``. Each app adds its own
step to ``load()`` as it arrives (dossiers, households, offerings, invoices...).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth import password_validation
from django.db import transaction
from django.utils import timezone

from guichet.accounts import lockout
from guichet.accounts.models import Account
from guichet.billing import demo as billing_demo
from guichet.catalog import demo as catalog_demo
from guichet.dossiers import demo as dossiers_demo

# Published on purpose: it is printed by load_demo and listed in README.md. It satisfies
# every preset's policy (15+ characters, upper and lower case, digits, a symbol).
DEMO_PASSWORD = "Erables-en-automne-2026"  # noqa: S105


@dataclass(frozen=True)
class DemoAccount:
    email: str
    first_name: str
    last_name: str
    role: str  # shown in load_demo's table and in README.md, in French like the interface
    language: str = "fr"
    is_staff: bool = False


ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "admin@valdeserables.exemple.ca",
        "Nathalie",
        "Lavoie",
        "Personnel (administratrice)",
        is_staff=True,
    ),
    DemoAccount("marie.tremblay@exemple.ca", "Marie", "Tremblay", "Titulaire de compte"),
    DemoAccount(
        "jean-francois.gagnon@exemple.ca", "Jean-François", "Gagnon", "Titulaire de compte"
    ),
    DemoAccount("sophie.cote@exemple.ca", "Sophie", "Côté", "Titulaire de compte"),
    DemoAccount("luc.bouchard@exemple.ca", "Luc", "Bouchard", "Titulaire de compte"),
)


@dataclass
class Demo:
    """What ``load()`` put in place, for the command's summary."""

    accounts: list[tuple[DemoAccount, Account]] = field(default_factory=list)
    # (what to try, the values to type) for each way of linking a dossier
    dossier_lines: list[tuple[str, str]] = field(default_factory=list)


@transaction.atomic
def load() -> Demo:
    """Create or refresh every part of the demo."""
    demo = Demo()
    demo.accounts = [(spec, ensure_account(spec)) for spec in ACCOUNTS]
    demo.dossier_lines = dossiers_demo.load()
    demo.dossier_lines += catalog_demo.load()
    demo.dossier_lines += billing_demo.load()
    return demo


def ensure_account(spec: DemoAccount) -> Account:
    """The account with a verified primary address, the demo password and no lockout."""
    account = Account.objects.filter(email__iexact=spec.email).first()
    if account is None:
        account = Account.objects.create_user(
            spec.email,
            DEMO_PASSWORD,
            first_name=spec.first_name,
            last_name=spec.last_name,
            language=spec.language,
        )
    account.first_name = spec.first_name
    account.last_name = spec.last_name
    account.language = spec.language
    account.is_active = True
    account.is_staff = spec.is_staff
    account.is_superuser = spec.is_staff
    account.terms_accepted_at = account.terms_accepted_at or timezone.now()
    # Fails loudly if a preset's policy ever refuses the published password.
    password_validation.validate_password(DEMO_PASSWORD, account)
    account.set_password(DEMO_PASSWORD)
    account.save()

    # allauth's mandatory verification lets an account in only with a verified address.
    address, _created = EmailAddress.objects.get_or_create(
        user=account,
        email__iexact=account.email,
        defaults={"email": account.email, "primary": True, "verified": True},
    )
    if not (address.primary and address.verified):
        address.primary = address.verified = True
        address.save(update_fields=["primary", "verified"])
    EmailAddress.objects.filter(user=account).exclude(pk=address.pk).update(primary=False)

    lockout.clear(account.email)
    return account

"""The demo's accounts: the operator's administrator and the people who use its portal.

Each preset is its own operator, so each gets the people that fit it: every demo person is
there to show one feature or one linking method, and is loaded only where the preset has
it (a super-user where there are delegates, a matricule where members link by member
identity…). ``guichet.demo`` calls ``load`` first, then each app's own demo.

``load()`` is idempotent: it finds each account by its email address, creates what is
missing and puts the rest back in its demo state (password, verified address, no lockout),
so ``manage.py load_demo`` can run on every ``make demo``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import password_validation
from django.db import transaction
from django.utils import timezone

from guichet.accounts import lockout
from guichet.accounts.models import Account, StaffRole
from guichet.core.roles import Role
from guichet.presets import Feature, LinkingMethod, Preset

# Published on purpose: it is printed by load_demo and listed in README.md. It satisfies
# every preset's policy (15+ characters, upper and lower case, digits, a symbol).
DEMO_PASSWORD = "Erables-en-automne-2026"  # noqa: S105


def everywhere(_preset: Preset) -> bool:
    return True


@dataclass(frozen=True)
class DemoAccount:
    email: str
    first_name: str
    last_name: str
    role: str  # shown in load_demo's table and in README.md, in French like the interface
    language: str = "fr"
    is_staff: bool = False
    # Staff roles (core.roles.Role, docs/backoffice.md); the administrator is also superuser.
    roles: tuple[str, ...] = ()
    # Which operators' demos have this person (each shows a feature or a linking method).
    fits: Callable[[Preset], bool] = everywhere


def staff_account(preset: Preset) -> DemoAccount:
    """The operator's administrator, with an address of the operator's own domain."""
    domain = preset.privacy_officer.email.partition("@")[2]
    return DemoAccount(
        f"admin@{domain}",
        "Nathalie",
        "Lavoie",
        "Personnel (administratrice)",
        is_staff=True,
        roles=(Role.ADMINISTRATION,),
    )


def team(preset: Preset) -> tuple[DemoAccount, ...]:
    """The staff beside the administrator, where the operator has their work: a counter
    clerk (« Accueil ») where people register for the catalog, an activity leader
    (« Animation ») where there are activities such as day camps."""
    domain = preset.privacy_officer.email.partition("@")[2]
    members = []
    if preset.has(Feature.CATALOG):
        members.append(
            DemoAccount(
                f"accueil@{domain}",
                "Karine",
                "Dufour",
                "Personnel : Accueil",
                is_staff=True,
                roles=(Role.COUNTER,),
            )
        )
    if preset.offers("activity"):
        members.append(
            DemoAccount(
                f"animation@{domain}",
                "Samuel",
                "Ouellet",
                "Personnel : Animation",
                is_staff=True,
                roles=(Role.ANIMATION,),
            )
        )
    return tuple(members)


PEOPLE: tuple[DemoAccount, ...] = (
    DemoAccount("marie.tremblay@exemple.ca", "Marie", "Tremblay", "Titulaire de compte"),
    DemoAccount(
        "jean-francois.gagnon@exemple.ca",
        "Jean-François",
        "Gagnon",
        "Titulaire de compte, dossier à lier",
        fits=lambda preset: preset.allows_linking(LinkingMethod.NUMBER_AND_BIRTH_DATE),
    ),
    DemoAccount(
        "sophie.cote@exemple.ca",
        "Sophie",
        "Côté",
        "Membre, dossier à lier",
        fits=lambda preset: preset.allows_linking(LinkingMethod.MEMBER_IDENTITY),
    ),
    DemoAccount(
        "luc.bouchard@exemple.ca",
        "Luc",
        "Bouchard",
        "Titulaire de compte, anciens accès",
        fits=lambda preset: preset.allows_linking(LinkingMethod.LEGACY_CREDENTIALS),
    ),
    DemoAccount(
        "isabelle.roy@exemple.ca",
        "Isabelle",
        "Roy",
        "Super-utilisatrice",
        fits=lambda preset: preset.has(Feature.DELEGATES),
    ),
    DemoAccount(
        "gaston.belanger@exemple.ca",
        "Gaston",
        "Bélanger",
        "Titulaire de compte, à inscrire",
        fits=lambda preset: preset.has(Feature.DELEGATES),
    ),
    DemoAccount(
        "chantal.girard@exemple.ca",
        "Chantal",
        "Girard",
        "Demande d'adhésion à traiter",
        fits=lambda preset: preset.has(Feature.MEMBERSHIPS),
    ),
)


def accounts_for(preset: Preset) -> tuple[DemoAccount, ...]:
    """The staff accounts, then the people the operator's demo has."""
    return (
        staff_account(preset),
        *team(preset),
        *(spec for spec in PEOPLE if spec.fits(preset)),
    )


@transaction.atomic
def load(operator: Preset) -> list[tuple[DemoAccount, Account]]:
    """Create or refresh the operator's demo accounts, each with the person it shows."""
    return [(spec, ensure_account(spec)) for spec in accounts_for(operator)]


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
    account.is_superuser = Role.ADMINISTRATION in spec.roles
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

    StaffRole.objects.filter(account=account).exclude(role__in=spec.roles).delete()
    for role in spec.roles:
        StaffRole.objects.get_or_create(account=account, role=role)

    lockout.clear(account.email)
    return account

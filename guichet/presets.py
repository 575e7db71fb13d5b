"""Operator configurations: one typed preset per source guide, plus the demo.

Everything that differs between deployments lives here, in one place: the operator's
name and colours, the password policy, the features that are switched on and the ways
a person may link an account to a dossier. Code asks the active preset
(``guichet.presets.active()``) instead of testing the preset's name.

Presets are plain data: ``settings.py`` validates ``GUICHET_PRESET`` against them before
Django is set up.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, pgettext_lazy


class Feature(enum.StrEnum):
    HOUSEHOLDS = "households"
    DELEGATES = "delegates"
    CATALOG = "catalog"
    BILLING = "billing"
    TAX_SLIPS = "tax_slips"
    MEMBERSHIPS = "memberships"
    DIRECTORY = "directory"
    ORGANIZATIONS = "organizations"
    SERVICE_CATALOG = "service_catalog"


class LinkingMethod(enum.StrEnum):
    NUMBER_AND_BIRTH_DATE = "number_birth_date"  # Baie-Comeau
    MEMBER_IDENTITY = "member_identity"  # CAOMSC: number, last name, birth date, postal code
    LEGACY_CREDENTIALS = "legacy_credentials"  # CCQ "anciens accès"
    LINKING_CODE = "linking_code"  # CCQ code issued by staff or a responsible


class RequiredInformation(enum.StrEnum):
    """What « Mes informations » may not leave empty: what the operator needs to serve
    and to reach the person."""

    HOME_ADDRESS = "home_address"  # street, city and postal code of the home
    MAIN_ADDRESS = "main_address"  # the same three of whichever address is the main one
    PHONE = "phone"  # one phone at least (home, mobile or work)


@dataclass(frozen=True)
class PasswordPolicy:
    """A password rule as an operator states it.

    ``min_classes`` counts among lower case, upper case, digit and symbol;
    ``required_classes`` must all be present. ``min_length_with_mfa`` lowers the minimum
    once the account has a second factor (NIST SP 800-63B allows 8 then).
    """

    min_length: int
    max_length: int = 128
    min_length_with_mfa: int | None = None
    min_classes: int = 0
    required_classes: tuple[str, ...] = ()
    min_letters: int = 0
    min_digits: int = 0
    blocklist: bool = True


CHARACTER_CLASSES = ("lower", "upper", "digit", "symbol")

NIST = PasswordPolicy(min_length=15, min_length_with_mfa=8, max_length=128)
COMAQ = PasswordPolicy(
    min_length=6, required_classes=("upper", "lower", "digit", "symbol"), blocklist=True
)
BAIE_COMEAU = PasswordPolicy(min_length=8, min_classes=3)
# CAOMSC's portal caps passwords at 12 characters; Guichet never caps below 64 (NIST),
# so the preset keeps CAOMSC's minimum rules and a 64-character maximum.
CAOMSC = PasswordPolicy(min_length=8, max_length=64, min_letters=3, min_digits=3)


@dataclass(frozen=True)
class Colours:
    primary: str = "#1f4e79"
    primary_text: str = "#ffffff"
    accent: str = "#b8441f"


@dataclass(frozen=True)
class PrivacyOfficer:
    name: str
    email: str
    phone: str = ""


@dataclass(frozen=True)
class Contact:
    """Where people reach the operator's staff (a deadline passed, a refusal to discuss)."""

    email: str
    phone: str = ""

    @property
    def phone_uri(self) -> str:
        """``tel:`` link of a North American number (« 418 555-0120 » → « tel:+14185550120 »)."""
        digits = "".join(c for c in self.phone if c.isdigit())
        return f"tel:+1{digits[-10:]}" if digits else ""


@dataclass(frozen=True)
class BillingInfo:
    """What an operator prints on invoices and tax slips, and its payment instructions.

    Tax numbers follow the agencies' formats: GST « 123456789 RT0001 » (Canada Revenue
    Agency), QST « 1234567890 TQ0001 » (Revenu Québec). ``rl24_issuer_number`` is the
    identification number Revenu Québec gives the issuer of Relevé 24 slips.
    """

    legal_name: str
    address: str  # several lines, as printed on documents
    gst_number: str = ""
    qst_number: str = ""
    rl24_issuer_number: str = ""
    interac_email: str = ""  # Interac e-transfer recipient
    bank_details: str = ""  # bank transfer / direct deposit: institution, transit, account
    cheque_payable_to: str = ""
    cheque_address: str = ""


@dataclass(frozen=True)
class RequiredCourse:
    """A course a title requires: any training whose code starts with ``code`` counts."""

    code: str
    name: str
    name_en: str = ""


@dataclass(frozen=True)
class TitleRules:
    """A professional title as an operator defines it (COMAQ: the OMA title), as rules over
    completed trainings. It seeds the ``credentials.CredentialProgram`` row that staff then
    edit in the admin."""

    slug: str
    title: str  # « OMA »: the menu says « Titre OMA et attestations »
    name: str  # « Officier municipal agréé (OMA) »
    name_en: str
    hours_to_obtain: str  # Decimal as text: hours (training credits) within the window
    obtain_within_years: int
    maintenance_hours: str  # per cycle, once the title is held
    cycle_years: int
    requires_membership: bool = True
    required_courses: tuple[RequiredCourse, ...] = ()


@dataclass(frozen=True)
class LinkingWords:
    """The linking pages' words where an operator's guide names its screens (CCQ, guide
    003 step 2: « Lier mon compte à mon dossier », then « Liaison d'un profil » and
    « Commencer »). Empty: the pages keep the generic « Activez votre dossier »."""

    title: Promise | None = None  # the page that offers the methods
    method_title: Promise | None = None  # each method's page
    start: Promise | None = None  # a first screen with this button before the form


CCQ_LINKING = LinkingWords(
    title=gettext_lazy("Link my account to my file"),
    method_title=gettext_lazy("Linking a profile"),
    start=gettext_lazy("Start"),
)


@dataclass(frozen=True)
class GuideWords:
    """The account pages' and the header's words where an operator's guide names them
    (COMAQ, guide 000: « Se connecter », « Identifiant », « Payer mes factures »; CCQ,
    guide 003 step 1: « Adresse courriel », « Nouveau système, nouveau compte requis. »).
    Empty: the generic words."""

    sign_in: Promise | None = None  # the header's link and the login page's heading
    login_label: Promise | None = None  # the login page's email field
    login_help: Promise | None = None
    login_notice: Promise | None = None  # the login page's notice, with « Créer un compte »
    login_notice_text: Promise | None = None
    pay_invoices: Promise | None = None  # signed out, the header's link to the invoices
    signup_notice: Promise | None = None  # « Création du compte »'s first sentence
    accept_terms: Promise | None = None  # with %(url)s, the terms' link
    photo: Promise | None = None  # « Mon dossier »'s link to the profile photo
    attendance: Promise | None = None  # « Mes formations »'s link to the attendance PDF
    change_email: Promise | None = None  # « Mes informations »'s link to change the email
    access_code: Promise | None = None  # and its link to « Mon mot de passe »
    end_function: Promise | None = None  # « Mes fonctions »: a function's end button
    add_function: Promise | None = None  # and the heading of the new function's form
    # Set: « Mon mot de passe » holds the password form itself, sent by this button.
    change_password: Promise | None = None


COMAQ_WORDS = GuideWords(
    sign_in=pgettext_lazy("guide", "Sign in"),
    login_label=gettext_lazy("Identifier"),
    login_help=gettext_lazy("Your email address."),
    pay_invoices=gettext_lazy("Pay my invoices"),
    photo=gettext_lazy("Add or change your profile photo"),
    attendance=pgettext_lazy("guide", "Attendance confirmation (PDF)"),
    change_password=gettext_lazy("Modify"),
    change_email=gettext_lazy("Change your email"),
    access_code=gettext_lazy("Change your access code"),
    end_function=gettext_lazy("Enter the end of your function"),
    add_function=gettext_lazy("Add a new function"),
)
CCQ_WORDS = GuideWords(
    sign_in=pgettext_lazy("guide", "Sign in"),
    login_label=gettext_lazy("Email address"),
    login_notice=gettext_lazy("New system, new account required."),
    login_notice_text=gettext_lazy("Since January 2026, everyone must create a new account."),
    signup_notice=gettext_lazy(
        "Creating an account is reserved for the CCQ's clients and their authorized contacts."
    ),
    accept_terms=gettext_lazy('I have read and agree to the <a href="%(url)s">terms of use</a>.'),
)


@dataclass(frozen=True)
class Preset:
    slug: str
    operator_name: str
    short_name: str
    password_policy: PasswordPolicy
    privacy_officer: PrivacyOfficer
    colours: Colours = field(default_factory=Colours)
    logo: str = ""  # static path, empty for the text wordmark
    features: frozenset[Feature] = frozenset()
    linking_methods: tuple[LinkingMethod, ...] = ()
    # Knowledge (number + birth date) is a hint: require a code sent to the address on file.
    linking_requires_confirmation: bool = True
    # Two guardians of one child: False, each sees only the registrations, invoices and
    # answers they made (« chaque tuteur ne voit que ses propres informations »); True, each
    # also sees the other's. Either way a guardian changes only their own.
    guardians_share: bool = False
    dossier_number_pattern: str = r"^\d{4,10}$"
    dossier_number_example: str = "12345"
    billing: BillingInfo | None = None
    contact: Contact | None = None
    # What « Mes informations » keeps filled (see RequiredInformation and docs/dossiers.md).
    required_information: frozenset[RequiredInformation] = frozenset(
        {RequiredInformation.MAIN_ADDRESS, RequiredInformation.PHONE}
    )
    # What the catalog holds (catalog.OfferingKind values): decides « Mes formations »,
    # « Mes évènements », « Titre et attestations » and the catalog's name.
    offering_kinds: frozenset[str] = frozenset()
    # The operator's people are its members (an association), not residents or clients:
    # the login page asks « Pas encore membre ? ».
    serves_members: bool = False
    # The professional title its trainings lead to (« Titre OMA et attestations »).
    title_rules: TitleRules | None = None
    # A newcomer opens their own participant file (COMAQ « Créer votre dossier de
    # participant », 5 steps) instead of asking staff for a file number.
    self_service_files: bool = False
    # The relation an organization's legacy credentials (or a code issued for it) give the
    # account's person (organizations.RelationType value): CCQ's responsible receives them.
    organization_link_relation: str = "responsible"
    # How long a decided membership application's documents (hiring resolution, diplomas)
    # are kept after the decision, in days; None keeps them until the account closes.
    membership_documents_kept_days: int | None = 365
    # How long a PDF joined in an application wizard that was never sent is kept, in hours
    # (the memberships sweep deletes it after; a person back later joins it again).
    membership_uploads_kept_hours: int = 48
    # The register of staff views (docs/privacy.md): whether « Activité de mon dossier »
    # names the staff member who consulted the person's file, or says only that staff did.
    # The privacy officer always sees who. Overridden by GUICHET_STAFF_VIEWS_NAMED.
    staff_views_named: bool = True
    linking_words: LinkingWords = field(default_factory=LinkingWords)
    guide_words: GuideWords = field(default_factory=GuideWords)
    # CCQ « Création du compte »: email and password, then names and terms, two screens.
    signup_in_two_screens: bool = False

    def has(self, feature: Feature) -> bool:
        return feature in self.features

    def allows_linking(self, method: LinkingMethod) -> bool:
        return method in self.linking_methods

    def offers(self, kind: str) -> bool:
        """Whether the catalog holds offerings of ``kind`` (« training », « event »…)."""
        return self.has(Feature.CATALOG) and kind in self.offering_kinds

    @property
    def member_signup(self) -> bool:
        """CAOMSC's own sign-up path: identify by member identity, then create the account."""
        return self.allows_linking(LinkingMethod.MEMBER_IDENTITY)

    @property
    def member_signup_only(self) -> bool:
        """Only members with a matricule have an account (CAOMSC): « Créer un compte »
        leads to the member path, the generic sign-up form would lead nowhere."""
        return self.linking_methods == (LinkingMethod.MEMBER_IDENTITY,)


# COMAQ's title: three required courses and 45 hours within five years, then 20 hours of
# training every two years to keep it.
OMA = TitleRules(
    slug="oma",
    title="OMA",
    name="Officier municipal agréé (OMA)",
    name_en="Certified Municipal Officer (OMA)",
    hours_to_obtain="45",
    obtain_within_years=5,
    maintenance_hours="20",
    cycle_years=2,
    required_courses=(
        RequiredCourse(
            "OMA-101", "Le rôle de l'officier municipal", "The municipal officer's role"
        ),
        RequiredCourse("OMA-102", "Gestion budgétaire municipale", "Municipal budget management"),
        RequiredCourse("OMA-103", "Éthique et déontologie municipales", "Municipal ethics"),
    ),
)

ALL_FEATURES = frozenset(Feature)
ALL_LINKING = tuple(LinkingMethod)
# A city: residency, and the payer's address on the Relevé 24, rest on the home address.
CITY_INFORMATION = frozenset({RequiredInformation.HOME_ADDRESS, RequiredInformation.PHONE})
ALL_OFFERING_KINDS = frozenset({"training", "event", "activity"})

PRESETS: dict[str, Preset] = {
    p.slug: p
    for p in (
        Preset(
            slug="demo",
            operator_name="Services en ligne de Val-des-Érables",
            short_name="Val-des-Érables",
            password_policy=NIST,
            # A city: seasonal staff open the rosters (allergies) of children; parents
            # see that staff consulted, the privacy officer sees who.
            staff_views_named=False,
            privacy_officer=PrivacyOfficer(
                "Josée Bérubé",
                "vie.privee@valdeserables.exemple.ca",
                "418 555-0142",
            ),
            contact=Contact("loisirs@valdeserables.exemple.ca", "418 555-0100"),
            features=ALL_FEATURES,
            linking_methods=ALL_LINKING,
            guardians_share=False,  # as « Ma famille » promises
            required_information=CITY_INFORMATION,
            offering_kinds=ALL_OFFERING_KINDS,
            billing=BillingInfo(
                legal_name="Municipalité de Val-des-Érables",
                address="1200, rue Principale\nVal-des-Érables (Québec)  G0X 1Z0",
                gst_number="123456789 RT0001",
                qst_number="1234567890 TQ0001",
                rl24_issuer_number="RS0001234567",
                interac_email="paiements@valdeserables.exemple.ca",
                bank_details=(
                    "Caisse Desjardins des Érables — institution 815, transit 20145, compte 0123456"
                ),
                cheque_payable_to="Municipalité de Val-des-Érables",
                cheque_address=(
                    "Service des loisirs, 1200, rue Principale\nVal-des-Érables (Québec)  G0X 1Z0"
                ),
            ),
        ),
        Preset(
            slug="comaq",
            operator_name="Corporation des officiers municipaux agréés du Québec",
            short_name="COMAQ",
            password_policy=COMAQ,
            privacy_officer=PrivacyOfficer(
                "",
                "vie.privee@comaq.exemple.ca",
            ),
            contact=Contact("formation@comaq.exemple.ca", "418 555-0110"),
            colours=Colours(primary="#003b5c", accent="#c8102e"),
            features=frozenset(
                {
                    Feature.CATALOG,
                    Feature.BILLING,
                    Feature.MEMBERSHIPS,
                    Feature.DIRECTORY,
                }
            ),
            linking_methods=(LinkingMethod.NUMBER_AND_BIRTH_DATE,),
            offering_kinds=frozenset({"training", "event"}),
            serves_members=True,
            title_rules=OMA,
            self_service_files=True,
            guide_words=COMAQ_WORDS,
            billing=BillingInfo(
                legal_name="Corporation des officiers municipaux agréés du Québec",
                address="150, rue Principale, bureau 300\nQuébec (Québec)  G1K 0A1",
                gst_number="111111118 RT0001",
                qst_number="1111111111 TQ0001",
                interac_email="comptabilite@comaq.exemple.ca",
                bank_details="Banque Nationale — institution 006, transit 00011, compte 1234567",
                cheque_payable_to="COMAQ",
                cheque_address="150, rue Principale, bureau 300\nQuébec (Québec)  G1K 0A1",
            ),
        ),
        Preset(
            slug="baie-comeau",
            operator_name="Ville de Baie-Comeau",
            short_name="Baie-Comeau",
            password_policy=BAIE_COMEAU,
            # Seasonal staff open children's rosters: parents see that staff consulted.
            staff_views_named=False,
            privacy_officer=PrivacyOfficer(
                "",
                "vie.privee@baie-comeau.exemple.ca",
            ),
            contact=Contact("loisirs@baie-comeau.exemple.ca", "418 555-0120"),
            colours=Colours(primary="#00558c", accent="#e07a00"),
            features=frozenset(
                {Feature.HOUSEHOLDS, Feature.CATALOG, Feature.BILLING, Feature.TAX_SLIPS}
            ),
            linking_methods=(LinkingMethod.NUMBER_AND_BIRTH_DATE,),
            linking_requires_confirmation=False,
            guardians_share=False,  # separated parents: each sees only their own
            dossier_number_pattern=r"^\d{4,8}$",
            dossier_number_example="104523",
            required_information=CITY_INFORMATION,
            offering_kinds=frozenset({"activity"}),
            billing=BillingInfo(
                legal_name="Ville de Baie-Comeau",
                address="19, avenue Marquette\nBaie-Comeau (Québec)  G4Z 1K5",
                rl24_issuer_number="RS0009876543",
                interac_email="loisirs@baie-comeau.exemple.ca",
                cheque_payable_to="Ville de Baie-Comeau",
                cheque_address="19, avenue Marquette\nBaie-Comeau (Québec)  G4Z 1K5",
            ),
        ),
        Preset(
            slug="umq",
            operator_name="Union des municipalités du Québec",
            short_name="UMQ",
            password_policy=NIST,
            privacy_officer=PrivacyOfficer(
                "",
                "vie.privee@umq.exemple.ca",
            ),
            contact=Contact("congres@umq.exemple.ca", "514 555-0130"),
            colours=Colours(primary="#0b3d6b", accent="#2e8540"),
            features=frozenset({Feature.CATALOG, Feature.BILLING, Feature.DELEGATES}),
            linking_methods=(LinkingMethod.LINKING_CODE,),
            offering_kinds=frozenset({"event"}),
            billing=BillingInfo(
                legal_name="Union des municipalités du Québec",
                address="2020, boulevard Robert-Bourassa, bureau 1200\nMontréal (Québec)  H3A 2A5",
                gst_number="222222226 RT0001",
                qst_number="2222222222 TQ0001",
                bank_details="Caisse Desjardins — institution 815, transit 30001, compte 7654321",
                cheque_payable_to="Union des municipalités du Québec",
                cheque_address=(
                    "2020, boulevard Robert-Bourassa, bureau 1200\nMontréal (Québec)  H3A 2A5"
                ),
            ),
        ),
        Preset(
            slug="ccq",
            operator_name="Commission de la construction du Québec",
            short_name="CCQ",
            password_policy=NIST,
            # A large public body: the person sees that staff consulted, not who.
            staff_views_named=False,
            privacy_officer=PrivacyOfficer(
                "",
                "vie.privee@ccq.exemple.ca",
            ),
            contact=Contact("services@ccq.exemple.ca", "514 555-0140"),
            colours=Colours(primary="#1a1a1a", accent="#f2a900"),
            features=frozenset({Feature.ORGANIZATIONS, Feature.SERVICE_CATALOG}),
            linking_methods=(LinkingMethod.LEGACY_CREDENTIALS, LinkingMethod.LINKING_CODE),
            linking_words=CCQ_LINKING,
            guide_words=CCQ_WORDS,
            signup_in_two_screens=True,
        ),
        Preset(
            slug="caomsc",
            operator_name="Corporation des agents et officiers municipaux",
            short_name="CAOMSC",
            password_policy=CAOMSC,
            privacy_officer=PrivacyOfficer(
                "",
                "vie.privee@caomsc.exemple.ca",
            ),
            contact=Contact("membres@caomsc.exemple.ca", "450 555-0150"),
            colours=Colours(primary="#5b2a86", accent="#1b7f5f"),
            features=frozenset({Feature.MEMBERSHIPS, Feature.DIRECTORY}),
            linking_methods=(LinkingMethod.MEMBER_IDENTITY,),
            dossier_number_pattern=r"^\d{5}$",
            dossier_number_example="00875",
            serves_members=True,
        ),
    )
}

DEFAULT_PRESET = "demo"


def by_name(name: str) -> Preset:
    try:
        return PRESETS[name]
    except KeyError:
        known = ", ".join(sorted(PRESETS))
        raise ValueError(f"Unknown GUICHET_PRESET {name!r}; choose one of: {known}") from None


def active() -> Preset:
    """The preset in force: ``settings.GUICHET_PRESET`` (tests may override it)."""
    return by_name(settings.GUICHET_PRESET)

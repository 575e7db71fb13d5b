"""Dossiers: the operator's files on people and organizations, and who may act for them.

An account acts for a dossier under one of three rights, all held here:
- ``DossierLink`` role ``holder``: the account's own dossier (« titulaire »);
- ``DossierLink`` role ``guardian``: a household member's dossier (child, dependant);
- ``Delegation``: staff allowed the account to act for other people (UMQ super-user).
The question "may this account act for this dossier, and under which right" is answered
in one place, ``guichet.dossiers.permissions``, from grant sources (``grants``) to which
organizations will add their relations and authorized subjects.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guichet.accounts.types import Visitor
from guichet.audit.models import Right
from guichet.dossiers import grants
from guichet.dossiers.validators import validate_phone, validate_postal_code


class DossierKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANIZATION = "organization", _("Organization")


class AddressKind(models.TextChoices):
    HOME = "home", _("Home address")
    WORK = "work", _("Work address")


class DossierQuerySet(models.QuerySet["Dossier"]):
    def for_account(self, account: Visitor) -> DossierQuerySet:
        """Dossiers the account may see (``grants.READ``): those it holds or is guardian
        of, through an active link."""
        if not account.is_authenticated:
            return self.none()
        return self.filter(pk__in=grants.acting_for(account, grants.READ))


class Dossier(models.Model):
    number = models.CharField(_("file number"), max_length=20, unique=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=DossierKind.choices, default=DossierKind.PERSON
    )
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    organization_name = models.CharField(_("organization name"), max_length=255, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    email = models.EmailField(_("email on file"), blank=True)
    home_phone = models.CharField(
        _("home phone"), max_length=32, blank=True, validators=[validate_phone]
    )
    mobile_phone = models.CharField(
        _("mobile phone"), max_length=32, blank=True, validators=[validate_phone]
    )
    work_phone = models.CharField(
        _("work phone"), max_length=32, blank=True, validators=[validate_phone]
    )
    # Addresses (« Adresse personnelle », « Adresse au travail »).
    home_street = models.CharField(_("street address"), max_length=255, blank=True)
    home_city = models.CharField(_("city"), max_length=120, blank=True)
    home_province = models.CharField(_("province"), max_length=2, blank=True, default="QC")
    home_postal_code = models.CharField(
        _("postal code"), max_length=7, blank=True, validators=[validate_postal_code]
    )
    work_employer = models.CharField(_("employer"), max_length=255, blank=True)
    work_street = models.CharField(_("street address"), max_length=255, blank=True)
    work_city = models.CharField(_("city"), max_length=120, blank=True)
    work_province = models.CharField(_("province"), max_length=2, blank=True, default="QC")
    work_postal_code = models.CharField(
        _("postal code"), max_length=7, blank=True, validators=[validate_postal_code]
    )
    main_address = models.CharField(
        _("main address"), max_length=8, choices=AddressKind.choices, default=AddressKind.HOME
    )
    is_resident = models.BooleanField(_("resident"), default=False)
    # Membership in force, as the operator's file says (memberships arrive later).
    member_until = models.DateField(_("member until"), null=True, blank=True)
    # CCQ « anciens accès »: used only to prove a link, then erased.
    legacy_username = models.CharField(max_length=150, blank=True, db_index=True)
    legacy_password_hash = models.CharField(max_length=255, blank=True)
    # Linking is locked after repeated failures (see dossiers.linking).
    linking_locked_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DossierQuerySet.as_manager()

    # Changed only through a change request reviewed by staff.
    LOCKED_FIELDS = ("first_name", "last_name", "birth_date")

    class Meta:
        verbose_name = _("file")
        verbose_name_plural = _("files")
        ordering = ["last_name", "first_name", "number"]
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            # The API's synchronisation (``updated_since``) pages on (updated_at, id).
            models.Index(fields=["updated_at", "id"], name="dossier_updated_keyset"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.number})"

    @property
    def display_name(self) -> str:
        if self.kind == DossierKind.ORGANIZATION:
            return self.organization_name
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def postal_code(self) -> str:
        if self.main_address == AddressKind.WORK and self.work_postal_code:
            return self.work_postal_code
        return self.home_postal_code

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return None
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def is_member_on(self, day: date) -> bool:
        return self.member_until is not None and day <= self.member_until

    def is_adult(self, day: date | None = None) -> bool:
        age = self.age_on(day or timezone.localdate())
        return age is not None and age >= 18


class LinkRole(models.TextChoices):
    HOLDER = "holder", _("Holder")
    GUARDIAN = "guardian", _("Guardian")


class LinkMethod(models.TextChoices):
    NUMBER_AND_BIRTH_DATE = "number_birth_date", _("File number and birth date")
    MEMBER_IDENTITY = "member_identity", _("Member number, name, birth date and postal code")
    LEGACY_CREDENTIALS = "legacy_credentials", _("Former sign-in credentials")
    LINKING_CODE = "linking_code", _("Linking code")
    GUARDIAN_APPROVAL = "guardian_approval", _("Approved by another guardian")
    STAFF = "staff", _("By staff")
    OPENED = "opened", _("Opened the file themselves")


class DossierLinkQuerySet(models.QuerySet["DossierLink"]):
    def active(self) -> DossierLinkQuerySet:
        return self.filter(ended_at__isnull=True)


class DossierLink(models.Model):
    """An account's right to act for a dossier, as its holder or as a guardian."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dossier_links"
    )
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="links")
    role = models.CharField(_("role"), max_length=16, choices=LinkRole.choices)
    method = models.CharField(_("linked by"), max_length=32, choices=LinkMethod.choices)
    created_at = models.DateTimeField(_("linked on"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended on"), null=True, blank=True)

    objects = DossierLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("file link")
        verbose_name_plural = _("file links")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "dossier"],
                condition=Q(ended_at__isnull=True),
                name="one_active_link_per_account_and_dossier",
            ),
            # A dossier has one holder, and an account holds one dossier.
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(role="holder", ended_at__isnull=True),
                name="one_holder_per_dossier",
            ),
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(role="holder", ended_at__isnull=True),
                name="one_held_dossier_per_account",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} → {self.dossier} ({self.role})"


class LinkingCodePurpose(models.TextChoices):
    ISSUED = "issued", _("Issued by staff or a responsible")
    CONFIRMATION = "confirmation", _("Confirmation sent to the address on file")


class LinkingCode(models.Model):
    """A one-time code bound to a dossier and to the address it was sent to; hashed."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="linking_codes")
    purpose = models.CharField(max_length=16, choices=LinkingCodePurpose.choices)
    code_hash = models.CharField(max_length=128)
    sent_to = models.EmailField()
    # For a confirmation, the account that asked for it; nobody else may use it.
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(max_length=16, choices=LinkRole.choices, default=LinkRole.HOLDER)
    method = models.CharField(max_length=32, choices=LinkMethod.choices, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = pgettext_lazy("model", "linking code")
        verbose_name_plural = pgettext_lazy("model", "linking codes")
        indexes = [models.Index(fields=["dossier", "purpose", "used_at"])]

    def __str__(self) -> str:
        return f"{self.purpose} code for {self.dossier.number}"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


class LinkAttempt(models.Model):
    """Every attempt to link, for throttling per dossier, per account and per address."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="link_attempts"
    )
    dossier = models.ForeignKey(
        Dossier, null=True, blank=True, on_delete=models.CASCADE, related_name="link_attempts"
    )
    method = models.CharField(max_length=32, choices=LinkMethod.choices)
    succeeded = models.BooleanField(default=False)
    # The client's address as the rate limits read it (trusted proxies), when known.
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "linking attempt")
        verbose_name_plural = pgettext_lazy("model", "linking attempts")
        indexes = [
            models.Index(fields=["dossier", "succeeded", "created_at"]),
            models.Index(fields=["account", "succeeded", "created_at"]),
            models.Index(fields=["ip_address", "succeeded", "created_at"]),
        ]

    def __str__(self) -> str:
        return (
            f"{self.method} {'ok' if self.succeeded else 'failed'} {self.created_at:%Y-%m-%d %H:%M}"
        )


class GuardianRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class GuardianRequestQuerySet(models.QuerySet["GuardianRequest"]):
    def pending(self) -> GuardianRequestQuerySet:
        return self.filter(status=GuardianRequestStatus.PENDING)

    def sent_by(self, account: Visitor) -> GuardianRequestQuerySet:
        if not account.is_authenticated:
            return self.none()
        return self.filter(account=account)

    def to_decide_by(self, account: Visitor) -> GuardianRequestQuerySet:
        """Pending requests that ``account``, a guardian of the child, may accept or refuse.

        Once a guardian has refused, only staff decide: the request leaves this list."""
        if not account.is_authenticated:
            return self.none()
        guarded = grants.acting_for(account, grants.WRITE, rights=[Right.GUARDIAN])
        return (
            self.pending()
            .filter(objected_at__isnull=True, dossier__in=guarded)
            .exclude(account=account)
        )


class GuardianRequest(models.Model):
    """An account asks to become one more guardian of a child who already has one.

    Knowing the child's number and birth date only lets the account ask: an existing
    guardian accepts (from the emailed link or « Ma famille »), or staff approve from the
    request queue. A guardian's refusal leaves the decision to staff, who check the
    person's rights (separated parents who do not talk to each other)."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="guardian_requests", verbose_name=_("file")
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="guardian_requests",
        verbose_name=_("asked by"),
    )
    method = models.CharField(max_length=32, choices=LinkMethod.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=GuardianRequestStatus.choices,
        default=GuardianRequestStatus.PENDING,
    )
    created_at = models.DateTimeField(_("asked on"), default=timezone.now)
    # The accept-or-refuse link emailed to the existing guardians: a keyed hash only.
    token_hash = models.CharField(max_length=128)
    token_expires_at = models.DateTimeField()
    # An existing guardian refused: the request now waits for staff alone.
    objected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    objected_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    # The audit Right under which it was decided: guardian, staff, or self (withdrawn).
    decided_as = models.CharField(max_length=16, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    link = models.ForeignKey(
        DossierLink, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = GuardianRequestQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("guardian request")
        verbose_name_plural = _("guardian requests")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "dossier"],
                condition=Q(status="pending"),
                name="one_pending_guardian_request_per_account_and_dossier",
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.account} → {self.dossier} ({self.status})"


class DelegationQuerySet(models.QuerySet["Delegation"]):
    def not_ended(self, day: date) -> DelegationQuerySet:
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))

    def in_force(self, day: date) -> DelegationQuerySet:
        return self.not_ended(day).filter(starts_on__lte=day)


class Delegation(models.Model):
    """Staff allow an account to act for other people (UMQ « super-utilisateur »)."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegations"
    )
    organization = models.ForeignKey(
        Dossier,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("on behalf of (organization)"),
    )
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(_("note"), max_length=255, blank=True)

    objects = DelegationQuerySet.as_manager()

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="delegation_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.account} ({self.starts_on} – {self.ends_on or '…'})"


# « Ma fiche », « Mes fonctions », « Mes intérêts » -----------------------------------
def photo_path(instance: Profile, filename: str) -> str:
    return f"photos/{instance.dossier.number}/{timezone.now():%Y%m%d%H%M%S}.jpg"


class Profile(models.Model):
    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="profile")
    allergies = models.TextField(_("allergies and intolerances"), blank=True)
    expertise = models.TextField(_("exceptional expertise"), blank=True)
    professional_orders = models.TextField(_("professional orders and associations"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn profile"), blank=True)
    photo = models.ImageField(_("photo"), upload_to=photo_path, blank=True)
    # Law 25: privacy by default, the directory is opt-in.
    in_directory = models.BooleanField(_("show me in the members directory"), default=False)
    interests = models.ManyToManyField("Interest", blank=True, verbose_name=_("interests"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "participant card")
        verbose_name_plural = pgettext_lazy("model", "participant cards")

    def __str__(self) -> str:
        return f"Profile of {self.dossier.number}"


class Interest(models.Model):
    """A topic staff maintain; people pick theirs in « Mes intérêts »."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    active = models.BooleanField(_("offered"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("interest")
        verbose_name_plural = _("interests")

    def __str__(self) -> str:
        return self.name


class Function(models.Model):
    """A job held (« Mes fonctions »); the current one's employer address is the main one."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="functions")
    title = models.CharField(_("title"), max_length=200)
    employer = models.CharField(_("employer"), max_length=255)
    street = models.CharField(_("street address"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    province = models.CharField(_("province"), max_length=2, blank=True, default="QC")
    postal_code = models.CharField(
        _("postal code"), max_length=7, blank=True, validators=[validate_postal_code]
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("function")
        verbose_name_plural = _("functions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="function_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.employer}"


# Import ---------------------------------------------------------------------------------
class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class DossierImport(models.Model):
    """One import of the operator's file (CSV or XLSX), dry run or real, with progress."""

    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    dry_run = models.BooleanField(default=True)
    status = models.CharField(
        max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"line": 12, "message": "…"}]
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "file import")
        verbose_name_plural = pgettext_lazy("model", "file imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.status})"

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status == ImportStatus.DONE else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

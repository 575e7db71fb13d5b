"""Credentials: a professional title's rules, the titles awarded, attestations and the
members directory's choices.

A title (COMAQ's OMA) is **data**: a ``CredentialProgram`` with its hours, windows and
``RequiredCourse``s, seeded from the operator's preset and edited by staff in the admin;
``progress.py`` reads the completed trainings against it. Every attestation Guichet issues
(attendance, membership, the title's certificate) is an ``Attestation`` row with an
unguessable verification ``code``: the PDF is drawn from the row each time it is asked for,
and the public page ``/verifier/<code>/`` reads the row, so a revoked attestation says so
wherever its PDF went.
"""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from guichet.dossiers.models import Dossier

# Verification codes: 20 characters of Crockford's base 32 (100 bits), shown in groups of
# four. No 0/O or 1/I/L to misread when typed from paper.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 20


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class CredentialProgram(models.Model):
    """A professional title and the rules to obtain and keep it."""

    slug = models.SlugField(_("identifier"), max_length=40, unique=True)
    title = models.CharField(_("title's short name"), max_length=40)  # « OMA »
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    hours_to_obtain = models.DecimalField(
        _("hours to obtain the title"), max_digits=6, decimal_places=1, default=Decimal("0")
    )
    obtain_within_years = models.PositiveSmallIntegerField(
        _("within (years)"),
        default=5,
        help_text=_("The hours and required courses must be completed within this window."),
    )
    maintenance_hours = models.DecimalField(
        _("hours to keep the title, per cycle"),
        max_digits=6,
        decimal_places=1,
        default=Decimal("0"),
    )
    cycle_years = models.PositiveSmallIntegerField(_("cycle (years)"), default=2)
    requires_membership = models.BooleanField(_("membership required"), default=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("title program")
        verbose_name_plural = _("title programs")
        constraints = [
            models.CheckConstraint(
                condition=Q(obtain_within_years__gte=1) & Q(cycle_years__gte=1),
                name="credential_program_windows_positive",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def localized_name(self) -> str:
        if translation.get_language() == "en" and self.name_en:
            return self.name_en
        return self.name


class RequiredCourse(models.Model):
    """A course the title requires: any training whose code starts with ``code`` counts
    (« OMA-101 » matches the sessions « OMA-101-2026A », « OMA-101-2027 »…)."""

    program = models.ForeignKey(
        CredentialProgram, on_delete=models.CASCADE, related_name="required_courses"
    )
    code = models.CharField(_("code (prefix of the trainings' codes)"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("required course")
        verbose_name_plural = _("required courses")
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="one_required_course_per_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def localized_name(self) -> str:
        if translation.get_language() == "en" and self.name_en:
            return self.name_en
        return self.name


class TitleAward(models.Model):
    """A person holds the title since ``awarded_on`` (the day its requirements were met)."""

    program = models.ForeignKey(CredentialProgram, on_delete=models.PROTECT, related_name="awards")
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="title_awards"
    )
    awarded_on = models.DateField(_("awarded on"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("title awarded")
        verbose_name_plural = _("titles awarded")
        constraints = [
            models.UniqueConstraint(fields=["program", "dossier"], name="one_award_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.program.title} — {self.dossier}"


class AttestationKind(models.TextChoices):
    ATTENDANCE = "attendance", _("Attendance attestation")
    MEMBERSHIP = "membership", _("Membership attestation")
    TITLE = "title", _("Title certificate")


class AttestationStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")

    SHOWN: ClassVar[tuple[AttestationStatus, ...]]


AttestationStatus.SHOWN = (AttestationStatus.VALID, AttestationStatus.REVOKED)


class AttestationQuerySet(models.QuerySet["Attestation"]):
    def valid(self) -> AttestationQuerySet:
        return self.filter(status=AttestationStatus.VALID)

    def of_dossier(self, dossier: Dossier | None) -> AttestationQuerySet:
        """A person's own attestations: what « Titre et attestations » lists."""
        return self.filter(dossier=dossier)


class Attestation(models.Model):
    """One attestation issued to a person, with the facts it states as they were issued."""

    kind = models.CharField(_("kind"), max_length=16, choices=AttestationKind.choices)
    code = models.CharField(
        _("verification code"), max_length=CODE_LENGTH, unique=True, default=new_code
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="attestations"
    )
    # The facts, as issued: the name the person had, what is attested, in both languages.
    holder_name = models.CharField(_("name"), max_length=300)
    subject = models.CharField(_("what is attested"), max_length=300)
    subject_en = models.CharField(_("what is attested, in English"), max_length=300, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, null=True, blank=True)
    # The day the attested fact happened (training ended, membership or title started).
    attested_on = models.DateField(_("date"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # Where it comes from: one of these, by kind.
    registration = models.ForeignKey(
        "registrations.Registration",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attestations",
    )
    award = models.ForeignKey(
        TitleAward, null=True, blank=True, on_delete=models.PROTECT, related_name="attestations"
    )
    issued_at = models.DateTimeField(_("issued on"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AttestationStatus.choices,
        default=AttestationStatus.VALID,
    )
    revoked_at = models.DateTimeField(_("revoked on"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    replaces = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )

    objects = AttestationQuerySet.as_manager()

    class Meta:
        ordering = ["-attested_on", "-issued_at", "-id"]
        verbose_name = _("attestation")
        verbose_name_plural = _("attestations")
        indexes = [models.Index(fields=["dossier", "kind", "status"])]
        constraints = [
            # One valid attendance attestation per registration, one valid certificate per
            # title awarded (re-issuing revokes the old one first).
            models.UniqueConstraint(
                fields=["registration"],
                condition=Q(status="valid", registration__isnull=False),
                name="one_valid_attestation_per_registration",
            ),
            models.UniqueConstraint(
                fields=["award"],
                condition=Q(status="valid", award__isnull=False),
                name="one_valid_certificate_per_award",
            ),
            models.UniqueConstraint(
                fields=["dossier", "kind", "attested_on"],
                condition=Q(status="valid", kind="membership"),
                name="one_valid_membership_attestation_per_start",
            ),
            models.CheckConstraint(
                condition=Q(status="valid", revoked_at__isnull=True)
                | Q(status="revoked", revoked_at__isnull=False),
                name="attestation_revoked_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.display_code} ({self.holder_name})"

    @property
    def display_code(self) -> str:
        """« ABCD-EFGH-JKMN-PQRS-TVWX »: easier to read aloud and type."""
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))

    @property
    def is_revoked(self) -> bool:
        return self.status == AttestationStatus.REVOKED

    @property
    def localized_subject(self) -> str:
        if translation.get_language() == "en" and self.subject_en:
            return self.subject_en
        return self.subject


class QuebecRegion(models.TextChoices):
    """Quebec's seventeen administrative regions, to search the directory by region."""

    BAS_SAINT_LAURENT = "01", "Bas-Saint-Laurent"
    SAGUENAY = "02", "Saguenay–Lac-Saint-Jean"
    CAPITALE_NATIONALE = "03", "Capitale-Nationale"
    MAURICIE = "04", "Mauricie"
    ESTRIE = "05", "Estrie"
    MONTREAL = "06", "Montréal"
    OUTAOUAIS = "07", "Outaouais"
    ABITIBI = "08", "Abitibi-Témiscamingue"
    COTE_NORD = "09", "Côte-Nord"
    NORD_DU_QUEBEC = "10", "Nord-du-Québec"
    GASPESIE = "11", "Gaspésie–Îles-de-la-Madeleine"
    CHAUDIERE_APPALACHES = "12", "Chaudière-Appalaches"
    LAVAL = "13", "Laval"
    LANAUDIERE = "14", "Lanaudière"
    LAURENTIDES = "15", "Laurentides"
    MONTEREGIE = "16", "Montérégie"
    CENTRE_DU_QUEBEC = "17", "Centre-du-Québec"


class DirectoryListing(models.Model):
    """What a member chose to show in the members directory, beside their name.

    Being listed at all is the opt-in of « Ma fiche » (``Profile.in_directory``, off by
    default: Law 25); these choices are off by default too.
    """

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="directory_listing"
    )
    region = models.CharField(_("region"), max_length=2, choices=QuebecRegion.choices, blank=True)
    show_employer = models.BooleanField(_("my employer"), default=False)
    show_expertise = models.BooleanField(_("my exceptional expertise"), default=False)
    show_professional_orders = models.BooleanField(
        _("my professional orders and associations"), default=False
    )
    show_linkedin = models.BooleanField(_("my LinkedIn profile"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    SHOWN_FIELDS = ("show_employer", "show_expertise", "show_professional_orders", "show_linkedin")

    class Meta:
        verbose_name = _("directory listing")
        verbose_name_plural = _("directory listings")

    def __str__(self) -> str:
        return f"Directory listing of {self.dossier_id}"

"""Organizations: contacts and their relations, authorized subjects, delegation.

A **relation** goes from a *contact* (a person's dossier, or an association's for an
employer's delegation) to an *organization*'s dossier, with a type (« Dirigeant »,
« Personne responsable »…), a start and an end date (9999-12-31, shown « aucune », when
it has none) and, once removed, the time and the account that removed it: history is
never deleted, an ended relation stays and reads « Actif : Faux ».

A relation carries **authorized subjects** (« Paiements et relevés », « Profil »…), each
in read (« Lecture ») or read and write (« Écriture »). The subjects are the operator's
table (``AuthorizedSubject``), seeded per preset and edited by staff in the admin; each
names the permissions API's subject it opens (``grants``: ``billing``, ``profile``, or a
subject of its own such as ``monthly_report``).

**Delegation**: an employer (organization E) gives an association (A) subjects through a
relation whose contact is A. A's responsible assigns them to a member of A's staff with a
relation from that person to E *through* A (``through``); the person holds the subject
only while both relations, and both subjects, are active (see ``grants.py``).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from guichet.accounts.types import Visitor

NO_END = date(9999, 12, 31)  # « Date de fin : 9999-12-31 », shown « aucune »


class RelationType(models.TextChoices):
    LEADER = "leader", _("Leader")  # Dirigeant
    AUTHORIZED = "authorized", _("Authorized individual")  # Individu autorisé
    STAFF = "staff", _("Staff member")  # Membre du personnel
    RESPONSIBLE = "responsible", _("Responsible person")  # Personne responsable
    REPRESENTATIVE = "representative", _("Representative")  # Représentant

    @classmethod
    def managing(cls) -> list[str]:
        """The types that manage the organization's relations (« personnes responsables »)."""
        return [cls.RESPONSIBLE]


class Access(models.TextChoices):
    READ = "read", _("Read")  # Lecture
    WRITE = "write", _("Write")  # Écriture: read and write


class AuthorizedSubject(models.Model):
    """One of the operator's « sujets autorisés »: a row staff edit in the admin."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    # The permissions API's subject it opens (dossiers.grants.Subject or an app's own).
    grants = models.CharField(_("opens"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["order", "name_fr"]
        verbose_name = _("authorized subject")
        verbose_name_plural = _("authorized subjects")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "fr").startswith("en") else self.name_fr


class RelationQuerySet(models.QuerySet["Relation"]):
    def active_on(self, day: date) -> RelationQuerySet:
        return self.filter(removed_at__isnull=True, start_date__lte=day, end_date__gte=day)

    def active(self) -> RelationQuerySet:
        return self.active_on(timezone.localdate())

    def of(self, organization_id: int) -> RelationQuerySet:
        """The relations of an organization's contacts: its own, and those it assigned
        through itself to an employer that delegated to it."""
        return self.filter(Q(organization_id=organization_id) | Q(through_id=organization_id))


class Relation(models.Model):
    contact = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("contact"),
        on_delete=models.PROTECT,
        related_name="relations_held",
    )
    organization = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="relations_given",
    )
    # A subject an employer delegated to an association, assigned to the association's
    # contact: the association it flows through.
    through = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("through"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="relations_passed",
    )
    kind = models.CharField(_("function"), max_length=20, choices=RelationType.choices)
    start_date = models.DateField(_("start date"), default=timezone.localdate)
    end_date = models.DateField(_("end date"), default=NO_END)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    removed_at = models.DateTimeField(_("removed on"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RelationQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "kind", "pk"]
        verbose_name = _("relation")
        verbose_name_plural = _("relations")
        indexes = [
            models.Index(fields=["contact", "organization"], name="relation_contact_org"),
            models.Index(fields=["organization", "kind"], name="relation_org_kind"),
            models.Index(fields=["through"], name="relation_through"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="relation_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(contact=models.F("organization")), name="relation_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact} → {self.organization} ({self.kind})"

    def is_active_on(self, day: date) -> bool:
        return self.removed_at is None and self.start_date <= day <= self.end_date

    @property
    def is_active(self) -> bool:
        """« Actif » : Vrai or Faux."""
        return self.is_active_on(timezone.localdate())

    @property
    def has_end(self) -> bool:
        return self.end_date != NO_END


class RelationSubject(models.Model):
    """A subject a relation authorizes, in read or in read and write."""

    relation = models.ForeignKey(Relation, on_delete=models.PROTECT, related_name="subjects")
    # Not « subject »: the permissions API reads an annotation of that name (grants.py).
    authorized_subject = models.ForeignKey(
        AuthorizedSubject,
        verbose_name=_("authorized subject"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Not « access »: the permissions API reads an annotation of that name (grants.py).
    level = models.CharField(_("right"), max_length=8, choices=Access.choices)
    created_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(_("removed on"), null=True, blank=True)

    class Meta:
        ordering = ["authorized_subject__order", "pk"]
        verbose_name = _("authorized subject of a relation")
        verbose_name_plural = _("authorized subjects of relations")
        constraints = [
            models.UniqueConstraint(
                fields=["relation", "authorized_subject"],
                condition=Q(removed_at__isnull=True),
                name="one_live_subject_per_relation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.authorized_subject} ({self.level})"

    @property
    def is_active(self) -> bool:
        return self.removed_at is None and self.relation.is_active


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")  # soumise
    APPLIED = "applied", _("Applied")  # appliquée
    IN_REVIEW = "in_review", _("Being processed")  # en traitement
    REFUSED = "refused", _("Refused")  # refusée


class SubmissionQuerySet(models.QuerySet["Submission"]):
    def to_review(self) -> SubmissionQuerySet:
        """The staff queue: submitted or being processed, oldest first."""
        return self.filter(
            status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.IN_REVIEW]
        ).order_by("submitted_at", "pk")

    def visible_to(self, account: Visitor) -> SubmissionQuerySet:
        """A submission is its author's."""
        if not account.is_authenticated:
            return self.none()
        return self.filter(submitted_by=account)


class Submission(models.Model):
    """A form of the service catalog, as submitted: « Mes demandes »."""

    form = models.CharField(_("form"), max_length=40)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.SUBMITTED,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="form_submissions"
    )
    organization = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="form_submissions"
    )
    # The attestations as the person read and ticked them: [{"text", "at"}].
    attestations = models.JSONField(default=list)
    # What changed, in words the list shows: [{"what", "before", "after"}].
    changes = models.JSONField(default=list)
    submitted_at = models.DateTimeField(_("submitted on"), default=timezone.now)
    # For a form staff review (``service_catalog``): what to apply once they do, and their
    # decision. Empty for a form applied at once.
    payload = models.JSONField(default=dict, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    taken_at = models.DateTimeField(_("taken on"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")
        indexes = [
            models.Index(fields=["submitted_by", "-submitted_at"], name="submission_by"),
            models.Index(
                fields=["status", "submitted_at"],
                condition=Q(status__in=["submitted", "in_review"]),
                name="submission_to_review",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form} #{self.pk}"

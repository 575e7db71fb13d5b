"""One audit trail for the whole portal: who did what, for whom, under which right.

``action`` and ``right`` are stored as plain strings so that apps add their own actions
(in ``Action``) without a migration; the choices only give them readable labels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.core.roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser


class Action(models.TextChoices):
    LOGIN = "account.login", _("Signed in")
    LOGIN_FAILED = "account.login_failed", _("Failed sign-in attempt")
    LOGOUT = "account.logout", _("Signed out")
    LOCKED = "account.locked", _("Sign-in locked after repeated failures")
    SIGNED_UP = "account.signed_up", _("Account created")
    EMAIL_CONFIRMED = "account.email_confirmed", _("Email address confirmed")
    EMAIL_CHANGED = "account.email_changed", _("Email address changed")
    PASSWORD_CHANGED = "account.password_changed", _("Password changed")
    PASSWORD_RESET = "account.password_reset", _("Password reset by email link")
    MFA_ENABLED = "account.mfa_enabled", _("Two-factor authentication turned on")
    MFA_DISABLED = "account.mfa_disabled", _("Two-factor authentication turned off")
    # Dossiers and linking
    DOSSIER_IMPORTED = "dossier.imported", _("File imported")
    DOSSIER_OPENED = "dossier.opened", _("File opened")
    DOSSIER_LINKED = "dossier.linked", _("Account linked to a file")
    DOSSIER_UNLINKED = "dossier.unlinked", _("Account unlinked from a file")
    LINK_FAILED = "dossier.link_failed", _("Failed attempt to link a file")
    LINK_LOCKED = "dossier.link_locked", _("File linking locked after repeated failures")
    LINK_CODE_SENT = "dossier.link_code_sent", _("Linking code sent")
    LOGIN_ID_REMINDER = "dossier.login_id_reminder", _("Sign-in identifier reminder sent")
    PROFILE_CHANGED = "dossier.profile_changed", _("File information changed")
    CONSENT_CHANGED = "dossier.consent_changed", _("Subscription changed")
    DELEGATION_GRANTED = "dossier.delegation_granted", _("Right to act for others granted")
    DELEGATION_ENDED = "dossier.delegation_ended", _("Right to act for others ended")
    # Registrations
    REGISTERED = "registration.created", _("Registered")
    REGISTRATION_CONFIRMED = "registration.confirmed", _("Registration confirmed")
    REGISTRATION_CHANGED = "registration.changed", _("Registration changed")
    REGISTRATION_CANCELLED = "registration.cancelled", _("Registration cancelled")
    WAITLIST_OFFERED = "registration.offered", _("Spot offered from the waiting list")
    REGISTRATION_EXPIRED = "registration.expired", _("Registration expired")
    CART_LINE_ADDED = "registration.cart_added", _("Added to the cart")
    CART_LINE_CHANGED = "registration.cart_changed", _("Cart line answered")
    CART_LINE_REMOVED = "registration.cart_removed", _("Removed from the cart")
    ATTENDANCE_MARKED = "registration.attendance", _("Attendance marked")
    # Billing
    INVOICE_ISSUED = "billing.invoice_issued", _("Invoice issued")
    CREDIT_NOTE_ISSUED = "billing.credit_note_issued", _("Credit note issued")
    PAYMENT_RECORDED = "billing.payment_recorded", _("Payment recorded")
    REFUND_RECORDED = "billing.refund_recorded", _("Refund recorded")
    OFFLINE_PAYMENT_CHOSEN = "billing.offline_chosen", _("Offline payment method chosen")
    CHECKOUT_STARTED = "billing.checkout_started", _("Card payment started")
    WEBHOOK_REFUSED = "billing.webhook_refused", _("Payment notification refused")
    TAX_INFO_CHANGED = "billing.tax_info_changed", _("Social insurance number recorded")
    CHILDCARE_SPLIT = "billing.childcare_split", _("Childcare expenses shared")
    TAX_SLIPS_ISSUED = "billing.tax_slips_issued", _("Relevé 24 slips issued")
    # Requests
    REQUEST_SUBMITTED = "request.submitted", _("Request submitted")
    REQUEST_APPROVED = "request.approved", _("Request approved")
    REQUEST_REFUSED = "request.refused", _("Request refused")
    # Credentials
    ATTESTATION_ISSUED = "credentials.attestation_issued", _("Attestation issued")
    ATTESTATION_REVOKED = "credentials.attestation_revoked", _("Attestation revoked")
    TITLE_AWARDED = "credentials.title_awarded", _("Title awarded")
    DIRECTORY_CHANGED = "credentials.directory_changed", _("Directory listing changed")
    # Privacy (Law 25)
    DATA_EXPORT_REQUESTED = "privacy.export_requested", _("Copy of one's data requested")
    DATA_EXPORT_DOWNLOADED = "privacy.export_downloaded", _("Copy of one's data downloaded")
    CLOSURE_REQUESTED = "privacy.closure_requested", _("Account closure requested")
    CLOSURE_WITHDRAWN = "privacy.closure_withdrawn", _("Account closure request withdrawn")
    ACCOUNT_ANONYMIZED = "privacy.anonymized", _("Account closed and anonymized")
    INCIDENT_RECORDED = "privacy.incident_recorded", _("Confidentiality incident recorded")
    INCIDENT_CHANGED = "privacy.incident_changed", _("Confidentiality incident updated")
    STAFF_VIEWED = "privacy.staff_viewed", _("File consulted by staff")
    # Memberships
    MEMBERSHIP_APPLIED = "membership.applied", _("Membership application sent")
    MEMBERSHIP_DOCUMENTS_ADDED = (
        "membership.documents_added",
        _("Documents added to an application"),
    )
    MEMBERSHIP_MORE_ASKED = "membership.more_asked", _("More documents asked for an application")
    MEMBERSHIP_APPROVED = "membership.approved", _("Membership application approved")
    MEMBERSHIP_REFUSED = "membership.refused", _("Membership application refused")
    MEMBERSHIP_STARTED = "membership.started", _("Membership started")
    MEMBERSHIP_RENEWAL = "membership.renewal", _("Membership renewal asked")
    MEMBERSHIP_CANCELLED = "membership.cancelled", _("Membership cancelled (fee unpaid)")
    MEMBERSHIP_LAPSED = "membership.lapsed", _("Membership lapsed")
    MEMBERSHIP_REMINDED = "membership.reminded", _("Membership renewal reminder sent")
    MEMBERSHIP_DOCUMENTS_DELETED = (
        "membership.documents_deleted",
        _("Application documents deleted (retention rule)"),
    )
    MEMBERSHIP_UPLOADS_DELETED = (
        "membership.uploads_deleted",
        _("Documents of unfinished applications deleted"),
    )
    # Organizations
    PROFILE_SWITCHED = "organization.profile_switched", _("Acting profile switched")
    RELATION_ADDED = "organization.relation_added", _("Relation added")
    RELATION_ENDED = "organization.relation_ended", _("Relation ended")
    RELATION_END_CHANGED = "organization.relation_end_changed", _("Relation's end date changed")
    SUBJECTS_ADDED = "organization.subjects_added", _("Authorized subjects added")
    SUBJECTS_REMOVED = "organization.subjects_removed", _("Authorized subjects removed")
    CONTACT_CREATED = "organization.contact_created", _("Organization contact created")
    CONTACT_CHANGED = "organization.contact_changed", _("Organization contact changed")
    FORM_SUBMITTED = "organization.form_submitted", _("Form sent to staff review")
    FORM_TAKEN = "organization.form_taken", _("Form taken for review")
    FORM_APPLIED = "organization.form_applied", _("Form applied by staff")
    FORM_REFUSED = "organization.form_refused", _("Form refused by staff")
    # Offerings edited by staff (the back office)
    OFFERING_CREATED = "catalog.offering_created", _("Offering created")
    OFFERING_CHANGED = "catalog.offering_changed", _("Offering changed")
    SEASON_COPIED = "catalog.season_copied", _("Season's offerings copied to another season")
    # Back office: people (docs/backoffice.md)
    STAFF_ROLE_GRANTED = "backoffice.role_granted", _("Staff role given")
    STAFF_ROLE_REVOKED = "backoffice.role_revoked", _("Staff role taken away")
    LEADER_ADDED = "backoffice.leader_added", _("Activity leader added to an offering")
    LEADER_REMOVED = "backoffice.leader_removed", _("Activity leader removed from an offering")
    PARTICIPANTS_MESSAGED = (
        "backoffice.participants_messaged",
        _("Message sent to an offering's participants"),
    )
    # API and webhooks
    API_KEY_CREATED = "api.key_created", _("API key created")
    API_KEY_REVOKED = "api.key_revoked", _("API key revoked")
    API_WRITE = "api.write", _("Change made through the API")
    WEBHOOK_DISABLED = "api.webhook_disabled", _("Webhook endpoint disabled after failures")
    WEBHOOK_REDELIVERED = "api.webhook_redelivered", _("Webhook delivery sent again")
    WEBHOOK_ENDPOINT_ADDED = "api.webhook_endpoint_added", _("Webhook endpoint added")
    WEBHOOK_ENDPOINT_ARCHIVED = "api.webhook_endpoint_archived", _("Webhook endpoint archived")
    # Back office: reports
    ACCOUNTING_EXPORTED = "backoffice.accounting_exported", _("Accounting export downloaded")
    NEWSLETTER_SENT = "backoffice.newsletter_sent", _("Newsletter sent")


class Right(models.TextChoices):
    """Under which right the actor acted. Organizations add theirs in a later issue."""

    SELF = "self", _("For oneself")
    GUARDIAN = "guardian", _("As guardian")
    DELEGATE = "delegate", _("As delegate")
    RELATION = "relation", _("Through a relation with an organization")
    STAFF = "staff", _("Staff")
    SYSTEM = "system", _("System")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def concerning(self, account: AbstractBaseUser) -> AuditEventQuerySet:
        """What a person may read in their own trail: events done by them or for them."""
        return self.filter(models.Q(subject=account) | models.Q(actor=account))


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who acted"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("for whom"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("file"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    right = models.CharField(_("under which right"), max_length=32)
    # The staff role the actor acted under (core.roles.Role), "" when not acting as staff.
    role = models.CharField(_("under which role"), max_length=20, blank=True, default="")
    ip_address = models.GenericIPAddressField(_("from"), null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["subject", "-occurred_at"]),
            models.Index(fields=["dossier", "-occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action}"

    def get_action_display(self) -> str:
        try:
            return str(Action(self.action).label)
        except ValueError:
            return self.action

    def get_role_display(self) -> str:
        try:
            return str(Role(self.role).label)
        except ValueError:
            return self.role

    def get_right_display(self) -> str:
        try:
            return str(Right(self.right).label)
        except ValueError:
            return self.right

"""One audit trail for the whole portal: who did what, for whom, under which right."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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


class Right(models.TextChoices):
    """Under which right the actor acted. Later issues add guardian, delegate, contact."""

    SELF = "self", _("For oneself")
    STAFF = "staff", _("Staff")
    SYSTEM = "system", _("System")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def concerning(self, account: settings.AUTH_USER_MODEL) -> AuditEventQuerySet:
        """What a person may read in their own trail: events done by them or for them."""
        return self.filter(models.Q(subject=account) | models.Q(actor=account))


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=64, choices=Action.choices)
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
    right = models.CharField(_("under which right"), max_length=32, choices=Right.choices)
    ip_address = models.GenericIPAddressField(_("from"), null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["subject", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action}"

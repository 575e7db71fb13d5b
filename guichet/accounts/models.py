"""Accounts: the people who sign in. Their files (dossiers) live in the dossiers app."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guichet.core.roles import Role


class AccountManager(BaseUserManager["Account"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> Account:
        if not email:
            raise ValueError("An account needs an email address.")
        account = self.model(email=self.normalize_email(email), **fields)
        account.set_password(password)
        account.save(using=self._db)
        return account

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> Account:
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class Account(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("joined on"), default=timezone.now)
    terms_accepted_at = models.DateTimeField(_("terms accepted on"), null=True, blank=True)

    objects = AccountManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="account_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name

    @cached_property
    def staff_roles(self) -> frozenset[str]:
        """The staff roles this account holds (guichet.core.staff reads them): one query,
        once per request, and none for an account that is not staff."""
        if not self.is_staff or self.pk is None:
            return frozenset()
        return frozenset(self.role_grants.values_list("role", flat=True))


class StaffRole(models.Model):
    """One role a staff account holds (Administration, Inscriptions, …: core.staff.Role)."""

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="role_grants", verbose_name=_("account")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted on"), default=timezone.now)

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        constraints = [
            models.UniqueConstraint(fields=["account", "role"], name="staff_role_once"),
        ]

    def __str__(self) -> str:
        return f"{self.account} — {self.get_role_display()}"


class LoginThrottle(models.Model):
    """Failed sign-ins per email address, known or not, for the progressive lockout.

    Keyed by a digest of the normalized address so that unknown addresses behave
    exactly like known ones without being stored in clear.
    """

    key = models.CharField(max_length=64, unique=True)
    failures = models.PositiveIntegerField(default=0)
    lock_count = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "sign-in throttle")
        verbose_name_plural = pgettext_lazy("model", "sign-in throttles")

    def __str__(self) -> str:
        return self.key[:12]

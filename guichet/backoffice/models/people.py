"""The people part's own tables: who leads an offering (Animation sees only theirs)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OfferingLeader(models.Model):
    """An activity leader (role Animation) in charge of an offering: they see its roster and
    take its attendance. Set by Inscriptions on the roster page."""

    offering = models.ForeignKey(
        "catalog.Offering",
        on_delete=models.CASCADE,
        related_name="leaders",
        verbose_name=_("offering"),
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="offerings_led",
        verbose_name=_("activity leader"),
    )
    added_at = models.DateTimeField(_("added on"), default=timezone.now)

    class Meta:
        verbose_name = _("activity leader")
        verbose_name_plural = _("activity leaders")
        constraints = [
            models.UniqueConstraint(fields=["offering", "account"], name="lead_offering_once"),
        ]

    def __str__(self) -> str:
        return f"{self.account} — {self.offering}"

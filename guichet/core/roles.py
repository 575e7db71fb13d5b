"""The staff roles (docs/backoffice.md). Its own module, free of django.contrib.auth, so that
the accounts models can name them without a cycle; ``guichet.core.staff`` checks them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    ADMINISTRATION = "administration", pgettext_lazy("staff role", "Administration")
    REGISTRAR = "registrar", pgettext_lazy("staff role", "Registrations")
    ACCOUNTING = "accounting", pgettext_lazy("staff role", "Accounting")
    COUNTER = "counter", pgettext_lazy("staff role", "Front desk")
    PRIVACY = "privacy", pgettext_lazy("staff role", "Privacy")
    ANIMATION = "animation", pgettext_lazy("staff role", "Activity leaders")

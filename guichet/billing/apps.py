from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from guichet.core import shell
from guichet.core.shell import Section
from guichet.presets import Feature

# « Mes factures et crédits » in « Mon dossier » (``views.documents.mine``, mounted under
# /mon-dossier/ by ``urls/sections.py``).
SECTIONS = (
    Section(
        "invoices",
        _("My invoices and credits"),
        "dossiers:invoices",
        order=90,
        feature=Feature.BILLING,
    ),
)


class BillingConfig(AppConfig):
    name = "guichet.billing"
    verbose_name = _("Billing")

    def ready(self) -> None:
        from guichet.billing import (
            checks,  # noqa: F401  (registers system checks)
            receivers,  # noqa: F401  (connects the deletion guard)
        )
        from guichet.billing import privacy as billing_privacy
        from guichet.privacy import registry as privacy

        shell.register(*SECTIONS)
        privacy.register(billing_privacy.CONTRIBUTOR)

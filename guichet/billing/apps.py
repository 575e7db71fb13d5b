from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "guichet.billing"
    verbose_name = _("Billing")

    def ready(self) -> None:
        from guichet.billing import receivers  # noqa: F401  (connects the deletion guard)
